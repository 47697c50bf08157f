"""forecasts serve in a real browser: Debian's chromium driven by Playwright logs in, creates a
question, forecasts in words, resolves as a resolver and sees the score and the charts, at
desktop and at phone width. Skips where Playwright or a chromium is not installed.

Set FORECASTS_SCREENSHOTS to a folder to keep the screenshots it takes."""

import os
import shutil
from pathlib import Path

import pytest
from conftest import Forecasts, LiveServer

sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("starlette")

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)


@pytest.fixture(scope="module")
def chromium():
    if CHROMIUM is None:
        pytest.skip("no chromium installed")
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                 args=["--no-sandbox"])
        except sync_api.Error as error:
            pytest.skip(f"chromium does not start: {str(error).splitlines()[0]}")
        yield browser
        browser.close()


def snap(page, tmp_path, name):
    folder = Path(os.environ.get("FORECASTS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def log_in(page, url, name, password):
    page.goto(url + "/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/questions")


def test_log_resolve_score_in_the_browser(chromium, tmp_path):
    cli = Forecasts(tmp_path / "team.db")
    bob = cli.ok("user", "add", "bob").stdout.strip().splitlines()[-1]
    rita = cli.ok("user", "add", "rita", "--role", "resolver").stdout.strip().splitlines()[-1]
    with LiveServer(cli.db) as server:
        url = server.url
        page = chromium.new_page(viewport={"width": 1100, "height": 900})
        page.goto(url + "/questions")
        assert page.url.startswith(url + "/login")
        page.fill("input[name=username]", "bob")
        page.fill("input[name=password]", "not the password")
        page.click("button[type=submit]")
        assert "wrong user name or password" in page.inner_text("main")

        log_in(page, url, "bob", bob)
        page.click("text=New question")
        page.fill("textarea[name=text]", "The browser test <b>passes</b>")
        page.fill("input[name=resolves]", "2031-06-30")
        page.fill("input[name=tags]", "web")
        page.click("button:has-text('Create question')")
        assert page.inner_text("h1") == "The browser test <b>passes</b>"
        question_url = page.url

        page.fill("input[name=probability]", "probably")
        page.fill("input[name=on]", "2025-06-01")
        page.fill("input[name=quote]", "it will probably pass")
        page.click("button:has-text('Log forecast')")
        assert "logged" in page.inner_text(".notice")
        row = page.inner_text("table.forecasts tbody tr")
        assert "bob" in row and "70%" in row and "probably" in row
        assert page.locator("svg.chart circle").count() == 1
        assert page.locator("form[action$='/resolution']").count() == 0  # members do not resolve
        snap(page, tmp_path, "question-page")
        page.click("button:has-text('Log out')")

        log_in(page, url, "rita", rita)
        page.goto(question_url)
        page.select_option("select[name=outcome]", "yes")
        page.fill("input[name=evidence]", "https://example.org/it-passed")
        page.click("button:has-text('Resolve')")
        assert "yes on" in page.inner_text("ul.resolutions")
        assert "recorded by rita" in page.inner_text("ul.resolutions")

        page.click("text=Leaderboard")
        page.click("a:has-text('bob')")
        assert page.inner_text("td.brier") == "0.090"  # (0.7 - 1) squared
        assert page.locator("figure.calibration svg").count() == 1
        assert "The browser test <b>passes</b>" in page.inner_text("main")
        snap(page, tmp_path, "forecaster-page")

        phone = chromium.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
        log_in(phone, url, "rita", rita)
        for path in ("/questions", question_url[len(url):], "/forecasters/bob"):
            phone.goto(url + path)
            overflow = phone.evaluate("document.documentElement.scrollWidth")
            assert overflow <= 376, (path, overflow)
        snap(phone, tmp_path, "question-page-phone")
        phone.close()
        page.close()
    assert cli("verify").exit_code == 0
