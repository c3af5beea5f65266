"""The admin as a product surface: its pages render, its filters work, its actions are safe."""

import pytest

from apps.reports.admin import MAX_REBUILDS_PER_ACTION
from apps.reports.models import Report

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/reports/report/"


@pytest.fixture
def reports(alice, make_user):
    bob = make_user("bob", email="bob@example.com")
    return {
        "ready": Report.objects.create(owner=alice, title="ready one", status=Report.Status.READY),
        "failed": Report.objects.create(owner=bob, title="failed one", status=Report.Status.FAILED),
        "running": Report.objects.create(owner=bob, title="stuck", status=Report.Status.RUNNING),
    }


@pytest.mark.parametrize(
    "query",
    ["", "?status__exact=failed", "?q=bob%40example.com", "?created_at__year=2020", "?o=-5"],
)
def test_changelist_renders(admin_client, reports, query):
    response = admin_client.get(CHANGELIST + query)
    assert response.status_code == 200


def test_filters_and_search_narrow_the_list(admin_client, reports):
    by_status = admin_client.get(CHANGELIST + "?status__exact=failed")
    assert list(by_status.context["cl"].result_list) == [reports["failed"]]
    by_owner = admin_client.get(CHANGELIST + "?q=bob@example.com")
    assert set(by_owner.context["cl"].result_list) == {reports["failed"], reports["running"]}


def test_change_page_renders_with_read_only_timing(admin_client, reports):
    response = admin_client.get(f"{CHANGELIST}{reports['ready'].pk}/change/")
    assert response.status_code == 200
    assert "Duration (ms)" in response.text


def test_rebuild_failed_rebuilds_only_failed_reports(admin_client, reports):
    selected = [report.pk for report in reports.values()]
    response = admin_client.post(
        CHANGELIST, {"action": "rebuild_failed", "_selected_action": selected}, follow=True
    )
    assert "Rebuilt 1 failed reports: 1 now ready." in response.text
    for report in reports.values():
        report.refresh_from_db()
    assert reports["failed"].status == Report.Status.READY
    assert reports["running"].status == Report.Status.RUNNING


def test_rebuild_failed_refuses_too_many_at_once(admin_client, alice):
    failed = Report.objects.bulk_create(
        Report(owner=alice, title=f"f{i}", status=Report.Status.FAILED)
        for i in range(MAX_REBUILDS_PER_ACTION + 1)
    )
    response = admin_client.post(
        CHANGELIST,
        {"action": "rebuild_failed", "_selected_action": [report.pk for report in failed]},
        follow=True,
    )
    assert f"Select at most {MAX_REBUILDS_PER_ACTION}" in response.text
    assert Report.objects.filter(status=Report.Status.FAILED).count() == len(failed)


def test_mark_stuck_as_failed_leaves_finished_reports_alone(admin_client, reports):
    selected = [report.pk for report in reports.values()]
    response = admin_client.post(
        CHANGELIST, {"action": "mark_stuck_as_failed", "_selected_action": selected}, follow=True
    )
    assert "Marked 1 reports as failed." in response.text
    for report in reports.values():
        report.refresh_from_db()
    assert reports["running"].status == Report.Status.FAILED
    assert reports["running"].error == "Marked as failed in the admin by admin."
    assert reports["ready"].status == Report.Status.READY


def test_the_admin_needs_a_staff_login(client, reports):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
