"""What the production-server tests have gunicorn serve, after `-c gunicorn.conf.py`: pack 1's
WSGI application (the config names the sync workers). A pack with another server replaces this."""

APPLICATION = ("config.wsgi:application",)
