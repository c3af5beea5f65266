"""The generated paths the tool itself moved, oldest first.

A project generated before a move has the old path in its recorded base
(`.stackpacks/base.tar.gz`); its upgrade treats the old and the new path as one file, so the
user's edits follow the move. A move is never taken back: a later rename is a new record, and
the moves apply in this order (a path moved twice ends at the last name).
"""

from __future__ import annotations

from stackpacks.catalogue.model import Move

MOVES: tuple[Move, ...] = (
    # 0.1.0, before its release (commit 535cfb1): the metrics app was `apps.signals`, which reads
    # as Django's signals (django.dispatch receivers). Its tests were named after it too. The
    # URLs (/internal/signals/metrics, /api/signals/stream-check/, /ws/signals/echo/) and the
    # SIGNALS_TOKEN variable kept their names.
    Move(old="backend/apps/signals/", new="backend/apps/metrics/"),
    Move(old="backend/tests/test_signals.py", new="backend/tests/test_metrics.py"),
    Move(old="backend/tests/test_signals_echo.py", new="backend/tests/test_metrics_echo.py"),
)
