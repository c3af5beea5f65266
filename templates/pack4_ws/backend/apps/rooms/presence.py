"""Who is viewing a report, kept in Redis so every web process sees the same room.

One sorted set per room: a member per open connection (its channel name, user id and
username), scored with the time it expires. A connection refreshes its entry while it lives;
one whose worker crashed stops refreshing and drops out after WS_PRESENCE_TTL_SECONDS. Every
change bumps the room's version, and each answer is (version, viewers) read in the same
transaction as the change: a consumer keeps the highest version, so presence broadcast by two
processes at once cannot go back to an older list.
"""

import asyncio
import json
import time
import weakref

import redis.asyncio as redis
from django.conf import settings

_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, redis.Redis]" = (
    weakref.WeakKeyDictionary()
)


def _client() -> redis.Redis:
    """One connection pool per event loop (a worker process has one)."""
    loop = asyncio.get_running_loop()
    if loop not in _clients:
        _clients[loop] = redis.Redis.from_url(settings.REDIS_URL)
    return _clients[loop]


def _keys(report_id: int) -> tuple[str, str]:
    return f"presence:report:{report_id}", f"presence:report:{report_id}:version"


def entry(channel_name: str, user_id: int, username: str) -> str:
    return json.dumps([channel_name, user_id, username])


async def join(report_id: int, member: str) -> tuple[int, list[dict]]:
    return await _change(report_id, "zadd", member)


async def leave(report_id: int, member: str) -> tuple[int, list[dict]]:
    return await _change(report_id, "zrem", member)


async def refresh(report_id: int, member: str) -> tuple[int, list[dict]] | None:
    """Keep this connection present; drop expired entries. (version, viewers) when some were
    dropped (the room changed), else None."""
    members, version = _keys(report_id)
    ttl = settings.WS_PRESENCE_TTL_SECONDS
    async with _client().pipeline(transaction=True) as pipe:
        pipe.zadd(members, {member: time.time() + ttl})
        pipe.zremrangebyscore(members, "-inf", time.time())
        pipe.expire(members, ttl)
        pipe.expire(version, ttl)
        _, dropped, _, _ = await pipe.execute()
    if dropped:
        return await _change(report_id, None, None)
    return None


async def _change(report_id: int, operation: str | None, member: str | None):
    members, version = _keys(report_id)
    ttl = settings.WS_PRESENCE_TTL_SECONDS
    async with _client().pipeline(transaction=True) as pipe:
        if member is not None and operation == "zadd":
            pipe.zadd(members, {member: time.time() + ttl})
        elif member is not None and operation == "zrem":
            pipe.zrem(members, member)
        pipe.zremrangebyscore(members, "-inf", time.time())
        pipe.incr(version)
        pipe.expire(version, ttl)
        pipe.expire(members, ttl)
        pipe.zrange(members, 0, -1)
        *_, number, _, _, entries = await pipe.execute()
    return number, viewers(entries)


def viewers(entries: list[bytes]) -> list[dict]:
    """Distinct users, sorted by username (a user with two tabs is one viewer)."""
    users = {}
    for raw in entries:
        _, user_id, username = json.loads(raw)
        users[user_id] = username
    return [
        {"id": user_id, "username": name}
        for user_id, name in sorted(users.items(), key=lambda item: item[1])
    ]
