"""`scripts/regen-api`: write each pack's OpenAPI schema and TypeScript types to templates/api/.

Every variant of the matrix (each available pack on each queue, each available option) is
generated with the harness (its cached projects, venv and node_modules), and its backend's
`manage.py spectacular` is turned into types by the frontend's own `openapi-typescript`. The
variants of one pack must agree: one snapshot per pack describes them all, so an option or a
queue that changed the API fails here instead of shipping types that lie for it.

The matrix's `test_committed_api_snapshot_is_what_the_backend_generates` runs the same `export`
and fails while a committed snapshot differs from it.
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from stackpacks import api_snapshot
from stackpacks.render import templates_root
from tests.templates import harness
from tests.templates.conftest import backend_env


def export(app: Path, env: dict[str, str]) -> dict[str, bytes]:
    """The project's schema as its backend generates it, and the types generated from that."""
    with tempfile.TemporaryDirectory(prefix="stackpacks-api-") as scratch:
        schema, types = Path(scratch) / "openapi.yml", Path(scratch) / "schema.d.ts"
        harness.run(["python", "manage.py", "spectacular", "--file", schema], app / "backend", env)
        cli = Path("node_modules") / ".bin" / "openapi-typescript"
        harness.run([cli, schema, "-o", types], app / "frontend")
        return {"openapi.yml": schema.read_bytes(), "schema.d.ts": types.read_bytes()}


def stale(pack: int, fresh: dict[str, bytes]) -> list[str]:
    """The snapshot files of the pack that differ from a fresh export."""
    committed = api_snapshot.read(templates_root(), pack)
    return [name for name in api_snapshot.FILES if committed.get(name) != fresh[name]]


def main() -> int:
    venv = harness.app_venv()
    exports: dict[int, dict[str, dict[str, bytes]]] = defaultdict(dict)
    for variant in harness.variants():
        app = harness.materialize(variant)
        harness.npm_install(app)
        exports[variant.selection.pack][variant.id] = export(app, backend_env(venv, variant))
    for by_variant in exports.values():
        (first, files), *others = by_variant.items()
        for variant, theirs in others:
            if theirs != files:
                print(
                    f"regen-api: the API of {variant} differs from {first}'s; a pack's queues "
                    "and options must not change its API (one snapshot per pack)",
                    file=sys.stderr,
                )
                return 1
    for pack, by_variant in sorted(exports.items()):
        files = next(iter(by_variant.values()))
        changed = stale(pack, files)
        api_snapshot.write(templates_root(), pack, files)
        done = f"{', '.join(changed)} rewritten" if changed else "up to date"
        print(f"{api_snapshot.folder(templates_root(), pack)}: {done}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
