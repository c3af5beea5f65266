"""The async twin of `http.InstrumentedTransport`: times outbound calls of an httpx.AsyncClient.

Same metric (stackpacks_outbound_http_seconds), same outcomes, so `stackpacks doctor` reads
async calls like sync ones. The clock stops when the response body has been read and closed.
"""

import time

import httpx

from .http import _observe


class InstrumentedAsyncTransport(httpx.AsyncBaseTransport):
    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self._transport = transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        started = time.perf_counter()
        try:
            response = await self._transport.handle_async_request(request)
        except httpx.TimeoutException:
            _observe(host, "timeout", started)
            raise
        except httpx.HTTPError:
            _observe(host, "error", started)
            raise
        outcome = f"{response.status_code // 100}xx"
        response.stream = _TimedAsyncStream(
            response.stream, lambda: _observe(host, outcome, started)
        )
        return response

    async def aclose(self) -> None:
        await self._transport.aclose()


class _TimedAsyncStream(httpx.AsyncByteStream):
    def __init__(self, stream, on_close) -> None:
        self._stream = stream
        self._on_close = on_close

    async def __aiter__(self):
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            self._on_close()
