"""The call to the slow upstream: the I/O-bound example that pack 3 makes async."""

import functools
import time

import httpx
from django.conf import settings

from apps.metrics.http import InstrumentedTransport

from .results import LookupResult, lookup_result, no_cookies, upstream_error, upstream_url


@functools.cache
def get_client() -> httpx.Client:
    """One client per process: it keeps connections to the upstream open between requests.

    Created on first use, so each gunicorn worker builds its own after the fork.
    """
    return httpx.Client(
        transport=InstrumentedTransport(httpx.HTTPTransport()),
        follow_redirects=False,
        cookies=no_cookies(),
    )


def lookup(query: str) -> LookupResult:
    """Ask the upstream about `query`; raise UpstreamTimeout (504) or UpstreamUnavailable (502)."""
    seconds = settings.UPSTREAM_TIMEOUT_SECONDS
    timeout = httpx.Timeout(seconds, connect=min(seconds, 2.0))
    started = time.perf_counter()
    try:
        response = get_client().get(upstream_url(settings.UPSTREAM_URL, query), timeout=timeout)
    except httpx.HTTPError as exc:
        raise upstream_error(exc) from exc
    return lookup_result(query, response, started)
