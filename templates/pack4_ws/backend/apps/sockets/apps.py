from django.apps import AppConfig


class SocketsConfig(AppConfig):
    """WebSockets: what every consumer shares, and job updates pushed to owners."""

    name = "apps.sockets"
    verbose_name = "WebSockets"

    def ready(self) -> None:
        from apps.jobs.events import job_changed

        from .push import push_job

        # In every process that runs jobs (Celery or db worker) and the web process alike.
        job_changed.connect(push_job, dispatch_uid="apps.sockets.push_job")
