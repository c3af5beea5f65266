"""GET /api/jobs/{id}/events/: a job's progress as server-sent events, pushed as it happens.

Each event is the job exactly as GET /api/jobs/{id}/ answers it:

    id: <version>          (the receipt's updated_at in microseconds)
    event: job
    data: {"id": ..., "status": "running", "progress": 40, ...}

The stream sends the job at once, then every change (PostgreSQL notifies, see notify.py), a
comment line every SSE_HEARTBEAT_SECONDS so proxies keep an idle stream open, and ends after the
job reaches a terminal state. A browser that lost the stream reconnects with Last-Event-ID: it
gets the job again only if it changed meanwhile, and a 204 (stop reconnecting) if the job had
already ended. Only the job's owner may follow it; anyone else gets the 404 of a missing job.
"""

import asyncio
import json
import logging

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from apps.asyncdb import get_by, request_user
from apps.jobs.models import JobReceipt
from apps.jobs.serializers import JobSerializer

from .metrics import OPEN_STREAMS, STREAM_EVENTS
from .notify import notifier

logger = logging.getLogger(__name__)


@require_GET
async def job_events(request, pk):
    user = await request_user(request)
    if not user.is_authenticated:
        detail = "Authentication credentials were not provided."
        return JsonResponse({"detail": detail}, status=403)
    receipt = await _read(pk, user.pk)
    if receipt is None:
        return JsonResponse({"detail": "No JobReceipt matches the given query."}, status=404)
    last_id = request.headers.get("Last-Event-ID", "")
    if receipt.is_terminal and version(receipt) == last_id:
        return HttpResponse(status=204)  # it ended and the browser saw the end: stop retrying
    response = StreamingHttpResponse(
        _events(pk, user.pk, last_id), content_type="text/event-stream"
    )
    # Nothing between Django and the browser may keep the stream back: no caching, no nginx
    # buffering (and no GZipMiddleware, which buffers a stream whole).
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def _read(pk, owner_id) -> JobReceipt | None:
    """The job, if `owner_id` owns it; in the ASGI server read on the event loop."""
    return await get_by(JobReceipt, pk=pk, owner_id=owner_id)


def version(receipt: JobReceipt) -> str:
    return str(int(receipt.updated_at.timestamp() * 1_000_000))


def _event(receipt: JobReceipt) -> str:
    data = json.dumps(JobSerializer(receipt).data, cls=DjangoJSONEncoder)
    return f"id: {version(receipt)}\nevent: job\ndata: {data}\n\n"


async def _events(pk, owner_id, last_id: str):
    OPEN_STREAMS.inc()
    # Without push (SQLite) the job is read again every second; with it, only when woken.
    wake_after = settings.SSE_HEARTBEAT_SECONDS if notifier.pushes else 1.0
    try:
        yield f"retry: {settings.SSE_RETRY_MILLISECONDS}\n\n"
        with notifier.subscribe(str(pk)) as changed:
            while True:
                changed.clear()  # a change from here on wakes the wait below
                receipt = await _read(pk, owner_id)
                if receipt is None:  # expired or deleted meanwhile
                    yield "event: gone\ndata: {}\n\n"
                    return
                if version(receipt) != last_id:
                    last_id = version(receipt)
                    STREAM_EVENTS.inc()
                    yield _event(receipt)
                if receipt.is_terminal:
                    return
                try:
                    await asyncio.wait_for(changed.wait(), timeout=wake_after)
                except TimeoutError:
                    yield ": heartbeat\n\n"
    except asyncio.CancelledError:
        # The browser went away: Django cancels the stream. Nothing is left to undo but the
        # subscription and the gauge, which the blocks around us release.
        logger.debug("Event stream of job %s closed by the client", pk)
        raise
    finally:
        OPEN_STREAMS.dec()
