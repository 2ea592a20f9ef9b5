from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [
        enable_tenant_isolation("events_programme"),
        enable_tenant_isolation("events_event"),
        enable_tenant_isolation("events_registration"),
        enable_tenant_isolation("events_circlemember"),
    ]
