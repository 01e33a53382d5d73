"""The passage in context (issue 16 item 4, docs/decisions/0021-passage-in-context.md): the
reports' texts given to the server (KZGRAPH_SOURCES) are checked by SHA-256, each report gets a
reader with its evidence highlighted at its offsets, and quotes link to it; without the texts
the pages are as before. The texts are read from ../shared/seeds at run time, never copied into
the project."""

from __future__ import annotations

import hashlib
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kzgraph.api.page_safety import inline_styles, style_source
from kzgraph.core import KnowledgeGraph
from kzgraph.linked.resolve import Links
from kzgraph.pipeline.stages import BuildResult
from kzgraph.site.reader import READER_CSS, highlight
from kzgraph.site.sources import Span, load_sources, spans

from .conftest import SEEDS, needs_seeds
from .server import running_server

pytestmark = [pytest.mark.seeds, needs_seeds()]
SITE = "https://w3id.org/kzgraph/"
BASE = f"{SITE}id/"
REPORT = f"{BASE}report/kibhr-us-state-dept-2023-summary"  # the shortest text
FACT = "id/act/bokaev-ayan-conviction-2016"
IN_CONTEXT = r"<a class=in-context href='/reports/[^']+' title='Read it in context'>([^<]*)</a>"
READER_LINK = "<p><a id=reader href='/reports/{}/text'>Read the full text, annotated</a></p>"


def get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class Marks(HTMLParser):
    """The reader's text (inside ``div#text``) and, per ``data-span``, the text of its marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside div#text, itself included
        self.text: list[str] = []
        self.open: list[str | None] = []  # the data-span of each open mark (None: another tag)
        self.spans: dict[str, list[str]] = {}
        self.ids: list[str] = []
        self.cites: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if self.depth == 0:
            if tag == "div" and a.get("id") == "text":
                self.depth = 1
            return
        self.depth += 1
        self.open.append(a.get("data-span") if tag == "mark" else None)
        if tag == "a" and a.get("class") == "cites":
            self.cites.setdefault(a.get("href") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0:
            return
        self.depth -= 1
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.depth == 0:
            return
        self.text.append(data)
        for key in {k for k in self.open if k}:
            self.spans.setdefault(key, []).append(data)


def parse(html: str) -> Marks:
    marks = Marks()
    marks.feed(html)
    marks.close()
    return marks


def seed_texts() -> dict[str, str]:
    """SHA-256 -> text of each seed."""
    return {hashlib.sha256(p.read_bytes()).hexdigest(): p.read_text() for p in SEEDS.glob("*.txt")}


@pytest.fixture(scope="module")
def seeds_server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    with running_server(real_kg.settings.build_dir, sources=SEEDS) as url:
        yield url


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seeds copied, one of them (the text of REPORT) with one byte changed."""
    folder = tmp_path_factory.mktemp("sources")
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    edited = folder / "003_a56849369d6ae7a0.txt"
    data = bytearray(edited.read_bytes())
    data[100] = ord("X") if data[100] != ord("X") else ord("Y")
    edited.write_bytes(bytes(data))
    return folder, edited


def test_each_report_finds_its_text_by_sha256(real_kg: KnowledgeGraph, real_build: BuildResult):
    found = load_sources(SEEDS, real_kg.select)
    assert not found.refused
    digests = {r.iri: r.sha256 for r in real_kg.site.overview().reports}
    assert set(found.texts) == set(digests) and len(digests) == 5
    for report, text in found.texts.items():
        assert hashlib.sha256(text.encode()).hexdigest() == digests[report]


def test_a_renamed_text_is_found_and_a_stray_file_ignored(
    real_kg: KnowledgeGraph, real_build: BuildResult, tmp_path: Path
):
    source = next(p for p in SEEDS.glob("003_*.txt"))
    shutil.copy(source, tmp_path / "renamed.txt")
    (tmp_path / "notes.txt").write_text("not a report\n")
    found = load_sources(tmp_path, real_kg.select)
    assert set(found.texts) == {REPORT} and not found.refused


def test_a_text_with_one_byte_changed_is_refused_naming_it(
    real_kg: KnowledgeGraph, real_build: BuildResult, changed: tuple[Path, Path]
):
    folder, edited = changed
    found = load_sources(folder, real_kg.select)
    assert REPORT not in found.texts and len(found.texts) == 4
    message = found.refused[REPORT]
    expected = hashlib.sha256((SEEDS / edited.name).read_bytes()).hexdigest()
    actual = hashlib.sha256(edited.read_bytes()).hexdigest()
    assert edited.name in message and expected in message and actual in message


def test_overlapping_spans_stay_well_formed_and_exact():
    text = "one two three four <five> & six"
    cases = [(0, 7), (4, 13), (4, 7), (8, 18), (19, 25), (20, 24), (26, 31)]
    made = [
        Span(s, e, text[s:e], (f"ev{s}",), ((f"{BASE}act/a{s}", f"fact {s}"),)) for s, e in cases
    ]
    html = f"<div id=text>{highlight(text, made, Links(SITE))}</div>"
    marks = parse(html)
    assert "".join(marks.text) == text
    for s in made:
        assert "".join(marks.spans[s.anchor]) == s.exact
        assert marks.ids.count(s.anchor) == 1
    assert html.count("<mark") - html.count("class=cont") == len(made)
    assert html.count("<mark") == html.count("</mark>")


