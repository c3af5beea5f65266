"""The call to the slow upstream, async (pack 3): the worker serves others while it waits."""

import asyncio
import time
import weakref
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from rest_framework.exceptions import APIException

from apps.signals.async_http import InstrumentedAsyncTransport


class UpstreamTimeout(APIException):
    status_code = 504
    default_detail = "The upstream service did not answer in time."
    default_code = "upstream_timeout"


class UpstreamUnavailable(APIException):
    status_code = 502
    default_detail = "The upstream service failed."
    default_code = "upstream_unavailable"


@dataclass(frozen=True)
class LookupResult:
    query: str
    upstream_status: int
    elapsed_ms: int
    data: Any


# One client per event loop: it keeps connections to the upstream open between requests, and
# an httpx.AsyncClient must not be shared across loops. A uvicorn worker runs one loop for its
# whole life; the test client runs each request in a loop of its own.
_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient]" = (
    weakref.WeakKeyDictionary()
)


def get_client() -> httpx.AsyncClient:
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        # Enough connections for every request a worker holds at once; past that, a request
        # waits for a free one (the pool timeout, then a 504).
        size = settings.UPSTREAM_MAX_CONNECTIONS
        client = httpx.AsyncClient(
            transport=InstrumentedAsyncTransport(
                httpx.AsyncHTTPTransport(
                    limits=httpx.Limits(max_connections=size, max_keepalive_connections=size)
                )
            ),
            follow_redirects=False,
        )
        _clients[loop] = client
    return client


async def lookup(query: str) -> LookupResult:
    """Ask the upstream about `query`; raise UpstreamTimeout (504) or UpstreamUnavailable (502)."""
    seconds = settings.UPSTREAM_TIMEOUT_SECONDS
    timeout = httpx.Timeout(seconds, connect=min(seconds, 2.0))
    started = time.perf_counter()
    try:
        response = await get_client().get(
            settings.UPSTREAM_URL, params={"q": query}, timeout=timeout
        )
    except httpx.TimeoutException as exc:
        raise UpstreamTimeout from exc
    except httpx.HTTPError as exc:
        raise UpstreamUnavailable(f"The upstream service could not be reached: {exc}") from exc
    if response.is_server_error:
        raise UpstreamUnavailable(f"The upstream service answered {response.status_code}.")
    return LookupResult(
        query=query,
        upstream_status=response.status_code,
        elapsed_ms=round((time.perf_counter() - started) * 1000),
        data=_body(response),
    )


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text
