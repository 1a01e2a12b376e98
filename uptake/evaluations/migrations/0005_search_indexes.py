"""Indexes for searching recommendation statements (the evaluation list's `q`).

The search matches with `icontains`, a substring anywhere in the text, which a B-tree index
cannot serve: at 10,000 evaluations every search read all 60,000 statements. Each database
gets its own substring index, made here by hand because Django's model state knows neither.

PostgreSQL: `statement__icontains=x` is emitted as
    UPPER("evaluations_recommendation"."statement"::text) LIKE UPPER('%x%')
and the planner uses an index only on that very expression, so the GIN trigram index below is
on `UPPER("statement"::text)`. The planner re-checks every candidate row with the LIKE itself:
the results stay exactly those of `icontains`. Title and program are not indexed: the search
ORs them with the statements, so every evaluation row is read anyway (EXPLAIN ANALYZE at
10,000 evaluations: indexes on them were never used by that query).

SQLite: an FTS5 table with the trigram tokenizer over the statements, external content (it
stores no second copy of the text), kept in step by triggers on every insert, update and
delete, whoever writes (services, importer, `uptake generate`, `uptake restore`). The selector
queries it with LIKE, which FTS5 serves from the trigram index for patterns of 3 or more
characters; see `uptake.evaluations.selectors._in_statements`.

Caution for later migrations: when Django rebuilds the recommendations table on SQLite
(most AlterField/AddField on it), dropping the old table drops these triggers. The test
`test_search_index.py::test_sqlite_search_index_is_complete_and_kept_in_step` then fails;
re-create them with a RunSQL of a copy of SQLITE_TRIGGERS.
"""

from django.db import migrations

PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX recommendation_statement_trgm ON evaluations_recommendation"
    ' USING gin ((UPPER("statement"::text)) gin_trgm_ops)',
]
# The extension stays: something else may use it.
PG_DROP = ["DROP INDEX IF EXISTS recommendation_statement_trgm"]

# "delete" must be given the old text exactly, or an external-content index goes wrong.
_DELETE_OLD = (
    "INSERT INTO evaluations_recommendation_search"
    "(evaluations_recommendation_search, rowid, statement)"
    " VALUES ('delete', old.id, old.statement);"
)
_INSERT_NEW = (
    "INSERT INTO evaluations_recommendation_search(rowid, statement)"
    " VALUES (new.id, new.statement);"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER evaluations_recommendation_search_insert"
    " AFTER INSERT ON evaluations_recommendation"
    " BEGIN " + _INSERT_NEW + " END",
    "CREATE TRIGGER evaluations_recommendation_search_delete"
    " AFTER DELETE ON evaluations_recommendation"
    " BEGIN " + _DELETE_OLD + " END",
    "CREATE TRIGGER evaluations_recommendation_search_update"
    " AFTER UPDATE OF id, statement ON evaluations_recommendation"
    " WHEN old.id IS NOT new.id OR old.statement IS NOT new.statement"
    " BEGIN " + _DELETE_OLD + " " + _INSERT_NEW + " END",
]
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE evaluations_recommendation_search USING fts5(statement,"
    " content='evaluations_recommendation', content_rowid='id', tokenize='trigram')",
    *SQLITE_TRIGGERS,
    # Index the statements already there.
    "INSERT INTO evaluations_recommendation_search(evaluations_recommendation_search)"
    " VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS evaluations_recommendation_search_insert",
    "DROP TRIGGER IF EXISTS evaluations_recommendation_search_delete",
    "DROP TRIGGER IF EXISTS evaluations_recommendation_search_update",
    "DROP TABLE IF EXISTS evaluations_recommendation_search",
]


def _pg_trgm_available(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def _run(schema_editor, statements) -> None:
    for statement in statements:
        schema_editor.execute(statement)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    # A PostgreSQL server without the contrib extensions gets no index: searches stay
    # correct, only slower.
    if vendor == "postgresql" and _pg_trgm_available(schema_editor):
        _run(schema_editor, PG_CREATE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_DROP)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0004_list_order_indexes"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