def test_the_reader_highlights_every_passage_at_its_offsets(
    real_kg: KnowledgeGraph, real_build: BuildResult, seeds_server: str
):
    texts = seed_texts()
    for info in real_kg.site.overview().reports:
        status, html = get(f"{seeds_server}/reports/{info.slug}/text")
        assert status == 200, html
        marks = parse(html)
        text = texts[info.sha256]
        assert "".join(marks.text) == text
        passages = spans(info.iri, real_kg.select)
        assert passages and set(marks.spans) == {p.anchor for p in passages}
        for p in passages:
            assert "".join(marks.spans[p.anchor]) == text[p.start : p.end] == p.exact
            assert marks.ids.count(p.anchor) == 1
            assert p.facts, p  # every passage cites a fact…
            for iri, _ in p.facts:  # …and links to it
                assert Links(SITE).local(iri) in marks.cites


def test_the_readers_links_resolve(seeds_server: str):
    url = f"{seeds_server}/reports/kibhr-us-state-dept-2023-summary/text"
    with urllib.request.urlopen(url, timeout=60) as r:
        html, policy = r.read().decode(), r.headers["Content-Security-Policy"]
    assert "<script" not in html  # no script, and every style allowed by its hash
    styles = inline_styles(html)
    assert READER_CSS in styles and all(style_source(css) in policy for css in styles)
    links = sorted(set(parse(html).cites))
    assert len(links) > 10
    for link in links:
        assert get(seeds_server + link)[0] == 200, link


def test_the_reader_is_cached_by_its_etag(seeds_server: str):
    """A strong ETag: the same reader twice has the same tag, and naming it gets a 304 with no
    body; another report's reader has another tag."""
    url = f"{seeds_server}/reports/kibhr-us-state-dept-2023-summary/text"
    with urllib.request.urlopen(url, timeout=60) as r:
        tag = r.headers["ETag"]
    with urllib.request.urlopen(url, timeout=60) as r:
        assert r.headers["ETag"] == tag and re.fullmatch(r'"[0-9a-f]{32}"', tag)
    request = urllib.request.Request(url, headers={"If-None-Match": f'"other", {tag}'})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=60)
    assert caught.value.code == 304 and caught.value.read() == b""
    assert caught.value.headers["ETag"] == tag
    other = f"{seeds_server}/reports/hrw-world-report-2024/text"
    with urllib.request.urlopen(other, timeout=60) as r:
        assert r.headers["ETag"] not in (None, tag)


def test_quotes_link_to_their_place_in_the_reader(seeds_server: str):
    status, page = get(f"{seeds_server}/{FACT}")
    assert status == 200
    links = re.findall(r"class=in-context href='([^']+)'", page)
    assert links
    for link in links:
        path, _, anchor = link.partition("#")
        assert re.fullmatch(r"/reports/[a-z0-9-]+/text", path) and anchor
        status, reader = get(seeds_server + path)
        assert status == 200 and anchor in parse(reader).ids
    status, report = get(f"{seeds_server}/id/report/kibhr-us-state-dept-2023-summary")
    assert "id=reader href='/reports/kibhr-us-state-dept-2023-summary/text'" in report


def test_without_the_texts_the_pages_are_as_before(seeds_server: str, real_server: str):
    for path in (FACT, "id/report/kibhr-us-state-dept-2023-summary"):
        with_texts, without = get(f"{seeds_server}/{path}")[1], get(f"{real_server}/{path}")[1]
        assert "/text#e-" not in without and "in-context" not in without
        assert "in-context" in with_texts or "id=reader" in with_texts
        # the same page, byte for byte, once the links to the reader are taken out
        stripped = re.sub(IN_CONTEXT, r"\1", with_texts)
        stripped = stripped.replace(READER_LINK.format(path.rsplit("/", 1)[-1]), "")
        assert stripped == without
    status, html = get(f"{real_server}/reports/kibhr-us-state-dept-2023-summary/text")
    assert status == 404 and "KZGRAPH_SOURCES" in html


def test_the_server_refuses_a_changed_text_naming_it(
    real_kg: KnowledgeGraph, real_build: BuildResult, changed: tuple[Path, Path]
):
    folder, edited = changed
    with running_server(real_kg.settings.build_dir, sources=folder) as url:
        port = url.rsplit(":", 1)[1]  # the server's log (tests/server.py): checked at start
        log = (real_kg.settings.build_dir.parent / f"server-{port}.log").read_text()
        assert f"{edited.name} in KZGRAPH_SOURCES: refused" in log
        status, html = get(f"{url}/reports/kibhr-us-state-dept-2023-summary/text")
        assert status == 404 and edited.name in html and "refused" in html
        assert get(f"{url}/reports/hrw-world-report-2024/text")[0] == 200
        page = get(f"{url}/id/report/kibhr-us-state-dept-2023-summary")[1]
        assert "in-context" not in page and "id=reader" not in page


def test_quotes_on_canned_query_pages_link_to_the_reader(seeds_server: str, real_server: str):
    path = "/queries/evidence-for-a-fact"
    status, page = get(seeds_server + path)
    links = re.findall(r"<a class=in-context href='([^']+)'>", page)
    assert status == 200 and len(links) == page.count("<tr>") - 1 > 0  # every row's quote
    for link in links:
        reader, _, anchor = link.partition("#")
        assert anchor in parse(get(seeds_server + reader)[1]).ids
    status, without = get(real_server + path)
    assert status == 200 and "in-context" not in without
    assert re.sub(r"<a class=in-context href='[^']+'>([^<]*)</a>", r"\1", page) == without


def test_the_home_page_links_each_reader(seeds_server: str, real_server: str):
    readers = re.findall(r"<a class=reader href='([^']+)'>text</a>", get(seeds_server + "/")[1])
    assert len(readers) == 5 and all(get(seeds_server + r)[0] == 200 for r in readers)
    assert "class=reader" not in get(real_server + "/")[1]
