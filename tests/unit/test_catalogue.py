from __future__ import annotations

import re

import pytest

from stackpacks import catalogue, errors
from stackpacks.catalogue import Selection, answers, lock
from stackpacks.catalogue.context import build, merge_named, merge_pins, requirement_name, unique


@pytest.mark.parametrize("name", ["shop", "demo-app", "a1", "x" * 40])
def test_valid_names(name: str) -> None:
    catalogue.validate_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "Shop",
        "1shop",
        "demo_app",
        "demo--app",
        "demo-",
        "-demo",
        "x" * 41,
        "a b",
        "../up",
        "django",
        "config",
    ],
)
def test_invalid_names(name: str) -> None:
    with pytest.raises(errors.InvalidName):
        catalogue.validate_name(name)


@pytest.mark.parametrize("pack", [0, 7, -1])
def test_unknown_pack(pack: int) -> None:
    with pytest.raises(errors.UnknownPack, match=f"no pack {pack}"):
        catalogue.validate(Selection("shop", pack))


def test_planned_pack_is_refused() -> None:
    planned = next(p for p in catalogue.PACKS if p.status is catalogue.Status.PLANNED)
    with pytest.raises(errors.PackNotAvailable, match="planned"):
        catalogue.validate(Selection("shop", planned.number))


def test_unknown_option() -> None:
    with pytest.raises(errors.UnknownOption, match="nope"):
        catalogue.validate(Selection("shop", 1, ("nope",)))


def test_option_of_a_higher_pack() -> None:
    with pytest.raises(errors.UserError, match="belongs to pack 6"):
        catalogue.validate(Selection("shop", 1, ("s3",)))


def test_queue_needs_pack_2() -> None:
    with pytest.raises(errors.UserError, match="from pack 2"):
        catalogue.validate(Selection("shop", 1, queue="db"))


def test_unknown_queue() -> None:
    with pytest.raises(errors.UserError, match="unknown queue"):
        catalogue.validate(Selection("shop", 1, queue="kafka"))


def test_conflicting_options_are_declared_both_ways() -> None:
    for option in catalogue.OPTIONS:
        for other in option.conflicts_with:
            assert option.name in catalogue.get_option(other).conflicts_with


def test_every_pack_has_a_layer_folder() -> None:
    from stackpacks.render import templates_root

    for pack in catalogue.PACKS:
        assert (templates_root() / pack.folder).is_dir(), pack.folder


def test_later_pins_replace_earlier_ones() -> None:
    assert merge_pins([["Django==5.2", "b==1"], ["django==6.0"]]) == ["b==1", "django==6.0"]
    assert requirement_name("psycopg[binary]==3.3.9") == "psycopg"


def test_every_python_dependency_is_pinned_exactly() -> None:
    context = build(Selection("shop"))
    for requirement in context["python_deps"] + context["python_dev_deps"]:
        assert "==" in requirement, requirement
    for version in {**context["npm_deps"], **context["npm_dev_deps"]}.values():
        assert version[0].isdigit(), version


def test_context_is_plain_data() -> None:
    import json

    context = build(Selection("demo-app"))
    assert json.loads(json.dumps(context)) == context
    assert context["project_slug"] == "demo_app"
    assert context["project_title"] == "Demo App"


def test_instrumentation_settings_stay_last() -> None:
    from stackpacks.catalogue import Contribution
    from stackpacks.catalogue.context import settings_components

    parts = [
        Contribution(settings_components=("base", "instrumentation")),
        Contribution(settings_components=("queues",)),
    ]
    assert settings_components(parts) == ["base", "queues", "instrumentation"]


def all_contributions() -> list[catalogue.Contribution]:
    packs = catalogue.PACKS
    return (
        [p.contribution for p in packs]
        + [c for p in packs for c in p.by_queue.values()]
        + [o.contribution for o in catalogue.OPTIONS]
    )


def test_unique_keeps_the_first_appearance_order() -> None:
    assert unique([("api",), ("ws", "api"), ()]) == ["api", "ws"]


def test_pack_1_proxies_api_and_later_packs_keep_it_once() -> None:
    assert build(Selection("shop"))["proxy_paths"] == ["api"]
    assert build(Selection("shop", 3, queue="db"))["proxy_paths"] == ["api"]


def test_pack_4_adds_its_websockets_after_the_api() -> None:
    assert build(Selection("shop", 4))["proxy_paths"] == ["api", "ws"]
    assert build(Selection("shop", 4, queue="db"))["proxy_paths"] == ["api", "ws"]


def test_proxy_paths_are_single_url_segments() -> None:
    """next.config.ts builds `/<prefix>/:path*` from each: a slash or wildcard would break it."""
    paths = [path for part in all_contributions() for path in part.proxy_paths]
    assert paths
    for path in paths:
        assert re.fullmatch(r"[a-z][a-z0-9-]*", path), path


