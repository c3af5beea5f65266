"""The pain lab at pack 2: a real generated app with its Procfile's worker and scheduler, on
both queues (Celery and Beat on Redis; django-tasks-db's db_worker and the scheduler loop on
PostgreSQL), behind gunicorn; loopback only, bounded in time and count. Doctor runs inside a
copy of the project, so it reads pack 2 from the project's state and counts only that project's
processes.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest

from tests.doctor import lab
from tests.doctor.lab import app_env, doctor, drive, running_app, signed_in
from tests.doctor.lab_queues import (
    REDIS_URL,
    backdate,
    companions,
    database_url,
    poll,
    running_queue_app,
    submit,
    wait_finished,
    wait_for_workers,
)
from tests.templates import harness
from tests.templates.harness import Variant

pytestmark = pytest.mark.app


def measure(project: Path, app: lab.App, variant: Variant, *args: str) -> lab.Outcome:
    """`stackpacks doctor --json` inside the project, with every probe it has at pack 2."""
    redis = ("--redis-url", REDIS_URL) if celery(variant) else ()
    return doctor(
        project,
        "--url",
        app.url,
        "--token",
        lab.TOKEN,
        "--database-url",
        database_url(variant),
        *redis,
        *args,
    )


def celery(variant: Variant) -> bool:
    return variant.selection.queue == "celery"


def workers_up(variant: Variant) -> None:
    """Celery's workers answer a ping; db_worker has nothing to ask (it polls its table)."""
    if celery(variant):
        wait_for_workers()


def test_polls_mostly_unchanged_recommend_3(
    queue_project: Path, venv: Path, queue_variant: Variant, tmp_path: Path
) -> None:
    settings = {"REPORT_WORK_SECONDS": "40"}  # progress moves every 4 s
    with running_queue_app(queue_project, venv, queue_variant, tmp_path, **settings) as app:
        client = signed_in(app.url)
        job, etag, answers = submit(client), "", []
        for _ in range(150):
            status, etag = poll(client, job, etag)
            answers.append(status)
            time.sleep(0.05)
        outcome = measure(queue_project, app, queue_variant, "--window", "0")
        outside = doctor(tmp_path, "--url", app.url, "--token", lab.TOKEN, "--window", "0")
    assert answers.count(304) >= 120, answers
    # Outside the project, the app's metrics say it runs pack 2: the same advice.
    assert (outside.verdict["current_pack"], outside.verdict["pack"]) == (2, 3), outside.verdict
    said = f"the app's stackpacks_pack_info (queue {queue_variant.selection.queue}, options -)"
    assert outside.report["signals"]["pack_source"] == said
    assert (outcome.exit_code, outcome.verdict["direction"]) == (1, "up"), outcome.verdict
    assert (outcome.verdict["current_pack"], outcome.verdict["pack"]) == (2, 3)
    found = outcome.finding("polling-unchanged")
    evidence = found["evidence"][0]
    assert evidence["value"] == pytest.approx(answers.count(304) / len(answers), abs=0.02)
    assert evidence["value"] > 0.8 and evidence["n"] >= evidence["min_n"] == 100
    assert "proposed by stackpacks" in evidence["source"] and "rfc6202" in evidence["source"]
    assert found["next_steps"][0].startswith("stackpacks upgrade --to 3")


