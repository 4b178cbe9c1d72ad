"""Site profiles taught by example: read the examples, learn, preview, save versioned files.

The learning itself is pure (scraper.extract.learn); this module gathers its inputs and keeps
its output. Examples come from an ``EXAMPLES.jsonl`` file (one ``{"source", "fields"}`` per
line) or from talks an admin corrected. Profiles are saved as JSON data files in the rules
folder's ``profiles/``; the version a save replaces is kept in ``profiles/history/``, so every
approved profile can be read again and rolled back by hand.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scraper.extract import extract, matched_profile
from scraper.extract.learn import Example, Learned, example, learn
from scraper.extract.rules import Profile, Rules, load_rules
from scraper.model import Extraction

log = logging.getLogger(__name__)

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: Contract fields an example may give, and the scorer-style names accepted beside them.
EXAMPLE_FIELDS = (
    "title", "series", "host", "topic", "abstract", "date", "start_time", "end_time",
    "location", "last_updated", "speakers",
)  # fmt: skip
_ALIASES = {"abstract_start": "abstract"}
_SPEAKER_ALIASES = {"bio_start": "bio"}
#: Fields a preview counts and compares, in contract order.
PREVIEW_FIELDS = (
    "is_event", "title", "topic", "date", "start_time", "end_time", "location", "abstract",
    "speakers",
)  # fmt: skip


class ProfileError(ValueError):
    """An examples file, a profile name or a profile file that cannot be used (says why)."""


@dataclass
class ExampleSpec:
    """One line of an examples file: where the page is and what it shows."""

    source: str
    fields: dict[str, Any]
    line: int = 0


def check_name(name: str) -> str:
    """A profile name usable as a file name: lower case letters, digits, '-' and '_'."""
    if not _NAME.match(name):
        raise ProfileError(
            f"profile name {name!r}: use 1-64 lower-case letters, digits, '-' or '_'"
        )
    return name


def _clean_fields(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        key = _ALIASES.get(key, key)
        if key not in EXAMPLE_FIELDS:
            continue  # is_event, industries, themes …: not read off the page by a profile
        if key == "speakers":
            if not isinstance(value, list) or not all(isinstance(s, dict) for s in value):
                raise ProfileError(f"{where}: speakers must be a list of objects")
            people = [{_SPEAKER_ALIASES.get(k, k): v for k, v in s.items()} for s in value]
            if any(not p.get("name") for p in people):
                raise ProfileError(f"{where}: every speaker needs a name")
            fields[key] = people
        else:
            fields[key] = value
    return fields


def parse_examples(text: str, origin: str = "examples") -> list[ExampleSpec]:
    """The examples of a JSON Lines text; a bad line raises ProfileError naming its number."""
    specs: list[ExampleSpec] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise ProfileError(f"{where}: not JSON ({error.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("source"), str):
            raise ProfileError(f'{where}: expected {{"source": PATH_OR_URL, "fields": {{…}}}}')
        fields = data.get("fields")
        if not isinstance(fields, dict) or not fields:
            raise ProfileError(f"{where}: 'fields' must be an object with the page's values")
        cleaned = _clean_fields(fields, where)
        if not cleaned:
            raise ProfileError(
                f"{where}: none of the fields is one a page shows (use {', '.join(EXAMPLE_FIELDS)})"
            )
        specs.append(ExampleSpec(data["source"], cleaned, number))
    if not specs:
        raise ProfileError(f"{origin}: no examples (one JSON object per line)")
    if len(specs) > 3:
        log.info(
            "%s: %d examples; a profile is usually learned from one to three", origin, len(specs)
        )
    return specs


def build_examples(specs: Sequence[tuple[ExampleSpec, bytes]], rules: Rules) -> list[Example]:
    """Learner examples from each spec and its page's bytes, with the current rules' reading."""
    return [example(body, spec.source, spec.fields, rules) for spec, body in specs]


def learn_profile(name: str, examples: Sequence[Example], description: str = "") -> Learned:
    """Learn a profile (the name checked first)."""
    return learn(check_name(name), examples, description)


def with_profile(rules: Rules, profile: Profile) -> Rules:
    """The rules with this profile first (a same-named one replaced)."""
    others = tuple(p for p in rules.profiles if p.name != profile.name)
    return Rules(profiles=(profile, *others), taxonomy=rules.taxonomy)


def without_profile(rules: Rules, name: str) -> Rules:
    """The rules without the named profile."""
    return Rules(
        profiles=tuple(p for p in rules.profiles if p.name != name), taxonomy=rules.taxonomy
    )


# -- preview ---------------------------------------------------------------------------------
def shown(field_name: str, data: Mapping[str, Any]) -> str:
    """A field's value as one short line for a preview table."""
    value = data.get(field_name)
    if field_name == "speakers":
        return "; ".join(
            ", ".join(str(x) for x in (s.get("name"), s.get("role"), s.get("organisation")) if x)
            for s in value or []
        )
    if value in (None, "", []):
        return ""
    text = str(value)
    return text if len(text) <= 90 else text[:89] + "…"


@dataclass
class PagePreview:
    """One page before and after the profile: whether it matched, and what changed."""

    url: str
    matched: bool
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # field, before, after


@dataclass
class Preview:
    """A profile tried on pages: per field, how many pages get a value, and per page changes."""

    pages: list[PagePreview] = field(default_factory=list)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # field → (before, after)

    @property
    def matched(self) -> int:
        """How many pages the profile's signature recognises."""
        return sum(1 for p in self.pages if p.matched)


