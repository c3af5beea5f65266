"""Job updates pushed to their owner's sockets, from whatever process changed the job.

apps.jobs.events.job_changed fires after each change of a receipt commits, in the Celery
worker, the db worker or the web process; this sends the job, as GET /api/jobs/{id}/ answers
it, to the owner's group through the channel layer. One message per change whatever the number
of sockets: each web process receives it once and hands it to its sockets that follow the job.
"""

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder

from apps.jobs.models import JobReceipt
from apps.jobs.serializers import JobSerializer


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
    async_to_sync(get_channel_layer().group_send)(job_group(receipt.owner_id), job_message(receipt))