def test_an_idle_queue_with_its_worker_running_jumped_ahead_to_1(
    queue_project: Path, venv: Path, queue_variant: Variant, tmp_path: Path
) -> None:
    url = database_url(queue_variant)
    with running_app(queue_project, venv, queue_variant, tmp_path, url, REDIS_URL=REDIS_URL) as app:
        client = signed_in(app.url)
        job = submit(client)
        with companions(queue_project, venv, queue_variant):  # the one job of the last day
            wait_finished(client, job)
        backdate(url, installed="3 days", jobs="20 hours")
        with companions(queue_project, venv, queue_variant):  # restarted since, untouched
            workers_up(queue_variant)
            outcome = measure(queue_project, app, queue_variant, "--window", "2")
    assert (outcome.exit_code, outcome.verdict["direction"]) == (1, "down"), outcome.verdict
    assert (outcome.verdict["current_pack"], outcome.verdict["pack"]) == (2, 1)
    found = outcome.finding("queue-idle")
    assert found["severity"] == "idle" and found["move"] == {"pack": 1, "option": ""}
    history, *live = found["evidence"]
    assert "1 jobs" in history["signal"] and "72 h ago" in history["signal"]
    assert history["value"] == pytest.approx(1 / 24, abs=0.001)
    assert history["n"] == history["min_n"] == 24 and "proposed" in history["source"]
    schedulers = outcome.report["signals"]["schedulers"]
    assert schedulers["workers"] == 1
    assert not {"scheduler-duplicated", "scheduler-missing"} & rules_of(outcome)
    if not celery(queue_variant):
        assert [s["kind"] for s in schedulers["found"]] == ["run_periodic_jobs"] and not live
        return
    assert [s["kind"] for s in schedulers["found"]] == ["celery beat"]
    assert "inspect stats" in live[0]["window"] and live[0]["value"] == 0
    assert live[0]["n"] == 0 < live[0]["min_n"]  # a young worker alone would not be enough
    workers = outcome.report["signals"]["celery"]["workers"]
    assert len(workers) == 1 and workers[0]["concurrency"] == 2 and workers[0]["uptime"] < 60


def rules_of(outcome: lab.Outcome) -> set[str]:
    return {f["rule"] for f in outcome.report["findings"]}


def test_long_jobs_make_later_jobs_wait_recommends_5(
    queue_project: Path, venv: Path, queue_variant: Variant, tmp_path: Path
) -> None:
    # 100 jobs: ~25 s of work for Celery's 2 processes, ~30 s for the one db_worker
    seconds = "0.5" if celery(queue_variant) else "0.3"
    settings = {"REPORT_WORK_SECONDS": seconds}
    with running_queue_app(queue_project, venv, queue_variant, tmp_path, **settings) as app:
        workers_up(queue_variant)
        client = signed_in(app.url)
        codes = drive(client, lambda c: c.post("/api/reports/", json={"title": "t"}), 100, 8)
        assert set(codes) == {202}
        time.sleep(8)  # the first jobs ran at once; those queued later wait longer and longer
        outcome = measure(queue_project, app, queue_variant, "--window", "12")
    assert (outcome.exit_code, outcome.verdict["pack"]) == (1, 5), outcome.verdict
    found = outcome.finding("queue-starvation")
    evidence = found["evidence"][0]
    assert evidence["signal"].startswith("p50 of stackpacks_job_wait_seconds")
    assert evidence["value"] > 10 and evidence["n"] >= evidence["min_n"] == 20
    assert "prefetch" in found["next_steps"][0]
    queued = outcome.report["signals"]["postgres"]["jobs"]["queued_now"]
    assert queued > 10, queued  # receipts still waiting when the window closed
    if not celery(queue_variant):
        return
    backlog = outcome.report["signals"]["redis"]["queues"]["celery"]
    assert max(backlog) > 10, backlog  # LLEN of the real queue, sampled during the window
    (worker,) = outcome.report["signals"]["celery"]["workers"]
    assert worker["active"] == ["celery", "celery"]  # both processes busy at the end


def test_two_beats_for_one_project_are_a_fix(
    queue_project: Path, venv: Path, queue_variant: Variant, tmp_path: Path
) -> None:
    processes = dict(harness.companions(queue_project))
    beat = processes.get("beat") or processes["scheduler"]
    url = database_url(queue_variant)
    env = app_env(venv, queue_variant, url, REDIS_URL=REDIS_URL)
    with contextlib.ExitStack() as stack:
        # The web process alone (doctor stops at once when no app answers), then two beats.
        app = stack.enter_context(
            running_app(queue_project, venv, queue_variant, tmp_path, url, REDIS_URL=REDIS_URL)
        )
        for name in ("beat", "beat-again"):
            stack.enter_context(harness.process(["bash", "-c", beat], queue_project, env, name))
        outcome = doctor(queue_project, "--url", app.url, "--token", lab.TOKEN, "--window", "0")
    found = outcome.finding("scheduler-duplicated")
    evidence = found["evidence"][0]
    assert found["severity"] == "fix" and evidence["value"] == 2
    kind = "celery beat" if celery(queue_variant) else "run_periodic_jobs"
    assert evidence["signal"].count(f"{kind} (pid") == 2
    assert str(queue_project) in evidence["window"]