def test_proxy_paths_do_not_shadow_frontend_routes() -> None:
    """Next.js serves its own pages before rewrites: a page folder named like a proxied prefix
    would silently take the prefix's requests away from Django."""
    from stackpacks.render import templates_root

    pages = {p.name for p in templates_root().glob("pack*/frontend/app/*") if p.is_dir()}
    for part in all_contributions():
        assert not set(part.proxy_paths) & pages


def test_services_merge_key_by_key() -> None:
    from stackpacks.catalogue.context import merge_services

    merged = merge_services(
        [{"backend": {"build": ".", "environment": {"A": "1"}}}, {"backend": {"command": ["x"]}}]
    )
    assert merged == {"backend": {"command": ["x"], "build": ".", "environment": {"A": "1"}}}


def test_daphne_swaps_the_web_server_and_keeps_the_queue_environment() -> None:
    for queue in catalogue.QUEUES:
        context = build(Selection("shop", 4, ("daphne",), queue))
        backend = context["services"]["backend"]
        assert backend["command"][0] == "daphne"
        assert backend["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        web = next(p for p in context["processes"] if p["name"] == "web")
        assert "exec daphne " in web["command"]
        assert "daphne==4.2.3" in context["python_deps"]


def test_pack_4_brings_redis_to_the_db_queue_for_delivery() -> None:
    context = build(Selection("shop", 4, queue="db"))
    services = context["services"]
    assert "redis" in services and "redis" in context["ci_services"]
    for name in ("backend", "worker", "scheduler"):
        assert "redis" in services[name]["depends_on"], name
        assert services[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0", name
    assert "celery[redis]==5.7.0" not in context["python_deps"]
    assert context["settings_components"][-3:] == ["instrumentation", "asgi", "ws"]


def test_url_routes_come_once_each_in_pack_order() -> None:
    """config/urls.py is one file filled from the catalogue: each pack adds its includes."""
    one = [(r["prefix"], r["urls"]) for r in build(Selection("demo", 1))["routes"]]
    three = [(r["prefix"], r["urls"]) for r in build(Selection("demo", 3))["routes"]]
    assert three[: len(one)] == one
    assert ("api/", "apps.jobs.urls") in three and ("api/", "apps.streams.urls") in three
    assert ("api/", "apps.jobs.urls") not in one
    assert len(set(three)) == len(three)


def test_a_process_is_one_argv_with_the_bind_flags_of_where_it_runs() -> None:
    from stackpacks.catalogue import Process
    from stackpacks.catalogue.model import BIND

    web = Process(
        name="web",
        folder="backend",
        argv=("serve", BIND, "my app"),
        local_bind=("--bind", "127.0.0.1"),
        container_bind=("--bind", "0.0.0.0"),
    )
    assert web.command == "cd backend && exec serve --bind 127.0.0.1 'my app'"
    assert web.container_command == ("serve", "--bind", "0.0.0.0", "my app")


@pytest.mark.parametrize("selection", lock.selections(), ids=lambda s: str(answers(s)))
def test_compose_runs_each_process_as_the_procfile_does(selection: Selection) -> None:
    """Both come from one catalogue record: compose's command is the Procfile's argv, bound
    for a container (`web` is compose's `backend`; pack 1's runs the Dockerfile's CMD)."""
    context = build(selection)
    records = merge_named((c.processes for c in catalogue.contributions(selection)), "name")
    assert context["processes"] == [{"name": p.name, "command": p.command} for p in records]
    for process in records:
        service = context["services"].get("backend" if process.name == "web" else process.name)
        if service and "command" in service:
            assert service["command"] == list(process.container_command), process.name


def rendered_paths() -> set[str]:
    """Every path a template layer (pack or option) renders, template suffixes dropped."""
    from stackpacks.render import rendered_name, templates_root

    root = templates_root()
    layers = [root / p.folder for p in catalogue.PACKS] + [
        root / o.folder for o in catalogue.OPTIONS
    ]
    return {
        str(path.relative_to(layer).with_name(rendered_name(path.name)))
        for layer in layers
        if layer.is_dir()
        for path in layer.rglob("*")
        if path.is_file()
    }


def test_every_move_of_the_tool_lands_on_rendered_paths_and_leaves_none_behind() -> None:
    paths = rendered_paths()
    for move in catalogue.MOVES:
        assert [p for p in paths if move.of(p)] == [], f"{move.old} is rendered again"
        back = catalogue.Move(old=move.new, new=move.old)
        assert [p for p in paths if back.of(p)], f"nothing renders at {move.new}"


def test_a_folder_moves_only_to_a_folder() -> None:
    with pytest.raises(ValueError, match="folder"):
        catalogue.Move(old="apps/signals/", new="apps/metrics.py")
