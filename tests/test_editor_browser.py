"""The SPARQL editor (YASGUI, vendored) and the API's /docs and /redoc in a real headless
Chromium against a real server over the real build: highlighting, completion from our own
ontology, examples that run, ``?query=``, and no request beyond 127.0.0.1 nor console error.
Screenshots go to build/screenshots/editor/."""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from kzgraph.core import KnowledgeGraph
from kzgraph.namespaces import KZ, RDFS, SKOS
from kzgraph.site.editor import EXAMPLES

from .browser import console_errors, outside_requests, screenshot, wait_for

PEOPLE = (
    "PREFIX kz: <https://w3id.org/kzgraph/ontology#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?person ?name WHERE { ?person a kz:Person ; skos:prefLabel ?name }\n"
    "ORDER BY ?name LIMIT 7"
)
ROWS = ".yasr table.dataTable tbody tr"


@pytest.fixture
def editor(browser: webdriver.Chrome, real_server: str) -> webdriver.Chrome:
    browser.set_window_size(1280, 1000)
    console_errors(browser), outside_requests(browser)  # start both logs afresh
    return browser


def _clean(browser: webdriver.Chrome) -> None:
    """Nothing left the server and the console has no error."""
    assert outside_requests(browser) == []
    assert console_errors(browser) == []


def _value(browser: webdriver.Chrome) -> str:
    return str(browser.execute_script("return kzgraphEditor.getTab().getQuery()"))