def preview(
    profile: Profile, pages: Iterable[tuple[str, bytes, str | None]], rules: Rules
) -> Preview:
    """Extract every (url, body, content type) without and with the profile and compare."""
    before_rules = without_profile(rules, profile.name)
    after_rules = with_profile(rules, profile)
    out = Preview(counts={f: (0, 0) for f in PREVIEW_FIELDS})
    for url, body, content_type in pages:
        before = extract(body, url, content_type=content_type, rules=before_rules)
        after = extract(body, url, content_type=content_type, rules=after_rules)
        matched = matched_profile(body, url, content_type=content_type, rules=after_rules)
        out.pages.append(compare(url, before, after, matched=matched == profile.name))
        for name in PREVIEW_FIELDS:
            b, a = out.counts[name]
            out.counts[name] = (
                b + bool(getattr(before, name)),
                a + bool(getattr(after, name)),
            )
    return out


def compare(url: str, before: Extraction, after: Extraction, *, matched: bool) -> PagePreview:
    """The fields whose shown values differ between two extractions of one page."""
    b, a = before.to_dict(), after.to_dict()
    changes = [
        (name, shown(name, b), shown(name, a))
        for name in PREVIEW_FIELDS
        if shown(name, b) != shown(name, a)
    ]
    return PagePreview(url=url, matched=matched, changes=changes)


# -- files -----------------------------------------------------------------------------------
def profile_dir(rules_dir: Path) -> Path:
    """Where learned profiles live: the rules folder's profiles/."""
    return rules_dir / "profiles"


def saved_profiles(rules_dir: Path) -> list[Profile]:
    """Every profile the extraction uses with this rules folder (package ones included)."""
    return list(load_rules(rules_dir if rules_dir.is_dir() else None).profiles)


def read_profile(rules_dir: Path, name: str) -> Profile:
    """The saved profile of that name (package profiles included)."""
    for profile in saved_profiles(rules_dir):
        if profile.name == name:
            return profile
    raise ProfileError(f"no profile named {name!r} (see `cio-talks profiles list`)")


def _keep_in_history(folder: Path, path: Path, label: str) -> Path:
    """Move a profile file into history/ under a name no earlier file has; returns it."""
    history = folder / "history"
    history.mkdir(exist_ok=True)
    target = history / f"{path.stem}.{label}.json"
    number = 1
    while target.exists():
        number += 1
        target = history / f"{path.stem}.{label}-{number}.json"
    path.replace(target)
    return target


def _version_of(path: Path) -> int:
    try:
        version = json.loads(path.read_text(encoding="utf-8")).get("version")
        return int(version) if isinstance(version, int) else 1
    except (OSError, ValueError, AttributeError):
        return 1


def _write(path: Path, profile: Profile) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(profile.to_dict(), ensure_ascii=False, indent=2) + "\n", "utf-8")
    tmp.replace(path)


def save_profile(rules_dir: Path, profile: Profile) -> tuple[Profile, Path]:
    """Write the profile as NAME.json with the next version number; the file it replaces goes
    to history/NAME.vN.json (never over an earlier history file). Returns the saved profile
    and its path. A profile without fields is refused: it would say nothing but still match.
    """
    if not profile.fields:
        raise ProfileError(
            f"profile {profile.name!r} has no rules: the general rules already read the "
            "examples right, or no value could be found on the pages"
        )
    folder = profile_dir(rules_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{check_name(profile.name)}.json"
    version = 1
    if path.exists():
        old = _version_of(path)
        version = old + 1
        _keep_in_history(folder, path, f"v{old}")
    saved = Profile(**{**profile.__dict__, "version": version})
    _write(path, saved)
    return saved, path


def remove_profile(rules_dir: Path, name: str) -> Path:
    """Move a saved profile into history/ (nothing is deleted); returns where it went."""
    folder = profile_dir(rules_dir)
    path = folder / f"{check_name(name)}.json"
    if not path.exists():
        raise ProfileError(f"no saved profile named {name!r} in {folder}")
    return _keep_in_history(folder, path, "removed")


def learned_names(rules_dir: Path) -> set[str]:
    """The names of the profiles saved in the rules folder (they can be removed)."""
    return {p.stem for p in profile_dir(rules_dir).glob("*.json")}


def profile_files(rules_dir: Path) -> dict[str, dict[str, Any]]:
    """The saved profiles' JSON data by name (for export)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(profile_dir(rules_dir).glob("*.json")):
        try:
            out[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            log.warning("skipping profile %s: %s", path, error)
    return out


def check_profiles(documents: Any) -> list[Profile]:
    """Exported profiles (an object of profile data by name) as profiles, every one checked;
    ProfileError names the first that cannot be used. Nothing is written."""
    if not isinstance(documents, Mapping):
        raise ProfileError("profiles: expected an object of profiles by name")
    checked = []
    for key, data in documents.items():
        try:
            name = check_name(str(key))
            profile = Profile.from_dict(data, default_name=name)
        except ProfileError:
            raise
        except Exception as error:
            raise ProfileError(f"profile {key!r}: {error}"[:300]) from None
        if profile.name != name:
            raise ProfileError(f"profile {key!r} calls itself {profile.name!r}")
        checked.append(profile)
    return checked


def write_profiles(rules_dir: Path, checked: list[Profile]) -> int:
    """Save checked profiles in the rules folder (one already there moves to history/)."""
    folder = profile_dir(rules_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for profile in checked:
        path = folder / f"{profile.name}.json"
        if path.exists():
            _keep_in_history(folder, path, f"v{_version_of(path)}")
        _write(path, profile)
    return len(checked)
