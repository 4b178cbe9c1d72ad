"""The multi-template fixture sites (tests/fixtures/sites) as examples and as a loopback site."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SITES = Path(__file__).parent / "fixtures" / "sites"
TRUTH: dict[str, dict[str, Any]] = {
    name: {**entry, "is_event": True}
    for name, entry in json.loads((SITES / "truth.json").read_text(encoding="utf-8")).items()
}
TEMPLATES = sorted({name.split("/")[0] for name in TRUTH})


def pages_of(template: str) -> list[str]:
    """The template's pages (``template/pageN.html``), in page order."""
    return sorted(name for name in TRUTH if name.startswith(f"{template}/"))


def example_fields(truth: dict[str, Any]) -> dict[str, Any]:
    """A truth entry as an example's fields, keyed like `cio-talks extract --json`."""
    keys = ("title", "topic", "date", "start_time", "end_time", "location")
    fields = {k: truth[k] for k in keys if k in truth}
    fields["abstract"] = truth.get("abstract_start")
    fields["speakers"] = [
        {
            "name": s["name"],
            "role": s.get("role"),
            "organisation": s.get("organisation"),
            "bio": s.get("bio_start"),
        }
        for s in truth.get("speakers", [])
    ]
    return fields


def examples_jsonl(names: list[str], source: str = "{path}") -> str:
    """EXAMPLES.jsonl text for these pages; source is a template with {path} and {name}."""
    lines = []
    for name in names:
        where = source.format(path=SITES / name, name=name)
        lines.append(json.dumps({"source": where, "fields": example_fields(TRUTH[name])}))
    return "\n".join(lines) + "\n"


def serve_sites(server: Any) -> dict[str, str]:
    """Serve every fixture page at /<template>/<page>.html on a loopback HTTPServer (the
    rest answers 404); returns each page's URL by its truth name."""
    from werkzeug import Request, Response

    def serve(request: Request) -> Response:
        path = SITES / request.path.lstrip("/")
        if request.path.endswith(".html") and path.is_file():
            return Response(path.read_bytes(), content_type="text/html; charset=utf-8")
        return Response("not here", status=404)

    server.expect_request(re.compile(r"^/.*$")).respond_with_handler(serve)
    return {name: server.url_for(f"/{name}") for name in TRUTH}
