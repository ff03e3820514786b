"""The html page in a real browser: headless Chromium driven through chromedriver.

Each test loads a page written by `render` or `render_timeline` from a file
and reads the DOM the browser built: the sections and their rows, what the
verdict and source filters hide, the order the column headings sort into,
and that a phone-width window needs no sideways scrolling.  The browser's
console must stay free of errors, so a script or style blocked by the
page's Content-Security-Policy fails the test.

The tests skip when Chromium or chromedriver is not installed (Debian:
``apt-get install chromium chromium-driver``), except under CI (``CI`` set),
where they fail instead.  They are marked ``browser``: deselect them with
``-m "not browser"``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import claims
from provenance import Claim, Ledger, Proposition, Source
from provenance.assess import Assessments, Status, assess
from provenance.report import render
from provenance.timeline import render_timeline

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def _need_browser() -> None:
    if CHROMIUM and CHROMEDRIVER:
        return
    message = "needs chromium and chromedriver: apt-get install chromium chromium-driver"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module, with a fresh profile."""
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    assert CHROMIUM is not None and CHROMEDRIVER is not None
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="provenance-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def seed() -> Assessments:
    """The seed ledger's assessments."""
    return assess(claims.load("svr-pyongyang"))


def load(browser: Any, page: str, tmp_path: Path, width: int = 1280) -> None:
    """Open `page` from a file in a window `width` pixels wide, with an empty console."""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    browser.set_window_size(width, 1000)
    browser.get_log("browser")  # drop what an earlier page logged
    browser.get(path.as_uri())


def errors(browser: Any) -> list[str]:
    """Console messages of level warning or worse since the page was loaded."""
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] in ("WARNING", "SEVERE")
    ]


def shown_ids(browser: Any, section: str) -> list[str]:
    """The ids of the rows of one section that are displayed, in displayed order."""
    from selenium.webdriver.common.by import By

    rows = browser.find_elements(By.CSS_SELECTOR, f"section#{section} tbody tr")
    return [row.find_element(By.CSS_SELECTOR, "td").text for row in rows if row.is_displayed()]


