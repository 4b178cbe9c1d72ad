"""What a run did: counters, one line per notable URL, warnings per field, the exit code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from archive.models import RUN_COUNTERS


@dataclass
class Report:
    """What a run did: counters, one line per notable URL, warnings per field, exit code."""

    run_id: int | None = None
    counts: Counter[str] = field(default_factory=Counter)
    events: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: Counter[str] = field(default_factory=Counter)
    fatal: str | None = None

    @property
    def exit_code(self) -> int:
        """0 all good, 1 some pages failed, 2 nothing could run."""
        if self.fatal:
            return 2
        return 1 if self.counts["failed"] else 0


def summary(report: Report) -> list[str]:
    """The run report as lines for a terminal."""
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
    if report.warnings:
        lines.append(
            "  warnings per field: "
            + ", ".join(f"{name} {count}" for name, count in sorted(report.warnings.items()))
        )
    if report.fatal:
        lines.append(f"  nothing could run: {report.fatal}")
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
        "events": [{"url": u, "outcome": o, "detail": d} for u, o, d in report.events],
        "warnings": dict(report.warnings),
        "fatal": report.fatal,
        "exit_code": report.exit_code,
    }
