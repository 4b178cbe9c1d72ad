"""A crawl from a public start never follows links or redirects into the internal network."""

from __future__ import annotations

import pytest

from archive.crawling import InsideGuard


class AllowAll:
    """Robots rules that allow everything."""

    def allowed(self, url: str) -> bool:
        return True

    def crawl_delay(self, host: str) -> float | None:
        return 2.0

    def sitemaps(self, url: str) -> list[str]:
        return [url + "sitemap.xml"]


PUBLIC_START = "http://93.184.216.34/events/"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://93.184.216.34/events/2", True),
        ("http://127.0.0.1/admin", False),
        ("http://localhost:8080/", False),
        ("http://10.0.0.1/", False),
        ("http://169.254.169.254/latest/meta-data/", False),
        ("http://192.168.1.5/", False),
        ("http://[::1]/", False),
    ],
)
def test_public_crawl_stays_outside(url: str, allowed: bool) -> None:
    guard = InsideGuard(AllowAll(), [PUBLIC_START])  # type: ignore[arg-type]
    assert guard.active
    assert guard.allowed(url) is allowed


def test_a_crawl_started_inside_is_not_restricted() -> None:
    guard = InsideGuard(AllowAll(), ["http://127.0.0.1:5000/events/"])  # type: ignore[arg-type]
    assert not guard.active
    assert guard.allowed("http://127.0.0.1:5000/events/1")
    assert guard.crawl_delay("127.0.0.1") == 2.0
    assert guard.sitemaps("http://127.0.0.1:5000/") == ["http://127.0.0.1:5000/sitemap.xml"]
