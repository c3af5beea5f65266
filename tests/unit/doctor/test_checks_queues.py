"""The queue rules of packs 2+: idle ("jumped ahead") and exactly one scheduler."""

from __future__ import annotations

from stackpacks.doctor import recommend as rec
from stackpacks.doctor.model import Direction, Severity
from stackpacks.doctor.signals import (
    CelerySignals,
    CeleryWorker,
    Container,
    DockerSignals,
    JobHistory,
    PostgresSignals,
    Scheduler,
    SchedulerSignals,
)
from tests.unit.doctor.exposition import AppLoad
from tests.unit.doctor.support import app_signals, steady

DAY = 24 * 3600


def pg(jobs: JobHistory) -> PostgresSignals:
    return PostgresSignals(connections=(5,), max_connections=100, reserved_connections=3, jobs=jobs)


def worker(uptime: float, tasks: int, housekeeping: int = 0) -> CeleryWorker:
    totals = {"jobs.run": tasks, "jobs.expire_receipts": housekeeping}
    return CeleryWorker("celery@a", uptime, totals, concurrency=2, prefetch_count=2)


def advise(load: AppLoad | None = None, pack: int = 2, **probes: object) -> rec.Recommendation:
    return rec.recommend(app_signals(load or steady(n=300), pack=pack, **probes))


def found(advice: rec.Recommendation, rule: str) -> rec.Finding:
    return next(f for f in advice.findings if f.rule == rule)


def test_a_day_of_receipts_under_one_job_an_hour_is_idle_and_points_down_to_1() -> None:
    advice = advise(postgres=pg(JobHistory(72.0, 3, 0)))
    assert (advice.direction, advice.pack) == (Direction.DOWN, 1)
    evidence = found(advice, "queue-idle").evidence[0]
    assert (evidence.value, evidence.n, evidence.min_n) == (0.125, 24, 24)
    assert "proposed by stackpacks" in evidence.source


def test_a_young_worker_alone_is_not_enough_evidence() -> None:
    celery = CelerySignals((worker(uptime=600, tasks=0),), timeout=2)
    advice = advise(celery=celery)
    idle = found(advice, "queue-idle")
    assert idle.severity is Severity.INSUFFICIENT and idle.evidence[0].n == 0
    assert advice.direction is Direction.STAY


def test_housekeeping_tasks_are_not_use() -> None:
    celery = CelerySignals((worker(uptime=3 * DAY, tasks=0, housekeeping=72),), timeout=2)
    advice = advise(celery=celery)
    assert (advice.direction, found(advice, "queue-idle").evidence[0].value) == (Direction.DOWN, 0)


def test_a_busy_worker_vetoes_an_idle_history() -> None:
    celery = CelerySignals((worker(uptime=2 * DAY, tasks=500),), timeout=2)
    advice = advise(postgres=pg(JobHistory(72.0, 0, 0)), celery=celery)
    assert "queue-idle" not in {f.rule for f in advice.findings}


def test_a_schedule_is_use_even_without_jobs() -> None:
    advice = advise(postgres=pg(JobHistory(72.0, 0, scheduled_entries=2)))
    assert "queue-idle" not in {f.rule for f in advice.findings}


def test_the_apps_beat_gauge_counts_when_the_database_is_not_read() -> None:
    load = steady(n=300)
    load.beat_entries = 1
    celery = CelerySignals((worker(uptime=3 * DAY, tasks=0),), timeout=2)
    assert "queue-idle" not in {f.rule for f in advise(load, celery=celery).findings}


def test_idle_is_not_asked_at_pack_1() -> None:
    advice = advise(pack=1, postgres=pg(JobHistory(72.0, 0, 0)))
    assert "queue-idle" not in {f.rule for f in advice.findings}


def schedulers(*kinds: str, workers: int = 1) -> SchedulerSignals:
    found = tuple(Scheduler(100 + i, kind, "/srv/app/backend") for i, kind in enumerate(kinds))
    return SchedulerSignals(found, workers=workers, scope="processes on this host under /srv/app")


def test_two_beats_are_a_fix_with_each_process_named() -> None:
    advice = advise(schedulers=schedulers("celery beat", "celery worker -B"))
    duplicated = found(advice, "scheduler-duplicated")
    assert duplicated.severity is Severity.FIX and duplicated.evidence[0].value == 2
    assert "celery beat (pid 100)" in duplicated.evidence[0].signal
    assert "celery worker -B (pid 101)" in duplicated.evidence[0].signal
    assert "single scheduler" in duplicated.evidence[0].source
    assert advice.direction is Direction.STAY


def test_exactly_one_beat_is_no_finding() -> None:
    rules = {f.rule for f in advise(schedulers=schedulers("celery beat")).findings}
    assert not rules & {"scheduler-duplicated", "scheduler-missing"}


def test_workers_without_a_scheduler_are_a_fix() -> None:
    missing = found(advise(schedulers=schedulers(workers=2)), "scheduler-missing")
    assert missing.evidence[0].value == 0 and "2 queue workers" in missing.evidence[0].signal


def test_no_local_workers_means_the_app_runs_elsewhere_and_proves_nothing() -> None:
    rules = {f.rule for f in advise(schedulers=schedulers(workers=0)).findings}
    assert "scheduler-missing" not in rules


def container(name: str, *command: str, status: str = "running") -> Container:
    return Container(name, status, 0, command)


BEAT = ("celery", "-A", "config", "beat")
WORKER_CMD = ("celery", "-A", "config", "worker", "--concurrency", "2")


def test_a_beat_container_beside_a_beat_process_is_two() -> None:
    docker = DockerSignals(
        (container("demo-beat-1", *BEAT), container("demo-web-1", "gunicorn")), project="demo"
    )
    advice = advise(schedulers=schedulers("celery beat"), docker=docker)
    evidence = found(advice, "scheduler-duplicated").evidence[0]
    assert evidence.value == 2 and "celery beat (container demo-beat-1)" in evidence.signal
    assert evidence.window.endswith("and running containers of compose project demo")


def test_a_stopped_beat_container_does_not_run() -> None:
    docker = DockerSignals(
        (container("demo-beat-1", *BEAT, status="exited"), container("demo-worker-1", *WORKER_CMD)),
        project="demo",
    )
    evidence = found(advise(docker=docker), "scheduler-missing").evidence[0]
    assert evidence.value == 0 and "1 queue workers" in evidence.signal


def test_containers_of_every_project_are_not_counted() -> None:
    docker = DockerSignals((container("a-beat-1", *BEAT), container("b-beat-1", *BEAT)))
    rules = {f.rule for f in advise(docker=docker).findings}
    assert "scheduler-duplicated" not in rules
