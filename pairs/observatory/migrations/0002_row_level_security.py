from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation


class Migration(migrations.Migration):
    dependencies = [("observatory", "0001_initial"), ("platforms", "0002_row_level_security")]

    operations = [
        enable_tenant_isolation("observatory_instrument"),
        enable_tenant_isolation("observatory_licencepermission"),
    ]
