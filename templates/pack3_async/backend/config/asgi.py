"""ASGI entry point (pack 3): gunicorn's uvicorn workers serve `config.asgi:application`.

What only the long-running ASGI server does, set here: the middleware is swapped for its
async-native equivalents (ASYNC_NATIVE_MIDDLEWARE, in config/settings/components/asgi.py;
manage.py, the test client and WSGI keep Django's own classes, which those subclass), the
threads that run each request's sync work are reused (config/request_threads.py), each
worker keeps its HTTP client to the upstream open for its whole life (apps/lookup/client.py),
and, with the pool on (PostgreSQL), reads each request's session and user on the event loop
(apps/asyncdb.py).
"""

import os

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

from config.request_threads import ReusedRequestThreads, skip_idle_request_starts

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django.setup(set_prefix=False)
settings.MIDDLEWARE = [settings.ASYNC_NATIVE_MIDDLEWARE.get(m, m) for m in settings.MIDDLEWARE]
skip_idle_request_starts()
application = ReusedRequestThreads(ASGIHandler())

from apps import asyncdb  # noqa: E402  (apps load in django.setup() above)
from apps.lookup import client  # noqa: E402

client.SHARE_CLIENTS = True
asyncdb.read_on_the_loop()
