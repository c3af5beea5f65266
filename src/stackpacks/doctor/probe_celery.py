"""The Celery probe: `inspect stats`, `active` and `reserved`, asked through the broker alone.

Celery answers remote-control commands on a fanout exchange (`celery.pidbox`); with Redis as
broker that is a PUBLISH to `/{db}.celery.pidbox`, and each worker replies by LPUSH to a list
bound in `_kombu.binding.reply.celery.pidbox`. Doctor speaks that protocol with redis-py (the
envelope kombu 5 writes), so it needs neither Celery nor the app's code, only the broker URL.
PUBLISH says how many workers listen, so a probe waits for exactly that many replies and never
longer than its timeout. A worker busy in a long task still replies: the pidbox is read by the
worker's main process, not by the pool.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from stackpacks.doctor.signals import CelerySignals, CeleryWorker

NAMESPACE = "celery"
EXCHANGE = f"{NAMESPACE}.pidbox"
REPLY_EXCHANGE = f"reply.{NAMESPACE}.pidbox"
BINDINGS = f"_kombu.binding.{REPLY_EXCHANGE}"
SEP = "\x06\x16"  # kombu's separator of binding fields and of priority queue suffixes
TIMEOUT = 2.0


def broadcast(
    client: Any,
    db: int,
    method: str,
    timeout: float = TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Send one remote-control command to every worker; their replies by worker name."""
    oid, ticket = str(uuid.uuid4()), str(uuid.uuid4())
    reply_queue = f"{oid}.{REPLY_EXCHANGE}"
    binding = SEP.join((oid, "", reply_queue))
    client.sadd(BINDINGS, binding)
    try:
        listeners = int(client.publish(f"/{db}.{EXCHANGE}", _envelope(method, ticket, oid)))
        replies: dict[str, Any] = {}
        deadline = clock() + timeout
        while len(replies) < listeners and (left := deadline - clock()) > 0:
            popped = client.brpop([reply_queue], timeout=max(left, 0.01))
            if popped is not None:
                replies.update(_reply(popped[1], ticket))
        return replies
    finally:
        client.srem(BINDINGS, binding)
        client.delete(reply_queue)


def _envelope(method: str, ticket: str, oid: str) -> str:
    body = {
        "method": method,
        "arguments": {},
        "destination": None,
        "pattern": None,
        "matcher": None,
        "ticket": ticket,
        "reply_to": {"exchange": REPLY_EXCHANGE, "routing_key": oid},
    }
    return json.dumps(
        {
            "body": base64.b64encode(json.dumps(body).encode()).decode(),
            "content-encoding": "utf-8",
            "content-type": "application/json",
            "headers": {"clock": 1, "expires": time.time() + TIMEOUT},
            "properties": {
                "delivery_mode": 2,
                "delivery_info": {"exchange": EXCHANGE, "routing_key": ""},
                "priority": 0,
                "body_encoding": "base64",
                "delivery_tag": str(uuid.uuid4()),
            },
        }
    )


def _reply(raw: bytes | str, ticket: str) -> dict[str, Any]:
    message = json.loads(raw)
    if message.get("headers", {}).get("ticket") != ticket:
        return {}  # a late reply to an earlier command
    body = message.get("body", "")
    if message.get("properties", {}).get("body_encoding") == "base64":
        body = base64.b64decode(body)
    decoded = json.loads(body)
    return decoded if isinstance(decoded, dict) else {}


def inspect(client: Any, db: int, timeout: float = TIMEOUT) -> CelerySignals:
    """Every worker's stats, active and reserved tasks (three broadcasts, each bounded)."""
    stats = broadcast(client, db, "stats", timeout)
    active = broadcast(client, db, "active", timeout) if stats else {}
    reserved = broadcast(client, db, "reserved", timeout) if stats else {}
    workers = tuple(
        _worker(name, stats[name], active.get(name), reserved.get(name)) for name in sorted(stats)
    )
    return CelerySignals(workers=workers, timeout=timeout)


def _worker(name: str, stats: Mapping[str, Any], active: Any, reserved: Any) -> CeleryWorker:
    totals = stats.get("total") or {}
    pool = stats.get("pool") or {}
    return CeleryWorker(
        name=name,
        uptime=float(stats.get("uptime", 0)),
        tasks_by_name={str(k): int(v) for k, v in totals.items()},
        concurrency=int(pool.get("max-concurrency", 0) or 0),
        prefetch_count=int(stats.get("prefetch_count", 0) or 0),
        active=_queues_of(active),
        reserved=_queues_of(reserved),
    )


def _queues_of(tasks: Any) -> tuple[str, ...]:
    """The queue of each task a worker runs or holds (its routing key as delivered)."""
    if not isinstance(tasks, list):
        return ()
    return tuple(
        str((task.get("delivery_info") or {}).get("routing_key") or "?")
        for task in tasks
        if isinstance(task, dict)
    )
