"""Migration operations that put a tenant table under row-level security."""

from __future__ import annotations

from django.db import migrations

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION pairs_platform_visible(row_platform_id bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('pairs.platform_id', true), '') = ''
        OR row_platform_id = nullif(current_setting('pairs.platform_id', true), '')::bigint
$$;
"""

DROP_FUNCTION_SQL = "DROP FUNCTION IF EXISTS pairs_platform_visible(bigint);"


def create_visibility_function() -> migrations.RunSQL:
    return migrations.RunSQL(FUNCTION_SQL, DROP_FUNCTION_SQL)


def enable_tenant_isolation(table: str) -> migrations.RunSQL:
    """Rows of ``table`` are visible only for the platform the session is scoped to.

    Inserting is not restricted (a sign-in is journaled on each of the person's platforms).
    FORCE applies the policy to the table owner too; superusers always bypass it, which is
    why the application works through a non-superuser role.
    """
    return migrations.RunSQL(
        f"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON {table}
            USING (pairs_platform_visible(platform_id))
            WITH CHECK (true);
        """,
        f"""
        DROP POLICY IF EXISTS tenant_isolation ON {table};
        ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
        """,
    )
