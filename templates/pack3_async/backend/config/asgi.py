"""ASGI entry point (pack 3): gunicorn's uvicorn workers serve `config.asgi:application`.

The middleware is swapped here for its async-native equivalents (ASYNC_NATIVE_MIDDLEWARE, in
config/settings/components/asgi.py), for the ASGI server only: manage.py, the test client and
WSGI keep Django's own classes, which those subclass.
"""

import os

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django.setup(set_prefix=False)
settings.MIDDLEWARE = [settings.ASYNC_NATIVE_MIDDLEWARE.get(m, m) for m in settings.MIDDLEWARE]
application = ASGIHandler()
