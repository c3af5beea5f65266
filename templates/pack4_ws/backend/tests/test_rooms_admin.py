"""Members and comments in the admin: listed, searched, edited; comments never added there."""

import pytest

from apps.reports.models import Report
from apps.rooms.models import Comment, ReportMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(alice, make_user):
    report = Report.objects.create(owner=alice, title="Q3")
    ReportMember.objects.create(report=report, user=make_user("bob"))
    return Comment.objects.create(report=report, author=alice, body="needle in the room")


@pytest.mark.parametrize("changelist", ["/admin/rooms/comment/", "/admin/rooms/reportmember/"])
def test_changelists_render(admin_client, comment, changelist):
    assert admin_client.get(changelist).status_code == 200


def test_comments_are_found_by_their_text(admin_client, comment):
    found = admin_client.get("/admin/rooms/comment/?q=needle")
    assert list(found.context["cl"].result_list) == [comment]
    assert list(admin_client.get("/admin/rooms/comment/?q=hay").context["cl"].result_list) == []


def test_a_comment_is_edited_but_never_added_in_the_admin(admin_client, comment):
    assert admin_client.get(f"/admin/rooms/comment/{comment.pk}/change/").status_code == 200
    assert admin_client.get("/admin/rooms/comment/add/").status_code == 403
