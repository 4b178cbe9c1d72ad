"""JSON API under /api/v1: talk search with facets, single talks, the speaker directory."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from flask.wrappers import Response
from flask_babel import gettext
from sqlalchemy import select

from archive import apidocs, directory, search
from archive.db import get_session
from archive.links import public_source
from archive.models import Speaker, Talk
from archive.store import talk_contract
from archive.summaries import TalkSummary

bp = Blueprint("api", __name__, url_prefix="/api")

FACET_KEYS = {"organisation": "organisation", "language": "language"}
OPENAPI = Path(__file__).resolve().parent.parent / "openapi.json"
SUGGEST_LIMIT = 10


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of this API (archive/openapi.json), read once."""
    document: dict[str, Any] = json.loads(OPENAPI.read_text(encoding="utf-8"))
    return document


def type_words() -> apidocs.TypeWords:
    """The words of the API page's type column in the interface language."""
    return apidocs.TypeWords(
        array=gettext("array of %(type)s"),
        alternative=gettext(" or "),
        located=gettext("%(type)s, in %(place)s"),
        places=(("query", gettext("query")), ("path", gettext("path"))),
    )


@bp.get("")
@bp.get("/")
def reference() -> str:
    """The API reference for people: every operation with its parameters, a working example
    request and the shape of its answers, drawn from the OpenAPI document."""
    document = openapi_document()
    return render_template(
        "api.html",
        info=document.get("info", {}),
        base=url_for("api.openapi").rsplit("/", 1)[0],
        operations=apidocs.operations(document, type_words()),
        schemas=apidocs.schemas(document, type_words()),
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI document, with the server URL of this site."""
    document = dict(openapi_document())
    document["servers"] = [{"url": url_for("api.openapi", _external=True).rsplit("/", 1)[0]}]
    return jsonify(document)


@bp.get("/v1/suggest")
def suggest() -> Response:
    """Speaker names for autocomplete: a JSON list of names matching the prefix ``q``."""
    prefix = (request.args.get("q") or "").strip()[:100]
    try:
        limit = min(max(int(request.args.get("limit") or SUGGEST_LIMIT), 1), 50)
    except ValueError:
        limit = SUGGEST_LIMIT
    names = search.speaker_suggestions(get_session(), prefix, limit)
    response = jsonify(names)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


def _talk_summary(talk: TalkSummary, snippet: str) -> dict[str, Any]:
    return {
        "id": talk.id,
        "url": url_for("talks.show", talk_id=talk.id, _external=True),
        "title": talk.title,
        "topic": talk.topic,
        "date": talk.date.isoformat() if talk.date else None,
        "speakers": [
            {
                "name": a.speaker.name,
                "role": a.role,
                "organisation": a.organisation.name if a.organisation else None,
            }
            for a in talk.appearances
        ],
        "industries": list(talk.industries or []),
        "themes": list(talk.themes or []),
        "snippet": snippet,
    }


@bp.get("/v1/talks")
def talks() -> Response:
    """Search talks with the search page's parameters."""
    req = search.request_from_args(request.args, current_app.config["PER_PAGE"])
    page = search.results(get_session(), req)
    facets = {
        name: [{"value": value, "count": count} for value, count in counts]
        for name, counts in page.result.facets.items()
    }
    body: dict[str, Any] = {
        "total": page.result.total,
        "page": req.page,
        "per_page": req.per_page,
        "results": [_talk_summary(talk, snippet) for talk, snippet in page.talks],
        "facets": facets,
        "suggestion": page.result.suggestion,
    }
    if page.notice:  # the database answered: the index could not be read
        body["notice"] = page.notice
    return jsonify(body)


@bp.get("/v1/talks/<int:talk_id>")
def talk(talk_id: int) -> Response:
    """One talk with every field of the extraction contract, corrections applied."""
    row = get_session().scalar(select(Talk).where(Talk.id == talk_id, Talk.hidden.is_(False)))
    if row is None:
        abort(404)
    data = talk_contract(row)
    data["source_url"] = public_source(row.source_url)  # never a server path
    data["url"] = url_for("talks.show", talk_id=row.id, _external=True)
    return jsonify(data)


def _speaker_json(info: directory.SpeakerInfo) -> dict[str, Any]:
    return {
        "id": info.speaker.id,
        "name": info.speaker.name,
        "aliases": sorted({a.name for a in info.speaker.aliases} - {info.speaker.name}),
        "role": info.role,
        "organisation": info.organisation,
        "organisations": info.organisations,
        "industries": info.industries,
        "talks": len(info.talks),
        "url": url_for("speakers.show", speaker_id=info.speaker.id, _external=True),
    }


@bp.get("/v1/speakers")
def speakers() -> Response:
    """The speaker directory, filterable by ``industry`` and ``org``."""
    rows = directory.speakers(
        get_session(),
        industry=request.args.get("industry") or None,
        org=request.args.get("org") or None,
    )
    return jsonify(total=len(rows), results=[_speaker_json(info) for info in rows])


@bp.get("/v1/speakers/<int:speaker_id>")
def speaker(speaker_id: int) -> Response:
    """One speaker with bio and every talk."""
    row = get_session().get(Speaker, speaker_id)
    if row is None:
        abort(404)
    info = directory.profile(row)
    data = _speaker_json(info)
    data["bio"] = row.bio
    data["talk_list"] = [
        {
            "id": a.talk.id,
            "topic": a.talk.topic,
            "date": a.talk.date.isoformat() if a.talk.date else None,
            "role": a.role,
            "organisation": a.organisation.name if a.organisation else None,
        }
        for a in info.talks
    ]
    return jsonify(data)


@bp.errorhandler(404)
def not_found(_error: Exception) -> tuple[Response, int]:
    """API errors are JSON."""
    return jsonify(error="not found"), 404
