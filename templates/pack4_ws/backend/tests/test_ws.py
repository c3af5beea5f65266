"""The WebSockets against the real server the Procfile runs (uvicorn workers, or
Daphne with `--with daphne`) and the real Redis channel layer, on the test database.

Who may connect (session and Origin), job updates for their owner only, the report room
(presence, comments stored before they are broadcast, catch-up after a reconnect), and what
bad input gets: an error frame, or a closed socket past the server's hard limit.
"""

import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from websockets.exceptions import ConnectionClosedError

from apps.jobs.events import changed
from apps.jobs.models import JobReceipt
from apps.reports.models import Report
from apps.rooms.models import Comment, ReportMember
from apps.rooms.services import add_comment
from tests.servers import metric, procfile_command, web_server
from tests.sockets import frames, next_frame, nothing_arrives, open_socket, refused, send

pytestmark = pytest.mark.django_db(transaction=True)
Status = JobReceipt.Status


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), web_server(tmp_path_factory.mktemp("ws")) as url:
        yield url


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def job(alice) -> JobReceipt:
    return JobReceipt.objects.create(owner=alice, kind="report.build", status=Status.RUNNING)


def advance(receipt: JobReceipt, **fields) -> None:
    """What the worker's runner does: change the receipt, then job_changed once committed."""
    for name, value in fields.items():
        setattr(receipt, name, value)
    receipt.save()
    changed(receipt.pk)


@pytest.fixture
def report(alice, bob) -> Report:
    report = Report.objects.create(owner=alice, title="Q3")
    ReportMember.objects.create(report=report, user=bob)
    return report


# Who may connect


@pytest.mark.parametrize("path", ["/ws/jobs/", "/ws/reports/{report}/"])
def test_an_anonymous_handshake_is_refused(server, path, report):
    assert refused(server, path.format(report=report.pk)) == 403


@pytest.mark.parametrize("origin", ["http://evil.example", None], ids=["foreign", "none"])
def test_a_handshake_from_another_site_is_refused(server, alice, origin):
    assert refused(server, "/ws/jobs/", user=alice, origin=origin) == 403


def test_a_path_no_route_matches_is_refused(server, alice):
    assert refused(server, "/ws/nothing-here/", user=alice) == 403


# Job updates


def test_the_owner_follows_a_job_to_its_end(server, alice, job):
    with open_socket(server, "/ws/jobs/", alice) as socket:
        send(socket, {"type": "subscribe", "job": str(job.pk)})
        first = next_frame(socket, "job")["job"]
        assert (first["id"], first["status"], first["progress"]) == (str(job.pk), "running", 0)
        advance(job, progress=40)
        assert next_frame(socket, "job")["job"]["progress"] == 40
        advance(job, status=Status.SUCCEEDED, progress=100)
        assert next_frame(socket, "job")["job"]["status"] == "succeeded"
        advance(job, progress=100)  # after the end: nothing more is sent
        assert nothing_arrives(socket)


def test_another_user_cannot_follow_the_job(server, alice, job, make_user):
    with (
        open_socket(server, "/ws/jobs/", alice) as owner,
        open_socket(server, "/ws/jobs/", make_user("mallory")) as other,
    ):
        send(other, {"type": "subscribe", "job": str(job.pk)})
        answer = next(frames(other))
        assert (answer["type"], answer["code"], answer["job"]) == (
            "error",
            "not_found",
            str(job.pk),
        )
        send(owner, {"type": "subscribe", "job": str(job.pk)})
        next_frame(owner, "job")
        advance(job, progress=70)
        assert next_frame(owner, "job")["job"]["progress"] == 70  # it was pushed...
        assert nothing_arrives(other)  # ...to its owner only


def test_an_unsubscribed_job_is_no_longer_sent(server, alice, job):
    with open_socket(server, "/ws/jobs/", alice) as socket:
        send(socket, {"type": "subscribe", "job": str(job.pk)})
        next_frame(socket, "job")
        send(socket, {"type": "unsubscribe", "job": str(job.pk)})
        advance(job, progress=10)
        assert nothing_arrives(socket)


# Bad input


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"type": "dance"}',
        '{"type": "subscribe"}',
        '{"type": "subscribe", "job": 1}',
    ],
    ids=["not-json", "not-object", "unknown-type", "missing-job", "bad-job"],
)
def test_bad_input_gets_an_error_frame_and_the_socket_stays_open(server, alice, job, text):
    with open_socket(server, "/ws/jobs/", alice) as socket:
        socket.send(text)
        error = next(frames(socket))
        assert (error["type"], error["code"]) == ("error", "invalid")
        assert error["detail"]
        send(socket, {"type": "subscribe", "job": str(job.pk)})
        assert next_frame(socket, "job")["job"]["id"] == str(job.pk)


