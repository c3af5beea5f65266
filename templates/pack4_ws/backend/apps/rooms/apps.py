from django.apps import AppConfig


class RoomsConfig(AppConfig):
    """Report rooms (pack 4): members a report is shared with, its comments, who is viewing."""

    name = "apps.rooms"
    verbose_name = "Report rooms"
