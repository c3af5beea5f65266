"""/api/lookup/ against a real slow upstream on a loopback port."""

import socket
import threading

import pytest
from prometheus_client import REGISTRY

from apps.lookup.upstream import SlowUpstreamHandler, SlowUpstreamServer

pytestmark = pytest.mark.django_db


class NotingUpstreamServer(SlowUpstreamServer):
    """The upstream, with a list for the cookies a handler notes it was sent."""

    def __init__(self, address: tuple[str, int], delay: float) -> None:
        super().__init__(address, delay)
        self.cookies_sent: list[str | None] = []


@pytest.fixture
def upstream(settings):
    server = NotingUpstreamServer(("127.0.0.1", 0), delay=0.05)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.UPSTREAM_URL = f"http://127.0.0.1:{server.server_address[1]}/"
    yield server
    server.shutdown()
    server.server_close()


def outbound(outcome: str) -> float:
    labels = {"host": "127.0.0.1", "outcome": outcome}
    return REGISTRY.get_sample_value("stackpacks_outbound_http_seconds_count", labels) or 0.0


def test_lookup_answers_with_the_upstream_data(alice_browser, upstream):
    before = outbound("2xx")
    response = alice_browser.get("/api/lookup/", {"q": "abc"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "abc"
    assert body["upstream_status"] == 200
    assert body["data"] == {"query": "abc", "matches": ["ABC", "cba"]}
    assert body["elapsed_ms"] >= 50
    assert outbound("2xx") == before + 1


def test_the_query_is_added_to_the_upstream_urls_own(alice_browser, upstream, settings):
    """UPSTREAM_URL may carry its own parameters (an API key, a version): they are kept."""
    settings.UPSTREAM_URL += "search?key=a%20b&v=2"
    response = alice_browser.get("/api/lookup/", {"q": "x&y é"})
    assert response.status_code == 200
    assert response.json()["data"]["query"] == "x&y é"
    assert upstream.paths[-1] == "/search?key=a%20b&v=2&q=x%26y+%C3%A9"


class CookieSettingUpstreamHandler(SlowUpstreamHandler):
    """The upstream, setting a cookie in every answer and noting the cookies it is sent."""

    server: NotingUpstreamServer

    def do_GET(self) -> None:
        self.server.cookies_sent.append(self.headers.get("Cookie"))
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Set-Cookie", "upstream_session=for-one-user; Path=/")
        super().end_headers()


def test_upstream_cookies_do_not_go_with_later_calls(alice_browser, upstream):
    """One client serves every user's calls: a cookie the upstream sets must not be sent back."""
    upstream.RequestHandlerClass = CookieSettingUpstreamHandler
    for _ in range(2):
        assert alice_browser.get("/api/lookup/", {"q": "abc"}).status_code == 200
    assert upstream.cookies_sent == [None, None]


def test_a_slow_upstream_is_a_504(alice_browser, upstream, settings):
    upstream.delay = 1.0
    settings.UPSTREAM_TIMEOUT_SECONDS = 0.2
    before = outbound("timeout")
    response = alice_browser.get("/api/lookup/", {"q": "abc"})
    assert response.status_code == 504
    assert response.json() == {"detail": "The upstream service did not answer in time."}
    assert outbound("timeout") == before + 1


def test_an_upstream_server_error_is_a_502(alice_browser, upstream, settings):
    settings.UPSTREAM_URL += "status/503"
    response = alice_browser.get("/api/lookup/", {"q": "abc"})
    assert response.status_code == 502
    assert response.json() == {"detail": "The upstream service answered 503."}


def test_an_upstream_client_error_is_passed_on(alice_browser, upstream, settings):
    settings.UPSTREAM_URL += "status/404"
    response = alice_browser.get("/api/lookup/", {"q": "abc"})
    assert response.status_code == 200
    assert response.json()["upstream_status"] == 404


def test_an_unreachable_upstream_is_a_502(alice_browser, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.UPSTREAM_URL = f"http://127.0.0.1:{port}/"
    response = alice_browser.get("/api/lookup/", {"q": "abc"})
    assert response.status_code == 502
    assert response.json()["detail"].startswith("The upstream service could not be reached")


def test_the_query_is_required(alice_browser):
    assert alice_browser.get("/api/lookup/").status_code == 400


def test_lookup_needs_a_signed_in_user(browser):
    assert browser.get("/api/lookup/", {"q": "abc"}).status_code == 403
