"""WebSocket routes, as config/urls.py is for HTTP.

The users' sockets authenticate with the Django session cookie (AuthMiddlewareStack) and accept
only pages of this site: AllowedHostsOriginValidator refuses (403) a handshake whose Origin is
not one of ALLOWED_HOSTS, so another site cannot open a socket with a visitor's cookie. The
operations socket authenticates with the signals token instead (apps/metrics/consumers.py).
A path no route matches is refused too.
"""

from channels.auth import AuthMiddlewareStack
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path, re_path

from apps.metrics.consumers import EchoConsumer
from apps.rooms.consumers import ReportRoomConsumer
from apps.sockets.consumers import JobConsumer


def for_browsers(consumer):
    return AllowedHostsOriginValidator(AuthMiddlewareStack(consumer.as_asgi()))


class NoSuchSocket(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.close()


websockets = URLRouter(
    [
        path("ws/jobs/", for_browsers(JobConsumer)),
        path("ws/reports/<int:report_id>/", for_browsers(ReportRoomConsumer)),
        # django-stubs types path() for HTTP views only; Channels routes ASGI applications with it.
        path("ws/signals/echo/", EchoConsumer.as_asgi()),  # type: ignore[arg-type, list-item]
        re_path(r"", NoSuchSocket.as_asgi()),  # type: ignore[arg-type, list-item]
    ]
)
