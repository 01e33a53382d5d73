"""kzgraph.draft.legal: law articles resolved against the known graph, charges split into items
with a stated or inferred provision, and penalties a court imposed (not those a law allows)."""

from __future__ import annotations

import pytest

from kzgraph.draft import legal
from kzgraph.draft.gazetteer import KnownGraph
from kzgraph.draft.source import SentenceIndex

from .draftkit import known_graph


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> KnownGraph:
    return known_graph(tmp_path_factory.mktemp("known"))


def _articles(text: str, known: KnownGraph) -> list[tuple[str, str | None, str, str | None]]:
    found = legal.articles(text, known, list(known.find(text)))
    return [(text[a.span.start : a.span.end], a.law, a.number, a.provision) for a in found]


def _charges(text: str, known: KnownGraph) -> list[tuple[str, str | None, str | None]]:
    cited = legal.articles(text, known, list(known.find(text)))
    facts = legal.charges(text, SentenceIndex(text), known, cited)
    for fact in facts:
        assert fact.kind == "charge"
        assert fact.anchor.sentence.start <= fact.anchor.start < fact.anchor.end
        assert fact.anchor.end <= fact.anchor.sentence.end
    return [(f.attrs["label"], f.attrs["provision"], f.attrs["provision_basis"]) for f in facts]


def _penalties(text: str) -> list[tuple[str, str, str | None, bool]]:
    return [
        (
            text[f.trigger.start : f.trigger.end],
            f.attrs["penalty"],
            f.attrs["term"],
            f.attrs["suspended"],
        )
        for f in legal.sentences(text, SentenceIndex(text))
    ]


# -- articles -----------------------------------------------------------------------------------


def test_an_article_followed_by_its_law_is_the_known_provision(known: KnownGraph) -> None:
    text = "The blogger was charged under Article 174 of the Criminal Code."
    assert _articles(text, known) == [
        ("Article 174", "law/kz-criminal-code", "174", "provision/kz-criminal-code-174")
    ]


def test_a_law_named_just_before_the_article_is_its_law(known: KnownGraph) -> None:
    text = "Police cited Code of Administrative Offences article 488 at the picket."
    assert _articles(text, known) == [
        ("article 488", "law/kz-administrative-code", "488", "provision/kz-administrative-code-488")
    ]


def test_several_numbers_share_one_span_and_one_law(known: KnownGraph) -> None:
    text = (
        "Articles 174 and 274 of the Criminal Code were cited, and art. 488 of the Code of "
        "Administrative Offences."
    )
    assert _articles(text, known) == [
        ("Articles 174 and 274", "law/kz-criminal-code", "174", "provision/kz-criminal-code-174"),
        ("Articles 174 and 274", "law/kz-criminal-code", "274", "provision/kz-criminal-code-274"),
        ("art. 488", "law/kz-administrative-code", "488", "provision/kz-administrative-code-488"),
    ]


def test_a_bare_article_takes_the_last_law_cited(known: KnownGraph) -> None:
    text = (
        "He was fined under Article 488 of the Code of Administrative Offences. "
        "Article 489 followed."
    )
    found = _articles(text, known)
    assert found[1] == ("Article 489", "law/kz-administrative-code", "489", None)


def test_a_bare_article_with_no_law_cited_takes_the_law_most_provisions_belong_to(
    known: KnownGraph,
) -> None:
    # the criminal code holds two known provisions, the administrative code one
    text = "Article 405-1 and Article 405.2 were applied."
    assert _articles(text, known) == [
        ("Article 405-1", "law/kz-criminal-code", "405-1", None),
        ("Article 405.2", "law/kz-criminal-code", "405-2", None),
    ]


def test_no_known_provisions_means_no_law_for_a_bare_article() -> None:
    assert _articles("Article 12 applies.", KnownGraph()) == [("Article 12", None, "12", None)]


def test_words_containing_art_are_not_articles(known: KnownGraph) -> None:
    assert _articles("The party started 12 branches; part 3 was artful.", known) == []
    assert _articles("", known) == []


# -- charges ------------------------------------------------------------------------------------


def test_a_charge_in_a_sentence_citing_an_article_is_stated(known: KnownGraph) -> None:
    text = (
        "The blogger was charged with inciting social discord under Article 174 of the "
        "Criminal Code."
    )
    assert _charges(text, known) == [
        ("inciting social discord", "provision/kz-criminal-code-174", "stated")
    ]


def test_a_charge_without_an_article_is_inferred_from_provision_glosses(known: KnownGraph) -> None:
    # "(false information)" is the gloss of article 274 in the known graph
    text = "The poet was charged with spreading false information online."
    assert _charges(text, known) == [
        ("spreading false information online", "provision/kz-criminal-code-274", "inferred")
    ]


