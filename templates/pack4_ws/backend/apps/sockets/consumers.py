"""/ws/jobs/: the signed-in user's job updates, one socket per tab for any number of jobs.

`{"type": "subscribe", "job": id}` answers with the job at once (a reconnecting tab's
catch-up), then sends it again on every change until it ends. The socket is in its owner's
group (push.py sends there), and forwards only the jobs it subscribed to: someone else's job is
`not_found`, and nothing of it ever reaches this group.
"""

import uuid

from apps.asyncdb import in_thread
from apps.jobs.models import JobReceipt

from .frames import Invalid, JsonSocket
from .push import job_group, job_message

TERMINAL = {str(status) for status in JobReceipt.TERMINAL}


@in_thread
def _read(job_id: str, owner_id: int) -> dict | None:
    receipt = JobReceipt.objects.filter(pk=job_id, owner_id=owner_id).first()
    return None if receipt is None else job_message(receipt)


def _job_id(frame: dict) -> str:
    try:
        return str(uuid.UUID(str(frame["job"])))
    except (KeyError, ValueError) as exc:
        raise Invalid("`job` must be a job id (a UUID).") from exc


class JobConsumer(JsonSocket):
    consumer = "jobs"
    handlers = {"subscribe": "subscribe", "unsubscribe": "unsubscribe"}

    async def connect(self) -> None:
        user = self.scope["user"]
        if user is None or not user.is_authenticated:
            await self.refuse()
            return
        self.user_id = user.pk
        # job id -> version of the last update sent (-1: none yet)
        self.following: dict[str, int] = {}
        await self.channel_layer.group_add(job_group(user.pk), self.channel_name)
        await self.accept()

    async def disconnect(self, code) -> None:
        if self.opened:
            await self.channel_layer.group_discard(job_group(self.user_id), self.channel_name)

    async def subscribe(self, frame: dict) -> None:
        job_id = _job_id(frame)
        message = await _read(job_id, self.user_id)
        if message is None:
            detail = "No job with this id is yours."
            await self.error("not_found", detail, job=job_id)
            return
        self.following[job_id] = -1  # answered at once, even if it was followed already
        await self.forward(message)

    async def unsubscribe(self, frame: dict) -> None:
        self.following.pop(_job_id(frame), None)

    async def job_changed(self, message: dict) -> None:
        """A `job.changed` group message: one of this owner's jobs moved."""
        if message["job"]["id"] in self.following:
            await self.forward(message)

    async def forward(self, message: dict) -> None:
        job = message["job"]
        # An update may arrive after a newer state was sent (the subscribe's read): skip it.
        newer = message.get("version")
        if newer is not None:
            if newer <= self.following[job["id"]]:
                return
            self.following[job["id"]] = newer
        await self.send_text(message["frame"])
        if job["status"] in TERMINAL:
            del self.following[job["id"]]
