"""kzgraph.draft.document: the extraction written as a report file that loads, every guess with
its review comment, publishers resolved or declared, sections, unique ids, and save's refusals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from ruamel.yaml.comments import CommentedMap

from kzgraph.annotations import load_annotations
from kzgraph.annotations.load import annotation_files
from kzgraph.annotations.yamlfile import read
from kzgraph.draft.document import CHECK, DraftRequest, compose, save
from kzgraph.draft.extract import extract
from kzgraph.draft.gazetteer import KnownGraph
from kzgraph.draft.source import DraftInputError

from .draftkit import anchors_in, known_graph

TEXT = (
    "Kazakhstan: Events of 2030\n\nDetention\n\n"
    "On March 3, police in Almaty detained the activist Aigul Testova. Serikbol Nurtazin was "
    "sentenced to 1.5 years in prison. About 3.5 percent of Kazakhstan voted. Police detained "
    "Serikbol Nurtazin again. More than 40 people were detained.\n\n"
    "Detention\n\nKazakhstan fined him.\n"
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "reports").mkdir(parents=True)
    known_graph(folder)  # writes data/entities.yaml
    return folder


def _draft(
    data: Path, text: str = TEXT, publisher: tuple[str, ...] = ("Example Rights Watch",), **kw: str
) -> tuple[CommentedMap, Path]:
    source = data.parent / "new.txt"
    source.write_text(text, encoding="utf-8")
    known = KnownGraph.from_data(data)
    request = DraftRequest(source, "new-report", publisher, "2031-01", **kw)  # type: ignore[arg-type]
    doc = compose(request, text, source.read_bytes(), known, extract(text, known))
    out = data / "reports" / "new-report.yaml"
    save(out, doc, force=False)
    return doc, out


def test_the_draft_loads_and_every_phrase_stands_at_its_offsets(data: Path) -> None:
    _, out = _draft(data)
    written = read(out)
    anchors = anchors_in(written)
    assert len(anchors) >= 10
    for anchor in anchors:
        start, end = anchor["start"], anchor["end"]
        assert isinstance(start, int) and isinstance(end, int)
        assert TEXT[start:end] == anchor["exact"]
    aset = load_annotations(data, annotation_files(data))
    assert list(aset.reports) == ["new-report"]
    assert {loc.record.type for loc in aset.facts.values() if hasattr(loc.record, "type")} == {  # type: ignore[attr-defined]
        "detention",
        "conviction",
        "fine",
    }


def test_the_report_block(data: Path) -> None:
    doc, out = _draft(data)
    report = doc["report"]
    assert report["id"] == "new-report"
    assert report["source"] == "new.txt"
    assert report["sha256"] == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    assert report["title"] == "Kazakhstan: Events of 2030"  # the first line
    assert report["publisher"] == ["org/example-watch"]  # a known name resolved
    assert report["about"] == "place/kazakhstan"
    assert (report["issued"], report["genre"], report["language"]) == (
        "2031-01",
        "world-report",
        "en",
    )
    assert dict(report["period"]) == {"start": "2030-01-01", "end": "2030-12-31"}
    written = out.read_text(encoding="utf-8")
    assert f"title: 'Kazakhstan: Events of 2030'  # {CHECK}: the text's first line" in written
    assert f"# {CHECK}: the country named most often" in written
    assert f"# {CHECK}: the year the text names most often" in written


def test_a_given_title_is_not_flagged(data: Path) -> None:
    doc, out = _draft(data, title="Events of 2030")
    assert doc["report"]["title"] == "Events of 2030"
    assert "the text's first line" not in out.read_text(encoding="utf-8")


def test_publishers_known_id_known_name_and_new(data: Path) -> None:
    doc, out = _draft(data, publisher=("org/kz-interior", "Example Rights Watch", "Steppe Monitor"))
    assert list(doc["report"]["publisher"]) == [
        "org/kz-interior",
        "org/example-watch",
        "org/steppe-monitor",
    ]
    new = doc["entities"][0]
    assert dict(new) == {"id": "org/steppe-monitor", "name": "Steppe Monitor", "kind": "ngo"}
    assert f"# {CHECK}: new publisher, not in the known graph" in out.read_text(encoding="utf-8")


def test_an_unknown_publisher_id_is_refused(data: Path) -> None:
    with pytest.raises(DraftInputError, match="--publisher org/nowhere: no such entity"):
        _draft(data, publisher=("org/nowhere",))


def test_sections_get_unique_slugs_and_skip_the_title(data: Path) -> None:
    doc, _ = _draft(data)
    sections = [dict(s) for s in doc["sections"]]
    second = TEXT.rindex("Detention")
    assert sections == [
        {"id": "detention", "title": "Detention", "exact": "Detention", "start": 28, "end": 37},
        {
            "id": "detention-2",
            "title": "Detention",
            "exact": "Detention",
            "start": second,
            "end": second + 9,
        },
    ]


def test_new_entities_and_known_mentions(data: Path) -> None:
    doc, out = _draft(data)
    person = next(e for e in doc["entities"] if e["id"] == "person/serikbol-nurtazin")
    assert person["name"] == "Serikbol Nurtazin"
    assert "kind" not in person  # a person's kind is the default
    start = TEXT.index("Serikbol")
    assert [dict(m) for m in person["mentions"]] == [
        {"exact": "Serikbol Nurtazin", "start": start, "end": start + 17}
    ]
    assert [(m["entity"], m["exact"]) for m in doc["mentions"]] == [
        ("place/kazakhstan", "Kazakhstan"),
        ("place/almaty", "Almaty"),
        ("person/aigul-testova", "Aigul Testova"),
    ]
    sentence = f"{TEXT.index('Serikbol')}-{TEXT.index(' About')}"
    assert f"# {CHECK}: new, capitalised words; sentence {sentence}" in out.read_text(
        encoding="utf-8"
    )


def test_acts_ids_types_dates_and_sentences(data: Path) -> None:
    doc, _ = _draft(data)
    acts = {a["id"]: a for a in doc["acts"]}
    assert list(acts) == [
        "aigul-testova-detention-2030",
        "serikbol-nurtazin-conviction",
        "serikbol-nurtazin-detention",
        "unnamed-detention",
        "unnamed-fine",
        "unnamed-conviction",
    ]
    first = acts["aigul-testova-detention-2030"]
    assert (first["type"], first["date"], first["year_inferred"], first["place"]) == (
        "detention",
        "2030-03-03",
        True,
        "place/almaty",
    )
    assert list(first["victims"]) == ["person/aigul-testova"]
    conviction = acts["serikbol-nurtazin-conviction"]
    assert dict(conviction["sentence"])["penalty"] == "imprisonment"
    assert conviction["sentence"]["term"] == "P1Y6M"
    assert "date" not in conviction and "suspended" not in conviction["sentence"]
    assert "term" not in acts["unnamed-conviction"]["sentence"]  # a fine has no term


def test_statistics_value_slug_and_placeholder_counts(data: Path) -> None:
    doc, _ = _draft(data)
    stats = [dict(s) for s in doc["statistics"]]
    assert [(s["id"], s["value"], s["qualifier"], s["unit"], s["measure"]) for s in stats] == [
        ("participants-3", 3.5, "approximately", "percent", "participants"),
        ("detained-40", 40, "more-than", "person", "detained"),
    ]
    assert isinstance(stats[1]["value"], int)  # a whole number is written as one
    assert stats[1]["counts"] == "person detained (draft: say what is counted)"


def test_a_text_with_no_year_has_an_open_period_and_still_loads(data: Path) -> None:
    doc, _ = _draft(data, text="Police detained Aigul Testova in Almaty.\n")
    assert dict(doc["report"]["period"]) == {}
    assert doc["report"]["title"] == "Police detained Aigul Testova in Almaty."
    assert "sections" not in doc and "statistics" not in doc
    assert list(load_annotations(data, annotation_files(data)).reports) == ["new-report"]


def test_an_empty_text_is_an_untitled_report(data: Path) -> None:
    doc, _ = _draft(data, text="")
    assert doc["report"]["title"] == "Untitled report"
    assert "about" not in doc["report"]
    assert not {"entities", "mentions", "acts", "statistics", "sections"} & set(doc)


def test_save_keeps_an_existing_file_and_needs_a_folder(tmp_path: Path) -> None:
    doc = CommentedMap(report=CommentedMap(id="x"))
    out = tmp_path / "x.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(DraftInputError, match="already exists; pass --force"):
        save(out, doc, force=False)
    assert out.read_text(encoding="utf-8") == "keep me\n"
    save(out, doc, force=True)
    assert read(out) == {"report": {"id": "x"}}
    with pytest.raises(DraftInputError, match="no such folder"):
        save(tmp_path / "missing" / "x.yaml", doc, force=False)


def test_a_byte_order_mark_is_not_part_of_the_title(data: Path) -> None:
    text = "\ufeffKazakhstan: Events of 2030\n\nDetention\n\nPolice detained Aigul Testova.\n"
    doc, _ = _draft(data, text=text)
    assert doc["report"]["title"] == "Kazakhstan: Events of 2030"
    assert [s["id"] for s in doc["sections"]] == ["detention"]
    assert doc["mentions"][0]["start"] == 1  # offsets still count the mark, as verify-evidence does
