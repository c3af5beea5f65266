"""The pain lab at pack 2: a real generated app with its Procfile's worker and scheduler
(gunicorn, Celery and Beat on Redis, PostgreSQL; loopback only, bounded in time and count).
Doctor runs inside a copy of the project, so it reads pack 2 from the project's state and counts
only that project's processes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.doctor import lab
from tests.doctor.lab import doctor, signed_in
from tests.doctor.lab_queues import database_url, poll, running_queue_app, submit
from tests.templates.harness import Variant

pytestmark = pytest.mark.app


def measure(project: Path, app: lab.App, variant: Variant, *args: str) -> lab.Outcome:
    """`stackpacks doctor --json` inside the project, with every probe it has at pack 2."""
    return doctor(
        project,
        "--url",
        app.url,
        "--token",
        lab.TOKEN,
        "--database-url",
        database_url(variant),
        "--redis-url",
        variant.redis_url(),
        *args,
    )


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
    assert answers.count(304) >= 120, answers
    assert (outcome.exit_code, outcome.verdict["direction"]) == (1, "up"), outcome.verdict
    assert (outcome.verdict["current_pack"], outcome.verdict["pack"]) == (2, 3)
    found = outcome.finding("polling-unchanged")
    evidence = found["evidence"][0]
    assert evidence["value"] == pytest.approx(answers.count(304) / len(answers), abs=0.02)
    assert evidence["value"] > 0.8 and evidence["n"] >= evidence["min_n"] == 100
    assert "proposed by stackpacks" in evidence["source"] and "rfc6202" in evidence["source"]
    assert found["next_steps"][0].startswith("stackpacks upgrade --to 3")
