"""ASGI entry point (pack 4): HTTP to Django, WebSockets to Channels consumers.

Served by gunicorn's uvicorn workers (config/workers.py) or, with `--with daphne`, by Daphne.
HTTP goes to pack 3's application (config/asgi_handler.py's `http_application()`), with
database connections pooled; WebSocket routes are in config/routing.py.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Whichever server loads this module is the web process: pooled connections (gunicorn.conf.py
# says so for gunicorn; Daphne reads no config file).
os.environ.setdefault("DJANGO_DB_POOL", "1")

django.setup(set_prefix=False)

# Apps are loaded (django.setup() above): consumers may import models now.
from channels.routing import ProtocolTypeRouter  # noqa: E402

from config.asgi_handler import http_application, tune_garbage_collector  # noqa: E402
from config.routing import websockets  # noqa: E402

application = ProtocolTypeRouter({"http": http_application(), "websocket": websockets})
tune_garbage_collector()
