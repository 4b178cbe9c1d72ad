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

from scraper.extract.taxonomy import Taxonomy, load_taxonomy

log = logging.getLogger(__name__)

PROFILE_DIR = Path(__file__).resolve().parent.parent / "data" / "profiles"


@dataclass(frozen=True)
class Profile:
    """CSS selectors for one site's event layout, matched by URL host or by a signature element."""

    name: str
    hosts: tuple[str, ...] = ()
    signature: str | None = None
    fields: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def matches_host(self, host: str) -> bool:
        """True when host (lower case, no port) fits one of the profile's host patterns."""
        host = host.lower().removeprefix("www.")
        return any(fnmatch.fnmatch(host, pattern.lower()) for pattern in self.hosts)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], default_name: str) -> Profile:
        """A profile from its JSON data (unknown keys ignored)."""
        fields = {str(k): str(v) for k, v in dict(data.get("fields") or {}).items()}
        return cls(
            name=str(data.get("name") or default_name),
            hosts=tuple(str(h) for h in data.get("hosts") or ()),
            signature=str(data["signature"]) if data.get("signature") else None,
            fields=MappingProxyType(fields),
        )


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
    """Read every profile data file; a broken file is logged and skipped."""
    profiles: list[Profile] = []
    for name, path in sorted(_profile_files(override_dir).items()):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            profiles.append(Profile.from_dict(data, default_name=Path(name).stem))
        except (OSError, ValueError, TypeError, AttributeError) as error:
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
