from django.core.management.base import BaseCommand

from apps.lookup.upstream import SlowUpstreamServer


class Command(BaseCommand):
    help = "Serve the example slow upstream that /api/lookup/ calls (UPSTREAM_URL)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--delay", type=float, default=0.5, help="seconds per answer")

    def handle(self, *args, host: str, port: int, delay: float, **options) -> None:
        with SlowUpstreamServer((host, port), delay) as server:
            self.stdout.write(f"Slow upstream on http://{host}:{port}/ ({delay} s per answer)")
            server.serve_forever()
