"""Per-request query counting: metrics by view, and a budget that flags N+1 queries early."""

import logging
import time
import warnings
from contextlib import ExitStack

from django.conf import settings
from django.db import connections

from .metrics import DB_SECONDS_PER_REQUEST, QUERIES_PER_REQUEST, QUERY_BUDGET_EXCEEDED

logger = logging.getLogger(__name__)


class QueryBudgetWarning(UserWarning):
    """A request ran more queries than its view's budget (shown in development)."""


class _QueryMeter:
    """An execute wrapper: counts queries and adds up their time. Two clock reads per query."""

    __slots__ = ("count", "seconds")

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.add(time.perf_counter() - started)

    def add(self, seconds: float) -> None:
        """One query that took `seconds`."""
        self.count += 1
        self.seconds += seconds


class QueryBudgetMiddleware:
    """Runs on every request, so it stays cheap: a few microseconds plus two clock reads a query.

    Prometheus label lookups take a lock each; the per-view metric children are kept instead.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self._children: dict[str, tuple] = {}

    def __call__(self, request):
        meter = _QueryMeter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(meter))
            response = self.get_response(request)
        self.record(request, meter)
        return response

    def record(self, request, meter: _QueryMeter) -> None:
        """The request's queries, in its view's metrics and against its view's budget."""
        view = _view_name(request)
        queries, seconds = self._metrics_for(view)
        queries.observe(meter.count)
        seconds.observe(meter.seconds)
        budget = settings.QUERY_BUDGET_OVERRIDES.get(view, settings.QUERY_BUDGET_DEFAULT)
        if meter.count > budget:
            _report_breach(request, view, meter.count, budget)

    def _metrics_for(self, view: str) -> tuple:
        children = self._children.get(view)
        if children is None:
            children = (QUERIES_PER_REQUEST.labels(view), DB_SECONDS_PER_REQUEST.labels(view))
            self._children[view] = children
        return children


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or "<unnamed view>"


def _report_breach(request, view: str, count: int, budget: int) -> None:
    QUERY_BUDGET_EXCEEDED.labels(view).inc()
    message = (
        f"{request.method} {request.path} ({view}) ran {count} queries, over its budget of "
        f"{budget}: look for a missing select_related/prefetch_related, or raise "
        f"QUERY_BUDGET_OVERRIDES[{view!r}]."
    )
    if settings.DEBUG:
        warnings.warn(message, QueryBudgetWarning, stacklevel=2)
    else:
        logger.warning(message)
