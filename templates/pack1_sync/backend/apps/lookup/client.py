"""The call to the slow upstream: the I/O-bound example that pack 3 makes async."""

import functools
import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from rest_framework.exceptions import APIException

from apps.signals.http import InstrumentedTransport


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


@functools.cache
def get_client() -> httpx.Client:
    """One client per process: it keeps connections to the upstream open between requests.

    Created on first use, so each gunicorn worker builds its own after the fork.
    """
    return httpx.Client(
        transport=InstrumentedTransport(httpx.HTTPTransport()),
        follow_redirects=False,
    )


def lookup(query: str) -> LookupResult:
    """Ask the upstream about `query`; raise UpstreamTimeout (504) or UpstreamUnavailable (502)."""
    seconds = settings.UPSTREAM_TIMEOUT_SECONDS
    timeout = httpx.Timeout(seconds, connect=min(seconds, 2.0))
    started = time.perf_counter()
    try:
        response = get_client().get(settings.UPSTREAM_URL, params={"q": query}, timeout=timeout)
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
