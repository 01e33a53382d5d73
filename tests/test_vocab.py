"""The vocabulary check (kzgraph.annotations.vocab): every field a fact model names in its
``VOCABULARY``, and the roles and penalties nested in others, is checked against the schemes."""

from __future__ import annotations

from pathlib import Path

from kzgraph.annotations import model as m
from kzgraph.annotations.load import AnnotationSet, Located, Origin
from kzgraph.annotations.vocab import Vocabulary

# the fields checked for each fact model, as before the models named them
CHECKED = {
    m.Event: {"rights", "type"},
    m.Act: {"rights", "type", "sentence.penalty"},
    m.Statistic: {"rights", "qualifier", "measure"},
    m.Outcome: {"rights", "kind", "subjects"},
    m.Recommendation: {"rights"},
    m.Intervention: {"rights", "type"},
    m.Assessment: {"rights", "status"},
}


def _unknown_keys(model: type[m.Fact]) -> m.Fact:
    """A record (not validated) whose every vocabulary field holds the key ``nonsense``."""
    values: dict[str, object] = {
        name: ["nonsense"] if name == "rights" else "nonsense" for name in model.VOCABULARY
    }
    if model is m.Act:
        values["sentence"] = m.Sentence.model_construct(penalty="nonsense")
    if model is m.Outcome:
        values["subjects"] = ["nonsense", "person/someone"]
    return model.model_construct(**values)


def test_every_vocabulary_field_of_every_fact_is_checked() -> None:
    assert set(CHECKED) == {model for model, _ in m.FACT_LISTS.values()}
    for model, fields in CHECKED.items():
        origin = Origin(Path("report.yaml"), 1, "report/r", model.__name__)
        aset = AnnotationSet(facts={"x/y": Located(_unknown_keys(model), origin)})
        problems = Vocabulary({}).check(aset)
        assert {p.field for p in problems} == fields, model.__name__
        assert all("unknown" in p.message and "'nonsense'" in p.message for p in problems)


def test_known_keys_pass() -> None:
    record = m.Intervention.model_construct(rights=["expression"], type="statement")
    origin = Origin(Path("report.yaml"), 1, "report/r", "interventions[0]")
    known = Vocabulary(
        {"right": frozenset({"expression"}), "intervention-type": frozenset({"statement"})}
    )
    aset = AnnotationSet(facts={"intervention/x": Located(record, origin)})
    assert known.check(aset) == []
