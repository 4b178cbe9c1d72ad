"""Settings from CIO_TALKS_* environment variables, with embedded defaults that need no server."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import zoneinfo
from pathlib import Path
from typing import Any

ENV_PREFIX = "CIO_TALKS_"


def _secret_key(instance_dir: Path) -> str:
    """The session secret: from the environment, else generated once and kept in the instance."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    instance_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


def _host_list(value: Any) -> list[str]:
    """A host allow-list from a comma-separated string or a list, lower-cased."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return [str(item).strip().lower().rstrip(".") for item in items if str(item).strip()]


def _flag(value: Any) -> bool:
    """A boolean setting from a bool or an environment string such as ``1``/``true``/``yes``."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _zone_name(value: Any) -> str:
    """An IANA time zone name, checked now so a typo is one clear message at start-up rather
    than a failing talk page later."""
    name = str(value).strip()
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{ENV_PREFIX}TIME_ZONE: unknown time zone {name!r} (use an IANA name such as "
            "Europe/Copenhagen)"
        ) from None
    return name


def _proxy_count(value: Any) -> int:
    """How many proxies to trust: a count, or a flag (``1``/``true`` for one proxy)."""
    text = str(value).strip().lower()
    if text in ("true", "yes", "on"):
        return 1
    if text in ("", "false", "no", "off"):
        return 0
    if not text.isdigit():
        raise ValueError(f"CIO_TALKS_PROXY_FIX must be a number of proxies, not {value!r}")
    return int(text)


def _queue_mode(value: Any) -> str:
    """The QUEUE setting: auto, on or off."""
    mode = str(value).strip().lower()
    if mode not in ("auto", "on", "off"):
        raise ValueError(f"CIO_TALKS_QUEUE must be auto, on or off, not {value!r}")
    return mode


def _positive(name: str, value: Any) -> float:
    """A setting that must be a number above zero, with a clear message otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = 0.0
    if not number > 0:
        raise ValueError(f"CIO_TALKS_{name} must be a number above zero, not {value!r}")
    return number


def _not_negative(name: str, value: Any) -> float:
    """A setting that must be a number of zero or more, with a clear message otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if not number >= 0:
        raise ValueError(f"CIO_TALKS_{name} must be a number of zero or more, not {value!r}")
    return number


def _workers(value: Any) -> int | None:
    """Web worker processes for ``serve``: a whole number above zero, or ``auto`` (None: one
    per core the process may run on)."""
    text = str(value if value is not None else "").strip().lower()
    if text in ("", "auto"):
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError(
            f"{ENV_PREFIX}WORKERS must be a whole number of processes above zero, or auto, "
            f"not {value!r}"
        )
    return int(text)


