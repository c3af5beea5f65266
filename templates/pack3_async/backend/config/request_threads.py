"""A thread per request for its sync work, as Django wants, without starting one per request.

Under ASGI Django runs a request's sync parts (its request_started and request_finished
receivers, sync middleware hooks, sync views, ORM calls through sync_to_async, closing the
response) in a thread of the request's own, so they cannot block each other. By itself it
starts that thread for every request and joins it when the request ends: a thread born and
reaped per request, even for an async view.

`ReusedRequestThreads` keeps the one-thread-per-request rule but hands each request an idle
single-thread executor kept from an earlier request, through asgiref's
`ThreadSensitiveContext(executor=...)`; Django's own per-request context then uses it. A
request that ends abnormally (cancelled, failed) may leave work queued on its thread: that
executor is shut down rather than reused, so no request ever waits behind another's work.
"""

from collections import deque
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext

# Idle threads kept for later requests; above this, a finished request's thread exits.
KEEP_IDLE = 64


class ReusedRequestThreads:
    """ASGI middleware around Django's handler, for HTTP requests (others pass through)."""

    def __init__(self, app, keep_idle: int = KEEP_IDLE) -> None:
        self.app = app
        self.keep_idle = keep_idle
        self.idle: deque[ThreadPoolExecutor] = deque()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        executor = self.idle.pop() if self.idle else self.new_executor()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.serve(executor, scope, receive, send)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        if len(self.idle) < self.keep_idle:
            self.idle.append(executor)
        else:
            executor.shutdown(wait=False)

    def new_executor(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(1, "request")

    async def serve(self, executor: ThreadPoolExecutor, scope, receive, send) -> None:
        """One request, its sync work sent to `executor`."""
        await self.app(scope, receive, send)
