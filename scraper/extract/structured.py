"""Event facts from structured data: JSON-LD, microdata (via extruct), RDFa and OpenGraph."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from scraper.extract.dates import parse_time_range
from scraper.extract.page import Page, clean
from scraper.extract.rdfa import rdfa_items
from scraper.model import Speaker

log = logging.getLogger(__name__)

# schema.org types of events at which somebody speaks (or may speak).
TALK_EVENT_TYPES = frozenset(
    [
        "event",
        "educationevent",
        "businessevent",
        "socialevent",
        "lecture",
        "seminar",
        "conference",
        "eventseries",
        "courseinstance",
        "hackathon",
    ]
)
# Event types where nobody gives a talk.
NON_TALK_EVENT_TYPES = frozenset(
    [
        "musicevent",
        "festival",
        "sportsevent",
        "foodevent",
        "danceevent",
        "theaterevent",
        "screeningevent",
        "exhibitionevent",
        "saleevent",
        "childrensevent",
        "comedyevent",
        "visualartsevent",
        "deliveryevent",
        "publicationevent",
        "literaryevent",
    ]
)
ARTICLE_TYPES = frozenset(
    [
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "socialmediaposting",
    ]
)
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2}))?")
_MAX_NODES = 5000


@dataclass
class Structured:
    """What the page's structured data says about the event (fields None when unsaid)."""

    types: list[str] = field(default_factory=list)  # every @type seen, lower case
    event_type: str | None = None  # the event's own @type, lower case
    name: str | None = None
    date: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    utc: bool = False  # the start is written in UTC ("…T18:00:00Z"), not as the wall clock
    location: str | None = None
    address: str | None = None  # the Place's postal address, when it has a name as well
    description: str | None = None
    language: str | None = None
    organizer: str | None = None
    speakers: list[Speaker] = field(default_factory=list)
    event_count: int = 0
    published: str | None = None


def split_iso(value: Any) -> tuple[str | None, str | None]:
    """ISO 8601 date-time as (YYYY-MM-DD, HH:MM) wall-clock as written (the offset ignored)."""
    if not isinstance(value, str):
        return None, None
    m = _ISO.match(value)
    if not m:
        return None, None
    day = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if m.group(4) is None:
        return day, None
    hour, minute = int(m.group(4)), int(m.group(5))
    if hour > 23 or minute > 59:
        return day, None
    return day, f"{hour:02d}:{minute:02d}"


def _lenient_json(text: str) -> Any:
    """Parse JSON-LD text; broken JSON yields a flat dict of the simple string fields found."""
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        pass
    salvaged: dict[str, Any] = {}
    for key, value in re.findall(
        r'"(@type|name|startDate|endDate|inLanguage)"\s*:\s*"([^"]*)"', text
    ):
        salvaged.setdefault(key, value)
    return salvaged


def _nodes(data: Any) -> list[dict[str, Any]]:
    """Every dict in nested JSON-LD data (iteratively, bounded), @graph included."""
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack and len(found) < _MAX_NODES:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _types(node: dict[str, Any]) -> list[str]:
    """A node's @type values, lower case, without any schema.org prefix."""
    raw = node.get("@type") or node.get("type") or []
    values = raw if isinstance(raw, list) else [raw]
    return [str(v).rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)]


def _text(value: Any) -> str | None:
    """A plain string from a JSON-LD value (string, list of strings, or {@value})."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if isinstance(value, str | int | float):
        return clean(str(value)) or None
    return None


def _place(value: Any) -> str | None:
    """A location as written: the Place's name, else its address."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return clean(value) or None
    if not isinstance(value, dict):
        return None
    name = _text(value.get("name"))
    return name or _address(value)


def _address(place: Any) -> str | None:
    """A Place's postal address as one line ("Lessingstraße 25, Graz, Austria")."""
    if isinstance(place, list):
        place = place[0] if place else None
    address = place.get("address") if isinstance(place, dict) else None
    if isinstance(address, dict):
        parts = [
            _text(address.get(k))
            for k in ("streetAddress", "postalCode", "addressLocality", "addressRegion")
            if _text(address.get(k))
        ]
        return ", ".join(p for p in parts if p) or None
    return _text(address)


def _people(value: Any) -> list[Speaker]:
    """Person nodes (performer/speaker) as Speakers with their jobTitle and worksFor."""
    items = value if isinstance(value, list) else [value]
    people: list[Speaker] = []
    for item in items:
        if isinstance(item, dict) and "person" in _types(item):
            name = _text(item.get("name"))
            if name:
                org = item.get("worksFor") or item.get("affiliation")
                people.append(
                    Speaker(name=name, role=_text(item.get("jobTitle")), organisation=_text(org))
                )
    return people


