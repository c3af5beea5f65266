"""httpx's API on aiohttp's connection pool, for the calls to the slow upstream.

httpcore's own pool (httpx's default transport) scans every connection on each request, which
at a hundred concurrent calls per worker costs more than the calls: measured on P3
(benchmarks/p3_async_vs_sync.py), it more than halved the requests a worker serves. httpx
stays the API (timeouts, errors, the instrumented transport of apps.metrics.async_http);
aiohttp (through httpx-aiohttp) keeps the connections.
"""

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport as _HttpxAiohttpTransport


class AiohttpTransport(_HttpxAiohttpTransport):
    """httpx-aiohttp, with two changes. Its aiohttp session keeps no cookies (by default
    aiohttp's would store what the upstream sets and send it with every later call, whoever
    makes it). And it reports any connection failure (refused, reset) as a ConnectTimeout:
    only a real timeout stays one, the rest is a ConnectError (a 502, not a 504)."""

    def get_client(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self.limits.max_connections or 0,  # httpx's None (no limit) is aiohttp's 0
            keepalive_timeout=self.limits.keepalive_expiry,
            ssl=self.ssl_context,
        )
        return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except httpx.ConnectTimeout as exc:
            if isinstance(exc.__cause__, TimeoutError):
                raise
            raise httpx.ConnectError(str(exc), request=request) from exc.__cause__
