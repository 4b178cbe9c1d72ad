"""The ``cio-talks organisations`` commands: list, rename, merge and set industries.

The same operations as the admin area's organisations page, audited as the user ``cli``;
the affected talks are re-derived and re-indexed before the command returns.
"""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from archive import appearances, organisations, replica
from archive.db import engine_of, new_session, upgrade
from archive.models import AuditEntry, Organisation

log = logging.getLogger(__name__)


def _organisation(db: Session, ref: str) -> Organisation:
    org = organisations.find(db, ref)
    if org is None:
        raise click.ClickException(f"no organisation {ref!r}")
    return org


def _finish(db: Session, talk_ids: list[int], action: str, target: str, **detail: object) -> int:
    """Re-derive the talks, audit, commit and re-index; returns how many talks moved."""
    ids = appearances.recompute(db, talk_ids)
    db.add(AuditEntry(user="cli", action=action, target=target, detail=detail))
    replica.commit(db, current_app.config["INDEX_DIR"], ids)
    return len(ids)


@click.group("organisations")
def organisations_group() -> None:
    """Organisation records: rename, merge and fix their industries."""


@organisations_group.command("list")
@click.argument("query", required=False, default="")
@click.option("--limit", type=int, default=100, show_default=True)
@with_appcontext
def organisations_list(query: str, limit: int) -> None:
    """List organisations (optionally those whose name or former name contains QUERY)."""
    upgrade(engine_of())
    with new_session() as db:
        rows, total = organisations.search(db, query, limit=max(1, limit))
        for row in rows:
            org = row.organisation
            aliases = ", ".join(a.name for a in org.aliases)
            fixed = " (set)" if organisations.industries_override(org) is not None else ""
            line = f"{org.id}  {org.name}  talks {row.talks}"
            line += f"  industries: {', '.join(org.industries) or '-'}{fixed}"
            if aliases:
                line += f"  aka {aliases}"
            click.echo(line)
        if total > len(rows):
            click.echo(f"… {total - len(rows)} more; narrow with QUERY or raise --limit")
        if not total:
            click.echo("no organisations")


@organisations_group.command("rename")
@click.argument("org")
@click.argument("new_name")
@with_appcontext
def organisations_rename(org: str, new_name: str) -> None:
    """Rename ORG (id or name) to NEW_NAME; the old name stays as an alias."""
    upgrade(engine_of())
    with new_session() as db:
        record = _organisation(db, org)
        was = record.name
        try:
            ids = organisations.rename(db, record, new_name)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        count = _finish(
            db, ids, "organisation.rename", f"organisation {record.id}", value=record.name, was=was
        )
        click.echo(f"renamed {was!r} to {record.name!r}: {count} talks updated")


@organisations_group.command("merge")
@click.argument("keep")
@click.argument("drop")
@with_appcontext
def organisations_merge(keep: str, drop: str) -> None:
    """Merge organisation DROP into KEEP (ids or names); DROP's names become aliases."""
    upgrade(engine_of())
    with new_session() as db:
        kept, dropped = _organisation(db, keep), _organisation(db, drop)
        if kept.id == dropped.id:
            raise click.ClickException("cannot merge an organisation with itself")
        merged = {"id": dropped.id, "name": dropped.name}
        ids = organisations.merge(db, kept, dropped)
        count = _finish(
            db, ids, "organisation.merge", f"organisation {kept.id}", merged=merged, talks=len(ids)
        )
        click.echo(f"merged {merged['name']!r} into {kept.name!r}: {count} talks updated")


@organisations_group.command("industries")
@click.argument("org")
@click.argument("industries", nargs=-1)
@click.option("--clear", is_flag=True, help="Drop the setting: the extracted industries return.")
@with_appcontext
def organisations_industries(org: str, industries: tuple[str, ...], clear: bool) -> None:
    """Set the industries of ORG (id or name); later runs keep them. Without any, show them."""
    upgrade(engine_of())
    with new_session() as db:
        record = _organisation(db, org)
        target = f"organisation {record.id}"
        if clear:
            was = organisations.industries_override(record)
            ids = organisations.clear_industries(db, record)
            if ids is None:
                raise click.ClickException(f"{record.name!r} has no industries setting")
            count = _finish(db, ids, "organisation.industries-undo", target, value=was)
            back = ", ".join(record.industries) or "-"
            click.echo(f"{record.name}: industries back to {back}; {count} talks updated")
            return
        if not industries:
            fixed = organisations.industries_override(record) is not None
            state = "set by an admin" if fixed else "extracted"
            click.echo(f"{record.name}: {', '.join(record.industries) or '-'} ({state})")
            return
        was_list = list(record.industries or [])
        ids = organisations.set_industries(db, record, list(industries), "cli")
        count = _finish(
            db, ids, "organisation.industries", target, value=record.industries, was=was_list
        )
        click.echo(f"{record.name}: industries {', '.join(record.industries)}; {count} talks")
