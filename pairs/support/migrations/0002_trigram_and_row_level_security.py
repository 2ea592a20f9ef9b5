from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation

TABLES = [
    "support_supportsettings",
    "support_place",
    "support_supportrequest",
    "support_person",
    "support_meeting",
    "support_group",
]


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial"), ("platforms", "0002_row_level_security")]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name="supportrequest",
            index=GinIndex(fields=["pseudonym"], opclasses=["gin_trgm_ops"], name="support_request_pseudo_trgm"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=GinIndex(fields=["pseudonym"], opclasses=["gin_trgm_ops"], name="support_person_pseudo_trgm"),
        ),
        *[enable_tenant_isolation(table) for table in TABLES],
    ]
