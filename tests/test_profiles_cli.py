"""`cio-talks profiles`: learn from examples, apply, and the profile's life in the archive.

A loopback site serves the four fixture templates on one host, as real archives do: a
handful of templates side by side.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import make_app
from flask import Flask
from flask.testing import FlaskCliRunner
from profilekit import SITES, TRUTH, examples_jsonl, pages_of, serve_sites
from pytest_httpserver import HTTPServer
from scoring import overall, score_corpus
from sqlalchemy import select

from archive import store
from archive.db import engine_of, new_session
from archive.ingest import Ingest
from archive.models import AuditEntry, Talk

HOLLINGFORD = pages_of("hollingford_drupal")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "examples.jsonl"
    path.write_text(text, encoding="utf-8")
    return path


def _learn(runner: FlaskCliRunner, examples: Path, *extra: str) -> str:
    result = runner.invoke(args=["profiles", "learn", "hollingford", str(examples), *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    """The fixture sites on one loopback host."""
    serve_sites(httpserver)
    return httpserver


def _talks(app: Flask) -> dict[str, dict]:
    with new_session(app) as session:
        talks = session.scalars(select(Talk))
        return {t.source_url: {**store.talk_contract(t), "raw": t.extracted} for t in talks}


def test_apply_teaches_the_template_and_leaves_the_others(
    app: Flask, runner: FlaskCliRunner, site: HTTPServer, tmp_path: Path
) -> None:
    app.config.update(CRAWL_DELAY=0.0, CRAWL_RETRIES=1, CRAWL_BACKOFF=0.01)
    urls = {name: site.url_for(f"/{name}") for name in TRUTH}
    assert Ingest(app).scrape(list(urls.values())).exit_code in (0, 1)
    before = _talks(app)
    requests = len(site.log)
    examples = _write(
        tmp_path, examples_jsonl(HOLLINGFORD[:2], source=site.url_for("/") + "{name}")
    )
    output = _learn(runner, examples, "--apply")
    assert len(site.log) == requests  # the examples and the preview came from the archive
    assert f"preview on {len(TRUTH)} pages, 6 of them this template's" in output
    assert "saved hollingford version 1" in output
    after = _talks(app)
    rest = HOLLINGFORD[2:]
    truth = {n: TRUTH[n] for n in rest}
    answers_before = {n: before.get(urls[n], {}) for n in rest}
    answers_after = {n: after[urls[n]] for n in rest}
    assert overall(score_corpus(answers_after, truth)) >= 0.98
    assert overall(score_corpus(answers_after, truth)) > overall(
        score_corpus(answers_before, truth)
    )
    for name in TRUTH:
        if not name.startswith("hollingford") and urls[name] in before:
            assert after[urls[name]]["raw"] == before[urls[name]]["raw"], name
    with new_session(app) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "profile.approve"))
        assert entry is not None and entry.target == "hollingford"
        assert entry.detail["version"] == 1


def test_learn_without_apply_saves_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    output = _learn(runner, _write(tmp_path, examples_jsonl(HOLLINGFORD[:2])))
    assert "not saved" in output
    assert "speaker.organisation" in output
    assert not (Path(app.config["RULES_DIR"]) / "profiles" / "hollingford.json").exists()


def test_list_show_test_versions_and_remove(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    examples = _write(tmp_path, examples_jsonl(HOLLINGFORD[:2]))
    _learn(runner, examples, "--apply")
    listed = runner.invoke(args=["profiles", "list"]).output
    assert re.search(r"^hollingford\s+v1\b", listed, re.M)
    shown = json.loads(runner.invoke(args=["profiles", "show", "hollingford"]).output)
    assert shown["version"] == 1 and shown["signature"] and "hosts" not in shown
    tested = runner.invoke(
        args=[
            "profiles",
            "test",
            "hollingford",
            str(SITES / HOLLINGFORD[3]),
            str(SITES / pages_of("meridian_insights")[0]),
        ]
    ).output
    assert f"{SITES / HOLLINGFORD[3]}: matches" in tested
    assert f"{SITES / pages_of('meridian_insights')[0]}: does not match" in tested
    assert "Kestrel" not in tested  # page 4's reading, not an example's
    assert "2025" in tested or "20" in tested
    assert "saved hollingford version 2" in _learn(runner, examples, "--apply")
    folder = Path(app.config["RULES_DIR"]) / "profiles"
    assert json.loads((folder / "history" / "hollingford.v1.json").read_text())["version"] == 1
    removed = runner.invoke(args=["profiles", "remove", "hollingford"])
    assert removed.exit_code == 0 and "removed hollingford" in removed.output
    assert "hollingford" not in runner.invoke(args=["profiles", "list"]).output
    assert runner.invoke(args=["profiles", "show", "hollingford"]).exit_code == 1


def test_extract_uses_the_learned_profile(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    page = SITES / HOLLINGFORD[2]
    want = TRUTH[HOLLINGFORD[2]]["speakers"][0]["organisation"]

    def organisations() -> list[str | None]:
        result = runner.invoke(args=["extract", "--json", str(page)])
        return [s["organisation"] for s in json.loads(result.output)["speakers"]]

    assert want not in organisations()
    _learn(runner, _write(tmp_path, examples_jsonl(HOLLINGFORD[:2])), "--apply")
    assert want in organisations()


def test_a_learned_profile_survives_export_and_import(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _learn(runner, _write(tmp_path, examples_jsonl(HOLLINGFORD[:2])), "--apply")
    exported = tmp_path / "archive.json"
    assert runner.invoke(args=["export", "--output", str(exported)]).exit_code == 0
    other = make_app(tmp_path / "other", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        fresh = other.test_cli_runner()
        imported = fresh.invoke(args=["import", str(exported)])
        assert imported.exit_code == 0, imported.output
        assert "1 profiles" in imported.output
        assert "hollingford" in fresh.invoke(args=["profiles", "list"]).output
        page = SITES / HOLLINGFORD[2]
        got = json.loads(fresh.invoke(args=["extract", "--json", str(page)]).output)
        want = TRUTH[HOLLINGFORD[2]]["speakers"][0]["organisation"]
        assert want in [s["organisation"] for s in got["speakers"]]
    finally:
        engine_of(other).dispose()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no examples"),
        ("not json\n", "line 1: not JSON"),
        ('{"fields": {"title": "x"}}\n', "line 1: expected"),
        ('{"source": "a.html"}\n', "line 1: 'fields' must be an object"),
        ('{"source": "a.html", "fields": {"speakers": [{"role": "CIO"}]}}\n', "every speaker"),
        ('{"source": "/no/such/page.html", "fields": {"title": "x"}}\n', "line 1"),
    ],
)
def test_bad_examples_say_why_and_save_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, text: str, message: str
) -> None:
    result = runner.invoke(args=["profiles", "learn", "x", str(_write(tmp_path, text))])
    assert result.exit_code == 1
    assert message in result.output
    assert not (Path(app.config["RULES_DIR"]) / "profiles").exists()


def test_a_bad_profile_name_is_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    examples = _write(tmp_path, examples_jsonl(HOLLINGFORD[:1]))
    result = runner.invoke(args=["profiles", "learn", "../evil", str(examples)])
    assert result.exit_code == 1 and "profile name" in result.output


def test_reextract_of_a_host_reads_every_archived_page(
    app: Flask, runner: FlaskCliRunner, site: HTTPServer, tmp_path: Path
) -> None:
    app.config.update(CRAWL_DELAY=0.0, CRAWL_RETRIES=1, CRAWL_BACKOFF=0.01)
    urls = [site.url_for(f"/{name}") for name in HOLLINGFORD]
    Ingest(app).scrape(urls)
    _learn(runner, _write(tmp_path, examples_jsonl(HOLLINGFORD[:2])), "--apply")
    result = runner.invoke(args=["reextract", "--json", "--host", "localhost"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"]["changed"] + report["counts"]["unchanged"] >= len(HOLLINGFORD) - 1
    after = _talks(app)
    want = TRUTH[HOLLINGFORD[3]]["speakers"][0]["organisation"]
    assert [s["organisation"] for s in after[urls[3]]["speakers"]] == [want]


@pytest.mark.parametrize(
    "rule",
    [
        {"css": "h1", "split": ", ", "parts": [0]},
        {"css": "h1", "nth": "first"},
        {"css": 5},
        ["h1"],
    ],
)
def test_a_broken_profile_file_is_skipped_not_fatal(
    app: Flask, runner: FlaskCliRunner, rule: object
) -> None:
    folder = Path(app.config["RULES_DIR"]) / "profiles"
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text(json.dumps({"name": "broken", "fields": {"title": rule}}))
    listed = runner.invoke(args=["profiles", "list"])
    assert listed.exit_code == 0 and "cbs-drupal-event" in listed.output
    assert not re.search(r"^broken\s", listed.output, re.M)
    result = runner.invoke(args=["extract", "--json", str(SITES / HOLLINGFORD[0])])
    assert result.exit_code == 0  # the warning goes to standard error, the JSON to output
    assert json.loads(result.stdout.strip().splitlines()[-1])["is_event"]


@pytest.mark.parametrize(
    ("profiles", "message"),
    [
        ({"ok": {"name": "../../escaped", "fields": {"title": "h1"}}}, "calls itself"),
        ({"../x": {"name": "x", "fields": {"title": "h1"}}}, "profile name"),
        ({"ok": {"name": "ok", "fields": {"title": {"css": "h1", "parts": [0]}}}}, "parts"),
        (["not", "a", "mapping"], "expected an object"),
    ],
)  # fmt: skip
def test_import_refuses_bad_profiles_and_writes_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, profiles: object, message: str
) -> None:
    exported = tmp_path / "archive.json"
    assert runner.invoke(args=["export", "--output", str(exported)]).exit_code == 0
    document = json.loads(exported.read_text())
    document["profiles"] = profiles
    exported.write_text(json.dumps(document))
    other = make_app(tmp_path / "other", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        result = other.test_cli_runner().invoke(args=["import", str(exported)])
        assert result.exit_code == 1 and message in result.output
        assert not list(tmp_path.rglob("escaped.json"))
        assert not (Path(other.config["RULES_DIR"]) / "profiles").exists()
    finally:
        engine_of(other).dispose()


def test_history_never_overwrites_an_earlier_version(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    examples = _write(tmp_path, examples_jsonl(HOLLINGFORD[:2]))
    for _ in range(2):
        _learn(runner, examples, "--apply")
        assert runner.invoke(args=["profiles", "remove", "hollingford"]).exit_code == 0
    _learn(runner, examples, "--apply")
    _learn(runner, examples, "--apply")
    history = Path(app.config["RULES_DIR"]) / "profiles" / "history"
    assert len(list(history.glob("*.json"))) == 3


def test_examples_without_page_fields_are_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    text = json.dumps({"source": str(SITES / HOLLINGFORD[0]), "fields": {"industries": ["x"]}})
    result = runner.invoke(args=["profiles", "learn", "x", str(_write(tmp_path, text + "\n"))])
    assert result.exit_code == 1 and "none of the fields" in result.output
