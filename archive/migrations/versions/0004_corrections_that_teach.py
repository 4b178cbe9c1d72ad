"""corrections that teach: organisation aliases and overrides, run-event changes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

- ``organisation_aliases``: every spelling an organisation was extracted under, so a renamed
  or merged organisation stays the one record when a later run extracts the old name again.
- ``organisations.overrides``: which organisation facts an admin set (industries), so the
  gazetteer and later runs leave them alone.
- ``run_events.changes``: per changed field the old and the new value, and which fields kept
  an admin's correction, for the run report.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation_aliases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "organisation_id",
            sa.Integer,
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("name", sa.String(300), nullable=False, unique=True),
    )
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("overrides", sa.JSON, nullable=True))
    with op.batch_alter_table("run_events") as batch:
        batch.add_column(sa.Column("changes", sa.JSON, nullable=True))
    bind = op.get_bind()
    orgs = sa.table("organisations", sa.column("id", sa.Integer), sa.column("name", sa.String))
    aliases = sa.table(
        "organisation_aliases",
        sa.column("organisation_id", sa.Integer),
        sa.column("name", sa.String),
    )
    rows = list(bind.execute(sa.select(orgs.c.id, orgs.c.name)))
    if rows:
        op.bulk_insert(aliases, [{"organisation_id": i, "name": n} for i, n in rows])


def downgrade() -> None:
    with op.batch_alter_table("run_events") as batch:
        batch.drop_column("changes")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("overrides")
    op.drop_table("organisation_aliases")