def test_binary_frames_are_invalid(server, alice):
    with open_socket(server, "/ws/jobs/", alice) as socket:
        socket.send(b"\x00")
        assert next(frames(socket))["code"] == "invalid"


def test_a_frame_over_the_limit_gets_too_large(server, alice, job):
    with open_socket(server, "/ws/jobs/", alice) as socket:
        padding = "x" * settings.WS_MAX_FRAME_BYTES
        send(socket, {"type": "subscribe", "job": str(job.pk), "padding": padding})
        assert next(frames(socket))["code"] == "too_large"
        send(socket, {"type": "subscribe", "job": str(job.pk)})
        assert next_frame(socket, "job")["job"]["id"] == str(job.pk)


def test_a_message_over_the_servers_hard_limit_closes_the_socket(server, alice):
    with open_socket(server, "/ws/jobs/", alice) as socket:
        socket.send("x" * (64 * 1024 + 1))
        with pytest.raises(ConnectionClosedError) as closed:
            socket.recv(timeout=5)
    if " daphne " in procfile_command("web"):  # autobahn drops it without a close frame
        assert closed.value.rcvd is None
    else:
        # uvicorn: "message too big"
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


# The report room


def test_a_user_the_report_is_not_shared_with_is_refused(server, report, make_user):
    assert refused(server, f"/ws/reports/{report.pk}/", user=make_user("mallory")) == 403
    assert refused(server, "/ws/reports/999999/", user=report.owner) == 403


def viewers(frame: dict) -> list[str]:
    return [viewer["username"] for viewer in frame["viewers"]]


def test_viewers_see_each_other_come_and_go(server, report, alice, bob):
    room = f"/ws/reports/{report.pk}/"
    with open_socket(server, room, alice) as owner:
        assert viewers(next_frame(owner, "presence")) == ["alice"]
        with open_socket(server, room, bob) as member:
            assert viewers(next_frame(member, "presence")) == ["alice", "bob"]
            assert viewers(next_frame(owner, "presence")) == ["alice", "bob"]
            with open_socket(server, room, bob) as second_tab:  # one viewer, two tabs
                assert viewers(next_frame(second_tab, "presence")) == ["alice", "bob"]
        # Bob's second tab came and went, then bob left: only his leaving changed the viewers.
        assert viewers(next_frame(owner, "presence")) == ["alice"]


def test_a_comment_is_stored_then_broadcast_to_everyone_in_the_room(server, report, alice, bob):
    room = f"/ws/reports/{report.pk}/"
    with open_socket(server, room, alice) as owner, open_socket(server, room, bob) as member:
        send(member, {"type": "comment", "body": "  Looks good  ", "client_id": "c-1"})
        for socket in (member, owner):
            frame = next_frame(socket, "comment")
            assert frame["client_id"] == "c-1"  # the sender's acknowledgement
            comment = frame["comment"]
            assert (comment["body"], comment["author"]["username"]) == ("Looks good", "bob")
            # Stored before anyone heard of it.
            assert Comment.objects.get(pk=comment["id"]).body == "Looks good"


def test_a_reconnecting_client_catches_up_on_what_it_missed(server, report, alice, bob):
    room = f"/ws/reports/{report.pk}/"
    with open_socket(server, room, alice) as owner:
        send(owner, {"type": "hello", "after": 0})
        assert next_frame(owner, "comments")["comments"] == []
        send(owner, {"type": "comment", "body": "first"})
        last_seen = next_frame(owner, "comment")["comment"]["id"]
    with open_socket(server, room, bob) as member:  # while alice is away
        for body in ("second", "third"):
            send(member, {"type": "comment", "body": body})
            next_frame(member, "comment")
    with open_socket(server, room, alice) as owner:
        send(owner, {"type": "hello", "after": last_seen})
        missed = next_frame(owner, "comments")["comments"]
    assert [c["body"] for c in missed] == ["second", "third"]
    assert missed[0]["id"] > last_seen


