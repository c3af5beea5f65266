"""ASGI entry point (pack 3): gunicorn's uvicorn workers serve `config.asgi:application`.

The application is Django's, set up for the long-running server by
config/asgi_handler.py's `http_application()` (async-native middleware, reused request threads,
a shared HTTP client, reads on the event loop), and the garbage collector is tuned for a
worker holding many requests at once.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django.setup(set_prefix=False)

from config.asgi_handler import http_application, tune_garbage_collector  # noqa: E402

application = http_application()
tune_garbage_collector()
