from django.apps import AppConfig


class SignalsConfig(AppConfig):
    """Instrumentation: the measured signals `stackpacks doctor` reads to recommend a pack."""

    name = "apps.signals"
    verbose_name = "Signals"

    def ready(self) -> None:
        from .pack_info import export

        export()
