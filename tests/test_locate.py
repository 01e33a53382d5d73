"""Finding evidence phrases in a source text (annotations/locate.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzgraph.annotations import AnnotationError
from kzgraph.annotations.locate import PhraseNotFound, Sources, find_phrase, locate_file

TEXT = (
    "The court in Ural\u00adsk said \u201cno\u201d.\n"
    "Ill-\n\ntreatment was alleged; the court\u00a0ruled."
)


def test_exact_phrase_is_found() -> None:
    start, end = find_phrase(TEXT, "said")
    assert TEXT[start:end] == "said"


def test_whitespace_matches_line_breaks_and_no_break_spaces() -> None:
    start, end = find_phrase(TEXT, "the court ruled")
    assert TEXT[start:end] == "the court\u00a0ruled"


def test_hyphen_may_be_followed_by_a_line_break() -> None:
    start, end = find_phrase(TEXT, "Ill-treatment was alleged")
    assert TEXT[start:end] == "Ill-\n\ntreatment was alleged"


def test_straight_quotes_match_curly_ones() -> None:
    start, end = find_phrase(TEXT, 'said "no"')
    assert TEXT[start:end] == "said \u201cno\u201d"


def test_ambiguous_phrase_needs_an_occurrence() -> None:
    with pytest.raises(PhraseNotFound, match="occurs 2 times"):
        find_phrase(TEXT.lower(), "the court")
    start, _ = find_phrase(TEXT.lower(), "the court", occurrence=2)
    assert start > 10


def test_missing_phrase_is_an_error() -> None:
    with pytest.raises(PhraseNotFound, match="does not occur"):
        find_phrase(TEXT, "the prosecutor")


def test_locate_file_fills_offsets_and_keeps_comments(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "r.txt").write_text(TEXT, encoding="utf-8")
    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    path = data / "reports" / "r.yaml"
    path.write_text(
        "report: {id: r, source: r.txt}\n"
        "acts:\n"
        "  - id: a  # keep me\n"
        "    evidence:\n"
        "      - {exact: the court ruled}\n",
        encoding="utf-8",
    )
    assert locate_file(path, Sources.for_data(data, sources)) == 1
    written = path.read_text(encoding="utf-8")
    assert "# keep me" in written
    assert "start: " in written and "end: " in written
    assert "\\xA0" in written or "\u00a0" in written


def test_locate_file_changes_nothing_when_a_phrase_is_missing(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "r.txt").write_text(TEXT, encoding="utf-8")
    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    path = data / "reports" / "r.yaml"
    before = (
        "report: {id: r, source: r.txt}\n"
        "acts:\n"
        "  - id: a\n"
        "    evidence:\n"
        "      - {exact: said}\n"
        "      - {exact: not in the text}\n"
    )
    path.write_text(before, encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"r\.yaml:6 .*not in the text"):
        locate_file(path, Sources.for_data(data, sources))
    assert path.read_text(encoding="utf-8") == before
