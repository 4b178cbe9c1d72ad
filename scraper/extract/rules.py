"""The extraction rules as one frozen value: site profiles and taxonomy, read from data files."""

from __future__ import annotations

import fnmatch
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from scraper.extract.fieldrules import FieldRule
from scraper.extract.taxonomy import Taxonomy, load_taxonomy

log = logging.getLogger(__name__)

PROFILE_DIR = Path(__file__).resolve().parent.parent / "data" / "profiles"


@dataclass(frozen=True)
class Landmark:
    """Something every page of a template has: an element, optionally holding a text (a label)."""

    css: str
    text: str = ""

    def to_data(self) -> str | dict[str, str]:
        """A bare selector, or {"css", "text"} for a text landmark."""
        return {"css": self.css, "text": self.text} if self.text else self.css

    @classmethod
    def from_data(cls, data: str | Mapping[str, Any]) -> Landmark:
        """A landmark from a profile file's signature entry."""
        if isinstance(data, str):
            return cls(css=data)
        return cls(css=str(data["css"]), text=str(data.get("text") or ""))


@dataclass(frozen=True)
class Profile:
    """One template's field rules and the signature that recognises its pages.

    A page is the template's when every landmark of the signature is on it and, for a profile
    that names hosts, its URL's host fits one of them. Learned profiles name no hosts: the
    signature alone decides, so a site's other templates and other sites never match.
    ``prefer`` names the fields where the profile's value beats the page's structured data
    (learned when the structured data disagreed with the admin's examples).
    """

    name: str
    hosts: tuple[str, ...] = ()
    signature: tuple[Landmark, ...] = ()
    fields: Mapping[str, FieldRule] = field(default_factory=lambda: MappingProxyType({}))
    prefer: frozenset[str] = frozenset()
    #: the fields every page of the template has: a page missing one is not the template's
    #: event page (a listing in the same layout), so the profile says nothing of is_event
    required: frozenset[str] = frozenset()
    #: selectors of the template's repeated elements (a speaker's card, a date) and the most
    #: matches any example page had: a page where one matches far more often is a listing
    #: or a programme in the same layout, not one talk, and the profile does not apply
    repeats: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    description: str = ""
    version: int = 1

    def matches_host(self, host: str) -> bool:
        """True when host (lower case, no port) fits one of the profile's host patterns."""
        host = host.lower().removeprefix("www.")
        return any(fnmatch.fnmatch(host, pattern.lower()) for pattern in self.hosts)

    def to_dict(self) -> dict[str, Any]:
        """The profile as the JSON data of its file."""
        data: dict[str, Any] = {"name": self.name, "version": self.version}
        if self.description:
            data["description"] = self.description
        if self.hosts:
            data["hosts"] = list(self.hosts)
        data["signature"] = [landmark.to_data() for landmark in self.signature]
        data["fields"] = {name: rule.to_dict() for name, rule in self.fields.items()}
        if self.prefer:
            data["prefer"] = sorted(self.prefer)
        if self.required:
            data["required"] = sorted(self.required)
        if self.repeats:
            data["repeats"] = dict(self.repeats)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], default_name: str) -> Profile:
        """A profile from its JSON data (unknown keys ignored; a malformed rule raises)."""
        fields = {str(k): FieldRule.from_data(v) for k, v in dict(data.get("fields") or {}).items()}
        signature = data.get("signature") or ()
        if isinstance(signature, str):
            signature = [signature]
        return cls(
            name=str(data.get("name") or default_name),
            hosts=tuple(str(h) for h in data.get("hosts") or ()),
            signature=tuple(Landmark.from_data(item) for item in signature),
            fields=MappingProxyType(fields),
            prefer=frozenset(str(f) for f in data.get("prefer") or ()),
            required=frozenset(str(f) for f in data.get("required") or ()),
            repeats=MappingProxyType(_repeats(data.get("repeats"))),
            description=str(data.get("description") or ""),
            version=int(data.get("version") or 1),
        )


def _repeats(data: Any) -> dict[str, int]:
    """A profile file's ``repeats`` (selector → most matches); bad entries raise."""
    if not data:
        return {}
    if not isinstance(data, Mapping) or not all(
        isinstance(k, str) and isinstance(v, int) and v > 0 for k, v in data.items()
    ):
        raise ValueError("repeats must map selectors to positive whole numbers")
    return dict(data)


@dataclass(frozen=True)
class Rules:
    """Everything extraction depends on besides the page: profiles and taxonomy."""

    profiles: tuple[Profile, ...]
    taxonomy: Taxonomy


def _profile_files(override_dir: Path | None) -> dict[str, Path]:
    """Profile files by file name; an override folder's profiles/ replace same-named defaults."""
    files = {p.name: p for p in sorted(PROFILE_DIR.glob("*.json"))}
    if override_dir is not None:
        files.update({p.name: p for p in sorted((override_dir / "profiles").glob("*.json"))})
    return files


def load_profiles(override_dir: Path | None = None) -> tuple[Profile, ...]:
    """Read every profile data file; a broken file is logged and skipped.

    The rules folder's profiles (taught or written for this archive) come first, in name
    order, then the bundled ones: where two signatures fit a page, the archive's own wins,
    as the preview of a newly taught profile assumes.
    """
    profiles: list[Profile] = []
    files = _profile_files(override_dir)
    own = sorted(n for n, p in files.items() if p.parent != PROFILE_DIR)
    bundled = sorted(n for n, p in files.items() if p.parent == PROFILE_DIR)
    for name, path in [(n, files[n]) for n in own + bundled]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            profiles.append(Profile.from_dict(data, default_name=Path(name).stem))
        except Exception as error:  # one broken file must not stop every extraction
            log.warning("skipping profile %s: %s", path, error)
    return tuple(profiles)


@lru_cache(maxsize=1)
def _default_rules() -> Rules:
    return Rules(profiles=load_profiles(None), taxonomy=load_taxonomy(None))


def load_rules(override_dir: Path | None = None) -> Rules:
    """The rules from package data, with same-named files in override_dir taking precedence.

    Without an override folder the result is cached, so calling extract() repeatedly is cheap.
    """
    if override_dir is None:
        return _default_rules()
    return Rules(profiles=load_profiles(override_dir), taxonomy=load_taxonomy(override_dir))
