"""kzgraph.draft.acts: one act per trigger kind per sentence, and what attach gives each act: its
sentence's people, places, nearest date, charges and penalty (or a new act to carry them)."""

from __future__ import annotations

import pytest

from kzgraph.draft import acts
from kzgraph.draft.candidates import Anchor, Fact
from kzgraph.draft.source import SentenceIndex, Span


def _kinds(text: str) -> list[tuple[str, str]]:
    index = SentenceIndex(text)
    found = acts.acts(text, index)
    for act in found:
        assert act.trigger is not None
        assert act.anchor.start <= act.trigger.start < act.trigger.end <= act.anchor.end
        assert act.anchor.sentence == index.at(act.trigger.start)
    return [(a.kind, text[a.trigger.start : a.trigger.end]) for a in found if a.trigger]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Police detained the blogger.", "detention"),
        ("Police arrested the blogger.", "arrest"),
        ("A court sentenced the blogger.", "conviction"),
        ("The court found him guilty.", "conviction"),
        ("The court administratively arrested the blogger.", "administrative-arrest"),
        ("He was placed under house arrest.", "house-arrest"),
        ("She was sent for psychiatric examination.", "psychiatric-detention"),
        ("He died in custody.", "death-in-custody"),
        ("The appeals court upheld the verdict.", "appeal-decision"),
        ("Police opened a criminal investigation.", "investigation-opened"),
        ("Investigators launched a criminal case.", "investigation-opened"),
        ("The blogger was charged.", "charge"),
        ("Prosecutors dropped the charges.", "case-dropped"),
        ("The president declared a state of emergency.", "state-measure"),
        ("The authorities shut down the internet.", "state-measure"),
        ("Kazakhstan ratified the protocol.", "treaty-action"),
        ("He was fined.", "fine"),
        ("The authorities blocked access to the site.", "blocking"),
        ("Unknown men beat the journalist.", "attack"),
        ("He was released.", "release"),
        ("He was extradited.", "extradition"),
        ("Police summoned the activist.", "harassment"),
        ("Parliament adopted amendments.", "legislation-adopted"),
        ("Workers went on strike.", "strike"),
        ("Hundreds protested in the square.", "protest"),
        ("She was denied registration.", "registration-refused"),
    ],
)
def test_a_trigger_proposes_its_kind(text: str, kind: str) -> None:
    assert [k for k, _ in _kinds(text)] == [kind]


def test_the_first_pattern_at_a_place_wins() -> None:
    # "administratively arrested" is an administrative arrest, not an arrest
    assert _kinds("Police administratively arrested him.") == [
        ("administrative-arrest", "administratively arrested")
    ]
    assert _kinds("He died in detention.") == [("death-in-custody", "died in detention")]


def test_one_act_per_kind_per_sentence_anchored_on_the_first_trigger() -> None:
    text = "Police detained Aigul and detained Marat, then arrested Dana. Police detained Serik."
    assert _kinds(text) == [
        ("detention", "detained"),
        ("arrest", "arrested"),
        ("detention", "detained"),
    ]
    found = acts.acts(text, SentenceIndex(text))
    assert found[0].trigger == Span(7, 15)
    assert found[2].trigger == Span(text.rindex("detained"), text.rindex("detained") + 8)


def test_triggers_are_whole_words_in_any_case() -> None:
    assert _kinds("DETAINED. The detainee-detainer undetained.") == [("detention", "DETAINED")]
    assert _kinds("") == []
    assert _kinds("Nothing happened here.") == []


def test_an_act_anchor_is_a_phrase_of_at_most_twelve_words_in_its_sentence() -> None:
    text = (
        "On 3 March in the early hours of a cold morning police officers in plain clothes "
        "detained the activist outside her home in the north of the city."
    )
    (act,) = acts.acts(text, SentenceIndex(text))
    exact = act.anchor.exact(text)
    assert len(exact.split()) == 12
    assert "detained" in exact
    assert text[act.anchor.start : act.anchor.end] == exact


# -- attach -------------------------------------------------------------------------------------


def _attach(
    text: str,
    *,
    charges: list[Fact] | None = None,
    sentences: list[Fact] | None = None,
    people: list[tuple[str, int]] | None = None,
    places: list[tuple[str, int]] | None = None,
    dates: list[tuple[Span, str, bool]] | None = None,
) -> list[acts.DraftAct]:
    index = SentenceIndex(text)
    return acts.attach(
        acts.acts(text, index),
        index,
        charges or [],
        sentences or [],
        people or [],
        places or [],
        dates or [],
    )


def _fact(kind: str, text: str, words: str, index: SentenceIndex, **attrs: object) -> Fact:
    start = text.index(words)
    end = start + len(words)
    return Fact(kind, Anchor(start, end, index.at(start)), Span(start, end), dict(attrs))


