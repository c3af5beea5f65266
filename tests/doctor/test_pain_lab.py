"""The pain lab: each scenario creates one pain on purpose in a real pack-1 app (gunicorn,
PostgreSQL, loopback only, bounded in time and count), runs `stackpacks doctor --json` and
asserts the advice and its evidence.

Pack 2's scenarios (polling mostly unchanged, an idle queue, queue starvation, two Beats) are
in test_pain_lab_queues.py; the front-door checks of packs 3-4 in test_pain_lab_front.py.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.doctor import lab
from tests.doctor.lab import doctor, drive, running_app, signed_in, slow_upstream
from tests.templates.harness import PG_ADMIN, Variant

pytestmark = pytest.mark.app


def test_slow_work_in_requests_with_users_waiting_recommends_2(
    project: Path, venv: Path, variant: Variant, tmp_path: Path
) -> None:
    settings = {"REPORT_WORK_SECONDS": "1.5", "WEB_CONCURRENCY": "8"}
    with running_app(project, venv, variant, tmp_path, **settings) as app:
        client = signed_in(app.url)
        codes = drive(
            client, lambda c: c.post("/api/reports/", json={"title": "t", "rows": 50}), 24, 8
        )
        assert set(codes) == {201}
        outcome = doctor(tmp_path, "--url", app.url, "--token", lab.TOKEN, "--window", "0")
    assert outcome.exit_code == 1
    assert (outcome.verdict["direction"], outcome.verdict["pack"]) == ("up", 2)
    evidence = outcome.finding("slow-view")["evidence"][0]
    assert 'view="report-list"' in evidence["signal"] and 'method="POST"' in evidence["signal"]
    assert evidence["value"] > 1.0 and evidence["n"] >= evidence["min_n"] == 20
    assert outcome.report["window"]["cumulative"] is True


def test_sync_workers_blocked_on_a_slow_upstream_recommend_3(
    project: Path, venv: Path, variant: Variant, tmp_path: Path
) -> None:
    with slow_upstream(0.4) as upstream:
        settings = {"UPSTREAM_URL": upstream, "WEB_CONCURRENCY": "6"}
        with running_app(project, venv, variant, tmp_path, **settings) as app:
            client = signed_in(app.url)
            load = threading.Thread(
                target=drive, args=(client, lambda c: c.get("/api/lookup/?q=lamp"), 130, 8)
            )
            load.start()
            time.sleep(0.5)
            args = ("--url", app.url, "--token", lab.TOKEN, "--window", "12")
            outcome = doctor(tmp_path, *args)
            load.join(timeout=60)
    assert (outcome.exit_code, outcome.verdict["pack"]) == (1, 3), outcome.verdict
    evidence = outcome.finding("blocked-on-upstream")["evidence"][0]
    assert evidence["value"] > 0.5 and evidence["n"] >= 100
    assert "proposed by stackpacks" in evidence["source"]
    assert outcome.report["window"] == {
        "seconds": 12.0,
        "cumulative": False,
        "description": "a 12 s window (two scrapes)",
    }


def test_a_healthy_crud_app_under_light_load_stays_at_1(
    project: Path, venv: Path, variant: Variant, tmp_path: Path
) -> None:
    with running_app(project, venv, variant, tmp_path) as app:
        client = signed_in(app.url)
        drive(client, lambda c: c.post("/api/reports/", json={"title": "t", "rows": 20}), 30, 2)
        drive(client, lambda c: c.get("/api/reports/"), 220, 3)
        outcome = doctor(
            tmp_path,
            "--url",
            app.url,
            "--token",
            lab.TOKEN,
            "--window",
            "0",
            "--database-url",
            lab.DATABASE_URL,
        )
    assert outcome.exit_code == 0, outcome.report["findings"]
    assert (outcome.verdict["direction"], outcome.verdict["pack"]) == ("stay", 1)
    assert outcome.report["requests"] >= 250
    assert "postgres" in outcome.report["measured"]


def test_too_little_traffic_is_not_enough_evidence(
    project: Path, venv: Path, variant: Variant, tmp_path: Path
) -> None:
    with running_app(project, venv, variant, tmp_path, REPORT_WORK_SECONDS="1.5") as app:
        client = signed_in(app.url)
        drive(client, lambda c: c.get("/api/reports/"), 15, 2)
        outcome = doctor(tmp_path, "--url", app.url, "--token", lab.TOKEN, "--window", "0")
    assert outcome.exit_code == 3
    assert outcome.verdict["direction"] == "not enough evidence"
    assert "200 needed" in outcome.verdict["summary"]


@contextlib.contextmanager
def idle_connections(count: int) -> Iterator[None]:
    opened = []
    try:
        opened.extend(psycopg.connect(lab.DATABASE_URL, autocommit=True) for _ in range(count))
        yield
    finally:
        for conn in opened:
            conn.close()


def test_connections_near_max_connections_recommend_5(tmp_path: Path, project: Path) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        limit = int(admin.execute("SHOW max_connections").fetchone()[0])  # type: ignore[index]
        used = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
        ).fetchone()[0]  # type: ignore[index]
    wanted = int(limit * 0.8) + 2 - used  # just over 80 %, counting doctor's own connection
    if used + wanted > limit - 10:
        pytest.skip(f"the shared server is busy ({used} of {limit}): not exhausting it")
    with idle_connections(wanted):
        outcome = doctor(tmp_path, "--database-url", lab.DATABASE_URL, "--window", "2")
    assert (outcome.exit_code, outcome.verdict["pack"]) == (1, 5), outcome.verdict
    evidence = outcome.finding("db-connections")["evidence"][0]
    assert evidence["value"] > 0.8 and f"of {limit}" in evidence["signal"]
    assert "proposed by stackpacks" in evidence["source"]


def test_ilike_search_on_a_large_table_points_to_trigram_then_search(
    tmp_path: Path, project: Path
) -> None:
    with psycopg.connect(lab.DATABASE_URL, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS sp_doctor_items")
        conn.execute("CREATE TABLE sp_doctor_items (id bigserial PRIMARY KEY, name text)")
        conn.execute(
            "INSERT INTO sp_doctor_items (name) "
            "SELECT md5(i::text) || ' item' FROM generate_series(1, 150000) AS i"
        )
        conn.execute("ANALYZE sp_doctor_items")
        stop = threading.Event()

        def search() -> None:
            # A client-side binding cursor, as Django uses: the pattern shows in the SQL.
            with psycopg.connect(
                lab.DATABASE_URL, autocommit=True, cursor_factory=psycopg.ClientCursor
            ) as searcher:
                for _ in range(200):
                    if stop.is_set():
                        break
                    searcher.execute(
                        "SELECT count(*) FROM sp_doctor_items WHERE name ILIKE %s", ("%abc%",)
                    )

        searcher = threading.Thread(target=search)
        searcher.start()
        try:
            outcome = doctor(tmp_path, "--database-url", lab.DATABASE_URL, "--window", "4")
        finally:
            stop.set()
            searcher.join(timeout=30)
            conn.execute("DROP TABLE sp_doctor_items")
    found = outcome.finding("like-search")
    assert found["severity"] == "fix" and found["move"] == {"pack": 6, "option": "meilisearch"}
    assert "pg_trgm" in found["next_steps"][0] and "sp_doctor_items" in found["next_steps"][0]
    evidence = found["evidence"][0]
    assert evidence["n"] >= evidence["min_n"] == 10 and evidence["value"] >= 150000
    assert "ILIKE '%abc%'" in evidence["signal"]
    assert "pg_stat_statements" in evidence["window"]  # says which source stood in for it
