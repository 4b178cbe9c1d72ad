"""Integer ids and page numbers from requests, bounded: a number no database column can
hold is a 404 (or the last page), never an overflow in the database driver (a 500)."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

#: The largest id an INTEGER column holds on PostgreSQL (SQLite's are wider).
MAX_ID = 2**31 - 1
#: Page numbers past this are read as this; any listing's offset then still fits a column.
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """``<int:…>`` with an upper bound: ``/talks/99999999999999999999`` matches no route."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def _digits(text: str | None, most: int) -> int | None:
    """The number ASCII digits ``text`` spell, None when they are not digits; numbers longer
    than ``most`` come back as ``most + 1`` without converting thousands of digits."""
    value = (text or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    significant = value.lstrip("0") or "0"
    if len(significant) > len(str(most)):
        return most + 1
    return int(significant)


def parse_id(text: str | None) -> int | None:
    """The id written in ``text``, or None when it is no positive number an id column holds."""
    number = _digits(text, MAX_ID)
    return number if number is not None and 0 < number <= MAX_ID else None


def page_number(text: str | None) -> int:
    """A 1-based page number from a query string: 1 unless it is a positive number, and at
    most :data:`MAX_PAGE`."""
    number = _digits(text, MAX_PAGE)
    return 1 if number is None else min(max(1, number), MAX_PAGE)
