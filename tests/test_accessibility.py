"""axe-core on every public and admin page, at desktop (1280×800) and phone (390×844) widths.

The pages are those of the bundled samples served over loopback, plus an admin account, a
configured source, a finished job and a withdrawn talk so that every admin and public
template is drawn. axe-core comes bundled with ``axe-playwright-python`` (a dev dependency);
Chromium is Debian's, launched by path. Any serious or critical violation fails, named by
page, rule and target.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from adminkit import PASSWORD, load_admin_archive
from browserkit import CHROMIUM, chromium, served
from conftest import make_app
from flask import Flask
from sqlalchemy import select

from archive.db import engine_of, new_session
from archive.models import AdminJob, Organisation, Run, Speaker, Talk

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
BLOCKING = ("serious", "critical")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]
pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """The samples, an admin account and a withdrawn talk, served on a loopback port."""
    instance = tmp_path_factory.mktemp("a11y") / "instance"
    app = make_app(
        instance,
        f"sqlite:///{instance.parent / 'a11y.sqlite3'}",
        TESTING=False,
        SERVER_NAME=None,
        ADMIN_SOURCE_HOSTS=["127.0.0.1"],
    )
    load_admin_archive(app)
    with served(app) as url:
        yield app, url
    engine_of(app).dispose()


def withdrawn_path(app: Flask) -> str:
    """The address of the hidden talk (its "withdrawn" page)."""
    with new_session(app) as db:
        hidden = db.scalars(select(Talk.id).where(Talk.hidden.is_(True))).first()
    assert hidden is not None
    return f"/talks/{hidden}"


def public_paths(app: Flask) -> list[str]:
    """One URL of every public page kind, ids taken from the loaded archive (the withdrawn
    talk answers 410 and the made-up address 404, both with the site's own page)."""
    with new_session(app) as db:
        talk = db.scalars(select(Talk).where(Talk.hidden.is_(False)).order_by(Talk.id)).first()
        speaker = db.scalars(select(Speaker).order_by(Speaker.id)).first()
        org = db.scalars(select(Organisation).order_by(Organisation.id)).first()
        host = db.scalars(select(Talk.host).where(Talk.host.is_not(None))).first()
        industry = (talk.industries or ["Health care"])[0] if talk else "Health care"
    assert talk and speaker and org and host
    return [
        "/",
        "/?q=health+care",
        "/?q=qqxyzzy",
        "/?q=clod+computing",
        "/?q=cloud&from=2010&to=2024&lang=en",
        "/?page=9999",
        f"/talks/{talk.id}",
        f"/talks/{talk.id}/archived",
        withdrawn_path(app),
        "/speakers",
        "/speakers?role=CIO&letter=S",
        f"/speakers/{speaker.id}",
        f"/organisations/{org.id}",
        f"/series/{quote(talk.series or 'CIO Talks')}",
        f"/hosts/{quote(host)}",
        "/facets/year?q=data",
        "/industries",
        f"/industries/{quote(industry)}",
        "/themes",
        "/years",
        "/stats",
        "/api",
        "/no-such-page",
    ]


def admin_paths(app: Flask, source: str) -> list[str]:
    """One URL of every admin page kind (after signing in and adding ``source``)."""
    with new_session(app) as db:
        talk = db.scalars(select(Talk).order_by(Talk.id)).first()
        speaker = db.scalars(select(Speaker).order_by(Speaker.id)).first()
        org = db.scalars(select(Organisation).order_by(Organisation.id)).first()
        run = db.scalars(select(Run).order_by(Run.id)).first()
        job = db.scalars(select(AdminJob).order_by(AdminJob.id)).first()
    assert talk and speaker and org and run and job
    return [
        "/admin/",
        "/admin/runs",
        f"/admin/runs/{run.id}",
        f"/admin/jobs/{job.id}",
        "/admin/audit",
        "/admin/sources",
        f"/admin/sources/{source}/edit",
        "/admin/organisations",
        f"/admin/organisations/{org.id}/edit",
        "/admin/profiles",
        "/admin/profiles/learn?host=archive.samples",
        "/admin/review",
        "/admin/search?q=cloud",
        f"/admin/talks/{talk.id}/edit",
        f"/admin/speakers/{speaker.id}/edit",
    ]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module."""
    with chromium() as launched:
        yield launched


def violations(tab: Page, axe: Any) -> list[tuple[str, str]]:
    """``(impact, "rule (impact): target")`` for each node axe finds wrong on the page."""
    found = axe.run(tab).response["violations"]
    return [
        (rule["impact"], f"{rule['id']} ({rule['impact']}): {' '.join(map(str, node['target']))}")
        for rule in found
        for node in rule["nodes"]
    ]


def sign_in(tab: Page, base: str, source: str) -> None:
    """Sign in through the form, then add a source so that its edit page exists."""
    tab.goto(f"{base}/admin/login")
    tab.fill("input[name=name]", "alice")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(f"{base}/admin/")
    tab.goto(f"{base}/admin/sources")
    tab.fill("form.source-form input[name=name]", source)
    tab.fill("form.source-form input[name=url]", f"{base}/series/CIO%20Talks")
    tab.click("form.source-form button[type=submit]")
    assert f"Source {source} added." in tab.inner_text(".flashes")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_or_critical_axe_violations(
    browser: Browser, live: tuple[Flask, str], width: str
) -> None:
    app, base = live
    wide, high = WIDTHS[width]
    context = browser.new_context(viewport={"width": wide, "height": high})
    tab = context.new_page()
    axe = axe_api.Axe()
    problems: dict[str, list[tuple[str, str]]] = {}
    try:
        tab.goto(f"{base}/admin/login")
        problems["/admin/login"] = violations(tab, axe)
        statuses = {withdrawn_path(app): 410, "/no-such-page": 404}
        source = f"a11y-{width}"
        sign_in(tab, base, source)
        for path in public_paths(app) + admin_paths(app, source):
            response = tab.goto(base + path)
            assert response is not None, path
            assert response.status == statuses.get(path, 200), path
            problems[path] = violations(tab, axe)
    finally:
        context.close()
    impacts = Counter(impact for lines in problems.values() for impact, _ in lines)
    print(f"axe at {width} on {len(problems)} pages: {dict(impacts)}")
    report = [
        f"{path}: {line}"
        for path, lines in problems.items()
        for impact, line in lines
        if impact in BLOCKING
    ]
    assert not report, "\n".join(report)
