"""A page does not depend on the order in which the database happens to return rows.

PostgreSQL returns rows that an ORDER BY leaves tied in whatever order it finds them, and
that order moves when a row is updated. A list sorted on a value two rows share (two topics
without a French name, sorted by it) then changes from one view to the next with nothing
changed, and the page cache's checks can no longer tell a stale page from a fresh one.

Every public page of a small site is rendered, every table's rows are then rewritten in
the reverse of their physical order, and every page is rendered again: each must be the
same, byte for byte. SQLite always reads a table in primary-key order, so this concerns
PostgreSQL.
"""

import pytest
from django.db import connection

from tests.pagecache.test_exactness import public_urls, read, seed, without_any_cache

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def reverse_every_table():
    """Each table's rows written back in the reverse of their physical order (their ctid)."""
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            cursor.execute(
                f"CREATE TEMPORARY TABLE reversed_rows AS SELECT * FROM {name} ORDER BY ctid DESC"
            )
            cursor.execute(f"DELETE FROM {name}")
            cursor.execute(f"INSERT INTO {name} SELECT * FROM reversed_rows")
            cursor.execute("DROP TABLE reversed_rows")


def render_every_page(client):
    with without_any_cache():
        return {url: read(client, url) for url in sorted(public_urls())}


def test_every_page_is_the_same_whatever_order_the_rows_are_stored_in(client):
    seed()
    before = render_every_page(client)
    reverse_every_table()
    after = render_every_page(client)
    assert len(before) > 80
    assert [url for url in before if after[url] != before[url]] == []
