from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation


class Migration(migrations.Migration):
    dependencies = [("observatory", "0003_campaigns")]

    operations = [
        enable_tenant_isolation("observatory_observatorysettings"),
        enable_tenant_isolation("observatory_campaign"),
        enable_tenant_isolation("observatory_campaignlink"),
        enable_tenant_isolation("observatory_response"),
        enable_tenant_isolation("observatory_impactmeasure"),
    ]
