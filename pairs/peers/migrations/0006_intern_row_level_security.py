from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation


class Migration(migrations.Migration):
    dependencies = [("peers", "0005_intern_records")]

    operations = [enable_tenant_isolation("peers_internrecord"), enable_tenant_isolation("peers_internmilestone")]
