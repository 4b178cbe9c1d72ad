"""What the fetcher keeps per host for a run: the pause between requests, and its patience.

A host gets at least ``delay`` seconds (or its robots.txt Crawl-delay, capped) between two
requests. A host that answers 429 or 503 ``give_up_after`` times in a row is left alone for
the rest of the run: asking it again only adds to its load.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable

log = logging.getLogger(__name__)

#: Answers that say "not now": enough of them in a row and the host is left alone.
OVERLOAD_STATUSES = frozenset({429, 503})


class HostPace:
    """Per-host pauses and give-ups; hosts are lower-case names."""

    def __init__(
        self,
        delay: float,
        max_crawl_delay: float,
        give_up_after: int,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ) -> None:
        self.delay, self.max_crawl_delay, self.give_up_after = delay, max_crawl_delay, give_up_after
        self._sleep, self._clock = sleep, clock
        self._last_request: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}
        self._overloaded: Counter[str] = Counter()  # host -> 429/503 answers in a row
        #: Hosts given up, with the one-line reason; their URLs now fail at once.
        self.given_up: dict[str, str] = {}

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Remember a host's robots.txt Crawl-delay (capped) for the per-host pause."""
        if seconds is not None and seconds > 0:
            self._crawl_delay[host.lower()] = min(seconds, self.max_crawl_delay)

    def host_delay(self, host: str) -> float:
        """The pause kept between two requests to ``host``."""
        return max(self.delay, self._crawl_delay.get(host.lower(), 0.0))

    def wait_turn(self, host: str) -> None:
        """Sleep until ``host`` may be asked again, and note that it is being asked now."""
        last = self._last_request.get(host)
        if last is not None:
            wait = self.host_delay(host) - (self._clock() - last)
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()

    def answered(self, host: str, status: int) -> None:
        """Count a host's 429/503 answers in a row; give the host up when there are too many."""
        if status not in OVERLOAD_STATUSES:
            self._overloaded.pop(host, None)
            return
        self._overloaded[host] += 1
        count = self._overloaded[host]
        if count >= self.give_up_after and host not in self.given_up:
            self.given_up[host] = f"gave up on {host} after {count} answers 429/503 in a row"
            log.warning("%s", self.given_up[host])
