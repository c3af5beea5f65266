"""The call to the slow upstream, async (pack 3): the worker serves others while it waits."""

import asyncio
import contextlib
import time
import weakref
from collections.abc import AsyncIterator

import aiohttp
import httpx
from django.conf import settings
from httpx_aiohttp import AiohttpTransport

from apps.metrics.async_http import InstrumentedAsyncTransport

from .results import LookupResult, lookup_result, no_cookies, upstream_error, upstream_url


class _AiohttpTransport(AiohttpTransport):
    """httpx-aiohttp, with two changes. Its aiohttp session keeps no cookies (by default
    aiohttp's would store what the upstream sets and send it with every later call, whoever
    makes it). And it reports any connection failure (refused, reset) as a ConnectTimeout:
    only a real timeout stays one, the rest is a ConnectError (a 502, not a 504)."""

    def get_client(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self.limits.max_connections,
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


def _new_client() -> httpx.AsyncClient:
    # httpx's API (timeouts, errors, the instrumented transport) on aiohttp's connection pool:
    # httpcore's own pool scans every connection on each request, which at a few hundred
    # concurrent calls per worker costs more than the calls (measured: half the throughput).
    size = settings.UPSTREAM_MAX_CONNECTIONS
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    return httpx.AsyncClient(
        transport=InstrumentedAsyncTransport(_AiohttpTransport(limits=limits)),
        follow_redirects=False,
        cookies=no_cookies(),
    )


# The ASGI server (config/asgi.py turns this on) keeps one client per worker's event loop for
# the life of the worker: its connections to the upstream stay open between requests. The test
# client runs each request in an event loop of its own, so there each call gets a client of its
# own, closed after.
SHARE_CLIENTS = False
_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient]" = (
    weakref.WeakKeyDictionary()
)


@contextlib.asynccontextmanager
async def upstream_client() -> AsyncIterator[httpx.AsyncClient]:
    if not SHARE_CLIENTS:
        async with _new_client() as client:
            yield client
        return
    loop = asyncio.get_running_loop()
    if loop not in _clients:
        _clients[loop] = _new_client()
    yield _clients[loop]


async def lookup(query: str) -> LookupResult:
    """Ask the upstream about `query`; raise UpstreamTimeout (504) or UpstreamUnavailable (502)."""
    seconds = settings.UPSTREAM_TIMEOUT_SECONDS
    timeout = httpx.Timeout(seconds, connect=min(seconds, 2.0))
    started = time.perf_counter()
    try:
        async with upstream_client() as client:
            url = upstream_url(settings.UPSTREAM_URL, query)
            response = await client.get(url, timeout=timeout)
    except httpx.HTTPError as exc:
        raise upstream_error(exc) from exc
    return lookup_result(query, response, started)
