"""The access log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.

The one exception is a maintenance switch for emptying the table (test databases are flushed between
tests): `mshtgov.maintenance = 'on'` for the PostgreSQL session, `mshtgov_maintenance()` returning 1 on
SQLite. `mshtgov.db` sets it only when settings.ACCESS_LOG_MAINTENANCE is true (test settings); in
production it is off and the app's database role should also be refused TRUNCATE on the table.
Updates are refused even in maintenance.
"""

from django.db import migrations

POSTGRES = """
CREATE OR REPLACE FUNCTION mshtgov_accesslog_forbid() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'UPDATE' AND current_setting('mshtgov.maintenance', true) = 'on' THEN
    IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF;
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'the access log is append-only';
END $$ LANGUAGE plpgsql;
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
    # Without the app's registered function (e.g. the sqlite3 shell) the WHEN clause errors: still refused.
    "CREATE TRIGGER mshtgov_accesslog_no_delete BEFORE DELETE ON mshtgov_accesslog "
    "WHEN mshtgov_maintenance() = 0 "
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
