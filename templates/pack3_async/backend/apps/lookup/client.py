"""The call to the slow upstream, async: the worker serves others while it waits."""

import asyncio
import contextlib
import time
import weakref
from collections.abc import AsyncIterator

import httpx
from django.conf import settings

from apps.metrics.async_http import InstrumentedAsyncTransport

from .results import LookupResult, lookup_result, no_cookies, upstream_error, upstream_url
from .transport import AiohttpTransport


def _new_client() -> httpx.AsyncClient:
    size = settings.UPSTREAM_MAX_CONNECTIONS
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    # httpx's API on aiohttp's connection pool: transport.py says why.
    return httpx.AsyncClient(
        transport=InstrumentedAsyncTransport(AiohttpTransport(limits=limits)),
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
