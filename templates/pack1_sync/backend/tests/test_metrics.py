"""Instrumentation: the health check, the metrics endpoint's auth, and the query budget."""

import logging

import pytest
from prometheus_client import REGISTRY

from apps.metrics.middleware import QueryBudgetWarning
from apps.reports.models import Report

pytestmark = pytest.mark.django_db

METRICS = "/internal/signals/metrics"
TOKEN = "a-long-random-signals-token"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_health(client):
    response = client.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    ("configured", "header"),
    [
        ("", None),
        ("", "Bearer "),
        (TOKEN, None),
        (TOKEN, "Bearer wrong-token"),
        (TOKEN, f"Token {TOKEN}"),
        (TOKEN, f"Bearer {TOKEN}x"),
    ],
    ids=["unset", "unset-empty-bearer", "missing", "wrong", "wrong-scheme", "longer"],
)
def test_metrics_answer_404_without_the_right_token(client, settings, configured, header):
    settings.SIGNALS_TOKEN = configured
    headers = {"Authorization": header} if header is not None else {}
    assert client.get(METRICS, headers=headers).status_code == 404


def test_metrics_with_the_right_token(client, settings, alice_browser):
    settings.SIGNALS_TOKEN = TOKEN
    alice_browser.get("/api/reports/")
    response = client.get(METRICS, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.text
    for name in [
        "django_http_requests_latency_seconds_by_view_method",
        "django_db_execute_total",
        "stackpacks_db_queries_per_request",
        "stackpacks_db_seconds_per_request",
        "stackpacks_query_budget_exceeded_total",
        "stackpacks_outbound_http_seconds",
    ]:
        assert name in text
    assert 'stackpacks_db_queries_per_request_count{view="report-list"}' in text


def test_queries_per_request_are_recorded_by_view(alice_browser, alice):
    Report.objects.create(owner=alice, title="one")
    before = sample("stackpacks_db_queries_per_request_count", view="report-list")
    queries_before = sample("stackpacks_db_queries_per_request_sum", view="report-list")
    alice_browser.get("/api/reports/")
    assert sample("stackpacks_db_queries_per_request_count", view="report-list") == before + 1
    # The session, the user, the count and the page.
    assert sample("stackpacks_db_queries_per_request_sum", view="report-list") >= queries_before + 4


def test_over_budget_logs_and_counts_in_production(alice_browser, settings, caplog):
    settings.QUERY_BUDGET_DEFAULT = 1
    before = sample("stackpacks_query_budget_exceeded_total", view="report-list")
    with caplog.at_level(logging.WARNING, logger="apps.metrics.middleware"):
        alice_browser.get("/api/reports/")
    assert sample("stackpacks_query_budget_exceeded_total", view="report-list") == before + 1
    [record] = [r for r in caplog.records if r.name == "apps.metrics.middleware"]
    assert "GET /api/reports/ (report-list) ran" in record.getMessage()
    assert "over its budget of 1" in record.getMessage()


def test_over_budget_warns_in_development(alice_browser, settings):
    settings.QUERY_BUDGET_DEFAULT = 1
    settings.DEBUG = True
    with pytest.warns(QueryBudgetWarning, match="report-list"):
        alice_browser.get("/api/reports/")


def test_a_per_view_override_raises_the_budget(alice_browser, settings, caplog):
    settings.QUERY_BUDGET_DEFAULT = 1
    settings.QUERY_BUDGET_OVERRIDES = {"report-list": 50}
    before = sample("stackpacks_query_budget_exceeded_total", view="report-list")
    with caplog.at_level(logging.WARNING, logger="apps.metrics.middleware"):
        alice_browser.get("/api/reports/")
    assert sample("stackpacks_query_budget_exceeded_total", view="report-list") == before
    assert not [r for r in caplog.records if r.name == "apps.metrics.middleware"]


def test_unknown_urls_are_labelled_unresolved(client):
    before = sample("stackpacks_db_queries_per_request_count", view="<unresolved>")
    assert client.get("/no/such/page/").status_code == 404
    assert sample("stackpacks_db_queries_per_request_count", view="<unresolved>") == before + 1
