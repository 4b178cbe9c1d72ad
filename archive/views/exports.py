"""CSV, JSON and BibTeX exports of any search, streamed: every matching talk, in chunks."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for

from archive import citation, search
from archive.db import get_session
from archive.models import Talk
from archive.spreadsheet import safe_cell as _cell
from archive.store import talk_contract
from archive.views.talks import slugify
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
    "industries",
    "themes",
    "abstract",
)


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


def csv_row(talk: Talk, url: str) -> dict[str, str]:
    """One talk as a CSV row: lists joined with "; ", formula-like text neutralised."""
    people = talk.appearances
    return {
        "id": str(talk.id),
        "url": url,
        "source_url": talk.source_url,
        "title": _cell(talk.title),
        "topic": _cell(talk.topic),
        "date": talk.date.isoformat() if talk.date else "",
        "start_time": talk.start_time or "",
        "end_time": talk.end_time or "",
        "location": _cell(talk.location),
        "language": talk.language or "",
        "series": _cell(talk.series),
        "host": _cell(talk.host),
        "speakers": _cell("; ".join(a.speaker.name for a in people)),
        "roles": _cell("; ".join(a.role or "" for a in people)),
        "organisations": _cell(
            "; ".join(a.organisation.name if a.organisation else "" for a in people)
        ),
        "industries": _cell("; ".join(talk.industries or [])),
        "themes": _cell("; ".join(talk.themes or [])),
        "abstract": _cell(talk.abstract),
    }


def _talk_url(talk: Talk) -> str:
    return url_for(
        "talks.show", talk_id=talk.id, slug=slugify(talk.topic or talk.title), _external=True
    )


def _csv(talks: Iterator[Talk]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for talk in talks:
        writer.writerow(csv_row(talk, _talk_url(talk)))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _json(talks: Iterator[Talk]) -> Iterator[str]:
    yield "["
    for number, talk in enumerate(talks):
        data: dict[str, Any] = talk_contract(talk)
        data["url"] = _talk_url(talk)
        yield ("," if number else "") + "\n" + json.dumps(data, ensure_ascii=False)
    yield "\n]\n"


def _bibtex(talks: Iterator[Talk]) -> Iterator[str]:
    for talk in talks:
        yield citation.bibtex(talk) + "\n"


FORMATS: Mapping[str, tuple[str, Any]] = {
    "csv": ("text/csv", _csv),
    "json": ("application/json", _json),
    "bib": ("application/x-bibtex", _bibtex),
}


def _export(fmt: str) -> Response:
    mimetype, render = FORMATS[fmt]
    req = search.request_from_args(request.args, current_app.config["PER_PAGE"])
    body = stream_with_context(render(iter_talks(req)))
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="cio-talks.{fmt}"'},
    )


@bp.get("/export.csv")
def csv_export() -> Response:
    """Every talk matching the search parameters as CSV (one row per talk)."""
    return _export("csv")


@bp.get("/export.json")
def json_export() -> Response:
    """Every matching talk as a JSON array of the extraction contract plus its page URL."""
    return _export("json")


@bp.get("/export.bib")
def bib_export() -> Response:
    """Every matching talk as a BibTeX ``@misc`` entry."""
    return _export("bib")