def _date(text: str, words: str, value: str, inferred: bool = False) -> tuple[Span, str, bool]:
    start = text.index(words)
    return (Span(start, start + len(words)), value, inferred)


def test_people_and_places_of_the_sentence_are_attached_once_each_in_order() -> None:
    text = "Police detained Aigul and Marat in Almaty and Aigul again. Police detained Dana."
    found = _attach(
        text,
        people=[
            ("person/aigul", text.index("Aigul")),
            ("person/marat", text.index("Marat")),
            ("person/aigul", text.rindex("Aigul")),
            ("person/dana", text.index("Dana")),
        ],
        places=[("place/almaty", text.index("Almaty"))],
    )
    assert [(a.victims, a.places) for a in found] == [
        (["person/aigul", "person/marat"], ["place/almaty"]),
        (["person/dana"], []),
    ]


def test_the_date_nearest_the_trigger_is_the_acts_date() -> None:
    text = "The blogger was freed in 2019, and in March 2021 police detained him again."
    found = _attach(
        text,
        dates=[
            _date(text, "in 2019", "2019"),
            _date(text, "in March 2021", "2021-03"),
        ],
    )
    assert [(a.kind, a.date) for a in found] == [
        ("release", ("2019", False)),
        ("detention", ("2021-03", False)),
    ]


def test_a_date_in_another_sentence_is_not_used_and_inferred_years_are_kept() -> None:
    text = "On April 10 police detained him. In 2021 he was freed."
    found = _attach(
        text, dates=[_date(text, "April 10", "2030-04-10", True), _date(text, "In 2021", "2021")]
    )
    assert [(a.kind, a.date) for a in found] == [
        ("detention", ("2030-04-10", True)),
        ("release", ("2021", False)),
    ]
    assert _attach("Police detained him.", dates=[])[0].date is None


def test_equally_near_dates_give_the_earlier_one() -> None:
    text = "On 5 May police detained him on 9 May."
    may5 = _date(text, "5 May", "2030-05-05")
    may9 = _date(text, "9 May", "2030-05-09")
    # "5 May" ends one space before "detained"; "9 May" starts four characters after it
    assert _attach(text, dates=[may9, may5])[0].date == ("2030-05-05", False)
    text = "Police detained him."
    tie = [(Span(0, 0), "2030-05-09", False), (Span(0, 0), "2030-05-05", False)]
    assert _attach(text, dates=tie)[0].date == ("2030-05-05", False)


def test_a_penalty_goes_to_the_conviction_of_its_sentence() -> None:
    text = "A court sentenced Aigul to six years in prison."
    index = SentenceIndex(text)
    penalty = _fact("sentence", text, "six years in prison", index, penalty="imprisonment")
    (act,) = _attach(text, sentences=[penalty])
    assert act.kind == "conviction"
    assert act.sentence is penalty


def test_a_penalty_without_a_conviction_makes_one_and_a_second_penalty_another() -> None:
    text = "Aigul got six years in prison and Marat got five years in prison."
    index = SentenceIndex(text)
    six = _fact("sentence", text, "six years in prison", index, penalty="imprisonment")
    five = _fact("sentence", text, "five years in prison", index, penalty="imprisonment")
    found = _attach(text, sentences=[six, five])
    assert [(a.kind, a.sentence) for a in found] == [("conviction", six), ("conviction", five)]
    assert found[0].anchor == six.anchor
    assert found[0].trigger == six.trigger


def test_a_charge_goes_to_the_first_judicial_act_of_its_sentence() -> None:
    text = "Police detained Aigul and charged her with inciting social discord."
    index = SentenceIndex(text)
    charge = _fact("charge", text, "inciting social discord", index, label="inciting discord")
    found = _attach(text, charges=[charge])
    assert [(a.kind, a.charges) for a in found] == [("detention", []), ("charge", [charge])]


def test_a_charge_with_no_judicial_act_makes_a_charge_act() -> None:
    text = "Police detained Aigul. The accusation of inciting social discord followed."
    index = SentenceIndex(text)
    charge = _fact("charge", text, "inciting social discord", index, label="inciting discord")
    found = _attach(text, charges=[charge])
    assert [(a.kind, len(a.charges)) for a in found] == [("detention", 0), ("charge", 1)]
    assert found[1].anchor == charge.anchor


def test_attached_acts_are_in_text_order() -> None:
    text = "Marat got five years in prison. Police detained Aigul."
    index = SentenceIndex(text)
    five = _fact("sentence", text, "five years in prison", index, penalty="imprisonment")
    assert [a.kind for a in _attach(text, sentences=[five])] == ["conviction", "detention"]
