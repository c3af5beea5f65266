"""Celery's remote control spoken over Redis: the envelope kombu writes, replies by ticket,
bounded waits. The pain lab checks the same code against real workers."""

from __future__ import annotations

import base64
import json
from typing import Any

from stackpacks.doctor import probe_celery


class FakeBroker:
    """Redis as a worker sees it: a PUBLISH on the pidbox channel reaches each worker, which
    pushes its reply to the list the binding names (and only if the binding exists)."""

    def __init__(self, replies: dict[str, dict[str, Any]], late: int = 0) -> None:
        self.replies = replies  # worker name -> reply per method
        self.late = late  # replies to an earlier ticket, pushed first
        self.sets: dict[str, set[str]] = {}
        self.lists: dict[str, list[str]] = {}
        self.published: list[tuple[str, dict[str, Any]]] = []

    def sadd(self, key: str, member: str) -> None:
        self.sets.setdefault(key, set()).add(member)

    def srem(self, key: str, member: str) -> None:
        self.sets.get(key, set()).discard(member)

    def delete(self, key: str) -> None:
        self.lists.pop(key, None)

    def publish(self, channel: str, payload: str) -> int:
        message = json.loads(payload)
        body = json.loads(base64.b64decode(message["body"]))
        self.published.append((channel, body))
        routing = body["reply_to"]["routing_key"]
        bound = [m.split("\x06\x16") for m in self.sets.get(probe_celery.BINDINGS, ())]
        queue = next(q for key, _, q in bound if key == routing)
        for _ in range(self.late):
            self.lists.setdefault(queue, []).append(self._reply({}, "an-old-ticket"))
        for name, answers in self.replies.items():
            if body["method"] in answers:
                reply = {name: answers[body["method"]]}
                self.lists.setdefault(queue, []).append(self._reply(reply, body["ticket"]))
        return len(self.replies)

    @staticmethod
    def _reply(body: dict[str, Any], ticket: str) -> str:
        return json.dumps(
            {
                "body": base64.b64encode(json.dumps(body).encode()).decode(),
                "headers": {"ticket": ticket},
                "properties": {"body_encoding": "base64"},
            }
        )

    def brpop(self, keys: list[str], timeout: float) -> tuple[str, str] | None:
        waiting = self.lists.get(keys[0])
        return (keys[0], waiting.pop(0)) if waiting else None


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.5  # each look at the clock is half a second later
        return self.now


STATS = {
    "uptime": 7200,
    "total": {"jobs.run": 12, "jobs.expire_receipts": 2},
    "pool": {"max-concurrency": 2},
    "prefetch_count": 2,
}
ACTIVE = [{"name": "jobs.run", "delivery_info": {"routing_key": "celery"}}]


def test_the_command_goes_to_the_pidbox_channel_of_the_database() -> None:
    broker = FakeBroker({"w1@a": {"ping": {"ok": "pong"}}})
    assert probe_celery.broadcast(broker, 4, "ping") == {"w1@a": {"ok": "pong"}}
    channel, body = broker.published[0]
    assert channel == "/4.celery.pidbox"
    assert body["method"] == "ping" and body["reply_to"]["exchange"] == "reply.celery.pidbox"


def test_the_reply_binding_and_list_are_removed_afterwards() -> None:
    broker = FakeBroker({"w1@a": {"ping": {"ok": "pong"}}})
    probe_celery.broadcast(broker, 0, "ping")
    assert not broker.sets[probe_celery.BINDINGS] and not broker.lists


def test_replies_to_an_earlier_command_are_ignored() -> None:
    broker = FakeBroker({"w1@a": {"ping": {"ok": "pong"}}}, late=2)
    assert probe_celery.broadcast(broker, 0, "ping", clock=Clock()) == {"w1@a": {"ok": "pong"}}


def test_no_listener_answers_at_once_without_waiting() -> None:
    clock = Clock()
    assert probe_celery.broadcast(FakeBroker({}), 0, "stats", clock=clock) == {}
    assert clock.now <= 0.5


def test_a_silent_worker_costs_at_most_the_timeout() -> None:
    broker = FakeBroker({"w1@a": {"stats": STATS}, "w2@a": {}})
    clock = Clock()
    assert set(probe_celery.broadcast(broker, 0, "stats", timeout=2, clock=clock)) == {"w1@a"}
    assert clock.now <= 3.0


def test_inspect_reads_uptime_tasks_pool_and_the_queues_of_running_tasks() -> None:
    broker = FakeBroker({"w1@a": {"stats": STATS, "active": ACTIVE, "reserved": []}})
    (worker,) = probe_celery.inspect(broker, 0).workers
    assert (worker.uptime, worker.concurrency, worker.prefetch_count) == (7200, 2, 2)
    assert worker.tasks() == 14 and worker.tasks(frozenset({"jobs.expire_receipts"})) == 12
    assert (worker.active, worker.reserved) == (("celery",), ())


def test_inspect_without_workers_asks_once() -> None:
    broker = FakeBroker({})
    assert probe_celery.inspect(broker, 0).workers == ()
    assert [body["method"] for _, body in broker.published] == ["stats"]
