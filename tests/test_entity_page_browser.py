"""Resource pages in a real headless Chromium: Zhanbolat Mamay's page shows his 2023 conviction
with its evidence phrase and report, links browse locally, and the page carries schema.org."""

from __future__ import annotations

import json

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

MAMAY = "https://w3id.org/kzgraph/id/person/zhanbolat-mamay"
CONVICTION = "https://w3id.org/kzgraph/id/act/mamay-conviction-2023"


@pytest.fixture
def server(real_server: str) -> str:
    return real_server


def test_mamay_page_shows_the_2023_conviction_with_its_evidence(
    browser: webdriver.Chrome,
    server: str,
) -> None:
    browser.get(f"{server}/id/person/zhanbolat-mamay")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Zhanbolat Mamay"
    assert browser.find_element(By.ID, "iri").text == MAMAY
    fact = browser.find_element(By.CSS_SELECTOR, f"#timeline > li[data-fact='{CONVICTION}']")
    assert "2023-04-10" in fact.text
    evidence = fact.find_element(By.CSS_SELECTOR, ":scope > .evidence")
    assert "On April 10, an Almaty court convicted Zhanbolat Mamay" in evidence.text
    assert "World Report 2024: Kazakhstan" in evidence.text
    assert "characters 3522–3576" in evidence.text
    spellings = browser.find_element(By.ID, "spellings").text
    assert "Zhanbolat Mamai" in spellings and "Zhanbolat Mamay" in spellings
    data = json.loads(
        browser.find_element(By.CSS_SELECTOR, "script[type='application/ld+json']").get_attribute(
            "textContent"
        )
    )
    assert data["@type"] == "Person" and data["@id"] == MAMAY
    assert "Zhanbolat Mamai" in data["alternateName"]


def test_links_browse_on_this_server_and_formats_are_offered(
    browser: webdriver.Chrome,
    server: str,
) -> None:
    browser.get(f"{server}/id/person/zhanbolat-mamay")
    link = browser.find_element(By.CSS_SELECTOR, f"li[data-fact='{CONVICTION}'] > a")
    assert link.get_attribute("href") == f"{server}/id/act/mamay-conviction-2023"
    formats = {
        a.text: a.get_attribute("href")
        for a in browser.find_elements(By.CSS_SELECTOR, "nav.formats a")
    }
    assert formats["Turtle"] == f"{server}/id/person/zhanbolat-mamay.ttl"
    assert formats["SPARQL DESCRIBE"].startswith(f"{server}/editor?query=DESCRIBE")
    link.click()
    assert browser.current_url == f"{server}/id/act/mamay-conviction-2023"
    parts = browser.find_element(By.ID, "parts").text
    assert "organizing mass riots" in parts and "Article 272" in parts
    assert "imprisonment, P6Y, suspended" in parts


def test_an_unknown_iri_gets_a_404_page(browser: webdriver.Chrome, server: str) -> None:
    browser.get(f"{server}/id/person/nobody")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Not found"
    assert (
        "https://w3id.org/kzgraph/id/person/nobody"
        in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    )


def test_a_hash_term_opens_the_documentation_at_its_own_entry(
    browser: webdriver.Chrome,
    server: str,
) -> None:
    """``…/ontology#Person`` is kz:Person's entry, not foaf:Person's (pyLODE numbers the anchors
    of names that collide; the served page gives ours back their own)."""
    for term in ("Person", "Act", "hasVictim", "Agent"):
        browser.get(f"{server}/ontology#{term}")
        target = browser.find_element(By.ID, term)
        code = target.find_element(By.TAG_NAME, "code").text
        assert code == f"https://w3id.org/kzgraph/ontology#{term}"
