"""/ws/signals/echo/: a WebSocket that echoes text frames, for `stackpacks doctor`'s check that
upgrades pass through the front door (Next.js's `/ws/` rewrite, a proxy, a load balancer).

Authenticated like the metrics: `Authorization: Bearer <SIGNALS_TOKEN>`, compared in constant
time (`views.has_signals_token`). A handshake without it is closed before it is accepted, so
the server answers 403 and no socket opens. No session and no Origin check: doctor is not a
browser, and a browser cannot set an Authorization header on a WebSocket, so no page can use
this socket with a visitor's credentials. The router mounts it outside the Origin validator of
the users' sockets (config/routing.py).

Its frames are not counted in `stackpacks_ws_messages`: doctor reads those as the users' use
of WebSockets, which its own check must not inflate.
"""

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from .views import has_signals_token

UNSUPPORTED_DATA = 1003  # RFC 6455 section 7.4.1
MESSAGE_TOO_BIG = 1009


class EchoConsumer(AsyncWebsocketConsumer):
    # No channel layer: the check must not fail because Redis is down (that is not the front
    # door's fault), nor cost Redis a subscription per handshake. get_channel_layer() answers
    # None for an alias CHANNEL_LAYERS does not configure.
    channel_layer_alias = "signals-echo-needs-none"

    async def connect(self) -> None:
        headers = dict(self.scope.get("headers", ()))
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if not has_signals_token(authorization):
            await self.close()  # before accept: the handshake is refused with 403
            return
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None) -> None:
        if text_data is None:
            await self.close(code=UNSUPPORTED_DATA)
        elif len(text_data.encode()) > settings.WS_MAX_FRAME_BYTES:
            await self.close(code=MESSAGE_TOO_BIG)
        else:
            await self.send(text_data=text_data)
