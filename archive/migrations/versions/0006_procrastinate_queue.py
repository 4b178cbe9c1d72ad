"""job queue: procrastinate's tables, types and functions (PostgreSQL only)

Revision ID: 0006_queue
Revises: 0005_login
Create Date: 2026-12-07

The job queue (archive.queue) is procrastinate, which keeps its jobs in PostgreSQL. Its
schema is applied here, by the project's own migrations, so ``cio-talks db upgrade`` (and
every command that upgrades on start) leaves a PostgreSQL database ready for workers. The SQL
is the schema file of the installed procrastinate, whose version pyproject.toml pins to one
minor release: raising that pin needs a new migration running the files procrastinate ships
for it (``SchemaManager.get_migrations_path()``). SQLite has no queue: nothing is done there.
"""

from alembic import op
from procrastinate.schema import SchemaManager

revision = "0006_queue"
down_revision = "0005_login"
branch_labels = None
depends_on = None


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _script(sql: str) -> None:
    """Run ``sql`` as one script on the migration's own connection (same transaction). The
    driver's cursor is used without parameters, so the % signs and dollar-quoted bodies of
    procrastinate's SQL reach PostgreSQL untouched (SQLAlchemy would read % as placeholders)."""
    with op.get_bind().connection.dbapi_connection.cursor() as cursor:
        cursor.execute(sql)


def upgrade() -> None:
    if _postgres():
        _script(SchemaManager.get_schema())


def downgrade() -> None:
    if not _postgres():
        return
    _script(
        """
        DO $$
        DECLARE item record;
        BEGIN
            FOR item IN SELECT tablename FROM pg_tables
                         WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate%'
            LOOP EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename); END LOOP;
            FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                          JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'
            LOOP EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', item.signature); END LOOP;
            FOR item IN SELECT t.typname FROM pg_type t
                          JOIN pg_namespace n ON n.oid = t.typnamespace
                         WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%'
                           AND t.typtype IN ('e', 'c')
            LOOP EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname); END LOOP;
        END $$;
        """
    )
