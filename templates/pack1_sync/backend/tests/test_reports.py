"""The example feature: the Report model, building it, and the owner-only API. What creating
one answers depends on the pack: tests/test_report_create.py."""

import pytest

from apps.reports.models import Report
from apps.reports.services import STEPS, build_report

pytestmark = pytest.mark.django_db


def test_build_report_records_the_result_and_timing(alice):
    report = Report.objects.create(owner=alice, title="Q3", rows=10)
    build_report(report)
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    values = [(index * 7919) % 1000 for index in range(10)]
    assert report.result == {
        "rows": 10,
        "total": sum(values),
        "mean": sum(values) / 10,
        "minimum": min(values),
        "maximum": max(values),
    }
    assert report.error == ""
    assert report.started_at is not None and report.finished_at is not None
    assert report.started_at <= report.finished_at
    assert report.duration_ms is not None and report.duration_ms >= 0


def test_build_report_reports_progress_after_each_step(alice):
    seen: list[int] = []
    build_report(Report.objects.create(owner=alice, title="Q3"), on_progress=seen.append)
    assert seen == [step * 100 // STEPS for step in range(1, STEPS + 1)]


def test_a_failing_build_is_recorded_not_raised(alice):
    def broken_progress(percent: int) -> None:
        raise RuntimeError("progress channel is down")

    report = build_report(Report.objects.create(owner=alice, title="Q3"), broken_progress)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "RuntimeError: progress channel is down"
    assert report.result is None
    assert report.finished_at is not None


def test_duration_is_unknown_until_finished(alice):
    report = Report.objects.create(owner=alice, title="Q3")
    assert report.duration_ms is None
    assert str(report) == "Q3"


def test_rows_out_of_bounds_or_a_missing_title_is_refused(alice_browser):
    assert alice_browser.post_json("/api/reports/", {"title": "x", "rows": 0}).status_code == 400
    too_many = {"title": "x", "rows": 100_001}
    assert alice_browser.post_json("/api/reports/", too_many).status_code == 400
    assert alice_browser.post_json("/api/reports/", {"rows": 5}).status_code == 400


def test_create_without_the_csrf_token_is_refused(alice_browser):
    response = alice_browser.post_json("/api/reports/", {"title": "x"}, csrf=False)
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_list_shows_only_my_reports_newest_first(alice_browser, alice, make_user):
    older = Report.objects.create(owner=alice, title="older")
    newer = Report.objects.create(owner=alice, title="newer")
    Report.objects.create(owner=make_user("bob"), title="bob's")
    body = alice_browser.get("/api/reports/").json()
    assert body["count"] == 2
    assert body["next"] is None and body["previous"] is None
    assert [item["id"] for item in body["results"]] == [newer.id, older.id]


def test_list_is_paginated(alice_browser, alice):
    Report.objects.bulk_create(Report(owner=alice, title=f"r{i}") for i in range(25))
    first = alice_browser.get("/api/reports/").json()
    assert len(first["results"]) == 20
    assert first["next"] is not None
    assert len(alice_browser.get(first["next"]).json()["results"]) == 5


def test_detail_of_my_report(alice_browser, alice):
    report = Report.objects.create(owner=alice, title="mine")
    response = alice_browser.get(f"/api/reports/{report.id}/")
    assert response.status_code == 200
    assert response.json()["title"] == "mine"


def test_someone_elses_report_is_404(alice_browser, make_user):
    bobs = Report.objects.create(owner=make_user("bob"), title="bob's")
    assert alice_browser.get(f"/api/reports/{bobs.id}/").status_code == 404


def test_anonymous_users_get_403(browser, alice):
    report = Report.objects.create(owner=alice, title="mine")
    assert browser.get("/api/reports/").status_code == 403
    assert browser.get(f"/api/reports/{report.id}/").status_code == 403
    assert browser.post_json("/api/reports/", {"title": "x"}).status_code == 403
