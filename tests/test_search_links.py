"""The search page's facet links (archive.views.search.url_with): the per-request shortcut for
adding a filter gives exactly the URL the general path builds."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from archive.views.search import url_with


def reference(args: MultiDict[str, str], add: tuple[str, str]) -> str:
    """The general path: copy, drop the page, add the filter unless present, encode."""
    new: MultiDict[str, str] = MultiDict(args)
    new.pop("page", None)
    if add[1] not in new.getlist(add[0]):
        new.add(*add)
    query = urlencode(list(new.items(multi=True)))
    return f"/?{query}" if query else "/"


ARGS = [
    [],
    [("page", "3")],
    [("q", "cloud")],
    [("q", "sundhed & IT"), ("page", "2"), ("industry", "Health care")],
    [("industry", "Energy"), ("q", "x"), ("industry", "Health care"), ("sort", "newest")],
    [("theme", "Data & analytics"), ("lang", "da")],
]
ADDS = [
    ("industry", "Health care"),
    ("theme", "Cloud computing"),
    ("org", "Ørsted A/S"),
    ("year", "2015"),
    ("page", "4"),
    ("lang", "da"),
]


@pytest.mark.parametrize("pairs", ARGS)
def test_added_filter_links_equal_the_general_path(
    site: Flask, pairs: list[tuple[str, str]]
) -> None:
    args: MultiDict[str, str] = MultiDict(pairs)
    with site.test_request_context("/"):
        for add in ADDS:
            assert url_with(args, add=add) == reference(args, add), add
        other: MultiDict[str, str] = MultiDict([*pairs, ("speaker", "Anne")])
        # Another arguments object in the same request is encoded afresh, not mixed up.
        assert url_with(other, add=ADDS[2]) == reference(other, ADDS[2])
        assert url_with(args, add=ADDS[2]) == reference(args, ADDS[2])
