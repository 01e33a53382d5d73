"""The canned-query pages in a real headless Chromium (Debian's chromium and chromedriver)."""

from __future__ import annotations

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

ZHANAOZEN = "https://w3id.org/kzgraph/id/event/zhanaozen-2011"


@pytest.fixture
def server(real_server: str) -> str:
    return real_server


def test_list_page_links_to_each_query(browser: webdriver.Chrome, server: str) -> None:
    browser.get(f"{server}/queries")
    # a browser asks for text/html first, so it gets the page, not the JSON
    links = browser.find_elements(By.CSS_SELECTOR, "a[href^='/queries/']")
    assert any(a.get_attribute("href").endswith("/queries/event-timeline") for a in links)


def test_query_page_shows_rows_timeline_and_reruns_with_a_parameter(
    browser: webdriver.Chrome, server: str
) -> None:
    browser.get(f"{server}/queries/event-timeline")
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    assert len(rows) > 20
    assert browser.find_elements(By.CSS_SELECTOR, "figure[data-view=timeline] svg rect")
    field = browser.find_element(By.NAME, "event")
    field.clear()
    field.send_keys(ZHANAOZEN)
    old_table = browser.find_element(By.ID, "results")
    browser.find_element(By.CSS_SELECTOR, "form button").click()
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(old_table))
    WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.ID, "results"))
    )
    # the parameter is the form's, not a column of the table
    assert browser.find_element(By.NAME, "event").get_attribute("value") == ZHANAOZEN
    after = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    assert after and len(after) != len(rows)
    csv_link = browser.find_element(By.ID, "csv").get_attribute("href")
    assert csv_link.startswith(f"{server}/queries/event-timeline.csv?event=")


def test_a_bad_parameter_shows_the_error_on_the_page(
    browser: webdriver.Chrome, server: str
) -> None:
    browser.get(f"{server}/queries/event-timeline?event=not-an-iri")
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert "absolute IRI" in alert.text
