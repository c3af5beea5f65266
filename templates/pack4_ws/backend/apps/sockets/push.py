"""Job updates pushed to their owner's sockets, from whatever process changed the job.

apps.jobs.events.job_changed fires after each change of a receipt commits, in the Celery
worker, the db worker or the web process; this sends the job, as GET /api/jobs/{id}/ answers
it, to the owner's group through the channel layer. One message per change whatever the number
of sockets: each web process receives it once and hands it to its sockets that follow the job.
"""

import asyncio
import json
import os
import threading

from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder

from apps.jobs.models import JobReceipt
from apps.jobs.serializers import JobSerializer

# A push that Redis does not take within this long is given up (and logged by job_changed's
# robust send): the job goes on, and a socket catches up when it subscribes again.
SEND_TIMEOUT_SECONDS = 5


def job_group(owner_id: int) -> str:
    return f"jobs.user.{owner_id}"


def version(receipt: JobReceipt) -> int:
    """Orders the updates of a job: a socket never goes back to an older state."""
    return int(receipt.updated_at.timestamp() * 1_000_000)


def job_message(receipt: JobReceipt) -> dict:
    """The group message; `frame` is the text every following socket sends, encoded once here
    rather than once per socket."""
    job = dict(JobSerializer(receipt).data)
    return {
        "type": "job.changed",
        "job": {"id": job["id"], "status": job["status"]},
        "frame": json.dumps({"type": "job", "job": job}, cls=DjangoJSONEncoder),
        "version": version(receipt),
    }


def push_job(sender, receipt_id, **kwargs) -> None:
    """job_changed's listener: read the committed receipt and send it to the owner's group."""
    receipt = JobReceipt.objects.filter(pk=receipt_id).first()
    if receipt is None:  # expired meanwhile: nothing left to show
        return
    layer = get_channel_layer()
    if layer is None:  # no CHANNEL_LAYERS configured: no socket to send to
        return
    sender_loop.run(layer.group_send(job_group(receipt.owner_id), job_message(receipt)))


class SenderLoop:
    """The channel layer from sync code (workers), on one event loop thread per process.

    `async_to_sync` would run each send on a new event loop, and the layer keeps its Redis
    connection per loop: every push would open and close a connection (~2.5 ms here). This
    loop lives as long as the process, and so does its connection. A forked child (Celery's
    pool) starts its own: a thread does not survive a fork.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def run(self, coroutine):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._running_loop())
        try:
            return future.result(timeout=SEND_TIMEOUT_SECONDS)
        except TimeoutError:
            future.cancel()
            raise

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                self._loop = asyncio.new_event_loop()
                self._pid = os.getpid()
                thread = threading.Thread(
                    target=self._loop.run_forever, name="channel-layer-sender", daemon=True
                )
                thread.start()
            return self._loop


sender_loop = SenderLoop()
