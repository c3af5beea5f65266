"""Secrets, hosts and HTTPS. Production (DJANGO_DEBUG off) passes `manage.py check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

_DEVELOPMENT_KEY = "django-insecure-development-only-key-never-use-it-in-production"

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or (_DEVELOPMENT_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a long random value (or DJANGO_DEBUG=True for development)."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
# Where the product's pages are served (the Next.js app): links out of Django go there.
FRONTEND_URL = env.str("DJANGO_FRONTEND_URL", default="http://localhost:3000")
CSRF_TRUSTED_ORIGINS = env.list(
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    default=["http://localhost:3000", "http://127.0.0.1:3000"],
)

# HTTPS. On by default in production; turn the redirect and the Secure cookie flag off only to
# run production settings over plain HTTP on a trusted network (the end-to-end tests do).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers and container health checks probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a proxy that terminates TLS, trust its X-Forwarded-Proto, and only then: a client
# could otherwise claim HTTPS itself.
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HSTS starts short: once every subdomain is known to serve HTTPS, raise it to a year
# (31536000). A long max-age cannot be taken back from browsers that have seen it.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)

X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
