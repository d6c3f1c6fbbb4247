"""The access log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE."""

from django.db import migrations

POSTGRES = """
CREATE OR REPLACE FUNCTION mshtgov_accesslog_forbid() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the access log is append-only'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER mshtgov_accesslog_no_change BEFORE UPDATE OR DELETE ON mshtgov_accesslog
  FOR EACH ROW EXECUTE FUNCTION mshtgov_accesslog_forbid();
CREATE TRIGGER mshtgov_accesslog_no_truncate BEFORE TRUNCATE ON mshtgov_accesslog
  FOR EACH STATEMENT EXECUTE FUNCTION mshtgov_accesslog_forbid();
"""
POSTGRES_UNDO = """
DROP TRIGGER IF EXISTS mshtgov_accesslog_no_change ON mshtgov_accesslog;
DROP TRIGGER IF EXISTS mshtgov_accesslog_no_truncate ON mshtgov_accesslog;
DROP FUNCTION IF EXISTS mshtgov_accesslog_forbid();
"""
SQLITE = [
    "CREATE TRIGGER mshtgov_accesslog_no_update BEFORE UPDATE ON mshtgov_accesslog "
    "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;",
    "CREATE TRIGGER mshtgov_accesslog_no_delete BEFORE DELETE ON mshtgov_accesslog "
    "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS mshtgov_accesslog_no_update;",
    "DROP TRIGGER IF EXISTS mshtgov_accesslog_no_delete;",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES], "sqlite": SQLITE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": [POSTGRES_UNDO], "sqlite": SQLITE_UNDO}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("mshtgov", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
