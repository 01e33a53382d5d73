"""The home page's search and the search results in a real headless Chromium (Debian's chromium
and chromedriver, as in test_query_pages_browser.py); the SPARQL editor's are in
test_editor_browser.py."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .browser import wait_for


@pytest.fixture
def server(real_server: str) -> str:
    return real_server


def test_home_search_box_finds_a_person_under_another_spelling(
    browser: webdriver.Chrome, server: str
) -> None:
    browser.get(f"{server}/")
    box = browser.find_element(By.CSS_SELECTOR, "main input[name=q], form.search input[name=q]")
    box.send_keys("Bokayev", Keys.ENTER)
    first = wait_for(browser, "#results li a.name")
    assert first.text == "Max Bokaev"
    assert first.get_attribute("href") == f"{server}/id/person/max-bokaev"
    assert browser.find_element(By.CSS_SELECTOR, "#results li .type").text == "Person"
    assert urlsplit(browser.current_url).path == "/search"
