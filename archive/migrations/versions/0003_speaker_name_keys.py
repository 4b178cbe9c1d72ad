"""speaker alias keys from the one folding

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

Speaker identity now uses folding.name_key, which makes "Sørensen", "Soerensen" and
"Sorensen" one key. Every alias key is recomputed. Two aliases that now share a key belong to
the same person under two spellings; the later one keeps its old key (so nothing is lost and
the unique index holds) and is logged, for an admin to merge with `cio-talks speakers merge`.
"""
import logging

import sqlalchemy as sa
from alembic import op

from scraper.extract.speakers import normalise_name

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)


def upgrade() -> None:
    bind = op.get_bind()
    aliases = sa.table(
        "speaker_aliases",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
    )
    rows = sorted(bind.execute(sa.select(aliases.c.id, aliases.c.name, aliases.c.name_key)))
    final: dict[int, str] = {}
    leaders: set[str] = set()
    for alias_id, name, key in rows:  # the oldest alias of a spelling group takes the new key
        new = normalise_name(name) or key
        if new not in leaders:
            leaders.add(new)
            final[alias_id] = new
    used = set(final.values())
    for alias_id, name, key in rows:
        if alias_id not in final:
            kept = key if key not in used else f"{key}#{alias_id}"
            log.warning("speaker alias %r keeps key %r: another alias has its new key", name, kept)
            final[alias_id] = kept
            used.add(kept)
    wanted = {alias_id: final[alias_id] for alias_id, _, old in rows if final[alias_id] != old}
    # two passes through temporary keys, so no update meets a key that is about to be freed
    for alias_id in wanted:
        bind.execute(
            aliases.update().where(aliases.c.id == alias_id).values(name_key=f"~moving~{alias_id}")
        )
    for alias_id, new in wanted.items():
        bind.execute(aliases.update().where(aliases.c.id == alias_id).values(name_key=new))


def downgrade() -> None:
    pass  # the old keys are not needed: lookups fold the same way on both versions' data
