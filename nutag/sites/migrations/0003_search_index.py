"""The full-text index of articles (see nutag/sites/search.py): an FTS5 table on SQLite, a
tsvector table with a GIN index on PostgreSQL. Neither is a Django model; the index is
filled by ``manage.py reindex_search`` and kept in step on commit.

The PostgreSQL table has no foreign key to the article table on purpose: Django's test
flush TRUNCATEs its own tables without CASCADE, which a foreign key from an unknown table
would refuse. Rows of deleted articles are removed by the post_delete receiver, and a
stale row can never match (a hit must also match the article's ``created_at``)."""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS unitsites_article_fts USING fts5("
    "created UNINDEXED, title, summary, body, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS unitsites_article_fts"

PG_CREATE = [
    "CREATE TABLE IF NOT EXISTS unitsites_article_search ("
    "article_id bigint PRIMARY KEY, "
    "created timestamp with time zone NOT NULL, "
    "search_vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS unitsites_article_search_gin "
    "ON unitsites_article_search USING gin (search_vector)",
]
PG_DROP = "DROP TABLE IF EXISTS unitsites_article_search"


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in PG_CREATE:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("unitsites", "0002_article_images"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
