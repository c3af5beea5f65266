"""PostgreSQL tells listeners when a job receipt changes: NOTIFY stackpacks_jobs, '<job id>'.

A trigger, so every writer is covered (worker progress, retries from the admin, expiry) and a
notification goes out only when its transaction commits. SQLite has no NOTIFY: there the
streams fall back to re-reading the receipt every second (first runs only).
"""

from django.db import migrations

CHANNEL = "stackpacks_jobs"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("jobs", "JobReceipt")._meta.db_table)
    schema_editor.execute(
        f"""
        CREATE FUNCTION stackpacks_job_receipt_changed() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', NEW.id::text);
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER stackpacks_job_receipt_changed
            AFTER INSERT OR UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION stackpacks_job_receipt_changed();
        """
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("jobs", "JobReceipt")._meta.db_table)
    schema_editor.execute(
        f"DROP TRIGGER IF EXISTS stackpacks_job_receipt_changed ON {table};"
        "DROP FUNCTION IF EXISTS stackpacks_job_receipt_changed();"
    )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
