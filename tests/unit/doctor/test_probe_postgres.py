"""Recognising LIKE searches in SQL as Django sends it, and the table they scan."""

from __future__ import annotations

import pytest

from stackpacks.doctor.probe_postgres import FROM_TABLE, LEADING_WILDCARD


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT * FROM "shop_item" WHERE UPPER("shop_item"."name"::text) LIKE UPPER(\'%lamp%\')',
        "SELECT count(*) FROM items WHERE name ILIKE '%abc%'",
        "SELECT count(*) FROM items WHERE name ILIKE $1",
    ],
    ids=["django-icontains", "ilike-literal", "server-bound"],
)
def test_searches_are_recognised(sql: str) -> None:
    assert LEADING_WILDCARD.search(sql)


@pytest.mark.parametrize(
    "sql", ["SELECT * FROM items WHERE name LIKE 'abc%'", "SELECT * FROM items WHERE id = 3"]
)
def test_anchored_patterns_and_plain_queries_are_not(sql: str) -> None:
    assert not LEADING_WILDCARD.search(sql)


def test_the_scanned_table_is_found_quoted_or_not() -> None:
    sql = 'SELECT * FROM "public"."shop_item" JOIN tags ON true'
    assert set(FROM_TABLE.findall(sql)) == {"shop_item", "tags"}
