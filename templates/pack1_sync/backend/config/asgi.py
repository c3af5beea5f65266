"""ASGI entry point, unused in pack 1; pack 3 serves it with uvicorn workers."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_asgi_application()
