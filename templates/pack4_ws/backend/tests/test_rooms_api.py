"""Reports shared with members, and their comments, over REST."""

import pytest

from apps.reports.models import Report
from apps.rooms.models import Comment, ReportMember
from tests.conftest import BrowserClient


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def report(alice) -> Report:
    return Report.objects.create(owner=alice, title="Q3")


def browser_of(user) -> BrowserClient:
    client = BrowserClient()
    client.fetch_csrf()
    client.force_login(user)
    return client


def test_the_owner_shares_a_report_by_username(alice_browser, report, bob):
    response = alice_browser.post_json(f"/api/reports/{report.pk}/members/", {"username": "bob"})
    assert response.status_code == 201
    assert response.json() == {"id": bob.pk, "username": "bob"}
    again = alice_browser.post_json(f"/api/reports/{report.pk}/members/", {"username": "bob"})
    assert again.status_code == 200
    members = alice_browser.get(f"/api/reports/{report.pk}/members/").json()
    assert members == [{"id": bob.pk, "username": "bob"}]


@pytest.mark.parametrize("username", ["nobody", "alice"])
def test_sharing_with_an_unknown_user_or_oneself_is_a_400(alice_browser, report, username):
    response = alice_browser.post_json(f"/api/reports/{report.pk}/members/", {"username": username})
    assert response.status_code == 400
    assert "username" in response.json()
    assert not ReportMember.objects.exists()


def test_a_member_sees_the_report_but_may_not_share_it(report, bob, make_user):
    ReportMember.objects.create(report=report, user=bob)
    make_user("carol")
    client = browser_of(bob)
    listed = client.get("/api/reports/").json()["results"]
    assert [(r["id"], r["shared"], r["owner"]["username"]) for r in listed] == [
        (report.pk, True, "alice")
    ]
    assert client.get(f"/api/reports/{report.pk}/").status_code == 200
    assert client.get(f"/api/reports/{report.pk}/members/").status_code == 200
    denied = client.post_json(f"/api/reports/{report.pk}/members/", {"username": "carol"})
    assert denied.status_code == 403


def test_the_owner_lists_own_reports_as_not_shared(alice_browser, report):
    listed = alice_browser.get("/api/reports/").json()["results"]
    assert [(r["id"], r["shared"]) for r in listed] == [(report.pk, False)]


def test_anyone_else_gets_a_404(report, make_user):
    client = browser_of(make_user("mallory"))
    assert client.get("/api/reports/").json()["results"] == []
    for path in ("", "members/", "comments/"):
        assert client.get(f"/api/reports/{report.pk}/{path}").status_code == 404
    response = client.post_json(f"/api/reports/{report.pk}/members/", {"username": "mallory"})
    assert response.status_code == 404


def test_comments_page_on_after_an_id(alice_browser, report, alice):
    comments = [Comment.objects.create(report=report, author=alice, body=f"c{i}") for i in range(3)]
    listed = alice_browser.get(f"/api/reports/{report.pk}/comments/").json()
    assert [c["body"] for c in listed] == ["c0", "c1", "c2"]
    assert listed[0]["author"] == {"id": alice.pk, "username": "alice"}
    after = alice_browser.get(f"/api/reports/{report.pk}/comments/?after={comments[0].pk}")
    assert [c["id"] for c in after.json()] == [comments[1].pk, comments[2].pk]
    bad = alice_browser.get(f"/api/reports/{report.pk}/comments/?after=x")
    assert bad.status_code == 400


def test_at_most_200_comments_at_a_time(alice_browser, report, alice):
    Comment.objects.bulk_create(
        Comment(report=report, author=alice, body=str(i)) for i in range(205)
    )
    listed = alice_browser.get(f"/api/reports/{report.pk}/comments/").json()
    assert len(listed) == 200
    assert listed[0]["body"] == "0"
