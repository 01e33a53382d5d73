"""The home page's search, the search results and the SPARQL editor in a real headless Chromium
(Debian's chromium and chromedriver, as in test_query_pages_browser.py)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from kzgraph.core import KnowledgeGraph

from .browser import wait_for

PEOPLE = (
    "PREFIX kz: <https://w3id.org/kzgraph/ontology#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?person ?name WHERE { ?person a kz:Person ; skos:prefLabel ?name }\n"
    "ORDER BY ?name LIMIT 7"
)


@pytest.fixture
def server(real_server: str) -> str:
    return real_server


def rows(browser: webdriver.Chrome) -> list[WebElement]:
    wait_for(browser, "#results tbody tr")
    return browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")


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


def test_the_editor_runs_a_query_and_its_csv_link_works(
    browser: webdriver.Chrome, server: str
) -> None:
    browser.get(f"{server}/editor")
    box = browser.find_element(By.ID, "query")
    box.clear()
    box.send_keys(PEOPLE)
    box.send_keys(Keys.CONTROL, Keys.ENTER)  # the keyboard shortcut
    cells = [r.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text for r in rows(browser)]
    assert len(cells) == 7 and cells == sorted(cells)
    assert browser.find_element(By.ID, "count").text == "7 row(s)"
    csv_url = browser.find_element(By.ID, "csv").get_attribute("href")
    with urllib.request.urlopen(csv_url, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        lines = response.read().decode().splitlines()
    assert lines[0] == "person,name"
    assert [line.split(",", 1)[1].strip('"') for line in lines[1:]] == cells


def test_the_shareable_link_reproduces_the_query(browser: webdriver.Chrome, server: str) -> None:
    browser.get(f"{server}/editor")
    box = browser.find_element(By.ID, "query")
    box.clear()
    box.send_keys(PEOPLE)
    browser.find_element(By.ID, "run").click()
    first = [r.text for r in rows(browser)]
    link = browser.find_element(By.ID, "share").get_attribute("href")
    assert parse_qs(urlsplit(link).query)["query"] == [PEOPLE]
    assert browser.current_url == link  # the address bar holds the query too
    browser.get("about:blank")
    browser.get(link)
    assert browser.find_element(By.ID, "query").get_attribute("value") == PEOPLE
    assert [r.text for r in rows(browser)] == first  # and it runs on opening


def test_the_editor_shows_where_a_syntax_error_is(browser: webdriver.Chrome, server: str) -> None:
    browser.get(f"{server}/editor")
    box = browser.find_element(By.ID, "query")
    box.clear()
    query = "SELECT ?s WHERE {\n  ?s ?p \n}"
    box.send_keys(query)
    browser.find_element(By.ID, "run").click()
    alert = WebDriverWait(browser, 30).until(
        expected_conditions.visibility_of_element_located((By.ID, "error"))
    )
    request = urllib.request.Request(
        f"{server}/sparql", query.encode(), {"Content-Type": "application/sparql-query"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    answer = json.loads(refused.value.read())
    assert answer["line"] == 3
    where = f"line {answer['line']}, column {answer['column']}: query syntax error: "
    assert alert.text == where + answer["message"]


def test_a_canned_query_opens_in_the_editor(
    browser: webdriver.Chrome, server: str, real_kg: KnowledgeGraph
) -> None:
    browser.get(f"{server}/queries/charges-by-article")
    browser.find_element(By.ID, "editor").click()
    WebDriverWait(browser, 30).until(expected_conditions.url_contains("/editor?query="))
    text = browser.find_element(By.ID, "query").get_attribute("value")
    assert text == real_kg.queries()["charges-by-article"].text.replace("\r\n", "\n")
    assert rows(browser)
