from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("platforms", "0002_row_level_security")]

    operations = [
        enable_tenant_isolation("privacy_privacysettings"),
        enable_tenant_isolation("privacy_anonymisedrecord"),
        enable_tenant_isolation("privacy_retentionwarning"),
    ]
