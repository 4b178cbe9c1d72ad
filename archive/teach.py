"""Teaching a site by example, with the archive around it: pages in, an approved profile out.

The shell (``cio-talks profiles``) and the admin area share these steps:

1. read each example's page: a file, an archived URL (from the WARC archive, no fetch), or,
   only when the archive does not have it, a fetched URL;
2. take examples from talks an admin corrected: the talk's values as they stand (corrections
   applied) and its archived page;
3. preview a learned profile on every archived page of the examples' hosts;
4. approve: save the profile file (versioned), log it in the audit log, and re-extract the
   hosts' archived pages with the new rules.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from archive import appearances, store
from archive.crawling import app_fetch_config, archived_pages, host_of, latest_page
from archive.db import engine_of, is_current, new_session
from archive.extracting import read_source
from archive.ingest import Ingest, Options
from archive.models import AuditEntry, Page, Talk
from archive.profiles import ExampleSpec, ProfileError, save_profile
from archive.report import Report
from archive.warcs import warc_store
from scraper.extract.rules import Profile, Rules, load_rules
from scraper.extract.speakers import normalise_name
from scraper.fetch import Fetcher
from scraper.warc_store import WarcStore

log = logging.getLogger(__name__)


def rules_dir(app: Flask) -> Path:
    """The instance's rules folder (learned profiles go to its profiles/)."""
    return Path(app.config["RULES_DIR"])


def current_rules(app: Flask) -> Rules:
    """The rules extraction uses on this instance: package data and the rules folder."""
    folder = rules_dir(app)
    return load_rules(folder if folder.is_dir() else None)


def _has_schema(app: Flask) -> bool:
    try:
        return is_current(engine_of(app))
    except Exception:  # no database yet: nothing is archived
        return False


def _body(warc: WarcStore, row: Page) -> bytes | None:
    if row.warc_path is None:
        return None
    ref = row.record_ref()
    try:
        return warc.read(ref).body
    except Exception as error:  # a damaged archive file: the page is left out, and said so
        log.warning("archived copy of %s unreadable: %s", row.url, error)
        return None


def example_pages(app: Flask, specs: Sequence[ExampleSpec]) -> list[tuple[ExampleSpec, bytes]]:
    """Each example's page bytes: archived copy first, then the file or a fetch."""
    out: list[tuple[ExampleSpec, bytes]] = []
    archived = _has_schema(app)
    fetcher = Fetcher(app_fetch_config(app, delay=0.0))
    with fetcher, warc_store(app) as warc:
        for spec in specs:
            body = None
            if archived and spec.source.lower().startswith(("http://", "https://")):
                with new_session(app) as session:
                    row = latest_page(session, spec.source)
                    body = _body(warc, row) if row is not None else None
            if body is None:
                page = read_source(spec.source, fetcher)
                if page.error:
                    raise ProfileError(f"line {spec.line}: {spec.source}: {page.error}")
                body = page.body
            out.append((spec, body))
    return out


def host_pages(app: Flask, hosts: Sequence[str]) -> Iterator[tuple[str, bytes, str | None]]:
    """Every archived page of these hosts as (url, body, content type), newest versions."""
    if not hosts or not _has_schema(app):
        return
    with new_session(app) as session, warc_store(app) as warc:
        for row in archived_pages(session, hosts):
            body = _body(warc, row)
            if body is not None:
                yield row.url, body, row.content_type


def hosts_of(sources: Sequence[str]) -> list[str]:
    """The web hosts among the examples' sources (files have none)."""
    return sorted({h for s in sources if (h := host_of(s))})


def talk_fields(talk: Talk) -> dict[str, Any]:
    """A talk's values as an example, as the page shows them: corrections applied.

    A speaker's organisation is the admin's correction of that appearance, else the name the
    page gave (not the organisation record's, which a rename or merge may have changed); the
    name is the corrected one where an admin corrected it, else as the page shows it.
    """
    data = store.talk_contract(talk)
    fields = {k: data[k] for k in ("title", "topic", "date", "start_time", "end_time", "location",
                                    "abstract", "series", "host") if data.get(k)}  # fmt: skip
    fields["speakers"] = [
        {k: v for k, v in person.items() if k in ("name", "role", "organisation", "bio") and v}
        for person in data["speakers"]
    ]
    overrides = {o.field: o.value for o in talk.overrides}
    read = {
        normalise_name(str(s.get("name") or "")): s
        for s in (talk.extracted or {}).get("speakers") or []
    }
    for person, appearance in zip(fields["speakers"], talk.appearances, strict=False):
        if "name" not in (appearance.speaker.overrides or {}):
            person["name"] = appearance.name_as_shown or person["name"]
        on_page = read.get(normalise_name(appearance.name_as_shown or "")) or {}
        for part in ("role", "organisation"):
            corrected = overrides.get(appearances.field_name(appearance.speaker_id, part))
            value = corrected if corrected is not None else on_page.get(part)
            if value:
                person[part] = value
            else:
                person.pop(part, None)
    if isinstance(fields.get("abstract"), str):
        fields["abstract"] = " ".join(fields["abstract"].split()[:12])
    for person in fields["speakers"]:
        if isinstance(person.get("bio"), str):
            person["bio"] = " ".join(person["bio"].split()[:10])
    return fields


def talk_examples(
    app: Flask, session: Session, talk_ids: Sequence[int]
) -> list[tuple[ExampleSpec, bytes]]:
    """Examples from talks: each talk's current values and its archived page."""
    out: list[tuple[ExampleSpec, bytes]] = []
    with warc_store(app) as warc:
        for number, talk_id in enumerate(talk_ids, start=1):
            talk = session.get(Talk, talk_id)
            if talk is None:
                raise ProfileError(f"no talk {talk_id}")
            row = talk.page or latest_page(session, talk.source_url)
            body = _body(warc, row) if row is not None else None
            if body is None:
                raise ProfileError(f"talk {talk_id}: no archived page to learn from")
            out.append((ExampleSpec(talk.source_url, talk_fields(talk), number), body))
    return out


def approve(
    app: Flask, profile: Profile, user: str, hosts: Sequence[str], examples: Sequence[str]
) -> tuple[Profile, Path, Report | None]:
    """Save the profile, log who approved it, and re-extract the hosts' archived pages."""
    saved, path = save_profile(rules_dir(app), profile)
    if _has_schema(app):
        with new_session(app) as session:
            session.add(
                AuditEntry(
                    user=user,
                    action="profile.approve",
                    target=saved.name,
                    detail={
                        "version": saved.version,
                        "file": str(path),
                        "examples": list(examples),
                    },
                )
            )
            session.commit()
    report = Ingest(app, Options()).reextract(hosts) if hosts and _has_schema(app) else None
    return saved, path, report


def removed(app: Flask, name: str, user: str, where: Path) -> None:
    """Log a profile's removal in the audit log."""
    if _has_schema(app):
        with new_session(app) as session:
            session.add(
                AuditEntry(
                    user=user, action="profile.remove", target=name, detail={"file": str(where)}
                )
            )
            session.commit()
