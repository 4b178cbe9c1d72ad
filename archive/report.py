"""What a run did: counters, one line per notable URL, warnings per field, the exit code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from archive.changes import change_lines
from archive.models import RUN_COUNTERS

#: Changed fields the terminal summary shows per changed URL; the admin run report shows all.
SUMMARY_FIELDS = 4


@dataclass
class Report:
    """What a run did: counters, one line per notable URL, warnings per field, exit code."""

    run_id: int | None = None
    counts: Counter[str] = field(default_factory=Counter)
    events: list[tuple[str, str, str]] = field(default_factory=list)
    #: URL → {"field": {"old": …, "new": …, "kept": bool}} of every changed talk
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: Counter[str] = field(default_factory=Counter)
    fatal: str | None = None
    #: Sites not crawled at all ("origin: reason"): down, or robots.txt failing
    failed_sites: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all good, 1 some pages failed, 2 nothing could run."""
        if self.fatal:
            return 2
        return 1 if self.counts["failed"] else 0


def summary(report: Report) -> list[str]:
    """The run report as lines for a terminal; a changed URL gets one short old → new line
    for each of its first few fields (the admin run report shows every field)."""
    c = report.counts
    lines = [
        f"run {report.run_id if report.run_id is not None else '(dry run)'}: "
        f"{c['new']} new, {c['changed']} changed, {c['unchanged']} unchanged, "
        f"{c['not_modified']} not modified, {c['skipped']} skipped (not events), "
        f"{c['disallowed']} disallowed, {c['failed']} failed, {c['gone']} gone "
        f"({c['fetched']} fetched of {c['discovered']} discovered)"
    ]
    for url, outcome, detail in report.events:
        if outcome in ("failed", "disallowed", "gone", "changed"):
            lines.append(f"  {outcome}: {url}" + (f" — {detail}" if detail else ""))
            if outcome == "changed" and url in report.changes:
                lines.extend(f"      {line}" for line in changed_field_lines(report.changes[url]))
    if report.warnings:
        lines.append(
            "  warnings per field: "
            + ", ".join(f"{name} {count}" for name, count in sorted(report.warnings.items()))
        )
    if report.fatal:
        lines.append(f"  nothing could run: {report.fatal}")
    return lines


def changed_field_lines(changes: dict[str, Any]) -> list[str]:
    """At most :data:`SUMMARY_FIELDS` old → new lines, then how many more fields changed."""
    lines = change_lines(changes)
    if len(lines) > SUMMARY_FIELDS:
        rest = len(lines) - SUMMARY_FIELDS
        lines = [*lines[:SUMMARY_FIELDS], f"… and {rest} more field{'s' if rest > 1 else ''}"]
    return lines


def iter_counts(report: Report) -> Iterable[tuple[str, int]]:
    """Counters in report order, for JSON output."""
    for name in RUN_COUNTERS:
        yield name, report.counts[name]


def as_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "run": report.run_id,
        "counts": dict(iter_counts(report)),
        "events": [
            {"url": u, "outcome": o, "detail": d}
            | ({"changes": report.changes[u]} if o == "changed" and u in report.changes else {})
            for u, o, d in report.events
        ],
        "warnings": dict(report.warnings),
        "fatal": report.fatal,
        "failed_sites": report.failed_sites,
        "exit_code": report.exit_code,
    }
