from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [enable_tenant_isolation("reporting_yearlyreport"), enable_tenant_isolation("reporting_narrative")]
