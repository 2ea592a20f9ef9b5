from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation

TABLES = [
    "peers_skill",
    "peers_peerprofile",
    "peers_onboardingsteptemplate",
    "peers_supervisionsession",
    "peers_activitytype",
    "peers_activityentry",
    "peers_poolsettings",
]


class Migration(migrations.Migration):
    dependencies = [("peers", "0001_initial"), ("platforms", "0002_row_level_security")]

    operations = [enable_tenant_isolation(table) for table in TABLES]
