from django.db import migrations

from pairs.platforms.migration_operations import create_visibility_function, enable_tenant_isolation


class Migration(migrations.Migration):
    dependencies = [("platforms", "0001_initial")]

    operations = [create_visibility_function(), enable_tenant_isolation("platforms_membership")]
