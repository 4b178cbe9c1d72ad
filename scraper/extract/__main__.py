"""Command line: python -m scraper.extract FILE|file://URL ... prints one JSON object per line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scraper.extract import extract, load_rules
from scraper.model import Extraction


def _read(source: str) -> bytes:
    """The bytes of a file path or file:// URL."""
    if source.startswith("file://"):
        return Path(unquote(urlsplit(source).path)).read_bytes()
    return Path(source).read_bytes()


def main(argv: list[str]) -> int:
    """Extract every source given and print its JSON line; read errors become warnings."""
    rules = load_rules()
    for source in argv:
        try:
            body = _read(source)
        except (OSError, ValueError) as error:
            result = Extraction(source=source, warnings=[f"could not read: {error}"])
        else:
            url = source if "://" in source else Path(source).resolve().as_uri()
            result = extract(body, url, rules=rules)
            result.source = source
        print(json.dumps(result.to_dict(), ensure_ascii=False), flush=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
