"""One run at a time: an exclusive lock file naming the run that holds it."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from types import TracebackType
from typing import IO, Any


def process_alive(pid: object) -> bool:
    """True when ``pid`` names a process of this machine that still exists."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


class RunLocked(RuntimeError):
    """Raised when another run holds the lock; the message names it."""


class RunLock:
    """An advisory ``flock`` on a file; the kernel frees it when the holder dies (even kill -9)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def holder(self) -> dict[str, Any]:
        """What the lock file says about the run holding it (may be stale when free)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def holder_alive(self) -> bool:
        """True when the process the lock file names still exists. A run killed with kill -9
        leaves its pid behind while the kernel frees its lock: then this is False."""
        return process_alive(self.holder().get("pid"))

    def acquire(self, **about: Any) -> None:
        """Take the lock or raise RunLocked naming the running process."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            info = self.holder()
            who = ", ".join(f"{k} {v}" for k, v in info.items()) or "unknown process"
            raise RunLocked(f"another run is in progress ({who}); try again when it ends") from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), **about}))
        handle.flush()
        self._file = handle

    def update(self, **about: Any) -> None:
        """Rewrite what the lock file says about the holder (e.g. once the run has an id)."""
        if self._file is None:
            return
        self._file.seek(0)
        self._file.truncate()
        self._file.write(json.dumps({"pid": os.getpid(), **about}))
        self._file.flush()

    def release(self) -> None:
        """Free the lock."""
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.release()
