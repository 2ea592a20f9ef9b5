from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation


class Migration(migrations.Migration):
    dependencies = [("deployments", "0002_initial"), ("platforms", "0002_row_level_security")]

    operations = [
        enable_tenant_isolation("deployments_deployment"),
        enable_tenant_isolation("deployments_prerequisitetemplate"),
    ]
