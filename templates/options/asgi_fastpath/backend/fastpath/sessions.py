"""Django's database sessions, read without a thread in the ASGI server.

SESSION_ENGINE names this module (settings component `fastpath`). It is Django's `db` engine, same
table, same data and same signing salt (the class keeps the name SessionStore), with one
change: the async read (`aload`, which `request_user` and `request.session.aget` use) goes
through fastpath.db.get_by, so in the ASGI server it runs on the event loop. Everything
else (writes, the sync API the test client and admin use) is Django's.
"""

import logging

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from fastpath.db import get_by


class SessionStore(db.SessionStore):
    async def _aget_session_from_db(self):
        try:
            session = await get_by(self.model, session_key=self.session_key)
        except SuspiciousOperation as exc:  # as Django's: logged, and the session starts anew
            logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(str(exc))
            session = None
        if session is None or session.expire_date <= timezone.now():  # Django's: expire_date__gt
            self._session_key = None
            return None
        return session
