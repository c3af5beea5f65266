"""What a lookup answers, whether the call is sync or awaited: the result, the two upstream
errors, and how an upstream's response or failure maps onto them."""

import functools
import time
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.parse import urlencode

import httpx
from rest_framework.exceptions import APIException


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


def upstream_url(base: str, query: str) -> httpx.URL:
    """The upstream URL (UPSTREAM_URL) asking about `query`: `q=<query>` added to the URL's
    own query string, which is kept (httpx's `params=` would replace it). The URL is parsed
    once per process rather than twice per call (about 150 µs a call on a slow machine)."""
    url = _parsed(base)
    q = urlencode({"q": query}).encode()
    return url.copy_with(query=url.query + b"&" + q if url.query else q)


@functools.lru_cache(maxsize=8)
def _parsed(url: str) -> httpx.URL:
    return httpx.URL(url)


def no_cookies() -> CookieJar:
    """A cookie jar that keeps nothing, for the upstream client: one client serves every
    user's calls, so a cookie the upstream sets in answer to one must not go with the next."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def upstream_error(exc: httpx.HTTPError) -> APIException:
    """The API error for a call that failed: 504 if the upstream took too long, else 502."""
    if isinstance(exc, httpx.TimeoutException):
        return UpstreamTimeout()
    return UpstreamUnavailable(f"The upstream service could not be reached: {exc}")


def lookup_result(query: str, response: httpx.Response, started: float) -> LookupResult:
    """The upstream's answer to `query`, timed from `started` (a time.perf_counter() reading)
    to now; raise UpstreamUnavailable (502) if it answered with a server error."""
    if response.is_server_error:
        raise UpstreamUnavailable(f"The upstream service answered {response.status_code}.")
    elapsed_ms = round((time.perf_counter() - started) * 1000)
    try:
        data = response.json()
    except ValueError:
        data = response.text
    return LookupResult(
        query=query, upstream_status=response.status_code, elapsed_ms=elapsed_ms, data=data
    )
