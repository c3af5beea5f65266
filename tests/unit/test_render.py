from __future__ import annotations

from pathlib import Path

import pytest

from stackpacks.catalogue import Selection
from stackpacks.render import render, templates_root


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def layers(tmp_path: Path) -> Path:
    """Two tiny layers sharing the real copier config."""
    root = tmp_path / "templates"
    write(root, {"copier.yml": (templates_root() / "copier.yml").read_text()})
    write(
        root / "pack1_sync",
        {
            "LAYER.md": "about the layer",
            "shared.txt": "from layer 1\n",
            "only1.txt": "one\n",
            "name.txt.jinja": "{{ project_name }} at {{ pack }}\n",
            "docs/LAYER.md": "a nested LAYER.md is a normal file\n",
            "twin_a.txt.jinja": "{{ pack }} in layer 1\n",
            "twin_b.txt": "plain in layer 1\n",
        },
    )
    write(
        root / "pack2_queues",
        {
            "shared.txt": "from layer 2\n",
            "only2.txt": "two\n",
            "twin_a.txt": "plain in layer 2\n",
            "twin_b.txt.jinja": "{{ pack }} in layer 2\n",
        },
    )
    return root


def test_later_layer_replaces_earlier_file(layers: Path, tmp_path: Path) -> None:
    result = render(Selection("shop", 2), tmp_path / "out", layers)
    assert (result.root / "shared.txt").read_text() == "from layer 2\n"


def test_a_template_and_a_plain_file_of_one_name_are_one_file(layers: Path, tmp_path: Path) -> None:
    """`x.txt.jinja` renders to `x.txt`: the later layer's wins whichever has the suffix."""
    result = render(Selection("shop", 2), tmp_path / "out", layers)
    assert (result.root / "twin_a.txt").read_text() == "plain in layer 2\n"
    assert (result.root / "twin_b.txt").read_text() == "2 in layer 2\n"
    assert (result.root / "only2.txt").read_text() == "two\n"


def test_layers_above_the_pack_are_left_out(layers: Path, tmp_path: Path) -> None:
    result = render(Selection("shop", 1), tmp_path / "out", layers)
    assert (result.root / "shared.txt").read_text() == "from layer 1\n"
    assert "only2.txt" not in result.manifest


def test_jinja_files_are_rendered_and_lose_their_suffix(layers: Path, tmp_path: Path) -> None:
    result = render(Selection("shop", 2), tmp_path / "out", layers)
    assert (result.root / "name.txt").read_text() == "shop at 2\n"
    assert "name.txt.jinja" not in result.manifest


def test_layer_readme_and_copier_config_are_not_rendered(layers: Path, tmp_path: Path) -> None:
    result = render(Selection("shop", 1), tmp_path / "out", layers)
    assert "LAYER.md" not in result.manifest
    assert "copier.yml" not in result.manifest
    assert "docs/LAYER.md" in result.manifest


def test_manifest_hashes_match_the_files(layers: Path, tmp_path: Path) -> None:
    import hashlib

    result = render(Selection("shop", 2), tmp_path / "out", layers)
    for name, digest in result.manifest.items():
        assert hashlib.sha256((result.root / name).read_bytes()).hexdigest() == digest


def test_same_answers_render_the_same_bytes(tmp_path: Path) -> None:
    first = render(Selection("shop"), tmp_path / "a")
    second = render(Selection("shop"), tmp_path / "b")
    assert first.manifest == second.manifest
    assert len(first.manifest) > 10


def test_different_answers_render_different_bytes(tmp_path: Path) -> None:
    first = render(Selection("shop"), tmp_path / "a")
    second = render(Selection("store"), tmp_path / "b")
    assert first.manifest != second.manifest


def test_no_tracked_file_carries_a_secret_or_a_machine_path(tmp_path: Path) -> None:
    result = render(Selection("shop"), tmp_path / "out")
    for name in result.files:
        text = (result.root / name).read_bytes()
        assert str(tmp_path).encode() not in text, name
        assert b"/work/" not in text, name


@pytest.mark.parametrize(
    ("pack", "worker_class"),
    [(1, "sync"), (3, "uvicorn_worker.UvicornWorker"), (4, "config.workers.UvicornWorker")],
)
def test_the_gunicorn_config_alone_names_each_packs_worker(
    tmp_path: Path, pack: int, worker_class: str
) -> None:
    """Run as its docstring says (`gunicorn -c gunicorn.conf.py APP`), the web server gets its
    worker, WebSocket limits included at pack 4: nothing rides on a `-k` elsewhere."""
    result = render(Selection("demo", pack), tmp_path / "p")
    config = (result.root / "backend" / "gunicorn.conf.py").read_text()
    assert f'worker_class = "{worker_class}"' in config
    assert " -k " not in (result.root / "Procfile").read_text()
    assert "-k" not in (result.root / "compose.yaml").read_text().split()
