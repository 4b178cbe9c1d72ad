"""The admin area's words for the archive's own codes, in the interface language.

Runs, jobs and run events carry short codes (``reextract``, ``partial``, ``not_modified``)
and talks have field names (``start_time``); the admin pages show them as words a person
reads. Review reasons are sentences built by :mod:`archive.doubts` in English; here each
known sentence shape is said again in the interface language, its values (names, dates)
kept as they are. A code or sentence this module does not know is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString

#: Run and job kinds (the queue's tasks use the same names).
KINDS: dict[str, LazyString] = {
    "scrape": lazy_gettext("scrape"),
    "reextract": lazy_gettext("re-extraction"),
    "reindex": lazy_gettext("reindexing"),
}
#: Statuses of runs, jobs and queued jobs.
STATUSES: dict[str, LazyString] = {
    "starting": lazy_gettext("starting"),
    "running": lazy_gettext("running"),
    "ok": lazy_gettext("ok"),
    "partial": lazy_gettext("partial"),
    "failed": lazy_gettext("failed"),
    "lost": lazy_gettext("lost"),
    "queued": lazy_gettext("queued"),
    "doing": lazy_gettext("doing"),
}
#: What a run did with a page, and its counters.
OUTCOMES: dict[str, LazyString] = {
    "discovered": lazy_gettext("discovered"),
    "fetched": lazy_gettext("fetched"),
    "new": lazy_gettext("new"),
    "changed": lazy_gettext("changed"),
    "unchanged": lazy_gettext("unchanged"),
    "not_modified": lazy_gettext("not modified"),
    "skipped": lazy_gettext("skipped"),
    "disallowed": lazy_gettext("disallowed"),
    "failed": lazy_gettext("failed"),
    "fatal": lazy_gettext("fatal"),
    "gone": lazy_gettext("gone"),
}
#: Talk and speaker fields, as form labels say them.
FIELDS: dict[str, LazyString] = {
    "title": lazy_gettext("Title"),
    "topic": lazy_gettext("Topic"),
    "series": lazy_gettext("Series"),
    "host": lazy_gettext("Host"),
    "abstract": lazy_gettext("Abstract"),
    "date": lazy_gettext("Date"),
    "start_time": lazy_gettext("Start time"),
    "end_time": lazy_gettext("End time"),
    "location": lazy_gettext("Location"),
    "language": lazy_gettext("Language"),
    "industries": lazy_gettext("Industries"),
    "themes": lazy_gettext("Themes"),
    "last_updated": lazy_gettext("Last updated"),
    "is_event": lazy_gettext("Is event"),
    "speakers": lazy_gettext("Speakers"),
    "name": lazy_gettext("Name"),
    "bio": lazy_gettext("Biography"),
    "role": lazy_gettext("Role"),
    "organisation": lazy_gettext("Organisation"),
}


def _word(table: dict[str, LazyString], code: object) -> str:
    text = str(code)
    return str(table[text]) if text in table else text.replace("_", " ")


def kind_label(code: object) -> str:
    """A run or job kind as a word ("re-extraction")."""
    return _word(KINDS, code)


def status_label(code: object) -> str:
    """A run, job or queue status as a word."""
    return _word(STATUSES, code)


def outcome_label(code: object) -> str:
    """A page outcome or run counter as a word ("not modified")."""
    return _word(OUTCOMES, code)


def field_label(code: object) -> str:
    """A talk or speaker field as its form label says it ("Start time")."""
    return _word(FIELDS, code)


def fields_text(names: list[str]) -> str:
    """Field names (or "speaker: what" labels) as a list a flash message names them in."""
    return ", ".join(field_label(n).lower() if n in FIELDS else n for n in names)


def no_correction(field: str | None) -> str:
    """The message when an undo finds no correction of ``field`` (or of nothing named)."""
    if not field:
        return gettext("No correction of that field to undo.")
    return gettext("No correction of %(field)s to undo.", field=fields_text([field]))


def _empty(match: re.Match[str]) -> str:
    return gettext("empty: %(field)s", field=field_label(match["field"]).lower())


def _no_speaker(_match: re.Match[str]) -> str:
    return gettext("no speaker: the talk names nobody")


def _job_title(match: re.Match[str]) -> str:
    return gettext(
        "organisation of %(speaker)s starts with the job title “%(title)s”: “%(org)s”",
        speaker=match["speaker"],
        title=match["title"],
        org=match["org"],
    )


def _only_title(match: re.Match[str]) -> str:
    return gettext("speaker “%(name)s” is only a title, no name", name=match["name"])


def _everyday(match: re.Match[str]) -> str:
    return gettext(
        "speaker “%(name)s” is not a person's name (“%(word)s” is an everyday word)",
        name=match["name"],
        word=match["word"],
    )


def _not_a_name(match: re.Match[str]) -> str:
    return gettext("speaker “%(name)s” does not read as a person's name", name=match["name"])


def _far_date(match: re.Match[str]) -> str:
    return gettext(
        "date %(date)s is far from this site's other talks (most in %(span)s, %(others)s "
        "others dated)",
        date=match["date"],
        span=match["span"],
        others=match["others"],
    )


#: The sentence shapes of archive.doubts.reasons, each with its saying in the interface.
REASONS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"empty: (?P<field>\w+)"), _empty),
    (re.compile(r"no speaker: the talk names nobody"), _no_speaker),
    (
        re.compile(
            r"organisation of (?P<speaker>.+) starts with the job title “(?P<title>.+?)”: "
            r"“(?P<org>.*)”"
        ),
        _job_title,
    ),
    (re.compile(r"speaker “(?P<name>.+)” is only a title, no name"), _only_title),
    (
        re.compile(
            r"speaker “(?P<name>.+)” is not a person's name \(“(?P<word>.+)” is an everyday word\)"
        ),
        _everyday,
    ),
    (re.compile(r"speaker “(?P<name>.+)” does not read as a person's name"), _not_a_name),
    (
        re.compile(
            r"date (?P<date>\S+) is far from this site's other talks "
            r"\(most in (?P<span>\S+), (?P<others>\d+) others dated\)"
        ),
        _far_date,
    ),
)


def _no_rule(match: re.Match[str]) -> str:
    return gettext(
        "%(field)s: no rule reproduces the examples' values",
        field=field_label(match["field"]).lower(),
    )


def _no_signature(_match: re.Match[str]) -> str:
    return gettext("signature: no class, id or label is shared by the examples")


def _misses(match: re.Match[str]) -> str:
    return gettext(
        "%(field)s: the rule misses %(missed)s of %(given)s examples",
        field=field_label(match["field"]).lower(),
        missed=match["missed"],
        given=match["given"],
    )


def _unconfirmed(match: re.Match[str]) -> str:
    return gettext(
        "%(field)s: a positional rule not confirmed on every example",
        field=field_label(match["field"]).lower(),
    )


def _one_example(match: re.Match[str]) -> str:
    return gettext(
        "%(field)s: a positional rule from one example where the page-text rules read a value",
        field=field_label(match["field"]).lower(),
    )


#: The warnings of learning a profile (scraper.extract.learn), the same way.
LEARN_WARNINGS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"(?P<field>[\w.]+): no rule reproduces the examples' values"), _no_rule),
    (re.compile(r"signature: no class, id or label is shared by the examples"), _no_signature),
    (
        re.compile(
            r"(?P<field>[\w.]+): the rule misses (?P<missed>\d+) of (?P<given>\d+) examples"
        ),
        _misses,
    ),
    (
        re.compile(r"(?P<field>[\w.]+): a positional rule not confirmed on every example"),
        _unconfirmed,
    ),
    (
        re.compile(
            r"(?P<field>[\w.]+): a positional rule from one example where the page-text rules "
            r"read a value"
        ),
        _one_example,
    ),
)


def _said(
    text: str, shapes: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...]
) -> str:
    for pattern, say in shapes:
        match = pattern.fullmatch(text)
        if match:
            return say(match)
    return text


def warning_text(warning: object) -> str:
    """A warning of learning a profile in the interface language."""
    return _said(str(warning), LEARN_WARNINGS)


def reason_text(reason: object) -> str:
    """A review reason in the interface language; an extraction warning (scraped data's
    own words) or any other sentence as it is."""
    return _said(str(reason), REASONS)


def init_app(app: Flask) -> None:
    """The template filters of this module."""
    app.jinja_env.filters.update(
        run_kind_label=kind_label,
        status_label=status_label,
        outcome_label=outcome_label,
        field_label=field_label,
        reason_text=reason_text,
        warning_text=warning_text,
    )