def test_a_charge_matching_nothing_known_has_no_provision(known: KnownGraph) -> None:
    text = "A court fined him for organising an unsanctioned rally."
    assert _charges(text, known) == [("organising an unsanctioned rally", None, None)]


def test_quoted_charges_are_split_into_items(known: KnownGraph) -> None:
    text = "She faced charges of “false information” and “extortion” in 2030."
    assert _charges(text, known) == [
        ("false information", "provision/kz-criminal-code-274", "inferred"),
        ("extortion", None, None),
    ]


def test_a_charge_label_stops_at_its_closing_quote(known: KnownGraph) -> None:
    text = "He was prosecuted for “inciting discord” and later released."
    assert _charges(text, known) == [
        ("inciting discord", "provision/kz-criminal-code-174", "inferred")
    ]


def test_a_quoted_gerund_is_a_charge_on_its_own(known: KnownGraph) -> None:
    text = "The court found the words “insulting the honour of officials” proven."
    assert _charges(text, known) == [("insulting the honour of officials", None, None)]


def test_charges_ranging_from_a_list_run_to_the_end_of_the_sentence(known: KnownGraph) -> None:
    text = "The men faced charges ranging from theft, hooliganism and vandalism to mass riots."
    assert [label for label, _, _ in _charges(text, known)] == [
        "theft",
        "hooliganism",
        "vandalism",
        "mass riots",
    ]


def test_a_one_word_charge_is_not_proposed(known: KnownGraph) -> None:
    assert _charges("They were convicted of fraud.", known) == []
    assert _charges("", known) == []


def test_a_charge_uses_the_nearest_article_of_its_sentence(known: KnownGraph) -> None:
    text = (
        "He was charged with spreading false information under Article 274 of the Criminal Code, "
        "not Article 174."
    )
    assert _charges(text, known) == [
        ("spreading false information", "provision/kz-criminal-code-274", "stated")
    ]


# -- sentences (penalties) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He was sentenced to six years in prison.",
            ("sentenced to six years in prison", "imprisonment", "P6Y", False),
        ),
        (
            "A court sentenced the activist to seven and a half years in a penal colony.",
            (
                "sentenced the activist to seven and a half years in a penal colony",
                "imprisonment",
                "P7Y6M",
                False,
            ),
        ),
        (
            "She received 15 days of administrative arrest.",
            ("15 days of administrative arrest", "administrative-arrest", "P15D", False),
        ),
        (
            "He was sentenced to 20 days’ administrative arrest.",
            ("sentenced to 20 days’ administrative arrest", "administrative-arrest", "P20D", False),
        ),
        (
            "He was given a two-year suspended sentence.",
            ("two-year suspended sentence", "imprisonment", "P2Y", True),
        ),
        (
            "He was sentenced to three years of restricted freedom.",
            ("sentenced to three years of restricted freedom", "restricted-freedom", "P3Y", False),
        ),
        ("He was jailed for a year.", ("jailed for a year", "imprisonment", "P1Y", False)),
        ("The court fined the journalist.", ("fined", "fine", None, False)),
        (
            "She was banned from engaging in public activities.",
            ("banned from engaging", "activity-ban", None, False),
        ),
        (
            "He was sentenced to twenty-two months in prison.",
            ("sentenced to twenty-two months in prison", "imprisonment", "P22M", False),
        ),
    ],
)
def test_a_penalty_with_its_term(text: str, expected: tuple[str, str, str | None, bool]) -> None:
    assert _penalties(text) == [expected]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("She got one and a half months of administrative arrest.", "P1M15D"),
        ("He was sentenced to 2.5 months in jail.", "P2M15D"),
        ("He was sentenced to two and a half years in prison.", "P2Y6M"),
        ("He was sentenced to 0.5 years in prison.", "P0Y6M"),
    ],
)
def test_a_half_month_or_year_is_kept(text: str, term: str) -> None:
    assert [t for _, _, t, _ in _penalties(text)] == [term]


def test_a_fractional_term_in_digits_keeps_its_half() -> None:
    assert _penalties("He was sentenced to 1.5 years in prison.") == [
        ("sentenced to 1.5 years in prison", "imprisonment", "P1Y6M", False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "He faces up to 10 years in prison.",
        "The offence is punishable by up to 10 years in prison.",
        "He could get 5 years in prison.",
        "If convicted, she could be sentenced to 7 years in prison.",
    ],
)
def test_a_penalty_the_law_only_allows_is_not_a_sentence(text: str) -> None:
    assert _penalties(text) == []


def test_a_penalty_the_law_allows_is_skipped_far_into_a_text() -> None:
    text = "The blogger remains in pretrial detention in Almaty. He faces up to 10 years in prison."
    assert _penalties(text) == []
