"""The session auth API the frontend uses: CSRF, sign-up, sign-in, sign-out, me."""

import pytest

from .conftest import PASSWORD, BrowserClient

pytestmark = pytest.mark.django_db


def test_csrf_returns_a_token_and_sets_the_cookie():
    client = BrowserClient()
    response = client.get("/api/auth/csrf/")
    assert response.status_code == 200
    assert response.json()["csrfToken"]
    assert "csrftoken" in response.cookies


def test_signup_creates_the_user_and_signs_them_in(browser, django_user_model):
    response = browser.post_json(
        "/api/auth/signup/", {"username": "carol", "password": PASSWORD, "email": "c@example.com"}
    )
    assert response.status_code == 201
    user = django_user_model.objects.get(username="carol")
    assert response.json() == {"id": user.id, "username": "carol"}
    assert browser.get("/api/auth/me/").json() == {"id": user.id, "username": "carol"}


def test_signup_email_is_optional(browser):
    response = browser.post_json("/api/auth/signup/", {"username": "dave", "password": PASSWORD})
    assert response.status_code == 201


def test_signup_rejects_a_taken_username(browser, alice):
    response = browser.post_json("/api/auth/signup/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert "username" in response.json()


def test_signup_applies_the_password_validators(browser):
    response = browser.post_json("/api/auth/signup/", {"username": "erin", "password": "123"})
    assert response.status_code == 400
    assert "password" in response.json()


def test_login_with_the_right_password(browser, alice):
    response = browser.post_json("/api/auth/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"id": alice.id, "username": "alice"}
    assert "sessionid" in response.cookies


def test_login_with_a_wrong_password_is_400(browser, alice):
    response = browser.post_json("/api/auth/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid username or password."}


def test_login_without_the_csrf_token_is_refused(browser, alice):
    response = browser.post_json(
        "/api/auth/login/", {"username": "alice", "password": PASSWORD}, csrf=False
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_signup_without_the_csrf_token_is_refused(browser):
    response = browser.post_json(
        "/api/auth/signup/", {"username": "frank", "password": PASSWORD}, csrf=False
    )
    assert response.status_code == 403


def test_logout_ends_the_session(alice_browser):
    assert alice_browser.get("/api/auth/me/").status_code == 200
    assert alice_browser.post_json("/api/auth/logout/").status_code == 204
    assert alice_browser.get("/api/auth/me/").status_code == 403


def test_me_is_403_when_anonymous(browser):
    assert browser.get("/api/auth/me/").status_code == 403
