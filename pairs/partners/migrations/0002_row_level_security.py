from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial"), ("platforms", "0002_row_level_security")]

    operations = [
        enable_tenant_isolation("partners_organisation"),
        enable_tenant_isolation("partners_team"),
        enable_tenant_isolation("partners_contact"),
    ]
