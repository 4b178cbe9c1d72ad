"""No English interface text on any page drawn in Danish, public or admin, flash messages too.

Every page kind is drawn twice through the test client, in English and in Danish. A text node
(or an interface attribute: ``title``, ``aria-label``, ``placeholder``, ``alt``, ``label``) of
the Danish page fails when it is English interface text, that is when either

* it is word for word a text of the English page and is not made of the archive's data
  (scraped values, names, addresses: every string the database and the sources file hold),
  nor of words the Danish catalogue itself uses, or
* it holds a word of the English interface (the words of every msgid, and the words written
  straight into the templates' markup) that no Danish translation, date name or label uses
  and that is not a word of the archive's data.

Scraped data thus never fails the test, and a string left outside gettext, or marked but
not translated, does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from adminkit import csrf_token, load_admin_archive, login
from babel.dates import get_day_names, get_month_names
from babel.messages.pofile import read_po
from conftest import make_app
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import String, Text, select
from sqlalchemy.types import JSON

from archive import i18n, teach
from archive.db import engine_of, new_session
from archive.models import AdminJob, Base, Organisation, Run, Speaker, Talk
from archive.profiles import saved_profiles
from archive.roles import group_labels

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "archive" / "translations" / "da" / "LC_MESSAGES" / "messages.po"
TEMPLATES = ROOT / "templates"
#: Names that are the same in every language: formats, standards, the languages' own names.
NAMES = {
    "API", "Atom", "BibTeX", "CSL", "CSV", "JSON", "RIS", "iCalendar", "OpenAPI", "URL",
    "UTC", "ics", "English", "dansk", "CIO", "CTO", "CDO", "CISO", "IT", "it", "curl",
    "http", "https", "www", "YYYY", "MM", "DD", "HH",
}  # fmt: skip
SOURCE = "loopback-talks"
WORD = re.compile(r"[^\W\d_]{2,}")
#: Attributes whose values people read (or hear).
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "label")
#: Elements whose text is machine text or examples, not interface language.
SKIPPED = {"script", "style", "code", "pre", "textarea"}
#: Classes of elements that hold an archived page itself (scraped data, whole).
SKIPPED_CLASSES = {"archived-body", "archived-copy"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Texts(HTMLParser):
    """The text nodes and read attributes of a page, skipping machine text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            self._attributes(tag, attrs)
            return
        classes = set((dict(attrs).get("class") or "").split())
        if self._skip or tag in SKIPPED or classes & SKIPPED_CLASSES:
            self._skip.append(tag)
            return
        self._attributes(tag, attrs)

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip:
            return
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.texts.append(value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.texts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skip:
            while self._skip and self._skip.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def texts_of(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return [text for text in parser.texts if text.strip()]


def words(text: str) -> set[str]:
    return set(WORD.findall(text))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def data_values(app: Flask) -> set[str]:
    """Every string the archive holds: each text and JSON column of every table."""
    found = {SOURCE, f"http://127.0.0.1/{SOURCE}", "alice", "None", "True", "False"}
    found |= set(group_labels())
    # The API document's own texts (archive/openapi.json: summaries, descriptions, schema
    # and field names) are documentation in English, shown as they are on both pages.
    document = json.loads((ROOT / "archive" / "openapi.json").read_text(encoding="utf-8"))
    found.update(s.strip() for s in _strings(document) if s.strip())
    for profile in saved_profiles(teach.rules_dir(app)):
        found.update([profile.name, *profile.fields, *profile.hosts])
    with new_session(app) as db:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not columns:
                continue
            for row in db.execute(select(*columns)):
                for value in row:
                    found.update(s.strip() for s in _strings(value) if s and s.strip())
    return found


def _template_words() -> set[str]:
    """Words written straight into the templates' markup, outside Jinja and tags."""
    found: set[str] = set()
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
        source = re.sub(r"<(script|style|code|pre)\b.*?</\1>", " ", source, flags=re.S)
        found |= words(re.sub(r"<[^>]+>", " ", source))
    return found


@dataclass
class Vocabulary:
    """What English interface text is made of, and what the Danish interface may say."""

    english: set[str]
    danish: set[str]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    english, danish = _template_words(), set(NAMES)
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, list | tuple) else [message.id]
        texts = message.string if isinstance(message.string, list | tuple) else [message.string]
        for text in ids:
            english |= words(re.sub(r"%\(\w+\)s|<[^>]+>", " ", text))
        for text in texts:
            danish |= words(re.sub(r"%\(\w+\)s|<[^>]+>", " ", text or ""))
    danish |= words(" ".join(get_month_names("wide", locale="da").values()))
    danish |= words(" ".join(get_month_names("abbreviated", locale="da").values()))
    danish |= words(" ".join(get_day_names("wide", locale="da").values()))
    for table in i18n._labels().get("da", {}).values():
        danish |= words(" ".join(table.values()))
    return Vocabulary(english - danish, danish)


def made_of_data(text: str, data: set[str], vocabulary: Vocabulary) -> bool:
    """Whether ``text`` is a piece of one data value (a snippet), or is made of whole data
    values, Danish interface words, numbers and punctuation."""
    pieces = [p.strip(" …·,;:()") for p in text.split("…")]
    if all(any(piece in value for value in data) for piece in pieces if piece):
        return True
    rest = text
    for value in sorted((v for v in data if v in text), key=len, reverse=True):
        rest = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", rest)
    return not (words(rest) - vocabulary.danish)


def english_left(
    danish_html: str, english_html: str, data: set[str], vocabulary: Vocabulary
) -> list[str]:
    """The texts of the Danish page that are English interface text (see the module doc)."""
    english_texts = set(texts_of(english_html))
    data_words = set().union(*(words(value) for value in data)) if data else set()
    left = []
    for text in texts_of(danish_html):
        copied = text in english_texts and not made_of_data(text, data, vocabulary)
        if copied or words(text) & vocabulary.english - data_words:
            left.append(text)
    return left


@pytest.fixture(scope="module")
def archive_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The samples, an admin, a source, a finished job, a correction and a withdrawn talk."""
    instance = tmp_path_factory.mktemp("danish") / "instance"
    app = make_app(
        instance,
        f"sqlite:///{instance.parent / 'danish.sqlite3'}",
        ADMIN_SOURCE_HOSTS=["127.0.0.1"],
    )
    first = load_admin_archive(app)[0]
    client = admin_client(app)
    token = csrf_token(client, "/admin/sources")
    added = client.post(
        "/admin/sources",
        data={"csrf_token": token, "name": SOURCE, "url": f"http://127.0.0.1/{SOURCE}"},
    )
    assert added.status_code == 302
    form = whole_form(client, f"/admin/talks/{first}/edit")
    form["location"] = "Auditorium 1"
    fixed = client.post(f"/admin/talks/{first}/edit", data=form)
    assert fixed.status_code == 302
    yield app
    engine_of(app).dispose()


def whole_form(client: FlaskClient, path: str) -> dict[str, str]:
    """Every input and text area of the edit form on ``path`` with its current value."""
    html = client.get(path).get_data(as_text=True)
    start = html.index('class="talk-form"')
    form = html[start : html.index("</form>", start)]
    fields = {
        name: unescape(value)
        for name, value in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', form)
    }
    for name, value in re.findall(
        r'<textarea[^>]*?name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S
    ):
        fields[name] = unescape(value.strip("\r\n"))
    return fields


def admin_client(app: Flask, language: str = "en") -> FlaskClient:
    client = app.test_client()
    client.set_cookie(i18n.COOKIE, language, domain="archive.test")
    assert login(client).status_code == 302
    return client


def page_paths(app: Flask) -> list[str]:
    """One address of every page kind, public and admin, ids from the loaded archive."""
    with new_session(app) as db:
        talk = db.scalars(select(Talk).where(Talk.hidden.is_(False)).order_by(Talk.id)).first()
        hidden = db.scalars(select(Talk.id).where(Talk.hidden.is_(True))).first()
        speaker = db.scalars(select(Speaker).order_by(Speaker.id)).first()
        org = db.scalars(select(Organisation).order_by(Organisation.id)).first()
        run = db.scalars(select(Run).order_by(Run.id)).first()
        job = db.scalars(select(AdminJob).order_by(AdminJob.id)).first()
        assert talk and hidden and speaker and org and run and job
        return [
            "/",
            "/?q=health+care",
            "/?q=qqxyzzy&theme=Cloud+computing",
            "/?q=clod+computing",
            "/?page=9999",
            f"/talks/{talk.id}",
            f"/talks/{talk.id}/archived",
            f"/talks/{hidden}",
            "/speakers",
            "/speakers?q=zzqq",
            f"/speakers/{speaker.id}",
            f"/organisations/{org.id}",
            f"/series/{talk.series or 'CIO Talks'}",
            f"/hosts/{talk.host}",
            "/facets/year?q=data",
            "/industries",
            "/themes/Cloud computing",
            "/years",
            "/stats",
            "/stats?series=theme:nothing+such",
            "/api",
            "/no-such-page",
            "/admin/",
            "/admin/runs",
            f"/admin/runs/{run.id}",
            f"/admin/runs/{run.id}?outcome=new",
            f"/admin/jobs/{job.id}",
            "/admin/audit",
            "/admin/sources",
            f"/admin/sources/{SOURCE}/edit",
            "/admin/organisations",
            "/admin/organisations?q=zzqq",
            f"/admin/organisations/{org.id}/edit",
            "/admin/profiles",
            "/admin/profiles/learn?host=archive.samples",
            f"/admin/profiles/learn?host=archive.samples&name=samples&talk={talk.id}",
            "/admin/review",
            "/admin/search?q=cloud",
            "/admin/search?q=zzqq",
            f"/admin/talks/{talk.id}/edit",
            f"/admin/speakers/{speaker.id}/edit",
        ]


def test_every_page_is_danish_in_danish(archive_app: Flask, vocabulary: Vocabulary) -> None:
    data = data_values(archive_app)
    english, danish = admin_client(archive_app, "en"), admin_client(archive_app, "da")
    failures = {}
    for path in page_paths(archive_app):
        shown = danish.get(path, follow_redirects=True)
        assert shown.status_code < 500, path
        html = shown.get_data(as_text=True)
        left = english_left(
            html, english.get(path, follow_redirects=True).get_data(as_text=True), data, vocabulary
        )
        if '<html lang="da">' not in html:
            left.insert(0, "(the page does not say lang=da)")
        if left:
            failures[path] = left
    assert not failures, failures


def test_the_sign_in_page_is_danish(archive_app: Flask, vocabulary: Vocabulary) -> None:
    def page(language: str, data: dict[str, str] | None = None) -> str:
        client = archive_app.test_client()
        client.set_cookie(i18n.COOKIE, language, domain="archive.test")
        if data is None:
            return client.get("/admin/login").get_data(as_text=True)
        data["csrf_token"] = csrf_token(client, "/admin/login")
        return client.post("/admin/login", data=data).get_data(as_text=True)

    found = data_values(archive_app)
    for form in (None, {"name": "alice", "password": "wrong"}, {"name": "", "password": ""}):
        danish, english = page("da", dict(form or {}) or None), page("en", dict(form or {}) or None)
        assert english_left(danish, english, found, vocabulary) == [], form


def _flash_after(client: FlaskClient, form_page: str, action: str, **data: str) -> str:
    data["csrf_token"] = csrf_token(client, form_page)
    response = client.post(action, data=data, follow_redirects=True)
    return response.get_data(as_text=True)


def test_flash_messages_are_danish(archive_app: Flask, vocabulary: Vocabulary) -> None:
    """The admin's actions as the English and the Danish admin see them, flashes and all."""
    with new_session(archive_app) as db:
        talk = db.scalars(select(Talk).where(Talk.hidden.is_(False)).order_by(Talk.id)).first()
        speaker = db.scalars(select(Speaker).order_by(Speaker.id)).first()
        org = db.scalars(select(Organisation).order_by(Organisation.id)).first()
        assert talk and speaker and org
    edit, sp, og = (
        f"/admin/talks/{talk.id}/edit",
        f"/admin/speakers/{speaker.id}/edit",
        (f"/admin/organisations/{org.id}/edit"),
    )
    actions: list[tuple[str, str, dict[str, str]]] = [
        (edit, f"/admin/talks/{talk.id}/hide", {}),
        (edit, f"/admin/talks/{talk.id}/unhide", {}),
        (edit, f"/admin/talks/{talk.id}/undo", {"field": "topic"}),
        (sp, f"/admin/speakers/{speaker.id}/undo", {"field": "bio"}),
        (sp, f"/admin/speakers/{speaker.id}/merge", {"into": "nobody at all"}),
        (sp, f"/admin/speakers/{speaker.id}/aliases", {"alias": ""}),
        (og, f"/admin/organisations/{org.id}/merge", {"into": "nothing such"}),
        (og, f"/admin/organisations/{org.id}/industries/undo", {}),
        ("/admin/sources", f"/admin/sources/{SOURCE}/disable", {}),
        ("/admin/sources", f"/admin/sources/{SOURCE}/enable", {}),
        ("/admin/sources", "/admin/sources", {"name": "bad", "url": "ftp://example.org/"}),
        ("/admin/runs", "/admin/runs/start", {"kind": "no-such-kind"}),
        ("/admin/profiles", "/admin/profiles/approve", {"host": "archive.samples"}),
    ]
    found = data_values(archive_app) | {
        value for _p, _a, data in actions for value in data.values()
    }
    for form_page, action, data in actions:
        pages = {
            language: _flash_after(admin_client(archive_app, language), form_page, action, **data)
            for language in ("en", "da")
        }
        assert 'class="flashes"' in pages["en"] or "has-error" in pages["en"], action
        left = english_left(pages["da"], pages["en"], found, vocabulary)
        assert left == [], (action, left)
    signed_out = _flash_after(admin_client(archive_app, "da"), "/admin/", "/admin/logout")
    assert english_left(signed_out, "", found, vocabulary) == []


def test_the_check_finds_english_left_in_a_danish_page(
    archive_app: Flask, vocabulary: Vocabulary
) -> None:
    """The check itself: an English phrase fails it, the same page's scraped data does not."""
    with new_session(archive_app) as db:
        talk = db.scalars(select(Talk).where(Talk.hidden.is_(False)).order_by(Talk.id)).first()
        assert talk is not None
        title = talk.topic or talk.title or ""
    data = data_values(archive_app)
    client = admin_client(archive_app, "da")
    html = client.get(f"/talks/{talk.id}", follow_redirects=True).get_data(as_text=True)
    in_english = admin_client(archive_app, "en").get(f"/talks/{talk.id}", follow_redirects=True)
    english = in_english.get_data(as_text=True)
    assert title and title in html
    assert english_left(html, english, data, vocabulary) == []
    spoiled = html.replace("</main>", "<p>Download this table as CSV</p></main>")
    assert english_left(spoiled, english, data, vocabulary) == ["Download this table as CSV"]
    leaked = html.replace("</main>", "<p>Similar talks</p></main>")
    assert english_left(leaked, english + "<p>Similar talks</p>", data, vocabulary)