def _rows(browser: webdriver.Chrome) -> list[list[str]]:
    """The result table's cells (without YASR's row-number column), once it has rows."""
    wait_for(browser, ROWS)
    return [
        [td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")[1:]]
        for tr in browser.find_elements(By.CSS_SELECTOR, ROWS)
    ]


def _number(cell: str) -> int:
    """A count as YASR shows it: ``"2556"^^<…#integer>``."""
    match = re.match(r'"?(\d+)', cell)
    assert match, cell
    return int(match.group(1))


def _shown(iri: str, prefixes: dict[str, str]) -> str:
    """An IRI as YASR's table shows it: with one of the query's prefixes, or whole."""
    for name, ns in prefixes.items():
        if iri.startswith(ns):
            return f"{name}:{iri[len(ns) :]}"
    return f"<{iri}>"


def test_the_editor_highlights_the_query_and_runs_an_example(
    editor: webdriver.Chrome, real_server: str, real_kg: KnowledgeGraph
) -> None:
    editor.get(f"{real_server}/editor")
    wait_for(editor, ".CodeMirror .cm-keyword")  # YASQE's SPARQL mode at work
    keywords = editor.execute_script(
        "return [...document.querySelectorAll('.CodeMirror .cm-keyword')].map(e => e.textContent)"
    )
    assert {"PREFIX", "SELECT", "WHERE"} <= set(keywords)
    assert editor.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-variable-2, .cm-atom")
    title, query = EXAMPLES[1][1], EXAMPLES[1][2]  # instances per class
    Select(editor.find_element(By.ID, "examples")).select_by_visible_text(title)
    assert _value(editor) == query
    tabs = [t.text.split("\n")[0] for t in editor.find_elements(By.CSS_SELECTOR, ".tabsList .tab")]
    assert EXAMPLES[1][0] in tabs
    editor.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasqe_queryButton").click()
    shown = _rows(editor)
    expected = real_kg.select(query)
    assert [_number(row[1]) for row in shown] == [int(r["n"]) for r in expected]
    declared = {"kz": str(KZ), "rdfs": str(RDFS), "skos": str(SKOS)}  # the query's prefixes
    assert [row[0] for row in shown] == [_shown(r["class"], declared) for r in expected]
    # our IRIs browse on this server
    hrefs = editor.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(a => [a.textContent, a.href])",
        f"{ROWS} a.iri",
    )
    ours = [href for text, href in hrefs if text.startswith("kz:")]
    assert ours and all(h.startswith(f"{real_server}/ontology#") for h in ours)
    others = [href for text, href in hrefs if not text.startswith("kz:")]
    assert others and not any(h.startswith(real_server) for h in others)  # left as they are
    screenshot(editor, "editor/results")
    # the shareable link and the CSV follow the open tab
    share = editor.find_element(By.ID, "share").get_attribute("href") or ""
    assert parse_qs(urlsplit(share).query)["query"] == [query]
    assert editor.current_url == share  # the address bar holds the query too
    csv_url = editor.find_element(By.ID, "csv").get_attribute("href") or ""
    with urllib.request.urlopen(csv_url, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        table = list(csv.reader(io.StringIO(response.read().decode())))
    assert table[0] == ["class", "n"]
    assert [int(r[1]) for r in table[1:]] == [_number(r[1]) for r in shown]
    _clean(editor)


def test_typing_kz_completes_our_classes_and_properties(
    editor: webdriver.Chrome, real_server: str
) -> None:
    editor.get(f"{real_server}/editor")
    wait_for(editor, ".CodeMirror .cm-keyword")
    start = "SELECT * WHERE {\n  ?s a "
    editor.execute_script(
        "const cm = document.querySelector('.tabPanel.active .CodeMirror').CodeMirror;"
        "cm.setValue(arguments[0]); cm.focus(); cm.setCursor(cm.lineCount(), 0);",
        start,
    )
    field = editor.find_element(By.CSS_SELECTOR, ".tabPanel.active .CodeMirror textarea")
    field.send_keys("kz:")  # the query lacks the prefix: typing it declares it
    WebDriverWait(editor, 20).until(
        lambda _: _value(editor).startswith(f"PREFIX kz: <{KZ}>\nSELECT")
    )
    field.send_keys("Pe")
    hints = WebDriverWait(editor, 20).until(
        lambda b: [h.text for h in b.find_elements(By.CSS_SELECTOR, ".CodeMirror-hint")]
    )
    assert "kz:Person  (Person)" in hints
    assert all(h.startswith("kz:Pe") for h in hints)
    screenshot(editor, "editor/completion-class")
    field.send_keys("\n ; kz:hasEv")  # Enter takes the first hint; then a property
    assert _value(editor).endswith("?s a kz:Person ; kz:hasEv")  # the hint was taken
    hints = WebDriverWait(editor, 20).until(
        lambda b: [h.text for h in b.find_elements(By.CSS_SELECTOR, ".CodeMirror-hint")]
    )
    assert any(h.startswith("kz:hasEvidence") for h in hints)
    screenshot(editor, "editor/completion-property")
    _clean(editor)


def test_the_query_parameter_opens_and_runs_that_query(
    editor: webdriver.Chrome, real_server: str, real_kg: KnowledgeGraph
) -> None:
    editor.get(f"{real_server}/editor?query={quote(PEOPLE)}")
    names = [row[1] for row in _rows(editor)]
    assert _value(editor) == PEOPLE
    expected = [r["name"] for r in real_kg.select(PEOPLE)]
    assert len(names) == 7 and [n.strip('"').split('"@')[0] for n in names] == expected
    _clean(editor)


def test_a_canned_query_opens_in_the_editor(
    editor: webdriver.Chrome, real_server: str, real_kg: KnowledgeGraph
) -> None:
    editor.get(f"{real_server}/queries/charges-by-article")
    editor.find_element(By.ID, "editor").click()
    WebDriverWait(editor, 30).until(lambda b: "/editor?query=" in b.current_url)
    wait_for(editor, ".CodeMirror .cm-keyword")
    text = real_kg.queries()["charges-by-article"].text.replace("\r\n", "\n")
    assert _value(editor) == text
    assert _rows(editor)


def test_a_syntax_error_is_shown_with_its_line(editor: webdriver.Chrome, real_server: str) -> None:
    broken = quote("SELECT ?s WHERE {\n  ?s ?p \n}")
    editor.get(f"{real_server}/editor?query={broken}")
    error = wait_for(editor, ".yasr .errorResult")
    WebDriverWait(editor, 20).until(lambda _: "line 3" in error.text)
    assert "syntax error" in error.text
    outside = outside_requests(editor)
    assert outside == []


def test_swagger_ui_renders_the_operations_offline(
    editor: webdriver.Chrome, real_server: str
) -> None:
    editor.get(f"{real_server}/docs")
    wait_for(editor, ".opblock")
    paths = set(
        editor.execute_script(
            "return [...document.querySelectorAll('.opblock-summary-path')].map(e => e.textContent)"
        )
    )
    assert {"/sparql", "/editor/results.csv", "/reconcile"} <= paths
    WebDriverWait(editor, 20).until(
        lambda b: (
            "kzgraph"
            in b.execute_script("return document.querySelector('.info .title')?.textContent")
        )
    )
    screenshot(editor, "editor/api-docs-swagger")
    _clean(editor)


def test_redoc_renders_the_api_offline(editor: webdriver.Chrome, real_server: str) -> None:
    editor.get(f"{real_server}/redoc")
    title = wait_for(editor, "h1")
    WebDriverWait(editor, 30).until(lambda _: title.text.startswith("kzgraph"))
    menu = editor.find_element(By.CSS_SELECTOR, ".menu-content").text
    assert "Sparql Get" in menu or "Sparql" in menu
    screenshot(editor, "editor/api-docs-redoc")
    _clean(editor)
