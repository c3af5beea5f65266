"""Creating a report through the API in pack 2: the request only records the report and queues
its job (test_jobs*.py run it), answering 202 with the job's receipt."""

import pytest

from apps.reports.models import Report

pytestmark = pytest.mark.django_db


def _requested(response) -> Report:
    return Report.objects.get(pk=response.json()["subject_id"])


def test_create_queues_the_report_and_answers_with_its_job(alice_browser):
    response = alice_browser.post_json("/api/reports/", {"title": "Q3", "rows": 50})
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == f"/api/jobs/{body['id']}/"
    report = Report.objects.get(pk=body["subject_id"])
    assert (report.owner.username, report.rows, report.status) == ("alice", 50, "pending")


def test_rows_default_to_1000(alice_browser):
    assert _requested(alice_browser.post_json("/api/reports/", {"title": "x"})).rows == 1000


def test_status_and_result_cannot_be_written(alice_browser):
    response = alice_browser.post_json(
        "/api/reports/", {"title": "x", "rows": 3, "status": "failed", "error": "forged"}
    )
    report = _requested(response)
    assert (report.status, report.error) == ("pending", "")
