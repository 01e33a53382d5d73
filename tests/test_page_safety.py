"""Finding 8 of the reliability audit (../shared/audits/reliability-2026-12.md): a one-click XSS
through a ``javascript:`` IRI in the editor's results (now YASR's table), and no
Content-Security-Policy. Attacked as
the audit did, in a real headless Chromium against a real server over the real build; and every
HTML page checked for its policy over HTTP."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import quote

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from kzgraph.api.page_safety import safe_href
from kzgraph.site.results.cells import Cells
from kzgraph.site.results.table import cell_html

from .browser import wait_for
from .server import fetch

HOSTILE = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(document.domain)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]
FRIENDLY = ["https://example.org/a", "http://example.org/b", "mailto:someone@example.org"]
AUDIT_QUERY = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x) }'
HTML = {"Accept": "text/html"}
EDITOR_CELLS = ".yasr table.dataTable tbody td:nth-child(2)"  # YASR's table, after the row number
PAGES = [
    "/",
    "/search?q=Bokayev",
    "/queries",
    "/queries/charges-by-article",
    "/editor",
    "/editor?query=" + quote(AUDIT_QUERY),
    "/dumps/",
    "/id/person/max-bokaev",
    "/graph/entities",
    "/ontology",
    "/id/person/nobody-at-all",  # a 404 page for a browser
]


@pytest.mark.parametrize("url", HOSTILE)
def test_safe_href_refuses_script_schemes(url: str) -> None:
    assert safe_href(url) is None
    assert safe_href(" \t" + url[:4] + "\n" + url[4:]) is None  # as a browser reads it


@pytest.mark.parametrize("url", [*FRIENDLY, "/id/person/x", "person/x", "#top", "?q=1"])
def test_safe_href_keeps_web_mail_and_relative_links(url: str) -> None:
    assert safe_href(url) == url


def _cell(value: dict[str, str]) -> str:
    return cell_html(Cells(lambda iri: iri).items({"x": value}, "x"))


def test_server_rendered_result_cells_link_only_safe_schemes() -> None:
    for url in HOSTILE:
        assert "<a" not in _cell({"type": "uri", "value": url})
    assert _cell({"type": "uri", "value": FRIENDLY[0]}).startswith("<a href=")


def _style_hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", PAGES)
def test_every_html_page_has_a_policy_that_allows_only_its_own_code(
    real_server: str, path: str
) -> None:
    status, headers, body = fetch(real_server + path, headers=HTML)
    assert status in (200, 404), path
    assert headers["Content-Type"].startswith("text/html")
    policy = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "*" not in policy and "http" not in policy and "unsafe" not in policy
    html = body.decode()
    for css in re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL):
        assert _style_hash(css) in directives["style-src"].split(), path
    for script in re.findall(r"<script([^>]*)>", html):  # only files, or data that never runs
        assert "src=" in script or "json" in script, (path, script)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path  # no inline event handlers
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_api_pages_are_served_from_local_assets_and_the_openapi_document_stays(
    real_server: str,
) -> None:
    for path in ("/docs", "/redoc"):  # their policies: tests/test_assets.py
        status, _, body = fetch(real_server + path, headers=HTML)
        assert status == 200 and b"cdn.jsdelivr" not in body and b"/assets/vendor/" in body
    status, _, _ = fetch(real_server + "/openapi.json")
    assert status == 200


def _links(browser: webdriver.Chrome) -> list[str]:
    return [a.get_attribute("href") or "" for a in browser.find_elements(By.CSS_SELECTOR, "a")]


def test_the_audit_query_renders_no_javascript_link_in_the_editor(
    browser: webdriver.Chrome, real_server: str
) -> None:
    browser.get(f"{real_server}/editor?query={quote(AUDIT_QUERY)}")
    cell = wait_for(browser, EDITOR_CELLS)
    assert cell.text.strip("<>") == "javascript:alert(document.domain)"
    assert cell.find_elements(By.CSS_SELECTOR, "a[href]") == []  # YASR's DOMPurify drops it
    assert not [h for h in _links(browser) if h and not h.startswith(("http:", "https:"))]


def test_hostile_iris_are_text_and_friendly_ones_links_in_the_editor(
    browser: webdriver.Chrome, real_server: str
) -> None:
    values = " ".join(f"(<{url}>)" for url in [*HOSTILE, *FRIENDLY])
    query = f"SELECT ?x WHERE {{ VALUES (?x) {{ {values} }} }}"
    browser.get(f"{real_server}/editor?query={quote(query)}")
    wait_for(browser, EDITOR_CELLS)
    cells = browser.find_elements(By.CSS_SELECTOR, EDITOR_CELLS)
    assert [c.text.strip("<>") for c in cells] == [*HOSTILE, *FRIENDLY]
    linked = [c.find_element(By.CSS_SELECTOR, "a[href]").get_attribute("href") for c in cells[4:]]
    assert linked == FRIENDLY
    assert all(c.find_elements(By.CSS_SELECTOR, "a[href]") == [] for c in cells[:4])
    # the page's own script and inline style run under the policy
    font = browser.execute_script("return getComputedStyle(document.body).fontFamily")
    assert "system-ui" in font


def test_the_entity_page_style_applies_under_the_policy(
    browser: webdriver.Chrome, real_server: str
) -> None:
    browser.get(f"{real_server}/id/person/max-bokaev")
    iri = wait_for(browser, "#iri")
    assert iri.value_of_css_property("font-size") == "12px"
