"""GET /api/signals/stream-check/?events=N&interval=S: N server-sent events S seconds apart,
then the end. `stackpacks doctor` times their arrival, straight from this server and through
the front door (the frontend proxies it at /streams/signals/stream-check, the way it proxies
job progress), to tell whether anything on the way holds a stream back.

Each event says when it was sent (`sent_at`, Unix seconds), so a client on the same machine can
also see that an event arrived before a later one was written:

    data: {"event": 1, "of": 3, "sent_at": 1764000000.123}

Behind SIGNALS_TOKEN like the metrics, with a 401 rather than the metrics' 404: the path is the
same in every app of this kind, so hiding it would hide nothing, and doctor can then tell a wrong
token from a front door that does not route the check. Small and bounded (at most MAX_EVENTS
events, MAX_INTERVAL s apart), so it costs a worker nothing but one idle coroutine.
"""

import asyncio
import json
import time

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from .views import has_signals_token

MAX_EVENTS = 10
MAX_INTERVAL = 2.0


@require_GET
async def stream_check(request):
    if not has_signals_token(request.headers.get("Authorization", "")):
        refused = HttpResponse(status=401)
        refused["WWW-Authenticate"] = 'Bearer realm="signals"'
        return refused
    try:
        events = int(request.GET.get("events", "3"))
        interval = float(request.GET.get("interval", "0.5"))
    except ValueError:
        events, interval = 0, 0.0
    # `not (... <= ...)` also refuses a NaN interval, which compares false to everything.
    if not (1 <= events <= MAX_EVENTS and 0 <= interval <= MAX_INTERVAL):
        detail = f"events: 1 to {MAX_EVENTS}; interval: 0 to {MAX_INTERVAL:g} seconds"
        return JsonResponse({"detail": detail}, status=400)
    # An async generator: under ASGI each event leaves as it is yielded (a sync iterator would
    # be read to its end first). The same headers as the job streams keep proxies from
    # buffering or caching it.
    response = StreamingHttpResponse(_events(events, interval), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def _events(count: int, interval: float):
    for number in range(1, count + 1):
        if number > 1:
            await asyncio.sleep(interval)
        data = json.dumps({"event": number, "of": count, "sent_at": round(time.time(), 6)})
        yield f"data: {data}\n\n"
