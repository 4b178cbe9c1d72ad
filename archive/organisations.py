"""Organisation records: look-up through aliases, rename, merge and admin-set industries.

An organisation is found by its name or by any name it was extracted under before (an
``OrganisationAlias``), so a later run that extracts an old name lands on the renamed or
merged record. Industries an admin set live in ``Organisation.overrides["industries"]`` and
are copied to ``Organisation.industries``; the gazetteer and later runs never change them.

The functions here change organisation rows only and return the ids of the talks whose
appearances point at them; :func:`archive.appearances.recompute` then brings those talks'
derived values (appearance and talk industries) in line, and the caller re-indexes them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from archive.ids import parse_id
from archive.models import Appearance, Organisation, OrganisationAlias, utcnow

log = logging.getLogger(__name__)

#: The key of ``Organisation.overrides`` holding the industries an admin set, and the key
#: beside it recording who set them, when, and the industries known before.
INDUSTRIES = "industries"
INDUSTRIES_NOTE = "industries_note"


def find_organisation(session: Session, name: str) -> Organisation | None:
    """The organisation called ``name`` now, or once (an alias left by a rename or merge)."""
    name = name.strip()
    if not name:
        return None
    org = session.scalar(select(Organisation).where(Organisation.name == name))
    if org is not None:
        return org
    alias = session.scalar(select(OrganisationAlias).where(OrganisationAlias.name == name))
    return alias.organisation if alias else None


def industries_override(org: Organisation | None) -> list[str] | None:
    """The industries an admin set for ``org`` (None when the extraction decides)."""
    if org is None:
        return None
    value = (org.overrides or {}).get(INDUSTRIES)
    return list(value) if isinstance(value, list) else None


def organisation_for(session: Session, name: str, industries: list[str]) -> Organisation:
    """Find (through aliases) or create (pending) an organisation by name.

    Industries newly known for it are added, unless an admin set its industries: then they
    are only remembered in the override's note, so an undo brings them back.
    """
    org = find_organisation(session, name)
    if org is None:
        org = Organisation(name=name.strip(), industries=list(industries), overrides={})
        session.add(org)
        return org
    if industries_override(org) is not None:
        note = dict((org.overrides or {}).get(INDUSTRIES_NOTE) or {})
        known = list(note.get("extracted") or [])
        if any(i not in known for i in industries):
            note["extracted"] = sorted({*known, *industries})
            org.overrides = {**(org.overrides or {}), INDUSTRIES_NOTE: note}
    elif any(i not in org.industries for i in industries):
        org.industries = sorted({*org.industries, *industries})
    return org


def talk_ids(session: Session, org_ids: list[int]) -> list[int]:
    """Ids of the talks with an appearance at any of these organisations."""
    if not org_ids:
        return []
    query = select(Appearance.talk_id).where(Appearance.organisation_id.in_(org_ids))
    return sorted(set(session.scalars(query)))


def rename(session: Session, org: Organisation, new_name: str) -> list[int]:
    """Give ``org`` a new name; the old one stays as an alias. Returns the talks affected.

    ValueError when the name is empty, too long, or another organisation answers to it
    (merge the two instead).
    """
    new_name = " ".join(new_name.split())
    if not new_name:
        raise ValueError("an organisation needs a name")
    if len(new_name) > 300:
        raise ValueError("an organisation name has at most 300 characters")
    if new_name == org.name:
        return []
    owner = find_organisation(session, new_name)
    if owner is not None and owner.id != org.id:
        raise ValueError(f"{new_name!r} is organisation {owner.id} ({owner.name}): merge them")
    old = org.name
    for alias in list(org.aliases):
        if alias.name == new_name:
            org.aliases.remove(alias)
    session.flush()  # the alias of the new name is gone before the name takes its place
    org.name = new_name
    org.aliases.append(OrganisationAlias(name=old))
    session.flush()
    log.info("organisation %d renamed from %r to %r", org.id, old, new_name)
    return talk_ids(session, [org.id])


def merge(session: Session, keep: Organisation, drop: Organisation) -> list[int]:
    """Move every appearance of ``drop`` onto ``keep`` and delete ``drop``.

    ``drop``'s name and aliases become aliases of ``keep``. Industries: an admin's setting on
    ``keep`` stays; otherwise ``keep`` takes ``drop``'s setting or the union of both records'
    industries. Returns the talks affected.
    """
    if keep.id == drop.id:
        raise ValueError("cannot merge an organisation with itself")
    affected = talk_ids(session, [keep.id, drop.id])
    for appearance in session.scalars(
        select(Appearance).where(Appearance.organisation_id == drop.id)
    ):
        appearance.organisation = keep
    names = [drop.name, *(a.name for a in drop.aliases)]
    if industries_override(keep) is None and industries_override(drop) is not None:
        keep.overrides = {
            **(keep.overrides or {}),
            INDUSTRIES: industries_override(drop),
            INDUSTRIES_NOTE: (drop.overrides or {}).get(INDUSTRIES_NOTE, {}),
        }
        keep.industries = list(industries_override(drop) or [])
    elif industries_override(keep) is None:
        keep.industries = sorted({*keep.industries, *drop.industries})
    session.flush()
    session.delete(drop)
    session.flush()  # drop's aliases are gone (cascade) before keep takes the names
    for name in names:
        keep.aliases.append(OrganisationAlias(name=name))
    session.flush()
    log.info("organisation %d merged into %d", drop.id, keep.id)
    return affected


def set_industries(
    session: Session, org: Organisation, industries: list[str], author: str
) -> list[int]:
    """Fix ``org``'s industries as an admin's setting; returns the talks affected."""
    cleaned = list(dict.fromkeys(" ".join(i.split()) for i in industries if i.strip()))
    overrides = dict(org.overrides or {})
    note = dict(overrides.get(INDUSTRIES_NOTE) or {})
    if INDUSTRIES not in overrides:
        note["extracted"] = list(org.industries or [])
    note.update(author=author, at=utcnow().isoformat(timespec="seconds"))
    overrides[INDUSTRIES] = cleaned
    overrides[INDUSTRIES_NOTE] = note
    org.overrides = overrides
    org.industries = cleaned
    session.flush()
    return talk_ids(session, [org.id])


def clear_industries(session: Session, org: Organisation) -> list[int] | None:
    """Undo the industries setting: the extracted ones come back. None when there was none."""
    overrides = dict(org.overrides or {})
    if INDUSTRIES not in overrides:
        return None
    overrides.pop(INDUSTRIES)
    note = overrides.pop(INDUSTRIES_NOTE, None) or {}
    org.overrides = overrides
    org.industries = list(note.get("extracted") or [])
    session.flush()
    return talk_ids(session, [org.id])


def find(session: Session, ref: str) -> Organisation | None:
    """An organisation by id (digits) or by name or alias."""
    ref = ref.strip()
    if ref.isdigit():  # an id; one too big for a column names no organisation
        wanted = parse_id(ref)
        return session.get(Organisation, wanted) if wanted is not None else None
    return find_organisation(session, ref)


@dataclass
class OrganisationRow:
    """One line of the organisations list: the record and how many talks it appears in."""

    organisation: Organisation
    talks: int


def like_pattern(query: str) -> str:
    """A case-insensitive LIKE pattern matching ``query`` anywhere, wildcards escaped."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(
    session: Session, query: str = "", *, offset: int = 0, limit: int = 50
) -> tuple[list[OrganisationRow], int]:
    """Organisations whose name or an alias contains ``query``, by name; and the total."""
    where: Any = true()
    query = query.strip()
    if query:
        pattern = like_pattern(query)
        aliased = select(OrganisationAlias.organisation_id).where(
            OrganisationAlias.name.ilike(pattern, escape="\\")
        )
        where = or_(Organisation.name.ilike(pattern, escape="\\"), Organisation.id.in_(aliased))
    total = session.scalar(select(func.count()).select_from(Organisation).where(where)) or 0
    orgs = list(
        session.scalars(
            select(Organisation)
            .where(where)
            .options(selectinload(Organisation.aliases))
            .order_by(func.lower(Organisation.name), Organisation.id)
            .offset(offset)
            .limit(limit)
        )
    )
    counts: dict[int, int] = {}
    if orgs:
        counted = (
            select(Appearance.organisation_id, func.count(func.distinct(Appearance.talk_id)))
            .where(Appearance.organisation_id.in_([o.id for o in orgs]))
            .group_by(Appearance.organisation_id)
        )
        counts = {int(oid): int(n) for oid, n in session.execute(counted) if oid is not None}
    return [OrganisationRow(o, counts.get(o.id, 0)) for o in orgs], int(total)