def load_settings(
    default_instance: Path, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the Flask config keys of the archive.

    Precedence: ``overrides`` (tests, embedding), then the environment, then defaults derived from
    the instance folder, where all state lives unless told otherwise.
    """
    overrides = dict(overrides or {})
    env = os.environ

    def pick(key: str, default: Any) -> Any:
        if key in overrides:
            return overrides[key]
        return env.get(ENV_PREFIX + key, default)

    instance_dir = Path(pick("INSTANCE_DIR", str(default_instance))).resolve()
    instance_dir.mkdir(parents=True, exist_ok=True)
    database_url = pick("DATABASE_URL", f"sqlite:///{instance_dir / 'cio_talks.sqlite3'}")
    settings: dict[str, Any] = {
        "INSTANCE_DIR": instance_dir,
        "DATABASE_URL": database_url,
        "INDEX_DIR": Path(pick("INDEX_DIR", str(instance_dir / "index"))),
        "ARCHIVE_DIR": Path(pick("ARCHIVE_DIR", str(instance_dir / "warc"))),
        "LOCK_FILE": Path(pick("LOCK_FILE", str(instance_dir / "scrape.lock"))),
        "SOURCES_FILE": Path(pick("SOURCES_FILE", str(instance_dir / "sources.json"))),
        "RULES_DIR": Path(pick("RULES_DIR", str(instance_dir / "rules"))),
        "CONTACT": pick("CONTACT", "archive-admin@example.org"),
        "MAX_PAGES": int(pick("MAX_PAGES", 500)),
        "CRAWL_DELAY": float(pick("CRAWL_DELAY", 1.0)),
        "CRAWL_TIMEOUT": float(pick("CRAWL_TIMEOUT", 30.0)),
        "CRAWL_RETRIES": int(pick("CRAWL_RETRIES", 3)),
        "CRAWL_BACKOFF": float(pick("CRAWL_BACKOFF", 1.0)),
        "CRAWL_MAX_RETRY_AFTER": float(pick("CRAWL_MAX_RETRY_AFTER", 60.0)),
        "CRAWL_MAX_BYTES": int(pick("CRAWL_MAX_BYTES", 5 * 1024 * 1024)),
        "CRAWL_SITEMAP": str(pick("CRAWL_SITEMAP", "0")).lower() in ("1", "true", "yes", "on"),
        "PER_PAGE": int(pick("PER_PAGE", 20)),
        # CPU priority the writers (scrape, reextract, reindex commands) give up, so a busy
        # site keeps answering while they run; 0 keeps the normal priority.
        "WRITER_NICE": int(pick("WRITER_NICE", 10)),
        # Web worker processes of `cio-talks serve`; None: one per core it may run on.
        "WORKERS": _workers(pick("WORKERS", "auto")),
        # Hosts an admin may add as sources (exact, or ".example.org" for its subdomains).
        "ADMIN_SOURCE_HOSTS": _host_list(pick("ADMIN_SOURCE_HOSTS", "")),
        # Let sources resolve to loopback, link-local or private addresses (tests, intranets).
        "ALLOW_PRIVATE_SOURCES": _flag(pick("ALLOW_PRIVATE_SOURCES", False)),
        # The zone the talks' times are in: calendar files and the pages' event metadata.
        "TIME_ZONE": _zone_name(pick("TIME_ZONE", "Europe/Copenhagen")),
        # The site's public address, for permalinks written outside a web request (CLI exports).
        "SITE_URL": str(pick("SITE_URL", "http://localhost:8000")).rstrip("/"),
        # Sessions end this many hours after signing in, however often they are used.
        "PERMANENT_SESSION_LIFETIME": overrides.get("PERMANENT_SESSION_LIFETIME")
        or dt.timedelta(hours=_positive("SESSION_HOURS", pick("SESSION_HOURS", 12))),
        # Session cookies always Secure (they are anyway on requests that came over HTTPS).
        "SESSION_COOKIE_SECURE": _flag(
            overrides.get("SESSION_COOKIE_SECURE") or pick("SECURE_COOKIES", False)
        ),
        # Proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
        "PROXY_FIX": _proxy_count(pick("PROXY_FIX", 0)),
        # Failed sign-ins of one name from one address before each further one waits (four
        # times as many per name and per address), and the longest waits in seconds.
        "LOGIN_FREE_FAILURES": int(
            _positive("LOGIN_FREE_FAILURES", pick("LOGIN_FREE_FAILURES", 5))
        ),
        "LOGIN_DELAY_MAX": _positive("LOGIN_DELAY_MAX", pick("LOGIN_DELAY_MAX", 900)),
        "LOGIN_NAME_DELAY_MAX": _positive("LOGIN_NAME_DELAY_MAX", pick("LOGIN_NAME_DELAY_MAX", 60)),
        # The PostgreSQL job queue (archive.queue): "auto" sends admin runs to it while a
        # worker is alive, "on" always, "off" never (runs stay in-process as on SQLite).
        "QUEUE": _queue_mode(pick("QUEUE", "auto")),
        # Retries of a failing queued job before it is left failed, and the backoff base in
        # seconds (the n-th retry waits base ** n).
        "QUEUE_RETRIES": int(pick("QUEUE_RETRIES", 4)),
        "QUEUE_BACKOFF": int(pick("QUEUE_BACKOFF", 4)),
        # Seconds between a worker's heartbeats, and without one before its jobs are retried.
        "QUEUE_HEARTBEAT": _positive("QUEUE_HEARTBEAT", pick("QUEUE_HEARTBEAT", 10)),
        "QUEUE_STALLED_AFTER": _positive("QUEUE_STALLED_AFTER", pick("QUEUE_STALLED_AFTER", 30)),
        # Seconds between a serving process's catch-ups of its index with the change log
        # (archive.follower; on PostgreSQL a NOTIFY wakes it sooner); 0 turns following off.
        "FOLLOW_INTERVAL": _not_negative("FOLLOW_INTERVAL", pick("FOLLOW_INTERVAL", 5)),
        # `check` reports an index that is more than this many change-log rows behind, or
        # has left a row unapplied for longer than this many seconds.
        # Days the change log keeps its rows (the newest always stays); an index folder that
        # has not caught up for longer is rebuilt from the database instead.
        "CHANGES_KEEP_DAYS": _positive("CHANGES_KEEP_DAYS", pick("CHANGES_KEEP_DAYS", 30)),
        "REPLICA_MAX_LAG": int(_not_negative("REPLICA_MAX_LAG", pick("REPLICA_MAX_LAG", 100))),
        "REPLICA_MAX_LAG_SECONDS": _not_negative(
            "REPLICA_MAX_LAG_SECONDS", pick("REPLICA_MAX_LAG_SECONDS", 60)
        ),
    }
    secret = overrides.get("SECRET_KEY") or env.get(ENV_PREFIX + "SECRET_KEY")
    settings["SECRET_KEY"] = secret or _secret_key(instance_dir)
    for key, value in overrides.items():
        settings.setdefault(key, value)
    return settings
