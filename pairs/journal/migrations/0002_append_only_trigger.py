"""The journal is append-only: PostgreSQL refuses any UPDATE or DELETE of an entry."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION journal_entry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'journal_journalentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER journal_entry_append_only
    BEFORE UPDATE OR DELETE ON journal_journalentry
    FOR EACH ROW EXECUTE FUNCTION journal_entry_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS journal_entry_append_only ON journal_journalentry;
DROP FUNCTION IF EXISTS journal_entry_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
