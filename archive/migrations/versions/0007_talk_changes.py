"""index change log: talk_changes, one row per change to a talk's indexed content

Revision ID: 0007_changes
Revises: 0006_queue
Create Date: 2026-12-07

Every write that changes what the search index holds for a talk appends a row here in the
same transaction (archive.changelog). Each web node's index follows the table from the last
sequence it applied (archive.replica), so nodes need nothing but the database to stay current.
``talk_id`` is empty for a "rebuild" row, which asks every node to rebuild its whole index.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_changes"
down_revision = "0006_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "talk_changes",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("talk_id", sa.Integer, nullable=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index(op.f("ix_talk_changes_talk_id"), "talk_changes", ["talk_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_talk_changes_talk_id"), table_name="talk_changes")
    op.drop_table("talk_changes")
