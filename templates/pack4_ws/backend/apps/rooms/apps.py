from django.apps import AppConfig


class RoomsConfig(AppConfig):
    """Report rooms: members a report is shared with, its comments, who is viewing."""

    name = "apps.rooms"
    verbose_name = "Report rooms"