def _from_event(node: dict[str, Any], out: Structured) -> None:
    """Copy an Event node's fields into out."""
    out.name = _text(node.get("name"))
    start = _text(node.get("startDate")) or ""
    out.date, out.start_time = split_iso(start)
    out.utc = bool(re.search(r"T[\d:.]+(?:Z|[+-]00:?00)$", start.strip()))
    end_day, out.end_time = split_iso(_text(node.get("endDate")))
    if end_day and out.date and end_day != out.date:
        out.end_time = None  # a multi-day event has no single time range
    out.location = _place(node.get("location"))
    address = _address(node.get("location"))
    out.address = address if address and address != out.location else None
    out.description = _text(node.get("description"))
    out.language = _text(node.get("inLanguage"))
    out.organizer = _text(node.get("organizer"))
    out.speakers = _people(node.get("performer")) + _people(node.get("speaker"))


def _microdata(page: Page, url: str) -> list[dict[str, Any]]:
    """Microdata items via extruct, only when the page has any (it is the slow part)."""
    if page.root.find(".//*[@itemscope]") is None:
        return []
    try:
        from extruct.w3cmicrodata import MicrodataExtractor

        items = MicrodataExtractor().extract_items(page.root, url)
        return [_flatten_microdata(i) for i in items if isinstance(i, dict)]
    except Exception as error:  # extruct raises many kinds of errors on odd markup
        log.debug("microdata failed: %s", error)
        return []


def _flatten_microdata(item: dict[str, Any]) -> dict[str, Any]:
    """Microdata's {type, properties} shape as JSON-LD's flat shape."""
    flat: dict[str, Any] = {"@type": item.get("type")}
    for key, value in (item.get("properties") or {}).items():
        if isinstance(value, dict) and "properties" in value:
            value = _flatten_microdata(value)
        elif isinstance(value, list):
            value = [_flatten_microdata(v) if isinstance(v, dict) else v for v in value]
        flat[key] = value
    return flat


def _from_opengraph_event(page: Page, out: Structured) -> None:
    """An OpenGraph event's name and times (og:title, event:start_time, event:end_time)."""
    out.date, out.start_time = split_iso(page.meta.get("event:start_time"))
    if not out.date:
        return
    end_day, out.end_time = split_iso(page.meta.get("event:end_time"))
    if end_day and end_day != out.date:
        out.end_time = None
    out.name = page.meta.get("og:title")
    out.description = page.meta.get("og:description")
    out.event_type = "event"
    out.event_count = 1


def extract_structured(page: Page, url: str) -> Structured:
    """The event facts stated by the page's JSON-LD, microdata and OpenGraph tags."""
    out = Structured()
    nodes: list[dict[str, Any]] = []
    for script in page.jsonld:
        nodes.extend(_nodes(_lenient_json(script)))
    nodes.extend(n for item in _microdata(page, url) for n in _nodes(item))
    nodes.extend(n for item in rdfa_items(page.root) for n in _nodes(item))
    events: list[tuple[str, dict[str, Any]]] = []
    for node in nodes:
        types = _types(node)
        out.types.extend(types)
        for t in types:
            if t.endswith("event") or t in TALK_EVENT_TYPES:
                events.append((t, node))
                break
            if t in ARTICLE_TYPES and not out.published:
                out.published = split_iso(_text(node.get("datePublished")))[0]
    dated = [(t, n) for t, n in events if n.get("startDate")]
    out.event_count = len(dated)
    if dated:
        out.event_type = dated[0][0]
        _from_event(dated[0][1], out)
    og_type = page.meta.get("og:type")
    if og_type:
        out.types.append(og_type.lower())
    if not dated and (og_type or "").lower() == "event":
        _from_opengraph_event(page, out)
    if not out.published:
        out.published = split_iso(page.meta.get("article:published_time"))[0]
    return out


def wall_clock(sd: Structured, lines: list[str]) -> tuple[str | None, str | None]:
    """The structured start and end, unless they are written in UTC and the page never shows
    the start: "…T18:00:00Z" for a talk in Helsinki is 21:00 there, so the hour says nothing."""
    if not sd.utc or not sd.start_time:
        return sd.start_time, sd.end_time
    shown = any(parse_time_range(line)[0] == sd.start_time for line in lines if len(line) < 200)
    return (sd.start_time, sd.end_time) if shown else (None, None)
