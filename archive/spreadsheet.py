"""Text made safe for spreadsheet programs: CSV files they open with the right encoding and
cells they do not run as formulas."""

from __future__ import annotations

#: Excel reads a CSV file as UTF-8 only when it starts with this mark ("Ø" is garbled otherwise).
BOM = "\ufeff"
#: Spreadsheet programs run cells starting with these as formulas; such text gets a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str | None) -> str:
    """``value`` as cell text, prefixed with ``'`` when a spreadsheet would take it as a formula."""
    text = value or ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
