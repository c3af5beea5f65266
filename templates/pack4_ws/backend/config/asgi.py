"""ASGI entry point (pack 4): HTTP to Django, WebSockets to Channels consumers.

Served by gunicorn's uvicorn workers (config/workers.py) or, with `--with daphne`, by Daphne.
What only the long-running ASGI server does, set here as in pack 3: the middleware is swapped
for its async-native equivalents (ASYNC_NATIVE_MIDDLEWARE, in the `asgi` settings component),
database connections are pooled, the threads of each request's sync work are reused
(config/request_threads.py), and each worker keeps its HTTP client to the upstream open for
its whole life (apps/lookup/client.py), and each request's session and user are read on the
event loop (apps/asyncdb.py). WebSocket routes are in config/routing.py.
"""

import os

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

from config.request_threads import ReusedRequestThreads, skip_idle_request_starts

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Whichever server loads this module is the web process: pooled connections (gunicorn.conf.py
# says so for gunicorn; Daphne reads no config file).
os.environ.setdefault("DJANGO_DB_POOL", "1")

django.setup(set_prefix=False)
settings.MIDDLEWARE = [settings.ASYNC_NATIVE_MIDDLEWARE.get(m, m) for m in settings.MIDDLEWARE]
skip_idle_request_starts()
http = ReusedRequestThreads(ASGIHandler())

# Apps are loaded (django.setup() above): consumers may import models now.
from channels.routing import ProtocolTypeRouter  # noqa: E402

from apps import asyncdb  # noqa: E402
from apps.lookup import client  # noqa: E402
from config.routing import websockets  # noqa: E402

client.SHARE_CLIENTS = True
asyncdb.read_on_the_loop()

application = ProtocolTypeRouter({"http": http, "websocket": websockets})
