"""The untracked `.env` gains the variables an upgrade adds to `.env.example`, nothing else."""

from __future__ import annotations

from stackpacks import envfile
from stackpacks.catalogue import Selection
from stackpacks.catalogue.context import build
from stackpacks.upgrade.dotenv import EnvUpdate, topped_up

OLD_EXAMPLE = b"# a\nDJANGO_DEBUG=1\n# b\nSIGNALS_TOKEN=change-me\n"
NEW_EXAMPLE = OLD_EXAMPLE + b"# c\nREDIS_URL=redis://127.0.0.1:6379/0\n# d\nAPI_KEY=change-me\n"
ENV_VARS = [
    {"name": "DJANGO_DEBUG", "example": "1", "comment": "a", "secret": False},
    {"name": "SIGNALS_TOKEN", "example": "change-me", "comment": "b", "secret": True},
    {"name": "REDIS_URL", "example": "redis://127.0.0.1:6379/0", "comment": "c", "secret": False},
    {"name": "API_KEY", "example": "change-me", "comment": "d", "secret": True},
]
MINE = b"DJANGO_DEBUG=0\nSIGNALS_TOKEN=mine\nOWN=1\n"


def top_up(
    current: bytes | None, old: bytes = OLD_EXAMPLE, new: bytes = NEW_EXAMPLE
) -> EnvUpdate | None:
    return topped_up(current, (old, new), ENV_VARS, lambda: "fresh-secret")


def test_added_variables_are_appended_with_defaults_and_fresh_secrets() -> None:
    update = top_up(MINE)
    assert update is not None
    assert update.added == ("REDIS_URL", "API_KEY")
    assert update.content == MINE + (
        b"# c\nREDIS_URL=redis://127.0.0.1:6379/0\n# d\nAPI_KEY=fresh-secret\n"
    )


def test_a_value_you_set_is_never_changed_nor_added_again() -> None:
    mine = MINE + b"REDIS_URL=redis://cache.internal:6379/3\n"
    update = top_up(mine)
    assert update is not None
    assert update.added == ("API_KEY",)
    assert update.content.startswith(mine)


def test_a_variable_you_commented_out_counts_as_there() -> None:
    update = top_up(MINE + b"# REDIS_URL=redis://elsewhere\nexport API_KEY=k\n")
    assert update is None


def test_a_variable_you_removed_from_env_is_not_brought_back() -> None:
    # SIGNALS_TOKEN was documented before the upgrade: its absence is yours.
    update = top_up(b"DJANGO_DEBUG=0\n")
    assert update is not None
    assert update.added == ("REDIS_URL", "API_KEY")


def test_a_file_without_a_final_newline_gets_one_before_the_additions() -> None:
    update = top_up(b"OWN=1")
    assert update is not None
    assert update.content.startswith(b"OWN=1\n# c\n")


def test_no_env_no_additions_nothing_new_nothing_to_do() -> None:
    assert top_up(None) is None
    assert top_up(MINE, new=OLD_EXAMPLE) is None


def test_the_real_catalogue_adds_pack_twos_redis_url_the_way_new_writes_it() -> None:
    """From pack 1 to 2 (celery): what `stackpacks new --pack 2` would have in `.env`."""
    old, new = Selection("shop", 1), Selection("shop", 2)

    def example(selection: Selection) -> bytes:
        return envfile.entries(build(selection)["env_vars"], lambda: "change-me").encode()

    update = topped_up(MINE, (example(old), example(new)), build(new)["env_vars"], lambda: "fresh")
    assert update is not None
    assert "REDIS_URL" in update.added
    by_name = {v["name"]: v for v in build(new)["env_vars"]}
    for name in update.added:
        assert envfile.entries([by_name[name]], lambda: "fresh").encode() in update.content
