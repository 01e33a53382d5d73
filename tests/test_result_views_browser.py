"""Each result view of the canned-query pages in a real headless Chromium: drawn, labels that
people read (no IRI shown as a label), nothing loaded from anywhere but the server, and the
sort, filter and facet links working. Screenshots go to build/screenshots/result-views/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from .browser import wait_for
from .conftest import ROOT

SHOTS = ROOT / "build" / "screenshots" / "result-views"
IRI_TEXT = re.compile(r"https?://|urn:|w3id\.org")
VIEWS = [
    ("heatmap", "/queries/acts-per-right-per-year"),
    ("bar", "/queries/acts-per-right-per-year"),
    ("line", "/queries/acts-by-city-and-year"),
    ("timeline", "/queries/event-timeline"),
    ("network", "/queries/interventions-by-actor"),
    ("map", "/queries/acts-by-place"),
]
# The text a person sees in an SVG <text>: its own text nodes, not its <title> tooltip.
SVG_TEXTS = """return Array.from(arguments[0].querySelectorAll('text')).map(t =>
  Array.from(t.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join(''));"""
# Every URL the page fetched or refers to as a resource (not links to follow).
RESOURCES = """return performance.getEntriesByType('resource').map(e => e.name).concat(
  Array.from(document.querySelectorAll('[src], link[href], image, use')).map(
    e => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('xlink:href')));"""

# What each link of the table and the figures shows (its rendered text).
# (an SVG link has no innerText: its <text> elements' text, without <title> tooltips)
LINK_TEXTS = """return Array.from(document.querySelectorAll('#results a, figure a')).map(
  a => a.innerText !== undefined ? a.innerText : Array.from(a.querySelectorAll('text')).map(
    t => t.textContent).join(' '));"""
RESULT_HREFS = """return Array.from(document.querySelectorAll('#results a')).map(
  a => a.href || '');"""
# One column's cells by its header's name: a link's text where the cell has one, else the cell's.
COLUMN = """const headers = Array.from(document.querySelectorAll('#results th')).map(
  h => h.innerText.replace(/[ ▲▼]+$/, ''));
const index = headers.indexOf(arguments[0]) + 1;
if (index === 0) { throw new Error('no column ' + arguments[0] + ' in ' + headers); }
return Array.from(document.querySelectorAll(`#results tbody td:nth-child(${index})`)).map(
  c => (c.querySelector('a') || c).innerText);"""


@pytest.fixture
def server(real_server: str) -> str:
    return real_server


def _screenshot(browser: webdriver.Chrome, name: str, css: str) -> Path:
    """The view alone (``name``.png) and the whole page (``name``-page.png)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1300, min(int(height) + 120, 8000))
    assert browser.save_screenshot(str(SHOTS / f"{name}-page.png"))
    path = SHOTS / f"{name}.png"
    assert browser.find_element(By.CSS_SELECTOR, css).screenshot(str(path))
    browser.set_window_size(1300, 1000)
    return path


def _reload(browser: webdriver.Chrome, link: WebElement) -> None:
    table = browser.find_element(By.ID, "results")
    link.click()
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(table))
    wait_for(browser, "#results")


def _column(browser: webdriver.Chrome, name: str) -> list[str]:
    # a resource's cell: its link's text (the label), without the IRI's disclosure
    cells: list[str] = browser.execute_script(COLUMN, name)
    return cells


@pytest.mark.parametrize("view, path", VIEWS)
def test_each_view_is_drawn_with_readable_labels_from_this_server_only(
    browser: webdriver.Chrome, server: str, view: str, path: str
) -> None:
    browser.set_window_size(1300, 1000)
    browser.get(server + path)
    figure = wait_for(browser, f"figure[data-view={view}] svg")
    texts = [t for t in browser.execute_script(SVG_TEXTS, figure) if t.strip()]
    assert len(texts) > 5, texts
    assert not [t for t in texts if IRI_TEXT.search(t)]
    # in one call each: a WebDriver round trip per link made this test take 40 s
    shown = [t for t in browser.execute_script(LINK_TEXTS) if t.strip()]
    assert shown and not [t for t in shown if IRI_TEXT.search(t)]
    local = browser.execute_script(RESULT_HREFS)
    assert not [h for h in local if "w3id.org" in h]  # resources link to their local pages
    for url in browser.execute_script(RESOURCES):
        assert url.startswith((server, "/")), url
    assert _screenshot(browser, view, f"figure[data-view={view}]").stat().st_size > 5_000


def test_the_timeline_gives_each_act_its_own_line(browser: webdriver.Chrome, server: str) -> None:
    browser.get(server + "/queries/event-timeline")
    figure = wait_for(browser, "figure[data-view=timeline] svg")
    marks = figure.find_elements(By.CSS_SELECTOR, "rect[rx], circle")
    assert len(marks) > 20
    rows = {round(float(m.get_attribute("y") or m.get_attribute("cy") or 0)) for m in marks}
    assert len(rows) > 20  # not squeezed onto a few dots


def test_sorting_by_a_header_link(browser: webdriver.Chrome, server: str) -> None:
    browser.get(server + "/queries/acts-per-right-per-year")
    wait_for(browser, "#results")
    before = _column(browser, "acts")
    _reload(browser, browser.find_element(By.CSS_SELECTOR, "#results th a[title^='sort by acts']"))
    ascending = [int(v) for v in _column(browser, "acts")]
    assert ascending == sorted(ascending) and ascending != [int(v) for v in before]
    _reload(browser, browser.find_element(By.CSS_SELECTOR, "#results th a[title^='sort by acts']"))
    descending = [int(v) for v in _column(browser, "acts")]
    assert descending == sorted(ascending, reverse=True)
    assert "_sort_desc=acts" in browser.current_url


def test_a_facet_value_filters_the_rows_and_the_filter_can_be_removed(
    browser: webdriver.Chrome, server: str
) -> None:
    browser.get(server + "/queries/acts-per-right-per-year?_facet=right")
    box = wait_for(browser, ".facet[data-facet=right]")
    first = box.find_element(By.CSS_SELECTOR, "li a")
    name = first.text
    assert name and not IRI_TEXT.search(name)
    total = len(_column(browser, "right"))
    _reload(browser, first)
    rights = _column(browser, "right")
    assert rights and set(rights) == {name} and len(rights) < total
    assert "of" in browser.find_element(By.ID, "count").text
    assert browser.find_element(By.CSS_SELECTOR, ".facet li.on a").text == name
    _reload(browser, browser.find_element(By.CSS_SELECTOR, ".filters a.remove"))
    assert len(_column(browser, "right")) == total


def test_a_suggested_facet_and_the_search_box(browser: webdriver.Chrome, server: str) -> None:
    browser.get(server + "/queries/event-timeline")
    wait_for(browser, "#results")
    total = len(_column(browser, "kind"))
    _reload(browser, browser.find_element(By.CSS_SELECTOR, ".suggest a[href*='_facet=kind']"))
    assert browser.find_elements(By.CSS_SELECTOR, ".facet[data-facet=kind] li")
    field = browser.find_element(By.NAME, "_search")
    field.send_keys("detained")
    table = browser.find_element(By.ID, "results")
    browser.find_element(By.CSS_SELECTOR, "form.search button").click()
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(table))
    wait_for(browser, "#results")
    kept = len(_column(browser, "kind"))
    assert 0 < kept < total
    assert browser.find_elements(By.CSS_SELECTOR, ".facet[data-facet=kind]")  # kept
    assert "_search=detained" in browser.current_url
