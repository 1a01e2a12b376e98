"""Search folded text (case and accents removed in Python) instead of `icontains`.

`icontains` found "santé" in "SANTÉ" on a PostgreSQL database in a UTF-8 locale, but not on
one created with the "C" locale (UPPER folds ASCII only there), and never on SQLite (LIKE
folds ASCII only). Evaluations and recommendations now keep a folded copy of their searched
fields, `search_text` (see `uptake.core.search`), and the substring indexes of 0005 move
from the statement to that copy:

- PostgreSQL: a GIN trigram index on `evaluations_recommendation.search_text`, which serves
  `search_text LIKE '%word%'` (Django's `contains`). When the server has no `pg_trgm`, no
  index is made: searches stay correct, only slower.
- SQLite: the FTS5 trigram table `evaluations_recommendation_search`, external content, now
  over `search_text`, kept in step by triggers on every insert, update and delete.

Evaluations' own copy (titles and program) is not indexed: every evaluation row is read by
the search's OR anyway (EXPLAIN ANALYZE at 10,000 evaluations, see 0005).

Caution for later migrations: when Django rebuilds the recommendations table on SQLite
(most AlterField/AddField on it), dropping the old table drops the triggers. The test
`test_search_index.py::test_sqlite_search_index_is_complete_and_kept_in_step` then fails;
re-create them with a RunSQL of a copy of SQLITE_TRIGGERS.
"""

import unicodedata

from django.db import migrations, models


def _fold(text):
    # A frozen copy of uptake.core.search.folded_fields as it is today: a migration must
    # give the same result whatever the code becomes later.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _folded_fields(values):
    return "\n".join(_fold(str(value)) for value in values if value)


SEARCHED = {
    "evaluations_evaluation": ("title_en", "title_fr", "program"),
    "evaluations_recommendation": ("statement", "statement_fr"),
}

# --- the indexes of 0005, on the statement ------------------------------------------------
OLD_PG_DROP = ["DROP INDEX IF EXISTS recommendation_statement_trgm"]
OLD_PG_CREATE = [
    "CREATE INDEX recommendation_statement_trgm ON evaluations_recommendation"
    ' USING gin ((UPPER("statement"::text)) gin_trgm_ops)',
]

# --- the indexes of this migration, on the folded copy ------------------------------------
PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX recommendation_search_text_trgm ON evaluations_recommendation"
    " USING gin (search_text gin_trgm_ops)",
]
PG_DROP = ["DROP INDEX IF EXISTS recommendation_search_text_trgm"]


def _sqlite_statements(column):
    """The FTS5 table over COLUMN of the recommendations, its triggers, and its drop."""
    # "delete" must be given the old text exactly, or an external-content index goes wrong.
    delete_old = (
        "INSERT INTO evaluations_recommendation_search"
        f"(evaluations_recommendation_search, rowid, {column})"
        f" VALUES ('delete', old.id, old.{column});"
    )
    insert_new = (
        f"INSERT INTO evaluations_recommendation_search(rowid, {column})"
        f" VALUES (new.id, new.{column});"
    )
    triggers = [
        "CREATE TRIGGER evaluations_recommendation_search_insert"
        " AFTER INSERT ON evaluations_recommendation"
        " BEGIN " + insert_new + " END",
        "CREATE TRIGGER evaluations_recommendation_search_delete"
        " AFTER DELETE ON evaluations_recommendation"
        " BEGIN " + delete_old + " END",
        f"CREATE TRIGGER evaluations_recommendation_search_update"
        f" AFTER UPDATE OF id, {column} ON evaluations_recommendation"
        f" WHEN old.id IS NOT new.id OR old.{column} IS NOT new.{column}"
        " BEGIN " + delete_old + " " + insert_new + " END",
    ]
    create = [
        f"CREATE VIRTUAL TABLE evaluations_recommendation_search USING fts5({column},"
        " content='evaluations_recommendation', content_rowid='id', tokenize='trigram')",
        *triggers,
        # Index the rows already there.
        "INSERT INTO evaluations_recommendation_search(evaluations_recommendation_search)"
        " VALUES ('rebuild')",
    ]
    drop = [
        "DROP TRIGGER IF EXISTS evaluations_recommendation_search_insert",
        "DROP TRIGGER IF EXISTS evaluations_recommendation_search_delete",
        "DROP TRIGGER IF EXISTS evaluations_recommendation_search_update",
        "DROP TABLE IF EXISTS evaluations_recommendation_search",
    ]
    return create, drop


SQLITE_CREATE, SQLITE_DROP = _sqlite_statements("search_text")
SQLITE_TRIGGERS = SQLITE_CREATE[1:4]
OLD_SQLITE_CREATE, OLD_SQLITE_DROP = _sqlite_statements("statement")


def _pg_trgm_available(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def _indexes(postgresql, sqlite, need_trgm):
    def operation(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql" and (not need_trgm or _pg_trgm_available(schema_editor)):
            _run(schema_editor, postgresql)
        elif vendor == "sqlite":
            _run(schema_editor, sqlite)

    return operation


def fill_search_text(apps, schema_editor):
    """Fold the searched fields of every row, in batches of plain UPDATEs (no model save:
    no version bump, no history row for derived data)."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for table, fields in SEARCHED.items():
        columns = ", ".join(quote(f) for f in ("id", *fields))
        update = f"UPDATE {quote(table)} SET search_text = %s WHERE id = %s"
        last = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {columns} FROM {quote(table)} WHERE id > %s ORDER BY id LIMIT 2000",
                    [last],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                cursor.executemany(
                    update, [(_folded_fields(values), pk) for pk, *values in rows]
                )
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0005_search_indexes"),
    ]

    operations = [
        migrations.RunPython(
            _indexes(OLD_PG_DROP, OLD_SQLITE_DROP, need_trgm=False),
            _indexes(OLD_PG_CREATE, OLD_SQLITE_CREATE, need_trgm=True),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(
            _indexes(PG_CREATE, SQLITE_CREATE, need_trgm=True),
            _indexes(PG_DROP, SQLITE_DROP, need_trgm=False),
        ),
    ]
