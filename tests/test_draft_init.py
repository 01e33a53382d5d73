"""kzgraph.draft (the package's draft_report): the request's checks, in order, before any text is
read; the draft returned, and written only when asked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kzgraph.draft
from kzgraph.annotations.yamlfile import read
from kzgraph.draft import Draft, DraftInputError, DraftRequest, KnownGraph, draft_report

from .draftkit import known_graph

TEXT = "Events of 2030\n\nOn March 3, police in Almaty detained Serikbol Nurtazin.\n"
REPORT = "report: {id: old-report}\n"


@pytest.fixture
def known(tmp_path: Path) -> KnownGraph:
    return known_graph(tmp_path / "data", REPORT)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "new.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _request(source: Path, report_id: str = "new-report", issued: str = "2031") -> DraftRequest:
    return DraftRequest(source, report_id, ("org/example-watch",), issued)


def test_the_package_exports() -> None:
    assert kzgraph.draft.__all__ == [
        "Draft",
        "DraftInputError",
        "DraftRequest",
        "KnownGraph",
        "draft_report",
    ]


def test_a_draft_without_an_output_path_writes_nothing(
    known: KnownGraph, source: Path, tmp_path: Path
) -> None:
    before = sorted(p.name for p in tmp_path.rglob("*"))
    draft = draft_report(_request(source), known)
    assert isinstance(draft, Draft)
    assert draft.path is None
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert draft.document["report"]["id"] == "new-report"
    assert draft.extraction.text == TEXT
    assert [e.id for e in draft.extraction.new] == ["person/serikbol-nurtazin"]


def test_a_draft_is_written_where_asked(known: KnownGraph, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "new-report.yaml"
    draft = draft_report(_request(source), known, out)
    assert draft.path == out
    written = read(out)
    assert written["report"]["id"] == "new-report"
    assert written["report"]["publisher"] == ["org/example-watch"]
    assert written["acts"][0]["victims"] == ["person/serikbol-nurtazin"]
    # again: refused without force, replaced with it
    with pytest.raises(DraftInputError, match="already exists"):
        draft_report(_request(source), known, out)
    out.write_text("old\n", encoding="utf-8")
    draft_report(_request(source), known, out, force=True)
    assert read(out)["report"]["id"] == "new-report"


@pytest.mark.parametrize(
    ("report_id", "issued", "message"),
    [
        ("New Report", "2031", "--id 'New Report': expected a slug"),
        ("new_report", "2031", "expected a slug"),
        ("", "2031", "expected a slug"),
        ("new-report", "31 January 2031", "--issued '31 January 2031': expected a date"),
        ("new-report", "2031-1", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD"),
        ("old-report", "2031", "report id 'old-report' is already used in the data"),
    ],
)
def test_a_bad_request_is_refused(
    known: KnownGraph, source: Path, tmp_path: Path, report_id: str, issued: str, message: str
) -> None:
    out = tmp_path / "out.yaml"
    with pytest.raises(DraftInputError, match=re.escape(message)):
        draft_report(_request(source, report_id, issued), known, out)
    assert not out.exists()


def test_the_request_is_checked_before_the_text_is_read(known: KnownGraph, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(DraftInputError, match="expected a slug"):
        draft_report(_request(missing, "Bad Id"), known)
    with pytest.raises(DraftInputError, match=r"missing\.txt: no such file"):
        draft_report(_request(missing), known)


def test_an_existing_output_is_refused_before_anything_else(
    known: KnownGraph, tmp_path: Path
) -> None:
    out = tmp_path / "out.yaml"
    out.write_text("keep\n", encoding="utf-8")
    with pytest.raises(DraftInputError, match=r"out\.yaml: already exists; pass --force"):
        draft_report(_request(tmp_path / "missing.txt", "Bad Id"), known, out)
    assert out.read_text(encoding="utf-8") == "keep\n"


def test_a_non_utf8_source_is_refused_with_its_line(known: KnownGraph, tmp_path: Path) -> None:
    source = tmp_path / "cp1251.txt"
    source.write_bytes("Events\nСуд оштрафовал".encode("cp1251"))
    with pytest.raises(DraftInputError, match=r"cp1251.txt:2: not UTF-8"):
        draft_report(_request(source), known)
