"""An index document as `index.writer.update` takes it, every field at its empty default."""

from __future__ import annotations

from typing import Any


def talk(talk_id: int, title: str, **extra: Any) -> dict[str, Any]:
    """A talk's index document with the given fields; the others empty."""
    doc: dict[str, Any] = {
        "id": talk_id,
        "url": f"https://example.org/talks/{talk_id}",
        "title": title,
        "topic": "",
        "abstract": "",
        "speakers": [],
        "bios": "",
        "organisations": [],
        "industries": [],
        "themes": [],
        "language": "en",
        "date": None,
        "series": None,
        "location": None,
    }
    doc.update(extra)
    return doc
