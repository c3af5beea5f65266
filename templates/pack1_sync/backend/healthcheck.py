"""Container health check: GET /api/health/ on this container's gunicorn, as an allowed host.

Run by Docker's HEALTHCHECK (slim images have no curl). Exit 0 when healthy, 1 otherwise.
"""

import http.client
import os
import sys


def main() -> int:
    hosts = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")
    host = hosts[0].strip().lstrip(".").replace("*", "") or "localhost"
    connection = http.client.HTTPConnection("127.0.0.1", int(os.environ.get("PORT", "8000")), 3)
    try:
        connection.request("GET", "/api/health/", headers={"Host": host})
        return 0 if connection.getresponse().status == 200 else 1
    except OSError:
        return 1
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main())
