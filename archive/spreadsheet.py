"""CSV cells that spreadsheets cannot run: every CSV the archive writes goes through here.

Excel, LibreOffice and Google Sheets treat a cell starting with ``= + - @`` (or a tab or
carriage return before one) as a formula, so scraped text such as ``=HYPERLINK(…)`` could run
when a researcher opens an export. Such text gets a leading apostrophe, which those programs
show as plain text (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

#: Text starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Written first so Excel reads the file as UTF-8 ("Ø", not "Ã˜").
BOM = "\ufeff"


def cell(value: object) -> str:
    """``value`` as CSV cell text: ``None`` is empty, numbers as written, formula-like text
    behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows_to_csv(header: Sequence[str], rows: Iterable[Sequence[object]], bom: bool = True) -> str:
    """A whole CSV document: the header, then every row with each value through :func:`cell`."""
    return "".join(stream_csv(header, rows, bom))


def stream_csv(
    header: Sequence[str], rows: Iterable[Sequence[object]], bom: bool = True
) -> Iterator[str]:
    """The CSV document in pieces, one row at a time (for streamed downloads)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(BOM)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
