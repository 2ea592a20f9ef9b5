from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation

# French full-text search that ignores accents: the French snowball stemmer after unaccent, so that
# "rétablissement", "retablissement" and "rétabli" meet on the same stem.
FRENCH_SEARCH = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'pairs_french') THEN
        CREATE TEXT SEARCH CONFIGURATION pairs_french (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION pairs_french
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial"), ("platforms", "0002_row_level_security")]

    operations = [
        migrations.RunSQL(FRENCH_SEARCH, "DROP TEXT SEARCH CONFIGURATION IF EXISTS pairs_french;"),
        enable_tenant_isolation("resources_document"),
        enable_tenant_isolation("resources_joboffer"),
    ]
