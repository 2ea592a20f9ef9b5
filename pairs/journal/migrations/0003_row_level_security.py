from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_append_only_trigger"), ("platforms", "0002_row_level_security")]

    operations = [enable_tenant_isolation("journal_journalentry")]
