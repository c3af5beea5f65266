from django.apps import AppConfig


class MetricsConfig(AppConfig):
    """Instrumentation: the measured signals `stackpacks doctor` reads to recommend a pack."""

    name = "apps.metrics"
    verbose_name = "Metrics"

    def ready(self) -> None:
        from .pack_info import export

        export()