def test_each_comment_names_the_one_before_so_a_client_missing_it_catches_up(
    server, report, alice, bob
):
    """Broadcasts may arrive out of order (two web processes publish at once): a client that
    has B but not yet A, and says `after` B's id, would never get A. B's frame names A as the
    comment before it, so the client knows it has every comment only up to what it had before
    A, and catches up from there."""
    room = f"/ws/reports/{report.pk}/"
    with open_socket(server, room, alice) as owner, open_socket(server, room, bob) as member:
        send(owner, {"type": "hello", "after": 0})
        assert next_frame(owner, "comments")["comments"] == []
        for body in ("A", "B"):
            send(member, {"type": "comment", "body": body})
            next_frame(member, "comment")
        a, b = next_frame(owner, "comment"), next_frame(owner, "comment")
    assert (a["comment"]["body"], b["comment"]["body"]) == ("A", "B")
    assert (a["previous"], b["previous"]) == (0, a["comment"]["id"])
    # Alice's tab got only B before it lost its connection: B's `previous` is not one it has,
    # so it still has every comment up to 0 (and B).
    with open_socket(server, room, alice) as owner:
        send(owner, {"type": "hello", "after": 0})
        caught_up = next_frame(owner, "comments")["comments"]
    assert [c["id"] for c in caught_up] == [a["comment"]["id"], b["comment"]["id"]]


def test_a_comment_waits_for_the_report_s_uncommitted_one_and_names_it(server, report, alice):
    """Ids are taken before commit: were comment 10 to commit while 9 is still being written,
    a client could catch up to 10 and never see 9. The report's row lock makes the next comment
    wait until the one before it commits, and its frame names that one."""
    room = f"/ws/reports/{report.pk}/"
    with open_socket(server, room, alice) as owner:
        send(owner, {"type": "hello", "after": 0})
        next_frame(owner, "comments")
        with transaction.atomic():  # another process, writing a comment: not committed yet
            first, previous = add_comment(report.pk, alice, "first")
            send(owner, {"type": "comment", "body": "second"})
            wait_until_a_query_waits_for_a_lock()
        frame = next_frame(owner, "comment")
    assert frame["comment"]["body"] == "second"
    assert frame["comment"]["id"] > first.pk
    assert (previous, frame["previous"]) == (0, first.pk)


def wait_until_a_query_waits_for_a_lock(timeout: float = 10) -> None:
    """Until another connection waits for a lock this one holds (this transaction's)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else cached per transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("No query waited for the report's lock.")


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "comment", "body": "   "},
        {"type": "comment", "body": "x" * 2001},
        {"type": "comment"},
        {"type": "comment", "body": "hi", "client_id": "x" * 65},
        {"type": "hello", "after": -1},
        {"type": "hello", "after": "3"},
    ],
    ids=["blank", "too-long", "no-body", "long-client-id", "negative-after", "text-after"],
)
def test_an_invalid_room_frame_gets_an_error_frame(server, report, alice, frame):
    with open_socket(server, f"/ws/reports/{report.pk}/", alice) as socket:
        send(socket, frame)
        error = next_frame(socket, "error")
        assert error["code"] == "invalid"
    assert not Comment.objects.exists()


def test_an_invalid_comment_is_named_by_its_client_id(server, report, alice):
    with open_socket(server, f"/ws/reports/{report.pk}/", alice) as socket:
        send(socket, {"type": "comment", "body": " ", "client_id": "draft-7"})
        error = next_frame(socket, "error")
        assert (error["code"], error["client_id"]) == ("invalid", "draft-7")
    assert not Comment.objects.exists()


def test_comments_are_rate_limited_per_connection(server, report, alice):
    with open_socket(server, f"/ws/reports/{report.pk}/", alice) as socket:
        for number in range(11):
            send(socket, {"type": "comment", "body": f"c{number}", "client_id": str(number)})
        answers = (f for f in frames(socket) if f["type"] in ("comment", "error"))
        acknowledged = [next(answers) for _ in range(11)]
    errors = [f for f in acknowledged if f["type"] == "error"]
    assert [(e["code"], e["client_id"]) for e in errors] == [("rate_limited", "10")]
    assert Comment.objects.count() == 10


def test_sockets_are_counted_in_the_metrics(server, alice, job):
    before = metric(server, "stackpacks_ws_messages_total", direction="in", consumer="jobs")
    with open_socket(server, "/ws/jobs/", alice) as socket:
        send(socket, {"type": "subscribe", "job": str(job.pk)})
        next_frame(socket, "job")
        assert metric(server, "stackpacks_open_websockets", consumer="jobs") >= 1
        after = metric(server, "stackpacks_ws_messages_total", direction="in", consumer="jobs")
        assert after == before + 1
        assert metric(server, "stackpacks_ws_messages_total", direction="out", consumer="jobs") >= 1
