"""shared login limits: login_attempts, session versions, no account lockout

Revision ID: 0005_login
Revises: 0004
Create Date: 2026-12-07

- ``login_attempts``: failed sign-ins per (name, address) pair, per name and per address, in
  the database so every worker process counts the same attempts.
- ``users.session_version``: raised on sign-out and password change; cookies that carry an
  older version are signed out.
- ``users.failed_logins`` and ``users.locked_until`` go: a growing delay replaces the lock
  that anyone could trigger.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_login"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", sa.DateTime, nullable=False),
        sa.Column("wait_until", sa.DateTime, nullable=True),
        sa.UniqueConstraint("scope", "name", "address"),
    )
    op.create_index(
        op.f("ix_login_attempts_last_failed_at"), "login_attempts", ["last_failed_at"]
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer, nullable=False, server_default="0")
        )
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locked_until", sa.DateTime, nullable=True))
        batch.add_column(
            sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0")
        )
        batch.drop_column("session_version")
    op.drop_index(op.f("ix_login_attempts_last_failed_at"), table_name="login_attempts")
    op.drop_table("login_attempts")
