"""``cio-talks profiles``: teach a site's template by example, and look after learned profiles."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from archive import teach
from archive.crawling import app_fetch_config
from archive.extracting import read_source
from archive.priority import yield_cpu
from archive.profiles import (
    PREVIEW_FIELDS,
    Preview,
    ProfileError,
    build_examples,
    learn_profile,
    parse_examples,
    preview,
    read_profile,
    remove_profile,
    saved_profiles,
    with_profile,
)
from archive.report import summary
from scraper.extract import extract, matched_profile
from scraper.extract.learn import Learned
from scraper.fetch import Fetcher


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined]


def echo_learned(learned: Learned) -> None:
    """Each field's rule and how many examples it reproduces; the signature; the warnings."""
    profile = learned.profile
    click.echo(f"profile {profile.name}")
    kept = dict(profile.fields)
    for report in learned.reports:
        rule = kept.get(report.field)
        why = learned.decisions.get(report.field, "no rule")
        where = f"owns: {rule.css}" if rule else f"not owned: {why}"
        click.echo(f"  {report.field:22} {report.reproduced}/{report.given}  {where}")
    if "speaker" in kept:
        click.echo(f"  {'speaker (each)':22}      {kept['speaker'].css}")
    click.echo("signature: " + "; ".join(str(m.to_data()) for m in profile.signature))
    for warning in learned.warnings:
        click.echo(f"warning: {warning}")


def echo_preview(result: Preview, limit: int = 40) -> None:
    """Per field, pages with a value before → after; then each changed page's changes."""
    click.echo(f"preview on {len(result.pages)} pages, {result.matched} of them this template's:")
    for name in PREVIEW_FIELDS:
        before, after = result.counts.get(name, (0, 0))
        click.echo(f"  {name:12} {before:4} → {after:<4} pages with a value")
    changed = [p for p in result.pages if p.changes]
    for page in changed[:limit]:
        click.echo(f"{page.url}{'' if page.matched else '  (not matched)'}")
        for field_name, was, now in page.changes:
            click.echo(f"    {field_name}: {was or '—'}  →  {now or '—'}")
    if len(changed) > limit:
        click.echo(f"… and {len(changed) - limit} more changed pages")


@click.group("profiles")
def profiles_group() -> None:
    """Site profiles: learn one from example pages, list, show, test and remove them."""


@profiles_group.command("learn")
@click.argument("name")
@click.argument("examples", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--apply", "do_apply", is_flag=True, help="Save the profile and re-extract.")
@with_appcontext
def profiles_learn(name: str, examples: Path, do_apply: bool) -> None:
    """Learn profile NAME from EXAMPLES.jsonl and print the preview; --apply saves it.

    Each line of EXAMPLES.jsonl is {"source": PATH_OR_URL, "fields": {...}} with the values as
    the page shows them, keyed like `cio-talks extract --json` (for abstract and bio the first
    words are enough). The preview runs on every archived page of the examples' hosts.
    """
    app = _app()
    try:
        specs = parse_examples(examples.read_text(encoding="utf-8"), str(examples))
        rules = teach.current_rules(app)
        read = teach.example_pages(app, specs)
        learned = learn_profile(name, build_examples(read, rules))
    except (ProfileError, OSError, UnicodeDecodeError) as error:
        raise click.ClickException(str(error)) from None
    echo_learned(learned)
    hosts = teach.hosts_of([s.source for s in specs])
    pages = list(teach.host_pages(app, hosts))
    if not pages:  # nothing archived from these hosts: preview on the examples themselves
        pages = [(s.source, body, None) for s, body in read]
    echo_preview(preview(learned.profile, pages, rules))
    if not do_apply:
        click.echo("not saved (run again with --apply to save it and re-extract)")
        return
    yield_cpu(app)  # the re-extraction that follows is a writer
    try:
        saved, path, report = teach.approve(
            app, learned.profile, "cli", hosts, [s.source for s in specs]
        )
    except ProfileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"saved {saved.name} version {saved.version} to {path}")
    if report is not None:
        for line in summary(report):
            click.echo(line)


@profiles_group.command("list")
@with_appcontext
def profiles_list() -> None:
    """Every profile extraction uses here, with its version and signature size."""
    for profile in saved_profiles(teach.rules_dir(_app())):
        hosts = f" hosts {', '.join(profile.hosts)}" if profile.hosts else ""
        click.echo(
            f"{profile.name}  v{profile.version}  {len(profile.fields)} fields  "
            f"{len(profile.signature)} landmarks{hosts}"
        )


@profiles_group.command("show")
@click.argument("name")
@with_appcontext
def profiles_show(name: str) -> None:
    """Print profile NAME as its JSON data."""
    try:
        profile = read_profile(teach.rules_dir(_app()), name)
    except ProfileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(profile.to_dict(), ensure_ascii=False, indent=2))


@profiles_group.command("test")
@click.argument("name")
@click.argument("sources", nargs=-1, required=True)
@with_appcontext
def profiles_test(name: str, sources: tuple[str, ...]) -> None:
    """Try profile NAME on SOURCES: does its signature match, and what does it read?"""
    app = _app()
    try:
        profile = read_profile(teach.rules_dir(app), name)
    except ProfileError as error:
        raise click.ClickException(str(error)) from None
    rules = with_profile(teach.current_rules(app), profile)
    failed = False
    with Fetcher(app_fetch_config(app, delay=0.0)) as fetcher:
        for source in sources:
            page = read_source(source, fetcher)
            if page.error:
                click.echo(f"{source}: {page.error}")
                failed = True
                continue
            matched = matched_profile(
                page.body, page.url, content_type=page.content_type, rules=rules
            )
            got = extract(page.body, page.url, content_type=page.content_type, rules=rules)
            verdict = (
                "matches"
                if matched == profile.name
                else f"does not match ({matched or 'no profile'})"
            )
            click.echo(f"{source}: {verdict}")
            if matched == profile.name:
                data = got.to_dict()
                for field_name in PREVIEW_FIELDS:
                    click.echo(f"    {field_name}: {data.get(field_name)}")
    if failed:
        sys.exit(1)


@profiles_group.command("remove")
@click.argument("name")
@with_appcontext
def profiles_remove(name: str) -> None:
    """Stop using learned profile NAME (its file moves to the rules folder's history)."""
    app = _app()
    try:
        where = remove_profile(teach.rules_dir(app), name)
    except ProfileError as error:
        raise click.ClickException(str(error)) from None
    teach.removed(app, name, "cli", where)
    click.echo(f"removed {name}; its file is kept at {where}")
