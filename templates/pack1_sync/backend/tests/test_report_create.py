"""Creating a report through the API in pack 1: the request builds it and answers it ready.
Pack 2, whose request queues the build instead, replaces this file."""

import pytest

from apps.reports.models import Report

pytestmark = pytest.mark.django_db


def test_create_builds_the_report_in_the_request(alice_browser):
    response = alice_browser.post_json("/api/reports/", {"title": "Q3", "rows": 50})
    assert response.status_code == 201
    body = response.json()
    timing = {"created_at", "started_at", "finished_at", "duration_ms"}
    assert set(body) == {"id", "title", "status", "rows", "result", "error", *timing}
    assert body["status"] == "ready"
    assert body["result"]["rows"] == 50
    assert isinstance(body["duration_ms"], int)
    assert Report.objects.get(pk=body["id"]).owner.username == "alice"


def test_rows_default_to_1000(alice_browser):
    assert alice_browser.post_json("/api/reports/", {"title": "x"}).json()["rows"] == 1000


def test_status_and_result_cannot_be_written(alice_browser):
    response = alice_browser.post_json(
        "/api/reports/", {"title": "x", "rows": 3, "status": "failed", "error": "forged"}
    )
    assert response.json()["status"] == "ready"
    assert response.json()["error"] == ""
