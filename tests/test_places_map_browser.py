"""The map of acts by place and the places' reference data in a real headless Chromium: the SVG
renders, its labels are names (not IRIs) and readable, its links browse locally, and the page
asks nothing of any other server. Screenshots go to build/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from .browser import wait_for
from .conftest import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture
def server(real_server: str) -> str:
    return real_server


def _screenshot(browser: webdriver.Chrome, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    browser.save_screenshot(str(path))
    return path


def _requests_stay_on(browser: webdriver.Chrome, server: str) -> None:
    urls = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".concat([document.location.href])"
    )
    assert urls and all(u.startswith(server + "/") for u in urls), urls


def test_the_map_of_acts_by_place_renders_with_readable_labels(
    browser: webdriver.Chrome, server: str
) -> None:
    browser.set_window_size(1000, 1100)
    browser.get(f"{server}/map")
    svg = wait_for(browser, "figure.map svg")
    assert svg.size["width"] > 500 and svg.size["height"] > 250
    outlines = browser.find_elements(By.CSS_SELECTOR, "svg g.outlines path")
    assert "Kazakhstan" in {p.get_attribute("data-country") for p in outlines}
    labels = browser.find_elements(By.CSS_SELECTOR, "svg text.place-label")
    names = {label.text for label in labels}
    assert {"Almaty", "Astana", "Shymkent", "Karaganda", "Uralsk"} <= names
    assert not [n for n in names if "http" in n or "/" in n]
    for label in labels:  # drawn, at a readable size, inside the map
        assert label.size["width"] > 10 and label.size["height"] >= 10, label.text
        assert label.location["x"] >= svg.location["x"] - 1
        assert (
            label.location["x"] + label.size["width"] <= svg.location["x"] + svg.size["width"] + 1
        )
    circles = browser.find_elements(By.CSS_SELECTOR, "svg g.points a")
    hrefs = {c.get_dom_attribute("href") for c in circles}  # local, root-relative
    assert "/id/place/almaty" in hrefs
    assert all(h.startswith("/id/place/") for h in hrefs), hrefs
    left_out = browser.find_element(By.CSS_SELECTOR, "ul.map-left-out").text
    assert "Kazakhstan" in left_out and "no coordinates" in left_out
    assert "GeoNames" in browser.find_element(By.TAG_NAME, "figcaption").text
    _requests_stay_on(browser, server)
    assert _screenshot(browser, "map-acts-by-place").stat().st_size > 10_000
    # a point leads to the place's page
    almaty = browser.find_element(By.CSS_SELECTOR, "svg g.points a[href='/id/place/almaty']")
    browser.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", almaty
    )
    wait_for(browser, "h1")
    assert browser.current_url == f"{server}/id/place/almaty"


def test_a_place_page_shows_its_reference_data_apart(
    browser: webdriver.Chrome, server: str
) -> None:
    browser.get(f"{server}/id/place/almaty")
    section = wait_for(browser, "section#reference")
    link = section.find_element(By.CSS_SELECTOR, "a.close-match")
    assert link.text == "GeoNames 1526384"
    assert link.get_attribute("href") == "https://sws.geonames.org/1526384/"
    assert "43.2525° N, 76.9115° E" in section.find_element(By.ID, "coordinates").text
    assert "not a claim of any report" in section.text
    locator = section.find_element(By.CSS_SELECTOR, "svg")
    assert 400 <= locator.size["width"] <= 440  # a small map, not stretched to the page
    label = section.find_element(By.CSS_SELECTOR, "svg text.place-label")
    assert label.text == "Almaty"
    properties = browser.find_elements(By.ID, "properties")
    assert not properties or "lat" not in properties[0].text.split()
    _requests_stay_on(browser, server)
    browser.set_window_size(1000, 1100)
    browser.execute_script("arguments[0].scrollIntoView()", section)
    _screenshot(browser, "place-almaty-reference")


def test_a_country_page_links_geonames_without_a_map(
    browser: webdriver.Chrome, server: str
) -> None:
    browser.get(f"{server}/id/place/kazakhstan")
    section = wait_for(browser, "section#reference")
    assert section.find_element(By.CSS_SELECTOR, "a.close-match").text == "GeoNames 1522867"
    assert not section.find_elements(By.CSS_SELECTOR, "svg")
