"""A GIN index on the lesson search's document (issue 15): the list's full-text search computed the
weighted vector of every lesson on each request (two sequential scans, ~0.7 s each at scale 20). The
expression must stay exactly the one `learning.selectors.lessons.search_vector()` builds, or PostgreSQL
will not use it; tests/learning/test_search_index.py checks the plan. SQLite has no full-text search here
(the list falls back to word matching), so nothing is created there."""

from django.db import migrations

DOCUMENT = """(
    setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE("recommendation", '') || ' ' || COALESCE("root_cause", '')), 'B')
    || setweight(to_tsvector('english'::regconfig,
        COALESCE("what_worked", '') || ' ' || COALESCE("what_did_not", '') || ' ' || COALESCE("operation_reference", '')), 'C')
)"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS learning_lesson_search ON learning_lesson USING gin ({DOCUMENT})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS learning_lesson_search")


class Migration(migrations.Migration):
    dependencies = [("learning", "0004_import_in_background")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
