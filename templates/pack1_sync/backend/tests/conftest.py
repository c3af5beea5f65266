"""Fixtures shared by the tests. They run on the database DATABASE_URL names (PostgreSQL in CI)."""

import pytest
from django.test import Client

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Reports build instantly: the tests check the result, not the waiting.
    settings.REPORT_WORK_SECONDS = 0
    # Password hashing is deliberately slow; tests create many users and prove nothing by it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production settings, but the test client speaks plain HTTP (test_deploy checks HTTPS).
    settings.SECURE_SSL_REDIRECT = False
    # No collectstatic before tests, so no manifest: serve static files unhashed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class BrowserClient(Client):
    """A client that behaves like the frontend: CSRF enforced, the token sent from its cookie."""

    def __init__(self) -> None:
        super().__init__(enforce_csrf_checks=True)

    def fetch_csrf(self) -> None:
        self.get("/api/auth/csrf/")

    def post_json(self, path: str, data: dict | None = None, *, csrf: bool = True):
        cookie = self.cookies.get("csrftoken")
        headers = {"X-CSRFToken": cookie.value} if csrf and cookie else {}
        return self.post(path, data or {}, content_type="application/json", headers=headers)


@pytest.fixture
def make_user(django_user_model):
    def make(username: str = "alice", **fields):
        return django_user_model.objects.create_user(username=username, password=PASSWORD, **fields)

    return make


@pytest.fixture
def browser(db) -> BrowserClient:
    client = BrowserClient()
    client.fetch_csrf()
    return client


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def alice_browser(browser, alice) -> BrowserClient:
    browser.force_login(alice)
    return browser
