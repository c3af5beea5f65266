from django.apps import AppConfig


class LookupConfig(AppConfig):
    name = "apps.lookup"
    verbose_name = "Lookup"
