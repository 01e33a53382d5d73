"""kzgraph.draft.lexicon: the cue words are lower case (names.py compares lower-cased words), the
kinds they give are kinds the loader accepts, the months are in calendar order, and no word is a
name from the data."""

from __future__ import annotations

import calendar
import re

from kzgraph.annotations.load import ENTITY_KINDS, annotation_files
from kzgraph.draft import lexicon
from kzgraph.draft.source import fold

from .conftest import ROOT

WORD_SETS = {
    "ORG_WORDS": set(lexicon.ORG_WORDS),
    "LAW_WORDS": lexicon.LAW_WORDS,
    "PLACE_WORDS": lexicon.PLACE_WORDS,
    "HONORIFICS": lexicon.HONORIFICS,
    "TITLES": lexicon.TITLES,
    "MONTHS": set(lexicon.MONTHS),
    "CONNECTORS": lexicon.CONNECTORS,
    "NOT_NAMES": lexicon.NOT_NAMES,
}


def test_every_cue_word_is_one_lower_case_word() -> None:
    for name, words in WORD_SETS.items():
        assert words, name
        for word in words:
            assert word == word.lower() == word.strip(), (name, word)
            assert " " not in word, (name, word)


def test_body_words_give_organisation_kinds_the_loader_accepts() -> None:
    assert set(lexicon.ORG_WORDS.values()) <= ENTITY_KINDS["org"]
    assert ENTITY_KINDS["org"] - set(lexicon.ORG_WORDS.values()) == {"foreign-government", "other"}


def test_body_words_by_kind() -> None:
    kinds = lexicon.ORG_WORDS
    assert (kinds["court"], kinds["tribunal"]) == ("court", "court")
    assert (kinds["ministry"], kinds["akimat"], kinds["mazhilis"]) == ("state-body",) * 3
    assert (kinds["police"], kinds["colony"]) == ("law-enforcement",) * 2
    assert (kinds["party"], kinds["union"]) == ("political-party", "trade-union")
    assert (kinds["bureau"], kinds["foundation"], kinds["watch"]) == ("ngo",) * 3
    assert (kinds["radio"], kinds["nations"], kinds["jsc"]) == (
        "media-outlet",
        "intergovernmental-body",
        "company",
    )
    assert kinds["witnesses"] == "religious-group"


def test_months_are_in_calendar_order_and_never_names() -> None:
    assert list(lexicon.MONTHS) == [m.lower() for m in calendar.month_name[1:]]
    assert set(lexicon.MONTHS) <= lexicon.NOT_NAMES


def test_titles_and_role_words() -> None:
    # a title is cut off a name ("Minister Roman ..."); a role word is a cue before one
    assert {"president", "minister", "secretary", "judge", "rapporteur"} <= lexicon.TITLES
    assert {"activist", "journalist", "blogger", "lawyer", "defender"} <= lexicon.HONORIFICS
    assert not {"activist", "journalist"} & lexicon.TITLES
    assert {"protocol", "convention", "code", "covenant"} <= lexicon.LAW_WORDS
    assert {"region", "oblast", "district"} <= lexicon.PLACE_WORDS


def test_no_cue_word_is_the_name_of_a_known_entity() -> None:
    # the names written in the data files (read as text: the YAML loader takes seconds here)
    names = {
        fold(mt.group(1).strip())
        for path in annotation_files(ROOT / "data")
        for mt in re.finditer(r"\bname: \"?([^\",}\n]+)", path.read_text(encoding="utf-8"))
    }
    assert len(names) > 50 and "kazakhstan" in names
    for name, words in WORD_SETS.items():
        assert not words & names, name
