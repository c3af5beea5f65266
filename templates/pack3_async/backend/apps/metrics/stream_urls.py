"""The event stream `stackpacks doctor` times through the front door (see stream_check)."""

from django.urls import path

from .stream_check import stream_check

urlpatterns = [
    path("", stream_check, name="signals-stream-check"),
]
