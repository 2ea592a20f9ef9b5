from django.db import migrations

from pairs.platforms.migration_operations import enable_tenant_isolation

TABLES = [
    "deployments_assignment",
    "deployments_deploymentsettings",
    "deployments_review",
    "deployments_successcriteriontemplate",
    "deployments_contract",
]


class Migration(migrations.Migration):
    dependencies = [("deployments", "0004_assignments_reviews_assessments_contracts")]

    operations = [enable_tenant_isolation(table) for table in TABLES]
