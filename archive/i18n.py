"""The interface language (English or Danish): chosen by the switch on every page (``?hl=da``),
kept in a cookie, else taken from ``Accept-Language``; English by default. Also the date filters
templates use, so a Danish page says "6. maj 2014" and an English one "6 May 2014"."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime
from flask import Flask, Response, request
from flask_babel import Babel, get_locale, gettext

from archive import dbsearch

#: Interface languages, each named as it calls itself (the switch shows these names).
LANGUAGES = {"en": "English", "da": "dansk"}
DEFAULT = "en"
#: The URL parameter the switch sets (``lang`` already filters talks by their language).
PARAM = "hl"
#: The cookie that keeps the choice for a year.
COOKIE = "ui_lang"
COOKIE_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
#: The archive's own labels (themes, industries, role groups) in the other languages.
LABELS = Path(__file__).resolve().parent / "data" / "labels.json"

#: Babel date patterns per interface language and length.
DATE_PATTERNS = {
    "en": {"short": "d MMM y", "long": "d MMMM y", "full": "EEEE d MMMM y"},
    "da": {"short": "d. MMM y", "long": "d. MMMM y", "full": "EEEE 'den' d. MMMM y"},
}
TIME_PATTERNS = {"en": "d MMMM y 'at' HH:mm", "da": "d. MMMM y 'kl.' HH:mm"}
#: Short moments for the admin tables (a run's start, a correction), with or without seconds.
MOMENT_PATTERNS = {
    "en": {False: "d MMM y, HH:mm", True: "d MMM y, HH:mm:ss"},
    "da": {False: "d. MMM y kl. HH:mm", True: "d. MMM y kl. HH:mm:ss"},
}


def chosen(param: str | None, cookie: str | None, accept: list[str]) -> str:
    """The interface language from the switch, else the cookie, else the browser's list."""
    for value in (param, cookie):
        if value in LANGUAGES:
            return str(value)
    for value in accept:
        code = value.split("-")[0].split("_")[0].strip().lower()
        if code in LANGUAGES:
            return code
    return DEFAULT


def select_locale() -> str:
    """Flask-Babel's locale selector for the current request."""
    accept = [value for value, _quality in request.accept_languages]
    return chosen(request.args.get(PARAM), request.cookies.get(COOKIE), accept)


def current() -> str:
    """The current interface language code ("en" or "da")."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT


def switch_url(code: str) -> str:
    """The current page's address with the interface language set to ``code``."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != PARAM]
    pairs.append((PARAM, code))
    return f"{request.path}?{urlencode(pairs)}"


def _remember(response: Response) -> Response:
    """Keep a language picked with the switch in the cookie; pages differ by language."""
    picked = request.args.get(PARAM)
    if picked in LANGUAGES and request.cookies.get(COOKIE) != picked:
        response.set_cookie(COOKIE, str(picked), max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response


@functools.cache
def _labels() -> dict[str, dict[str, dict[str, str]]]:
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    return {code: table for code, table in data.items() if not code.startswith("_")}


def label_text(value: object, kind: str) -> str:
    """A theme, industry or role-group label (``kind``: theme, industry, role) as the current
    interface language says it; the English label when the data file has no translation."""
    text = str(value)
    return _labels().get(current(), {}).get(kind, {}).get(text, text)


def label_key(text: str, kind: str) -> str:
    """What a visitor typed for a label, in English: the English label of the one translated
    label of ``kind`` that contains ``text`` ("finans" → "Financial services"), else ``text``."""
    needle = text.strip().casefold()
    table = _labels().get(current(), {}).get(kind, {})
    found = [key for key, shown in table.items() if needle and needle in shown.casefold()]
    return found[0] if len(found) == 1 else text


def notice_text(notice: str) -> str:
    """A notice from elsewhere in the archive (the index could not be read) in the interface
    language; the literal is repeated here so that the catalogue extraction finds it."""
    if notice == dbsearch.NOTICE:
        return gettext("Search index unavailable — results from the database, facets off.")
    return notice


def date_text(value: dt.date | None, length: str = "short") -> str:
    """A date in the interface language: ``short`` "6 May 2014", ``long``, ``full`` (weekday)."""
    if value is None:
        return ""
    code = current()
    return format_date(value, DATE_PATTERNS[code][length], locale=code)


def datetime_text(value: dt.datetime | None) -> str:
    """A moment (a capture time, in UTC) in the interface language."""
    if value is None:
        return ""
    code = current()
    return format_datetime(value, TIME_PATTERNS[code], tzinfo=dt.UTC, locale=code)


def moment_text(value: dt.datetime | None, seconds: bool = False) -> str:
    """A moment (naive UTC, as the database keeps it) in the short form of the interface
    language, for tables that list many: "7 Dec 2026, 06:02" or "7. dec. 2026 kl. 06:02"."""
    if value is None:
        return ""
    code = current()
    return format_datetime(value, MOMENT_PATTERNS[code][seconds], tzinfo=dt.UTC, locale=code)


def init_app(app: Flask) -> None:
    """Flask-Babel with the catalogue in archive/translations, the cookie, the date filters."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale)
    app.after_request(_remember)
    app.jinja_env.filters["date_text"] = date_text
    app.jinja_env.filters["datetime_text"] = datetime_text
    app.jinja_env.filters["moment_text"] = moment_text
    app.jinja_env.filters["label_text"] = label_text
    app.jinja_env.filters["notice_text"] = notice_text
    app.jinja_env.globals.update(
        interface_language=current, interface_languages=LANGUAGES, switch_url=switch_url
    )
