"""An httpx transport that times every outbound call into OUTBOUND_HTTP_SECONDS."""

import time

import httpx

from .metrics import OUTBOUND_HTTP_SECONDS


class InstrumentedTransport(httpx.BaseTransport):
    """Wraps a transport. Unlike event hooks, it also sees calls that fail without a response."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self._transport = transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        started = time.perf_counter()
        try:
            response = self._transport.handle_request(request)
        except httpx.TimeoutException:
            _observe(host, "timeout", started)
            raise
        except httpx.HTTPError:
            _observe(host, "error", started)
            raise
        outcome = f"{response.status_code // 100}xx"
        # The body is still unread here: stop the clock when it has been read and closed.
        response.stream = _TimedStream(response.stream, lambda: _observe(host, outcome, started))
        return response

    def close(self) -> None:
        self._transport.close()


class _TimedStream(httpx.SyncByteStream):
    def __init__(self, stream, on_close) -> None:
        self._stream = stream
        self._on_close = on_close

    def __iter__(self):
        yield from self._stream

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self._on_close()


def _observe(host: str, outcome: str, started: float) -> None:
    OUTBOUND_HTTP_SECONDS.labels(host=host, outcome=outcome).observe(time.perf_counter() - started)
