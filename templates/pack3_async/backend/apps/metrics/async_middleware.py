"""The query budget under ASGI: the metrics of `middleware.QueryBudgetMiddleware`, async-native.

The sync middleware wraps this thread's database connections for the length of the request.
Under ASGI the queries of one request run in another thread (the async ORM and sync views go
through `sync_to_async`), on that thread's connection. So here the meter travels with the
request's context instead (a ContextVar, which `sync_to_async` carries into its thread), and one
execute wrapper on every connection adds each query to the meter of the request that ran it.
"""

from contextvars import ContextVar

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.db.backends.signals import connection_created

from .middleware import QueryBudgetMiddleware as _SyncQueryBudget
from .middleware import _QueryMeter

_METER: ContextVar[_QueryMeter | None] = ContextVar("query_meter", default=None)


def _count(execute, sql, params, many, context):
    meter = _METER.get()
    if meter is None:  # a management command, a worker: nothing to count for
        return execute(sql, params, many, context)
    return meter(execute, sql, params, many, context)


def _wrap(sender, connection, **kwargs) -> None:
    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)


connection_created.connect(_wrap, dispatch_uid="apps.metrics.async_middleware")


class QueryBudgetMiddleware(_SyncQueryBudget):
    """Counts every query of a request, whichever thread ran it; no thread hop of its own."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        super().__init__(get_response)
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        return super().__call__(request)

    async def __acall__(self, request):
        meter = _QueryMeter()
        token = _METER.set(meter)
        try:
            response = await self.get_response(request)
        finally:
            _METER.reset(token)
        self.record(request, meter)
        return response


def count_query(seconds: float) -> None:
    """A query that went around the connection wrappers (on a connection of its own, such as an
    with a connection of its own): counted in the request's meter all the same."""
    meter = _METER.get()
    if meter is not None:
        meter.add(seconds)
