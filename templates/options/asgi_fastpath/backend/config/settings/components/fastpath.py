"""The ASGI fast path (fastpath/): what the web process swaps in for Django's own classes.

fastpath.handler replaces each middleware of MIDDLEWARE named here by its async-native
subclass in the ASGI server only, so the hooks run on the event loop rather than costing each
request a thread hop; MIDDLEWARE keeps Django's names, which `manage.py check --deploy` looks
for. A middleware you add that is not async-capable sends every request below it to a thread:
check its `async_capable` before adding it, or wrap it like the ones in fastpath/middleware.py.
"""

ASYNC_NATIVE_MIDDLEWARE = {
    "django.middleware.security.SecurityMiddleware": "fastpath.middleware.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware": "fastpath.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware": (
        "fastpath.middleware.SessionMiddleware"
    ),
    "django.middleware.common.CommonMiddleware": "fastpath.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware": "fastpath.middleware.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware": (
        "fastpath.middleware.AuthenticationMiddleware"
    ),
    "django.contrib.messages.middleware.MessageMiddleware": (
        "fastpath.middleware.MessageMiddleware"
    ),
    "django.middleware.clickjacking.XFrameOptionsMiddleware": (
        "fastpath.middleware.XFrameOptionsMiddleware"
    ),
    "django_prometheus.middleware.PrometheusBeforeMiddleware": (
        "fastpath.middleware.PrometheusBeforeMiddleware"
    ),
    "django_prometheus.middleware.PrometheusAfterMiddleware": (
        "fastpath.middleware.PrometheusAfterMiddleware"
    ),
}

# Django's database sessions, whose async read runs on the event loop in the ASGI server (no
# thread per request for it): same table and data as Django's `db` engine.
SESSION_ENGINE = "fastpath.sessions"
