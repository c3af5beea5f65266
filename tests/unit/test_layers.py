"""One owner per file: a path of the generated project comes from one template layer only.

A later layer that copies an earlier layer's file to change a few lines forks it: a fix to one
copy silently misses the others, and upgrades merge two owners' edits. A layer adds files, or
fills a named extension point (a catalogue list, a `{% if %}` branch) in the one owner's file.

SHARED would name a path that must have several owners, each with its reason; today there is
none. A new shared path fails, and so does an entry that is no longer shared (delete it).
"""

from __future__ import annotations

from collections import defaultdict

from stackpacks import catalogue
from stackpacks.render import SKIPPED_FILES, _layer_files, rendered_name, templates_root

SHARED: dict[str, str] = {}


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
    # Paths are what files render to: `asgi.py.jinja` is the project's `asgi.py`.
    assert found["backend/config/asgi.py"] == ["pack1_sync"]
