"""A report's reader (docs/decisions/0021-passage-in-context.md): its full text, escaped, with
its line breaks and paragraphs kept, every evidence passage highlighted as
``<mark id=e-<start>-<end>>`` at its character offsets and linked to the facts that cite it.

Passages may overlap. One that lies inside another is nested in it; one that crosses another's
end is split there, its later part a ``<mark class=cont>`` with the same ``data-span``, so the
HTML stays well formed and each passage's marks, read in order, are exactly its phrase. No
scripts: the only style is ``READER_CSS``, allowed by its hash (kzgraph.api.page_safety)."""

from __future__ import annotations

import asyncio
from html import escape

from kzgraph import __version__
from kzgraph.answer import Answer, etag_matches, strong_etag
from kzgraph.api.site_data import SiteDataUnavailable, from_store
from kzgraph.core import KnowledgeGraph
from kzgraph.formats import HTML
from kzgraph.linked.resolve import Links
from kzgraph.site.home import unavailable
from kzgraph.site.html import page
from kzgraph.site.sources import Span

READER_CSS = """.reader{white-space:pre-wrap;font:15px/1.6 Georgia,serif;max-width:48rem}
.reader mark{background:#fff1a8;padding:0}.reader mark mark{background:#ffd95e}
.reader mark:target{outline:2px solid #0b57a4}a.cites{text-decoration:none;font-size:11px}
a.cites::after{content:"\\2197";vertical-align:super}.digest{font:12px ui-monospace,monospace;
color:#555;word-break:break-all}ol.passages{font-size:13px}"""
READER_STYLE = f"<style>{READER_CSS}</style>"


def reader_path(links: Links, report: str, span: Span | None = None) -> str:
    """The reader of ``report`` (an IRI ``…/report/<slug>``), at ``span`` when given."""
    slug = report.rsplit("/", 1)[-1]
    where = f"#{span.anchor}" if span is not None else ""
    return f"{links.prefix}/reports/{slug}/text{where}"


def _open(span: Span, first: bool) -> str:
    cited = "; ".join(label for _, label in span.facts)
    title = f" title='{escape(cited)}'" if cited else ""
    ident = f"id={span.anchor} " if first else "class=cont "
    return f"<mark {ident}data-span={span.anchor}{title}>"


def _cites(span: Span, links: Links) -> str:
    """Links to the facts a passage states, after it (no text of their own: a CSS arrow)."""
    return "".join(
        f"<a class=cites href='{escape(links.local(iri))}' title='{escape(label)}' "
        f"aria-label='{escape(label)}'></a>"
        for iri, label in span.facts
    )


def highlight(text: str, spans: list[Span], links: Links) -> str:
    """``text`` escaped, with each span marked (nested, or split where spans cross)."""
    usable = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    starts: dict[int, list[Span]] = {}
    for s in usable:
        starts.setdefault(s.start, []).append(s)
    ends = {s.end for s in usable}
    out: list[str] = []
    stack: list[Span] = []
    last = 0
    for pos in sorted(set(starts) | ends):
        out.append(escape(text[last:pos], quote=False))
        last = pos
        if any(s.end == pos for s in stack):
            reopen: list[Span] = []
            while any(s.end == pos for s in stack):
                top = stack.pop()
                out.append("</mark>")
                if top.end != pos:
                    reopen.append(top)
            out.extend(_cites(s, links) for s in usable if s.end == pos)
            for s in reversed(reopen):
                out.append(_open(s, first=False))
                stack.append(s)
        for s in sorted(starts.get(pos, []), key=lambda s: -s.end):
            out.append(_open(s, first=True))
            stack.append(s)
    out.append(escape(text[last:], quote=False))
    return "".join(out)


def reader_html(
    report: str, title: str, sha256: str, text: str, spans: list[Span], links: Links
) -> str:
    """The reader page: the text with its passages, then the passages listed with their facts."""
    items = "".join(
        f"<li><a href='#{s.anchor}'>“{escape(s.exact)}”</a> <small>(characters "
        f"{s.start}–{s.end})</small> → "
        + (", ".join(f"<a href='{escape(links.local(i))}'>{escape(lb)}</a>" for i, lb in s.facts))
        + "</li>"
        for s in spans
    )
    body = (
        f"{READER_STYLE}<h1>{escape(title)}</h1><p>The full text of "
        f"<a id=report href='{escape(links.local(report))}'>this report</a>, as annotated; "
        f"{len(spans)} passage(s) state facts of the graph, highlighted below.</p>"
        f"<p class=digest>SHA-256 {escape(sha256)} (checked)</p>"
        f"<div class=reader id=text>{highlight(text, spans, links)}</div>"
        f"<section id=passages><h2>Passages</h2><ol class=passages>{items}</ol></section>"
    )
    return page(f"{title}: text", body)


def no_reader_html(back: str, title: str, message: str) -> str:
    """Why a report has no reader, with a link ``back`` to its page (or the home page)."""
    body = (
        f"<h1>{escape(title)}</h1><p class=error role=alert>{escape(message)}</p>"
        f"<p><a id=back href='{escape(back)}'>Back</a></p>"
    )
    return page(f"{title}: no text", body)


def _page(status: int, body: str, headers: dict[str, str] | None = None) -> Answer:
    return Answer(status, body.encode(), HTML.labelled, dict(headers or {}))


async def answer_reader(
    kg: KnowledgeGraph, slug: str, links: Links, if_none_match: str | None
) -> Answer:
    """The reader of report ``slug``; a 404 that says why when the graph has no such report or
    the server has no (matching) text of it; a 304 when ``if_none_match`` names its ETag, which
    changes with the build, the text's digest, the link base and the code."""
    try:
        overview = await from_store(kg.site.overview, "the list of reports")
        info = next((r for r in overview.reports if r.slug == slug), None)
        if info is None:
            message = f"the graph has no report {slug!r}: see the reports on the home page"
            return _page(404, no_reader_html(f"{links.prefix}/", "No such report", message))
        iri, back = info.iri, links.local(info.iri)
        if not kg.site.has_sources:
            message = (
                "this server was not given the reports' texts (KZGRAPH_SOURCES), so it has no "
                "reader; the report's page cites each passage by its offsets"
            )
            return _page(404, no_reader_html(back, info.title, message))
        sources = await from_store(kg.site.sources, "the reports' texts")
        text = sources.texts.get(iri)
        if text is None:
            message = sources.refused.get(iri) or (
                f"no file in KZGRAPH_SOURCES has the SHA-256 of this report ({info.sha256})"
            )
            return _page(404, no_reader_html(back, info.title, message))
        tag = strong_etag(
            f"reader\n{kg.version}\n{iri}\n{info.sha256}\n{links.origin}{links.prefix}\n"
            f"{__version__}"
        )
        headers = {"ETag": tag, "Cache-Control": "public, max-age=60"}
        if etag_matches(if_none_match, tag):
            return Answer(304, b"", "", headers)
        spans = await from_store(lambda: kg.site.spans(iri), "the report's passages")
    except SiteDataUnavailable as exc:
        return _page(503, unavailable("Reader", str(exc)), {"Retry-After": "10"})
    body = await asyncio.to_thread(reader_html, iri, info.title, info.sha256, text, spans, links)
    return _page(200, body, headers)


__all__ = [
    "READER_CSS",
    "answer_reader",
    "highlight",
    "no_reader_html",
    "reader_html",
    "reader_path",
]
