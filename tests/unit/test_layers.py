"""One owner per file: a path of the generated project comes from one template layer only.

A later layer that copies an earlier layer's file to change a few lines forks it: a fix to one
copy silently misses the others, and upgrades merge two owners' edits. A layer adds files, or
fills a named extension point (a catalogue list, a `{% if %}` branch) in the one owner's file.

The paths below still have several owners. Each is a known debt with the reason it is still
here; the list may only shrink: a new shared path fails, and so does an entry that is no
longer shared (delete it).
"""

from __future__ import annotations

from collections import defaultdict

from stackpacks import catalogue
from stackpacks.render import SKIPPED_FILES, _layer_files, rendered_name, templates_root

_WEB_SERVER = "the web server differs per pack: WSGI, then ASGI, then Channels routing"
_REPORT_CREATE = "pack 1 builds a report in the request, pack 2 queues it"
_LOOKUP = "the lookup view and client: sync in pack 1, async from pack 3"

SHARED = {
    "backend/Dockerfile": _WEB_SERVER,
    "backend/apps/lookup/client.py": _LOOKUP,
    "backend/apps/lookup/views.py": _LOOKUP,
    "backend/apps/reports/views.py": _REPORT_CREATE,
    "backend/tests/gunicorn_app.py": _WEB_SERVER,
    "backend/tests/test_report_create.py": _REPORT_CREATE,
}


def owners() -> dict[str, list[str]]:
    """Each path of every pack's and option's layer, with the layers that hold it."""
    root = templates_root()
    found: dict[str, list[str]] = defaultdict(list)
    folders = [p.folder for p in catalogue.PACKS] + [o.folder for o in catalogue.OPTIONS]
    for folder in folders:
        layer = root / folder
        if not layer.is_dir():
            continue
        for path in _layer_files(layer):
            # What the file renders to: `x.py` and `x.py.jinja` are the same path of a project.
            relative = rendered_name(path.relative_to(layer).as_posix())
            if relative not in SKIPPED_FILES:
                found[relative].append(folder)
    return found


def test_no_new_path_has_two_owners() -> None:
    shared = {path: layers for path, layers in owners().items() if len(layers) > 1}
    unexplained = {path: layers for path, layers in shared.items() if path not in SHARED}
    assert not unexplained, (
        "a layer copies an earlier layer's file; give the file an extension point instead: "
        f"{unexplained}"
    )


def test_every_allowed_shared_path_is_still_shared() -> None:
    shared = {path for path, layers in owners().items() if len(layers) > 1}
    resolved = sorted(set(SHARED) - shared)
    assert not resolved, f"no longer shared, delete from SHARED: {resolved}"


def test_the_check_sees_a_copied_file() -> None:
    """The walk really finds layer files (an empty walk would pass the checks above)."""
    found = owners()
    assert len(found) > 100
    assert found["backend/manage.py"] == ["pack1_sync"]
    # A plain file and a template of the same name are one path of the project.
    assert found["backend/apps/lookup/client.py"] == ["pack1_sync", "pack3_async"]
