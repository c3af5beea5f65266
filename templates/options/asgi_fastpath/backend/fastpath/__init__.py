"""The ASGI fast path: Django's request handling in the web process, tuned past its public APIs.

Chosen when the web workers ran out of CPU rather than of I/O: measured on P3
(benchmarks/p3_async_vs_sync.py), this package more than doubles the requests a worker serves
per second of CPU on an async endpoint against a slow upstream.

What it replaces, in the ASGI server only (manage.py, the test client and workers keep
Django's own code):
- Django's `ASGIHandler.handle` (handler.py): restated statement for statement, to close a
  response on the event loop when its request's thread has nothing to do;
- the per-request thread of Django's ASGI handler (threads.py, on config/request_threads.py):
  visited only when there is work there;
- the middleware stack's thread hops (middleware.py): subclasses of Django's, WhiteNoise's and
  django-prometheus's middleware whose hooks run on the event loop;
- session and user reads (db.py, sessions.py): on the event loop through async psycopg, with
  the SQL the ORM would send, instead of in a thread through the ORM;
- DRF's dispatch for async views (views.py), in place of adrf's.

What you take on: every Django, DRF, asgiref, WhiteNoise or django-prometheus upgrade is yours
to re-verify against this package. tests/test_fastpath_*.py pin what it relies on (a source
hash of Django's `handle`, the agreement of each read with Django's own); run them first on
every upgrade, and drop the package (remove it, SESSION_ENGINE and ASYNC_NATIVE_MIDDLEWARE,
serve `get_asgi_application()`) the day one of them no longer holds.
"""
