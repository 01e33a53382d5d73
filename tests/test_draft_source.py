"""kzgraph.draft.source: reading a report text safely, folding it without moving an offset,
sentences and headings, and short evidence phrases cut from the text itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzgraph.draft.source import (
    DraftInputError,
    SentenceIndex,
    Span,
    fold,
    headings,
    phrase,
    read_source,
    sentences,
)


def _texts(text: str, spans: list[Span]) -> list[str]:
    return [text[s.start : s.end] for s in spans]


# -- read_source --------------------------------------------------------------------------------


def test_read_source_returns_the_text_undecoded_otherwise(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    body = "Report\r\n\r\nPolice detained Жанар Ахметова in Almaty.\n"
    path.write_bytes(body.encode("utf-8"))
    assert read_source(path) == body  # no newline or Unicode normalisation


def test_read_source_of_an_empty_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_source(path) == ""


def test_read_source_refuses_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    with pytest.raises(DraftInputError, match=r"nowhere\.txt: no such file"):
        read_source(tmp_path / "nowhere.txt")
    with pytest.raises(DraftInputError, match="no such file"):
        read_source(tmp_path)


def test_read_source_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 11)
    assert read_source(path, max_bytes=11) == "x" * 11
    with pytest.raises(DraftInputError, match="11 bytes; a report text may have at most 10 bytes"):
        read_source(path, max_bytes=10)


def test_read_source_names_the_line_and_byte_of_bad_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    path.write_bytes("Report\n\nСуд".encode("cp1251"))
    with pytest.raises(DraftInputError) as caught:
        read_source(path)
    assert str(caught.value).startswith(f"{path}:3: not UTF-8 (byte 8 is 0xd1)")


def test_draft_input_error_is_a_value_error() -> None:
    assert issubclass(DraftInputError, ValueError)


# -- fold ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Zhovtís", "zhovtis"),
        ("ÅNGSTRÖM", "angstrom"),
        ("Prosecutor General’s “Office”", 'prosecutor general\'s "office"'),
        ("2020–2022 — now", "2020-2022 - now"),
        ("Жанар Ахметова", "жанар ахметова"),
        ("Ёлка and Йод", "елка and иод"),  # the breve and diaeresis go too
        ("İstanbul", "istanbul"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)  # one character for one: offsets survive


# -- sentences ----------------------------------------------------------------------------------


def test_sentences_split_at_a_stop_and_a_capital() -> None:
    text = "Police detained him. He was released! Why? 12 people stayed."
    assert _texts(text, sentences(text)) == [
        "Police detained him.",
        "He was released!",
        "Why?",
        "12 people stayed.",
    ]


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = "Mr. Testov met Dr. Aliyeva and A. B. Example in the U.S. on Monday. Then he left."
    assert _texts(text, sentences(text)) == [
        "Mr. Testov met Dr. Aliyeva and A. B. Example in the U.S. on Monday.",
        "Then he left.",
    ]


def test_a_stop_before_lower_case_is_not_a_boundary() -> None:
    text = "He cited art. 174 and e.g. fines. lower case follows."
    assert _texts(text, sentences(text)) == [text]


def test_a_sentence_may_start_with_a_quote_a_bracket_or_a_cyrillic_capital() -> None:
    text = (
        "He was detained. “Free him,” they said. (He was not.) Жанар Ахметова left. "
        "Ж. Ахметова stayed."
    )
    assert _texts(text, sentences(text)) == [
        "He was detained.",
        "“Free him,” they said.",
        "(He was not.)",
        "Жанар Ахметова left.",
        "Ж. Ахметова stayed.",
    ]


def test_a_blank_line_ends_a_sentence_without_a_stop() -> None:
    text = "Detention\n\nPolice detained him\n  \n\nand then\nreleased him."
    assert _texts(text, sentences(text)) == [
        "Detention",
        "Police detained him",
        "and then\nreleased him.",
    ]


def test_windows_line_endings_end_sentences_at_blank_lines() -> None:
    text = "Detention\r\n\r\nPolice detained him\r\n\r\nHe was freed."
    assert _texts(text, sentences(text)) == ["Detention", "Police detained him", "He was freed."]


def test_sentence_spans_are_trimmed_and_empty_text_has_none() -> None:
    text = "  \n Police detained him.   \n\n\n  "
    assert sentences(text) == [Span(4, 24)]
    assert sentences("") == []
    assert sentences(" \n\n ") == []


# -- headings -----------------------------------------------------------------------------------


def test_headings_are_short_capitalised_lines_between_blank_lines() -> None:
    text = (
        "Example Monitor: Events of 2030\n\nDetention\n\nPolice detained him.\n\n"
        "Freedom of Assembly\n\nA line that is much too long to be any kind of heading at all\n\n"
        "lower case line\n\nEnd of report.\n\nLast"
    )
    assert _texts(text, headings(text)) == ["Detention", "Freedom of Assembly"]


def test_a_heading_may_open_the_text_and_headings_may_follow_each_other() -> None:
    text = "Kazakhstan\n\nCivic Space\n\n  Detention  \n\nBody text."
    spans = headings(text)
    assert _texts(text, spans) == ["Kazakhstan", "Civic Space", "Detention"]
    assert spans[2] == Span(text.index("Detention"), text.index("Detention") + 9)


def test_headings_with_windows_line_endings() -> None:
    text = "Detention\r\n\r\nPolice detained him.\r\n\r\nRecommendations\r\n\r\nFree him."
    assert _texts(text, headings(text)) == ["Detention", "Recommendations"]


def test_max_words_of_a_heading() -> None:
    text = "\n\nOne Two Three Four\n\nBody."
    assert _texts(text, headings(text, max_words=4)) == ["One Two Three Four"]
    assert headings(text, max_words=3) == []


# -- SentenceIndex ------------------------------------------------------------------------------


def test_sentence_index_finds_the_sentence_of_an_offset() -> None:
    text = "One. Two three.  Four."
    index = SentenceIndex(text)
    assert index.spans == [Span(0, 4), Span(5, 15), Span(17, 22)]
    assert index.at(0) == Span(0, 4)
    assert index.at(4) == Span(0, 4)  # the gap after a sentence belongs to it
    assert index.at(5) == Span(5, 15)
    assert index.at(16) == Span(5, 15)
    assert index.at(100) == Span(17, 22)


def test_sentence_index_of_an_empty_text_is_the_whole_text() -> None:
    assert SentenceIndex("").at(3) == Span(0, 0)
    assert SentenceIndex("   ").at(1) == Span(0, 3)


# -- phrase -------------------------------------------------------------------------------------

TEXT = (
    "On 3 March, police in Almaty detained the activist Aigul Testova for an unsanctioned "
    "picket outside the akimat building."
)
WHOLE = Span(0, len(TEXT))


def _phrase(start: int, end: int, words: int = 12, within: Span = WHOLE) -> str:
    s, e = phrase(TEXT, start, end, within, words)
    assert 0 <= s <= e <= len(TEXT)
    return TEXT[s:e]


def test_a_phrase_is_centred_on_what_was_found() -> None:
    at = TEXT.index("detained")
    assert (
        _phrase(at, at + 8)
        == "On 3 March, police in Almaty detained the activist Aigul Testova for"
    )
    assert _phrase(at, at + 8, words=3) == "Almaty detained the"
    assert _phrase(at, at + 8, words=1) == "detained"


def test_a_phrase_at_the_edges_of_its_sentence_extends_the_other_way() -> None:
    assert _phrase(0, 2) == "On 3 March, police in Almaty detained the activist Aigul Testova for"
    end = len(TEXT) - 1
    assert _phrase(end - 8, end) == (
        "the activist Aigul Testova for an unsanctioned picket outside the akimat building"
    )


def test_a_phrase_longer_than_the_limit_is_cut_to_its_first_words() -> None:
    assert _phrase(0, len(TEXT), words=4) == "On 3 March, police"


def test_a_phrase_drops_edge_punctuation_but_keeps_inner_punctuation() -> None:
    at = TEXT.index("March")
    assert _phrase(at, at + 5, words=1) == "March"
    assert _phrase(at, at + 5, words=2) == "3 March"


def test_a_phrase_stays_within_its_sentence() -> None:
    text = "He was freed. Police detained Жанар Ахметова again. She was fined."
    within = sentences(text)[1]
    at = text.index("Ахметова")
    s, e = phrase(text, at, at + 8, within)
    assert text[s:e] == "Police detained Жанар Ахметова again"


def test_a_phrase_of_an_empty_span_is_what_was_given() -> None:
    assert phrase("", 0, 0, Span(0, 0)) == (0, 0)
    assert phrase("x   y", 2, 3, Span(1, 4)) == (2, 3)


def test_a_byte_order_mark_is_kept_out_of_the_first_sentence_and_heading() -> None:
    text = "\ufeffEvents of 2030\n\nDetention\n\nPolice detained him."
    assert sentences(text)[0] == Span(1, 15)
    assert _texts(text, headings(text)) == ["Events of 2030", "Detention"]
