"""Logging to stdout, where gunicorn, Docker and every process manager collect it."""

LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Request errors are already logged by django.request; keep the noisy SQL logger quiet.
        "django.db.backends": {"level": "WARNING"},
        # httpx logs every outbound request at INFO: one more line per request for the lookup.
        # Those calls are timed and counted in stackpacks_outbound_http_seconds instead; their
        # failures reach the log as the API errors they become.
        "httpx": {"level": "WARNING"},
    },
}
