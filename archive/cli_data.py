"""CLI commands for the archive's data: named sources, export and import, consistency check."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archive import check, datapackage, transfer
from archive.db import engine_of, new_session, upgrade
from archive.models import Appearance, Talk
from archive.priority import yield_cpu
from archive.profiles import (
    ProfileError,
    check_profiles,
    profile_files,
    write_profiles,
)
from archive.safety import UnsafeURL, check_source_address
from archive.sources import (
    NamedSource,
    ScrapePlan,
    SourcesError,
    add_source,
    load_sources,
    plan,
    remove_source,
    save_sources,
    set_enabled,
)
from archive.warcs import warc_store


def _sources_file() -> Path:
    return Path(current_app.config["SOURCES_FILE"])


def _load() -> list[NamedSource]:
    try:
        return load_sources(_sources_file())
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None


def _save(sources: list[NamedSource]) -> None:
    try:
        save_sources(_sources_file(), sources)
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None


def configured_plan(app: Flask) -> ScrapePlan:
    """What `cio-talks scrape` without arguments runs: the enabled configured sources."""
    try:
        return plan(load_sources(Path(app.config["SOURCES_FILE"])))
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None


@click.group("sources", invoke_without_command=True)
@click.pass_context
@with_appcontext
def sources_group(ctx: click.Context) -> None:
    """Named sources that `cio-talks scrape` (with no arguments) re-runs; lists them."""
    if ctx.invoked_subcommand:
        return
    sources = _load()
    if not sources:
        click.echo(f"no sources configured ({_sources_file()}); add one with `sources add`")
        return
    for s in sources:
        extras = []
        if s.allow:
            extras.append("allow " + " ".join(s.allow))
        if s.deny:
            extras.append("deny " + " ".join(s.deny))
        if s.max_pages:
            extras.append(f"max {s.max_pages} pages")
        if s.sitemap:
            extras.append("sitemap")
        state = "enabled " if s.enabled else "disabled"
        tail = f"  ({'; '.join(extras)})" if extras else ""
        click.echo(f"{s.name:<20} {state} {s.url}{tail}")


@sources_group.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--allow", multiple=True, help="Regex a discovered URL must match (repeatable).")
@click.option("--deny", multiple=True, help="Regex that excludes a URL (repeatable; wins).")
@click.option("--max-pages", type=int, default=None, help="Pages to fetch from this source.")
@click.option("--sitemap", is_flag=True, help="Also read the host's sitemaps.")
@click.option("--disabled", is_flag=True, help="Add it switched off.")
@with_appcontext
def sources_add(
    name: str,
    url: str,
    allow: tuple[str, ...],
    deny: tuple[str, ...],
    max_pages: int | None,
    sitemap: bool,
    disabled: bool,
) -> None:
    """Add source NAME crawling from URL (or a file, folder, URL list or WARC path)."""
    source = NamedSource(name, url, not disabled, allow, deny, max_pages, sitemap)
    try:
        if url.lower().startswith(("http://", "https://")):
            check_source_address(url, bool(current_app.config["ALLOW_PRIVATE_SOURCES"]))
        sources = add_source(_load(), source)
    except UnsafeURL as exc:
        raise click.ClickException(f"refused {url}: {exc}") from None
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None
    _save(sources)
    click.echo(f"added source {name}: {url}")


@sources_group.command("remove")
@click.argument("name")
@with_appcontext
def sources_remove(name: str) -> None:
    """Forget source NAME (its talks stay in the archive)."""
    try:
        sources = remove_source(_load(), name)
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None
    _save(sources)
    click.echo(f"removed source {name}")


def _switch(name: str, enabled: bool) -> None:
    try:
        sources = set_enabled(_load(), name, enabled)
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None
    _save(sources)
    click.echo(f"{'enabled' if enabled else 'disabled'} source {name}")


@sources_group.command("enable")
@click.argument("name")
@with_appcontext
def sources_enable(name: str) -> None:
    """Include source NAME in `cio-talks scrape` runs."""
    _switch(name, True)


@sources_group.command("disable")
@click.argument("name")
@with_appcontext
def sources_disable(name: str) -> None:
    """Leave source NAME out of `cio-talks scrape` runs (kept in the file)."""
    _switch(name, False)


def _site_permalinks(app: Flask) -> Callable[[Talk], str]:
    """Talk permalinks on the site's public address (``SITE_URL``), outside any request."""
    from archive.views.talks import permalink

    base = app.config["SITE_URL"].rstrip("/") + "/"

    def link(talk: Talk) -> str:
        with app.test_request_context():
            path = urlsplit(permalink(talk)).path
        return urljoin(base, path.lstrip("/"))

    return link


