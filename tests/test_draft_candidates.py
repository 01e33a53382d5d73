"""kzgraph.draft.candidates: anchors quote the text at their own offsets; candidates keep their
own lists and dictionaries."""

from __future__ import annotations

from kzgraph.draft.candidates import Anchor, Fact, KnownMention, NewEntity
from kzgraph.draft.source import Span

TEXT = "Police detained Жанар Ахметова in Almaty on 3 March."


def test_an_anchor_quotes_the_text_at_its_offsets() -> None:
    start = TEXT.index("Жанар")
    anchor = Anchor(start, start + len("Жанар Ахметова"), Span(0, len(TEXT)))
    assert anchor.exact(TEXT) == "Жанар Ахметова"
    assert TEXT[anchor.start : anchor.end] == anchor.exact(TEXT)
    assert Anchor(0, 0, Span(0, 0)).exact(TEXT) == ""
    assert Anchor(3, 3, Span(0, 0)).exact("") == ""


def test_anchors_compare_by_value() -> None:
    assert Anchor(1, 2, Span(0, 5)) == Anchor(1, 2, Span(0, 5))
    assert Anchor(1, 2, Span(0, 5)) != Anchor(1, 2, Span(0, 6))


def test_new_entities_do_not_share_their_anchors_or_fields() -> None:
    first = NewEntity("person/a", "A", "person", "capitalised words")
    second = NewEntity("person/b", "B", "person", "capitalised words")
    first.anchors.append(Anchor(0, 1, Span(0, 1)))
    first.fields["number"] = "174"
    assert (second.anchors, second.fields) == ([], {})


def test_facts_do_not_share_their_attributes() -> None:
    anchor = Anchor(7, 15, Span(0, len(TEXT)))
    first = Fact("act", anchor, Span(7, 15))
    second = Fact("act", anchor, Span(7, 15))
    first.attrs["value"] = 3
    assert second.attrs == {}
    assert first.trigger == Span(7, 15)


def test_a_known_mention_names_an_entity_at_an_anchor() -> None:
    start = TEXT.index("Almaty")
    mention = KnownMention("place/almaty", Anchor(start, start + 6, Span(0, len(TEXT))))
    assert mention.anchor.exact(TEXT) == "Almaty"
    assert mention.entity == "place/almaty"
