"""Role groups: the many ways a job title is written ("Group CIO", "it-direktør", "Chief
Information Officer") reduced to one label (CIO) for the speaker directory's role filter.

The groups and their phrases are data (``archive/data/roles.json``), so they can be edited
without touching code; the first group with a phrase found in a role, as whole words with
accents folded, names it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from folding import fold

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.json"


@dataclass(frozen=True)
class RoleGroup:
    """One label of the role filter and the pattern of the titles it covers."""

    label: str
    pattern: re.Pattern[str]


def _key(text: str) -> str:
    return fold(text).casefold()


@functools.lru_cache(maxsize=4)
def load_groups(path: Path = ROLES_FILE) -> tuple[RoleGroup, ...]:
    """The role groups of a roles file, in the file's order (first match wins)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    groups = []
    for entry in data["groups"]:
        phrases = sorted((_key(p) for p in entry["phrases"]), key=len, reverse=True)
        alternatives = "|".join(re.escape(p) for p in phrases)
        groups.append(RoleGroup(entry["label"], re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")))
    return tuple(groups)


@functools.lru_cache(maxsize=8192)
def role_group(role: str | None, groups: tuple[RoleGroup, ...] | None = None) -> str | None:
    """The label of the first group whose phrases occur in ``role``; None when none does.

    Remembered per role: a directory of thousands of speakers holds a few hundred titles.
    """
    if not role:
        return None
    key = _key(role)
    for group in groups if groups is not None else load_groups():
        if group.pattern.search(key):
            return group.label
    return None


def group_labels() -> list[str]:
    """Every label, in the file's order (the order the filter offers them)."""
    return [group.label for group in load_groups()]
