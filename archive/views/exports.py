"""Exports of any search, streamed: every matching talk as CSV, JSON, BibTeX, RIS or CSL-JSON,
under a file name that says what was searched."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, current_app, request, stream_with_context

from archive import datapackage, search
from archive.citation import bibtex, csl, ris
from archive.db import get_session
from archive.links import public_source
from archive.models import Talk
from archive.spreadsheet import stream_csv
from archive.store import talk_contract
from archive.views.talks import attachment, citation_of, permalink, slugify
from folding import fold_digraph
from index import search as index_search

bp = Blueprint("exports", __name__)

CHUNK = search.MAX_PER_PAGE
CSV_COLUMNS = (
    "id",
    "url",
    "source_url",
    "title",
    "topic",
    "date",
    "start_time",
    "end_time",
    "location",
    "language",
    "series",
    "host",
    "speakers",
    "roles",
    "organisations",
    "bios",
    "industries",
    "themes",
    "abstract",
)
#: URL parameters named in an export's file name, in this order (values slugged to ASCII).
_NAMED_PARAMS = ("q", "industry", "theme", "org", "speaker", "lang", "year")
_NAME_CHARS = 120


def _slug(text: str) -> str:
    """``text`` as an ASCII slug, or "" when nothing of it survives (slugify says "talk")."""
    slug = slugify(text)
    return "" if slug == "talk" and "talk" not in fold_digraph(text).lower() else slug


def export_stem(args: Mapping[str, Any]) -> str:
    """``cio-talks_health-care_2012-2016``: the search's words, filters and date range in
    ASCII, so a folder of exports says what each one holds."""
    getlist = getattr(args, "getlist", lambda key: [args[key]] if key in args else [])
    parts = [_slug(str(v)) for key in _NAMED_PARAMS for v in getlist(key)]
    start, end = (_slug(str(args.get(k) or ""))[:10] for k in ("from", "to"))
    if start and end:
        parts.append(f"{start}-{end}")
    elif start or end:
        parts.append(f"from-{start}" if start else f"to-{end}")
    stem = "_".join(["cio-talks", *dict.fromkeys(p for p in parts if p)])
    return stem[:_NAME_CHARS].rstrip("-_")


def export_filename(args: Mapping[str, Any], ext: str) -> str:
    """The download's file name: :func:`export_stem` and the format's extension."""
    return f"{export_stem(args)}.{ext}"


def iter_talks(request_: index_search.SearchRequest) -> Iterator[Talk]:
    """Every talk matching the request, in its order, paging through the index ``CHUNK`` at a
    time; the session is cleared between chunks so memory stays flat on large archives."""
    session = get_session()
    seen: set[int] = set()
    number = 1
    while True:
        page = search.run(session, replace(request_, page=number, per_page=CHUNK))
        for talk, _snippet in page.talks:
            if talk.id not in seen:  # the index may change under a long download
                seen.add(talk.id)
                yield talk
        if number * CHUNK >= page.result.total or not page.result.hits:
            return
        session.expunge_all()
        number += 1


def csv_row(talk: Talk, url: str) -> list[Any]:
    """One talk as a CSV row in :data:`CSV_COLUMNS` order (lists joined with "; ", each
    speaker's bio as "Name: bio" separated by blank lines)."""
    people = talk.appearances
    bios = [f"{a.speaker.name}: {a.bio or a.speaker.bio}" for a in people if a.bio or a.speaker.bio]
    return [
        talk.id,
        url,
        public_source(talk.source_url),
        talk.title,
        talk.topic,
        talk.date.isoformat() if talk.date else "",
        talk.start_time,
        talk.end_time,
        talk.location,
        talk.language,
        talk.series,
        talk.host,
        "; ".join(a.speaker.name for a in people),
        "; ".join(a.role or "" for a in people),
        "; ".join(a.organisation.name if a.organisation else "" for a in people),
        "\n\n".join(bios),
        "; ".join(talk.industries or []),
        "; ".join(talk.themes or []),
        talk.abstract,
    ]


def _csv(talks: Iterator[Talk]) -> Iterator[str]:
    return stream_csv(CSV_COLUMNS, (csv_row(talk, permalink(talk)) for talk in talks))


def _json(talks: Iterator[Talk]) -> Iterator[str]:
    yield "["
    for number, talk in enumerate(talks):
        data: dict[str, Any] = talk_contract(talk)
        data["source_url"] = public_source(talk.source_url)
        data["url"] = permalink(talk)
        yield ("," if number else "") + "\n" + json.dumps(data, ensure_ascii=False)
    yield "\n]\n"


def _csl(talks: Iterator[Talk]) -> Iterator[str]:
    yield "["
    for number, talk in enumerate(talks):
        item = csl.item(citation_of(talk))
        yield ("," if number else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


def _bibtex(talks: Iterator[Talk]) -> Iterator[str]:
    for number, talk in enumerate(talks):
        yield ("\n" if number else "") + bibtex.entry(citation_of(talk))


def _ris(talks: Iterator[Talk]) -> Iterator[str]:
    for talk in talks:
        yield ris.records([citation_of(talk)])


FORMATS: Mapping[str, tuple[str, str, Callable[[Iterator[Talk]], Iterator[str]]]] = {
    "csv": ("text/csv", "csv", _csv),
    "json": ("application/json", "json", _json),
    "bib": ("application/x-bibtex", "bib", _bibtex),
    "ris": ("application/x-research-info-systems", "ris", _ris),
    "csl": ("application/vnd.citationstyles.csl+json", "csl.json", _csl),
}


def _export(fmt: str) -> Response:
    mimetype, ext, render = FORMATS[fmt]
    req = search.request_from_args(request.args, current_app.config["PER_PAGE"])
    body = stream_with_context(render(iter_talks(req)))
    return attachment(body, mimetype, export_filename(request.args, ext))


@bp.get("/export.csv")
def csv_export() -> Response:
    """Every talk matching the search parameters as CSV (one row per talk, UTF-8 with BOM)."""
    return _export("csv")


@bp.get("/export.json")
def json_export() -> Response:
    """Every matching talk as a JSON array of the extraction contract plus its page URL."""
    return _export("json")


@bp.get("/export.bib")
def bib_export() -> Response:
    """Every matching talk as a BibTeX ``@misc`` entry."""
    return _export("bib")


@bp.get("/export.ris")
def ris_export() -> Response:
    """Every matching talk as an RIS record."""
    return _export("ris")


@bp.get("/export.csl.json")
def csl_export() -> Response:
    """Every matching talk as a CSL-JSON item."""
    return _export("csl")


@bp.get("/export.datapackage.zip")
def datapackage_export() -> Response:
    """The matching talks (all visible talks without parameters) as a Frictionless Data
    Package in a zip: talks, speakers, appearances and organisations with typed schemas."""
    req = search.request_from_args(request.args, current_app.config["PER_PAGE"])
    what = export_stem(request.args).removeprefix("cio-talks").strip("_") or "every talk"
    description = f"CIO talks from {request.host_url}: {what}"
    # the talks are read as the tables are built: the export clears the session per chunk
    package = datapackage.files(iter_talks(req), permalink, description)
    name = export_filename(request.args, "datapackage.zip")
    return attachment(datapackage.to_zip(package), "application/zip", name)
