from django.apps import AppConfig


class StreamsConfig(AppConfig):
    """Server-sent events of job progress."""

    name = "apps.streams"
    verbose_name = "Streams"