def _visible_talks(session: Session) -> list[Talk]:
    return list(
        session.scalars(
            select(Talk)
            .where(Talk.hidden.is_(False))
            .order_by(Talk.id)
            .options(
                selectinload(Talk.appearances).selectinload(Appearance.speaker),
                selectinload(Talk.appearances).selectinload(Appearance.organisation),
            )
        )
    )


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "bibtex", "datapackage"]),
    default="json",
    show_default=True,
)
@click.option("--output", type=click.Path(path_type=Path), default=None)
@with_appcontext
def export_command(fmt: str, output: Path | None) -> None:
    """Write the archive to standard output (or --output FILE).

    JSON is the whole archive (talks with corrections applied, overrides, speakers, runs,
    pages, and the learned site profiles) and is what `cio-talks import` reads; CSV has one
    row per talk; BibTeX one entry per visible talk; datapackage a Frictionless Data Package
    of the visible talks (--output FOLDER, or FILE.zip).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if fmt == "datapackage" and output is None:
        raise click.UsageError("--format datapackage needs --output FOLDER or FILE.zip")
    upgrade(engine_of())
    with new_session() as session:
        if fmt == "datapackage":
            assert output is not None
            talks = _visible_talks(session)
            package = datapackage.files(
                talks, _site_permalinks(app), f"Every visible talk of {app.config['SITE_URL']}"
            )
            datapackage.write(package, output)
            click.echo(f"wrote {output} ({len(talks)} talks)", err=True)
            return
        if fmt == "bibtex":
            text = transfer.to_bibtex(session, _site_permalinks(app))
        else:
            document = transfer.export_document(session)
            # the learned site profiles travel with the archive they were taught on
            document["profiles"] = profile_files(Path(current_app.config["RULES_DIR"]))
            if fmt == "csv":
                text = transfer.to_csv(document)
            else:
                text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
        click.echo(f"wrote {output}", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(file: Path) -> None:
    """Load a JSON export into an empty database, then rebuild the search index.

    The whole file is checked first (archive.import_check); any problem is one line naming
    the record, exit 1, with the database and the rules folder as they were. The rows go in
    one transaction; the profiles are written only once every row is in, just before commit.
    """
    from archive import changelog, replica

    try:
        document = transfer.load_document(file)
        profiles = document.pop("profiles", None) if isinstance(document, dict) else None
        checked = check_profiles(profiles) if profiles is not None else []
    except (transfer.TransferError, ProfileError) as exc:
        raise click.ClickException(_one_line(exc)) from None
    yield_cpu(current_app)
    upgrade(engine_of())
    with new_session() as session:
        try:
            counts = transfer.import_document(session, document, warc_store())
            session.flush()
            changelog.record_rebuild(session)
            write_profiles(Path(current_app.config["RULES_DIR"]), checked)
        except (transfer.TransferError, ProfileError, OSError) as exc:
            session.rollback()
            raise click.ClickException(_one_line(exc)) from None
        session.commit()
        indexed = replica.rebuild(session, current_app.config["INDEX_DIR"])
    click.echo(
        f"imported {counts['talks']} talks, {counts['speakers']} speakers, "
        f"{counts['runs']} runs, {counts['pages']} pages, {len(checked)} profiles; "
        f"indexed {indexed} talks"
    )


def _one_line(exc: Exception) -> str:
    """An error as the single line a terminal shows."""
    return " ".join(str(exc).split())[:500] or type(exc).__name__


@click.command("check")
@click.option("--repair", "do_repair", is_flag=True, help="Fix what can be fixed and say what.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@with_appcontext
def check_command(do_repair: bool, as_json: bool) -> None:
    """Check that the database, the search index and the WARC archive agree.

    Every visible talk must be indexed exactly once with its current fields, no index
    document may lack a talk, and every talk's page version must read back from the archive.
    Exit 0 when all agree (after --repair: when everything could be fixed), 1 otherwise.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    upgrade(engine_of())
    index_dir = app.config["INDEX_DIR"]
    max_lag = int(app.config["REPLICA_MAX_LAG"])
    max_seconds = float(app.config["REPLICA_MAX_LAG_SECONDS"])
    with new_session() as session:

        def run() -> check.CheckResult:
            return check.run_check(
                session, index_dir, warc_store(app), max_lag=max_lag, max_lag_seconds=max_seconds
            )

        result = run()
        found = list(result.problems)
        if do_repair and found:
            check.repair(session, index_dir, result)
            after = run()
            result.problems = after.problems
    if as_json:
        click.echo(
            json.dumps(
                {
                    "talks": result.talks,
                    "indexed": result.indexed,
                    "pages_read": result.pages_read,
                    "applied": result.applied,
                    "newest": result.newest,
                    "found": [vars(p) for p in found],
                    "repaired": result.repaired,
                    "remaining": [vars(p) for p in result.problems],
                },
                indent=2,
            )
        )
    else:
        click.echo(
            f"checked {result.talks} talks, {result.indexed} index documents, "
            f"{result.pages_read} archived pages: {len(found)} problem(s)"
        )
        applied = "none" if result.applied is None else result.applied
        click.echo(f"change log: newest {result.newest}, applied by this index {applied}")
        for problem in found:
            about = "" if problem.talk_id is None else f"talk {problem.talk_id} — "
            click.echo(f"  {problem.kind}: {about}{problem.detail}")
        for line in result.repaired:
            click.echo(f"  repaired: {line}")
        if do_repair and found:
            click.echo(f"{len(result.problems)} problem(s) remain")
    sys.exit(0 if result.clean else 1)


COMMANDS = (sources_group, export_command, import_command, check_command)
