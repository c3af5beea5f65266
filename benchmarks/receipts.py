"""The job receipts' states as a benchmark sees them (P4, P5).

An observer thread polls the receipts table and records every (status, progress) state each job
goes through, stamped with the `updated_at` the worker wrote: the clock of a progress update is
the database's, not the observer's. A state that lasts less than the poll period may be missed.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import NamedTuple

import psycopg


class ReceiptState(NamedTuple):
    job: str
    status: str
    progress: int
    updated: float  # unix time the worker wrote it


@contextlib.contextmanager
def receipt_states(database_url: str, every: float) -> Iterator[list[ReceiptState]]:
    """Yield a list that fills, in the order seen, with each receipt's new states."""
    seen: list[ReceiptState] = []
    stop = threading.Event()

    def watch() -> None:
        last: dict[str, tuple[str, int]] = {}
        with psycopg.connect(database_url, autocommit=True) as conn:
            while not stop.is_set():
                for job, status, progress, updated in conn.execute(
                    "SELECT id::text, status, progress, updated_at FROM jobs_jobreceipt"
                ).fetchall():
                    if last.get(job) != (status, progress):
                        last[job] = (status, progress)
                        seen.append(ReceiptState(job, status, progress, updated.timestamp()))
                time.sleep(every)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()
