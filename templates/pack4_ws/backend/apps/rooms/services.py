"""What the REST views and the room's socket share: who may see a report, reading and writing
comments. Sync ORM code: the consumer calls it through apps.asyncdb.in_thread."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet

from apps.reports.models import Report

from .models import Comment, ReportMember

MAX_CATCH_UP = 200


def visible_reports(user) -> QuerySet[Report]:
    """The user's own reports and those shared with them."""
    shared = ReportMember.objects.filter(user=user).values("report_id")
    return Report.objects.filter(Q(owner=user) | Q(pk__in=shared))


def can_view(report_id: int, user_id: int) -> bool:
    shared = ReportMember.objects.filter(user_id=user_id).values("report_id")
    return Report.objects.filter(Q(owner_id=user_id) | Q(pk__in=shared), pk=report_id).exists()


def comments_after(report_id: int, after: int) -> QuerySet[Comment]:
    """The next comments after id `after`, oldest first, at most MAX_CATCH_UP."""
    comments = Comment.objects.filter(report_id=report_id, id__gt=after).select_related("author")
    return comments.order_by("id")[:MAX_CATCH_UP]


def add_comment(report_id: int, author, body: str) -> tuple[Comment, int]:
    """Store a comment; returns it and the id of the report's comment just before it (0 for
    the first). The report's row stays locked until the comment commits, so one report's
    comments get their ids and commit one at a time: no comment with a smaller id can appear
    after a client caught up to id n, and the one before is the newest committed when the lock
    is taken."""
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=report_id).values_list("pk").first()
        newest = Comment.objects.filter(report_id=report_id).order_by("-id")
        previous = newest.values_list("id", flat=True).first() or 0
        return Comment.objects.create(report_id=report_id, author=author, body=body), previous


def share(report: Report, username: str):
    """Add a member by username; returns (user, created). ValueError says why not."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValueError("There is no user with this username.")
    if user.pk == report.owner_id:
        raise ValueError("The owner already sees the report.")
    _, created = ReportMember.objects.get_or_create(report=report, user=user)
    return user, created
