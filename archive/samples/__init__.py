"""The bundled sample corpus: fictional CIO-talk pages plus what a careful reader finds on them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


def sample_dir() -> Path:
    """The folder of sample pages (``*.html``), for ``cio-talks demo`` and the regression gate."""
    return _HERE / "pages"


def load_truth() -> dict[str, dict[str, Any]]:
    """The truth file: page file name -> expected fields, in the dev corpus' truth.json format."""
    with (_HERE / "truth.json").open(encoding="utf-8") as handle:
        data: dict[str, dict[str, Any]] = json.load(handle)
    return data
