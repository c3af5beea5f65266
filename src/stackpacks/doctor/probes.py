"""The app, Redis, host and Docker probes. Each returns its signals or raises ProbeFailed with
a reason a person can act on; `collect` turns that into a skipped probe."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stackpacks import errors
from stackpacks.doctor import probe_celery, prom
from stackpacks.doctor.signals import (
    CelerySignals,
    Container,
    Disk,
    DockerSignals,
    HostSignals,
    RedisSignals,
)

METRICS_PATH = "/internal/signals/metrics"
CELERY_QUEUES = ("celery", "high", "default", "low")
MAX_SCANNED_KEYS = 1000
PRIORITY_SEP = "\x06\x16"


class ProbeFailed(Exception):
    """A probe could not measure; the message says why."""


class NothingAnswers(ProbeFailed):
    """No server accepted the connection at all (refused, no such host, connect timeout)."""


def scrape(url: str, token: str) -> prom.MetricSet:
    import httpx

    endpoint = url.rstrip("/") + METRICS_PATH
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = httpx.get(endpoint, headers=headers, timeout=10)
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise NothingAnswers(f"{endpoint} unreachable: nothing answers ({exc})") from exc
    except httpx.HTTPError as exc:
        raise ProbeFailed(f"{endpoint} unreachable ({type(exc).__name__}: {exc})") from exc
    if response.status_code == 404:
        raise ProbeFailed(
            f"{endpoint} answered 404: the token is wrong or SIGNALS_TOKEN is unset in the app "
            "(the endpoint answers 404 to both); pass --token"
        )
    if response.status_code != 200:
        raise ProbeFailed(f"{endpoint} answered HTTP {response.status_code}")
    try:
        return prom.parse(response.text)
    except errors.MetricsUnreadable as exc:
        raise ProbeFailed(str(exc)) from exc


class RedisProbe:
    """LLEN of every Celery queue at each sample; INFO clients, stats and memory at the end."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.queues: dict[str, list[int]] = {}
        self.names = self._queue_names()
        self.sample()

    @classmethod
    def open(cls, url: str) -> RedisProbe:
        import redis

        try:
            client = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
            client.ping()
            return cls(client)
        except redis.RedisError as exc:
            raise ProbeFailed(f"Redis at {url} unreachable ({exc})") from exc

    def _queue_names(self) -> list[str]:
        names = set(CELERY_QUEUES)
        for count, key in enumerate(self.client.scan_iter(count=200, _type="list")):
            if count >= MAX_SCANNED_KEYS:
                break
            name = key.decode(errors="replace") if isinstance(key, bytes) else str(key)
            name = name.split(PRIORITY_SEP)[0]  # kombu's priority lists: name + SEP + 3|6|9
            if not name.startswith("_kombu") and not name.endswith(".pidbox"):
                names.add(name)
        return sorted(names)

    def sample(self) -> None:
        """LLEN of every queue, its priority lists included, in one round trip."""
        pipe = self.client.pipeline(transaction=False)
        for name in self.names:
            for key in (name, *(f"{name}{PRIORITY_SEP}{step}" for step in (3, 6, 9))):
                pipe.llen(key)
        lengths = pipe.execute()
        for index, name in enumerate(self.names):
            self.queues.setdefault(name, []).append(
                sum(int(n) for n in lengths[4 * index : 4 * index + 4])
            )

    def celery(self) -> CelerySignals:
        """Celery's workers on this broker: `inspect stats`, `active` and `reserved`."""
        db = int(self.client.connection_pool.connection_kwargs.get("db", 0))
        return probe_celery.inspect(self.client, db)

    def finish(self) -> RedisSignals:
        import redis

        self.sample()
        info = self.client.info()
        try:
            maxclients = int(self.client.config_get("maxclients").get("maxclients", 10000))
        except redis.RedisError:  # CONFIG may be disabled (managed Redis)
            maxclients = 10000
        queues = {name: tuple(v) for name, v in self.queues.items() if any(v)}
        return RedisSignals(
            queues=queues,
            connected_clients=int(info.get("connected_clients", 0)),
            maxclients=maxclients,
            rejected_connections=int(info.get("rejected_connections", 0)),
            used_memory=int(info.get("used_memory", 0)),
            maxmemory=int(info.get("maxmemory", 0)),
            ops_per_sec=float(info.get("instantaneous_ops_per_sec", 0)),
        )


def host(paths: Iterable[Path], proc: Path = Path("/proc")) -> HostSignals:
    try:
        load = tuple(float(x) for x in (proc / "loadavg").read_text().split()[:3])
        meminfo = _meminfo((proc / "meminfo").read_text())
    except (OSError, ValueError) as exc:
        raise ProbeFailed(f"{proc} unreadable ({exc}): not Linux?") from exc
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    disks = []
    for path in paths:
        if path.exists():
            usage = shutil.disk_usage(path)
            disks.append(Disk(str(path), usage.total, usage.free))
    return HostSignals(
        cpus=cpus or 1,
        load=(load[0], load[1], load[2]),
        memory_total=meminfo.get("MemTotal", 0),
        memory_available=meminfo.get("MemAvailable", 0),
        disks=tuple(disks),
    )


def _meminfo(text: str) -> dict[str, int]:
    found = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            found[name] = int(parts[0]) * (1024 if parts[1:] == ["kB"] else 1)
    return found


def docker(project: str | None) -> DockerSignals:
    """Containers of the compose project (or all), when a Docker engine answers."""
    try:
        import docker as docker_sdk

        client = docker_sdk.from_env(timeout=3)
        client.ping()
    except Exception as exc:  # docker-py raises several unrelated types when no engine runs
        raise ProbeFailed(f"no Docker engine reachable ({type(exc).__name__})") from exc
    filters = {"label": f"com.docker.compose.project={project}"} if project else {}
    found = []
    for container in client.containers.list(all=True, filters=filters):
        attrs = container.attrs
        config = attrs.get("Config") or {}
        command = [*(config.get("Entrypoint") or []), *(config.get("Cmd") or [])]
        found.append(
            Container(
                name=str(container.name),
                status=str(attrs.get("State", {}).get("Status", "")),
                restarts=int(attrs.get("RestartCount", 0)),
                command=tuple(str(part) for part in command),
            )
        )
    return DockerSignals(tuple(found), project)