def choose(browser: Any, select: str, value: str) -> None:
    """Pick `value` in one of the page's filters."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, select)).select_by_value(value)


class TestReportPage:
    def test_the_graph_opens_inside_the_page(
        self, browser: Any, seed: Assessments, tmp_path: Path
    ) -> None:
        """With Graphviz, the page carries the graph folded; opened, it shows a node for
        every source and proposition, and the page logs no error."""
        from selenium.webdriver.common.by import By

        if shutil.which("dot") is None and not os.environ.get("CI"):
            pytest.skip("Graphviz's dot is not installed")
        load(browser, render(seed, "html", graph=True), tmp_path)
        browser.find_element(By.CSS_SELECTOR, "section#graph summary").click()
        figure = browser.find_element(By.CSS_SELECTOR, "section#graph figure svg")
        assert figure.is_displayed()
        nodes = figure.find_elements(By.CSS_SELECTOR, "g.node")
        assert len(nodes) >= len(seed.ledger.sources) + len(seed.ledger.propositions)
        assert [] == errors(browser)

    def test_sections_and_rows(self, browser: Any, seed: Assessments, tmp_path: Path) -> None:
        """Each verdict present has a section headed with its count, holding its rows in order."""
        from selenium.webdriver.common.by import By

        load(browser, render(seed, "html"), tmp_path)
        headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section h2")]
        expected = [f"{s.section} ({len(seed.by_status(s))})" for s in Status if seed.by_status(s)]
        assert [*expected, f"Sources ({len(seed.ledger.sources)})"] == headings
        for status in Status:
            if seed.by_status(status):
                ids = [a.proposition.id for a in seed.by_status(status)]
                assert ids == shown_ids(browser, status.value)
        assert [] == errors(browser)

    def test_filters_appear_and_the_summary_reads_first(
        self, browser: Any, seed: Assessments, tmp_path: Path
    ) -> None:
        """The script shows the filters; the summary with the date comes right under the title."""
        from selenium.webdriver.common.by import By

        load(browser, render(seed, "html"), tmp_path)
        assert browser.find_element(By.ID, "filters").is_displayed()
        summary = browser.find_element(By.CSS_SELECTOR, "header p.summary").text
        assert summary.startswith(f"As of {seed.policy.as_of}:")

    def test_filtering_by_verdict_hides_the_other_rows(
        self, browser: Any, seed: Assessments, tmp_path: Path
    ) -> None:
        """Choosing a verdict hides every row and section of the others, and says how many show."""
        from selenium.webdriver.common.by import By

        load(browser, render(seed, "html"), tmp_path)
        present = [s for s in Status if seed.by_status(s)]
        chosen = present[-1]
        choose(browser, "f-status", chosen.value)
        for status in present:
            expected = (
                [a.proposition.id for a in seed.by_status(status)] if status is chosen else []
            )
            assert expected == shown_ids(browser, status.value)
            section = browser.find_element(By.ID, status.value)
            assert (status is chosen) == section.is_displayed()
        total = len(seed)
        assert (
            f"{len(seed.by_status(chosen))} of {total} rows shown"
            == browser.find_element(By.ID, "f-count").text
        )
        choose(browser, "f-status", "")
        assert total == sum(len(shown_ids(browser, s.value)) for s in present)

    def test_filtering_by_source_keeps_the_rows_it_speaks_or_relays_in(
        self, browser: Any, seed: Assessments, tmp_path: Path
    ) -> None:
        """Choosing a source shows exactly the propositions it speaks on or relays."""
        load(browser, render(seed, "html"), tmp_path)
        choose(browser, "f-source", "kcna")
        expected = {
            a.proposition.id for a in seed if any("kcna" in w.claim.speakers() for w in a.weighed)
        }
        shown = {i for s in Status if seed.by_status(s) for i in shown_ids(browser, s.value)}
        assert expected == shown
        assert expected  # the seed ledger has KCNA claims

    def test_sorting_reorders_rows(self, browser: Any, seed: Assessments, tmp_path: Path) -> None:
        """Clicking a heading sorts its table by that column, and again the other way."""
        from selenium.webdriver.common.by import By

        load(browser, render(seed, "html"), tmp_path)
        status = max(Status, key=lambda s: len(seed.by_status(s)))
        found = seed.by_status(status)
        button = browser.find_element(
            By.XPATH, f"//section[@id='{status.value}']//th[button='Likelihood']/button"
        )
        button.click()
        ascending = [a.proposition.id for a in sorted(found, key=lambda a: a.probability)]
        assert ascending == shown_ids(browser, status.value)
        button.click()
        descending = [a.proposition.id for a in sorted(found, key=lambda a: -a.probability)]
        assert descending == shown_ids(browser, status.value)
        heading = button.find_element(By.XPATH, "..")
        assert "descending" == heading.get_attribute("aria-sort")
        browser.find_element(
            By.XPATH, f"//section[@id='{status.value}']//th[button='Id']/button"
        ).click()
        assert sorted(a.proposition.id for a in found) == shown_ids(browser, status.value)

    def test_phone_width_needs_no_sideways_scrolling(
        self, browser: Any, seed: Assessments, tmp_path: Path
    ) -> None:
        """At a phone's width the rows become cards and nothing is wider than the window."""
        from selenium.webdriver.common.by import By

        load(browser, render(seed, "html"), tmp_path, width=390)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert 0 == overflow
        cell = browser.find_element(By.CSS_SELECTOR, "tbody td")
        label = browser.execute_script(
            "return getComputedStyle(arguments[0], '::before').content", cell
        )
        assert '"Id: "' == label


class TestHostilePage:
    def test_ledger_text_runs_nothing(self, browser: Any, tmp_path: Path) -> None:
        """Markup in every text field is shown as text: no dialog, no element of its own."""
        from selenium.webdriver.common.by import By

        attack = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
        ledger = Ledger.from_objects(
            [Source("s", attack, affiliation=attack, url="https://example.org/?q=<b>")],
            [Proposition("p", attack, about=[attack], note=attack)],
            [Claim("p", "s", quote=attack, note=attack)],
            title=attack,
        )
        load(browser, render(assess(ledger), "html", quotes=True), tmp_path)
        assert [] == browser.find_elements(By.TAG_NAME, "img")
        assert 1 == len(browser.find_elements(By.TAG_NAME, "script"))
        assert attack == browser.find_element(By.TAG_NAME, "h1").text
        assert [] == errors(browser)


class TestTimelinePage:
    def test_claims_in_date_order_and_filtered(
        self, browser: Any, seed: Assessments, tmp_path: Path
    ) -> None:
        """The timeline lists every claim by date, undated last, and its filters hide rows."""
        from selenium.webdriver.common.by import By

        load(browser, render_timeline(seed, "html"), tmp_path)
        dates = [
            row.find_element(By.CSS_SELECTOR, "td").text
            for row in browser.find_elements(By.CSS_SELECTOR, "section#timeline tbody tr")
        ]
        dated = [d for d in dates if d != "undated"]
        assert len(seed.ledger.claims) == len(dates)
        assert sorted(dated) == dated
        assert dates[len(dated) :] == ["undated"] * (len(dates) - len(dated))
        choose(browser, "f-source", "svr")
        rows = browser.find_elements(By.CSS_SELECTOR, "section#timeline tbody tr")
        shown = [row for row in rows if row.is_displayed()]
        speaking = [c for c in seed.ledger.claims if "svr" in c.speakers()]
        assert len(speaking) == len(shown)
        assert [] == errors(browser)
