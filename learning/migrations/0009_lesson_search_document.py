"""The lesson search's document stored (issue 15): a generated column PostgreSQL keeps up to date with the text,
indexed (GIN) in place of migration 0005's expression index. The index found the matches, but ranking them
parsed every matching lesson's six text fields again (to_tsvector per match: about 9 ms of a search's 10 at
scale 20, and a search's throughput a third of the reference page's). The expression is exactly the one
`learning.selectors.lessons.search_vector()` builds, which 0005 indexed; the selector reads the column
(`StoredDocument`). SQLite has no full-text search here (the list falls back to word matching): nothing there."""

from django.db import migrations

DOCUMENT = """(
    setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE("recommendation", '') || ' ' || COALESCE("root_cause", '')), 'B')
    || setweight(to_tsvector('english'::regconfig,
        COALESCE("what_worked", '') || ' ' || COALESCE("what_did_not", '') || ' ' || COALESCE("operation_reference", '')), 'C')
)"""  # noqa: E501 - as 0005 wrote it


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE learning_lesson ADD COLUMN search_document tsvector GENERATED ALWAYS AS {DOCUMENT} STORED"
        )
        schema_editor.execute("DROP INDEX IF EXISTS learning_lesson_search")
        schema_editor.execute("CREATE INDEX learning_lesson_search ON learning_lesson USING gin (search_document)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS learning_lesson_search")
        schema_editor.execute("ALTER TABLE learning_lesson DROP COLUMN IF EXISTS search_document")
        schema_editor.execute(f"CREATE INDEX learning_lesson_search ON learning_lesson USING gin ({DOCUMENT})")


class Migration(migrations.Migration):
    dependencies = [("learning", "0008_training_record_product_staff_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
