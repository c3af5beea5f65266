"""What every browser socket of the app shares: JSON text frames in and out, a size limit and
an error frame for bad input (the socket stays open), metrics, and a refused handshake (403)
for whoever may not connect.

Frames are `{"type": ..., ...}`; a subclass names the types it accepts in `handlers`, each a
coroutine method taking the parsed frame.
"""

import json
from functools import cached_property
from typing import ClassVar

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from .metrics import OPEN_WEBSOCKETS, WS_MESSAGES


class Invalid(Exception):
    """A frame the socket cannot act on: answered with an `invalid` error frame."""


class JsonSocket(AsyncWebsocketConsumer):
    consumer: ClassVar[str]  # the metrics' label
    handlers: ClassVar[dict[str, str]]  # frame type -> method name

    opened = False

    async def dispatch(self, message) -> None:
        """Channels' dispatch, without closing stale database connections before every message.

        Channels does that in a thread (`aclose_old_connections`), a thread hop per message per
        socket: a job update followed by 1,000 sockets cost each web worker 1,000 hops, 45 % of
        its CPU in benchmarks/p5_ws_fanout.py. These consumers reach the database only through
        apps.asyncdb.in_thread, which hands its connection back when it is done, so there is
        nothing to close here.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def accept(self, subprotocol=None, headers=None) -> None:
        await super().accept(subprotocol, headers)
        self.opened = True
        OPEN_WEBSOCKETS.labels(self.consumer).inc()

    async def websocket_disconnect(self, message) -> None:
        try:
            await super().websocket_disconnect(message)
        finally:
            if self.opened:
                self.opened = False
                OPEN_WEBSOCKETS.labels(self.consumer).dec()

    async def refuse(self) -> None:
        """Close before accepting: the handshake is answered 403."""
        await self.close()

    async def receive(self, text_data=None, bytes_data=None) -> None:
        WS_MESSAGES.labels("in", self.consumer).inc()
        if text_data is None:
            await self.error("invalid", "Send JSON text frames.")
            return
        limit = settings.WS_MAX_FRAME_BYTES
        if len(text_data.encode()) > limit:
            await self.error("too_large", f"A frame may have at most {limit} bytes.")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.error("invalid", "Not JSON.")
            return
        try:
            if not isinstance(frame, dict) or frame.get("type") not in self.handlers:
                known = ", ".join(sorted(self.handlers))
                raise Invalid(f"Send an object whose type is one of: {known}.")
            await getattr(self, self.handlers[frame["type"]])(frame)
        except Invalid as exc:
            await self.error("invalid", str(exc))

    async def send_frame(self, frame: dict) -> None:
        await self.send_text(json.dumps(frame, cls=DjangoJSONEncoder))

    async def send_text(self, text: str) -> None:
        """Send a frame already encoded (a broadcast encodes its frame once for every socket)."""
        self._sent.inc()
        await self.send(text_data=text)

    @cached_property
    def _sent(self):
        return WS_MESSAGES.labels("out", self.consumer)

    async def error(self, code: str, detail: str, **extra) -> None:
        await self.send_frame({"type": "error", "code": code, "detail": detail, **extra})
