"""End to end in headless Chromium (Playwright driving Debian's chromium): search, a country facet, a
speaker, an article with its quotes highlighted, who-said, and a correction with --edit that persists.
Screenshots of the main pages at desktop and phone widths go to docs/screenshots/."""
from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("unhurried_pages")

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TOKEN = "ferry-editor-token-2023"
#: Chromium switches for a quiet, sandbox-free headless run that fetches nothing on its own.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def _missing() -> str | None:
    try:
        import fastapi  # noqa: F401
        import playwright  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)"
    return None


def _require_browser() -> None:
    """Skip without a browser on a developer's machine; in CI (CI set) a missing browser fails."""
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"end-to-end tests cannot run in CI: {reason}")
        pytest.skip(reason)


class Server:
    """The application served by uvicorn on a free port of 127.0.0.1, in a thread."""

    def __init__(self, app):
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), args=ARGS,
            headless=True, viewport=DESKTOP)
        yield context
        context.close()


@pytest.fixture(scope="module")
def site(seeded_db_template):
    _require_browser()
    from quotes.web.app import create_app

    with Server(create_app(str(seeded_db_template))) as base:
        yield base


@pytest.fixture
def page(browser, site):
    page = browser.new_page()
    page.set_viewport_size(DESKTOP)
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((site, "data:")) else outside.append(r.url))
    yield page
    page.close()
    assert not outside, f"the page fetched from elsewhere: {outside}"


def _shoot(page, name: str) -> None:
    """Screenshots of the page as it is, at desktop then phone width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"))
    page.set_viewport_size(DESKTOP)


def test_search_then_a_country_facet_then_a_speaker(page, site):
    page.goto(site + "/")
    assert page.locator("svg.chart").count() >= 1
    _shoot(page, "overview")
    page.fill("header input[name=q]", "corrid*")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/quotes\?q=corrid"))
    cards = page.locator("article.card")
    assert cards.count() >= 1 and "corrid" in cards.first.locator("mark").first.inner_text().lower()

    page.goto(site + "/quotes")
    facet = page.locator("section[data-facet=country] a", has_text="Azerbaijan")
    expected = int(facet.locator("xpath=following-sibling::span").inner_text().replace(",", ""))
    facet.click()
    page.wait_for_url(re.compile(r"country=AZ"))
    assert page.locator(".chip", has_text="country: AZ").is_visible()
    assert page.locator(".summary strong").inner_text() == str(expected)
    _shoot(page, "quotes")

    page.locator("article.card a.who", has_text="Hikmet Hajiyev").first.click()
    page.wait_for_url(re.compile(r"/speakers/\d+$"))
    assert page.locator("h1").inner_text() == "Hikmet Hajiyev"
    assert page.locator("svg.chart rect.bar").count() >= 1
    assert page.locator("table.posts", has_text="foreign policy adviser").is_visible()
    _shoot(page, "speaker")


def test_an_article_shows_its_quotes_highlighted_by_speaker(page, site):
    page.goto(site + "/quotes?outlet=Fjord+Courier&sort=article")
    page.locator("article.card a.article").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+"))
    marks = page.locator("#article-text mark.quote")
    assert marks.count() >= 5
    solberg = page.locator("#article-text mark.quote[title^='Mira Solberg']")
    brekke = page.locator("#article-text mark.quote[title^='Odd Brekke']")
    assert solberg.count() >= 2 and brekke.count() >= 1
    colour = lambda m: m.evaluate("e => getComputedStyle(e).backgroundColor")  # noqa: E731
    assert colour(solberg.first) == colour(solberg.nth(1)) != colour(brekke.first)
    # the markup in the article is shown as text, not run
    assert "<script>" in page.locator("h1").inner_text()
    assert page.locator("#article-text b").count() == 0 and "<b>smiling</b>" in page.locator("#article-text").inner_text()
    page.goto(site + "/articles/1")
    _shoot(page, "article")


def test_who_said_finds_the_speaker_of_a_pasted_sentence(page, site):
    page.goto(site + "/who-said")
    page.fill("textarea[name=phrase]", "nobody will be left standing on the quay")
    page.click("form.who-said button")
    first = page.locator("article.card").first
    assert "Nobody will be left on the quay" in first.locator("blockquote").inner_text()
    assert first.locator("a.who").inner_text() == "Mira Solberg"
    _shoot(page, "who-said")
    page.goto(site + "/countries/AZ")
    _shoot(page, "country")


def test_with_edit_a_speakers_country_fixed_on_the_page_persists(browser, seeded_db):
    from quotes.web.app import create_app

    with Server(create_app(str(seeded_db), edit=True, token=TOKEN)) as base:
        page = browser.new_page()
        page.goto(base + "/speakers?speaker=Brekke")
        page.locator("table.list a", has_text="Odd Brekke").click()
        speaker_url = page.url
        assert page.locator("section.editing").count() == 0  # not an editor yet
        page.click("text=Edit")
        page.fill("input[name=token]", TOKEN)
        page.click("form.login button")
        page.wait_for_url(speaker_url)
        form = page.locator("form.edit[action*='set-country']")
        form.locator("input[name=value]").fill("Norway")
        form.locator("button").click()
        assert "country - -> NO" in page.locator(".flash").inner_text()
        page.reload()
        assert page.locator("p.about a.country").inner_text() == "Norway"
        page.goto(base + "/corrections")
        assert page.locator("table.list td", has_text="set-country").count() == 1
        page.close()
    from click.testing import CliRunner

    from quotes.cli import main

    shown = CliRunner().invoke(main, ["--db", str(seeded_db), "speaker", "Odd Brekke"])
    assert "Norway (NO, curated)" in shown.output
