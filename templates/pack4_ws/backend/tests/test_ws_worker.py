"""A job run by the app's real worker (the Procfile's: Celery, or the db worker at --queue db)
reaches its owner's socket on the real server, through the real Redis channel layer."""

import pytest
from django.conf import settings

from apps.jobs.models import JobReceipt
from tests.servers import app_env, procfile_command, started, web_server
from tests.sockets import frames, nothing_arrives, open_socket, send

pytestmark = pytest.mark.django_db(transaction=True)
TERMINAL = {str(status) for status in JobReceipt.TERMINAL}


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), web_server(tmp_path_factory.mktemp("ws")) as url:
        yield url


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """The Procfile's worker; a report takes it 1.5 s, in 10 steps."""
    tmp = tmp_path_factory.mktemp("worker")
    with django_db_blocker.unblock():
        env = app_env(tmp, REPORT_WORK_SECONDS="1.5")
    env.pop("PROMETHEUS_MULTIPROC_DIR")
    log = tmp / "worker.log"
    with started(procfile_command("worker"), env, log) as process:
        yield process, log


def follow(socket, job_id: str, log) -> list[dict]:
    """Every state of the job the socket is sent, up to its end."""
    send(socket, {"type": "subscribe", "job": job_id})
    seen = []
    try:
        for frame in frames(socket, timeout=30):
            assert frame["type"] == "job", frame
            seen.append(frame["job"])
            if frame["job"]["status"] in TERMINAL:
                return seen
    except TimeoutError:
        pytest.fail(f"the job stopped moving at {seen[-1:]}:\n{log.read_text()[-3000:]}")
    return seen


def test_a_workers_progress_reaches_its_owners_socket_and_no_one_elses(
    server, worker, alice_browser, alice, make_user
):
    _, log = worker
    with (
        open_socket(server, "/ws/jobs/", alice) as owner,
        open_socket(server, "/ws/jobs/", make_user("mallory")) as other,
    ):
        response = alice_browser.post_json("/api/reports/", {"title": "live", "rows": 50})
        assert response.status_code == 202
        job_id = response.json()["id"]
        send(other, {"type": "subscribe", "job": job_id})
        assert next(frames(other))["code"] == "not_found"
        seen = follow(owner, job_id, log)
        assert nothing_arrives(other)
    assert (seen[-1]["status"], seen[-1]["progress"]) == ("succeeded", 100)
    # After the subscribe's answer, the worker's updates were pushed as the job ran.
    pushed = [job["progress"] for job in seen[1:] if job["status"] == "running"]
    assert pushed, seen
    assert pushed == sorted(pushed) and 0 < pushed[-1] < 100
    assert len({job["progress"] for job in seen}) >= 3
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("RedisPubSubChannelLayer")
