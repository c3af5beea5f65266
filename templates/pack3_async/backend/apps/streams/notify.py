"""Wake the streams of a job when PostgreSQL says its receipt changed.

One LISTEN connection per worker process, whatever the number of open streams: each stream
registers an asyncio.Event under its job id, and a notification sets the events of that job.
The notification says only *which* job changed; the stream reads the committed receipt itself,
so what it sends is always what GET /api/jobs/{id}/ would answer.

If the connection drops, it is opened again and every stream is woken once, to catch up on
whatever changed in between. Behind PgBouncer in transaction mode LISTEN does not work: point
this connection at PostgreSQL itself.
"""

import asyncio
import contextlib
import logging
from collections.abc import Iterator

import psycopg
from django.db import connections

logger = logging.getLogger(__name__)

CHANNEL = "stackpacks_jobs"  # as in migrations/0001_job_notify_trigger.py
_NOT_CONNECTION_PARAMETERS = {"pool", "isolation_level", "server_side_binding", "assume_role"}


class JobNotifier:
    def __init__(self) -> None:
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self._listener: asyncio.Task | None = None

    @property
    def pushes(self) -> bool:
        """False on SQLite: nothing will wake a stream, which then re-reads on a timer."""
        return connections["default"].vendor == "postgresql"

    @contextlib.contextmanager
    def subscribe(self, job_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever the job changes; clear it before reading the job."""
        self._start()
        changed = asyncio.Event()
        self._waiters.setdefault(job_id, set()).add(changed)
        try:
            yield changed
        finally:
            waiters = self._waiters.get(job_id, set())
            waiters.discard(changed)
            if not waiters:
                self._waiters.pop(job_id, None)

    def _start(self) -> None:
        if not self.pushes:
            return
        loop = asyncio.get_running_loop()
        if self._listener is None or self._listener.done() or self._listener.get_loop() is not loop:
            self._listener = loop.create_task(self._listen(), name="job-notifier")

    async def _listen(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    **_connection_parameters(), autocommit=True
                ) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self._wake_all()  # whatever changed while no one was listening
                    async for note in conn.notifies():
                        for changed in self._waiters.get(note.payload, ()):
                            changed.set()
            except (psycopg.Error, OSError):
                logger.warning("Job notifications lost their connection; reconnecting in 1 s")
            await asyncio.sleep(1)

    def _wake_all(self) -> None:
        for waiters in self._waiters.values():
            for changed in waiters:
                changed.set()


def _connection_parameters() -> dict:
    db = connections["default"].settings_dict
    options = {
        key: value
        for key, value in db.get("OPTIONS", {}).items()
        if key not in _NOT_CONNECTION_PARAMETERS
    }
    parameters = {
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"],
        "port": db["PORT"],
    }
    return {key: value for key, value in parameters.items() if value} | options


notifier = JobNotifier()
