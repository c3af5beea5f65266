"""What the production-server tests have gunicorn serve, after `-c gunicorn.conf.py` (pack 3):
Django's ASGI application on uvicorn workers, as the Procfile's `web` runs it."""

APPLICATION = ("config.asgi:application",)
