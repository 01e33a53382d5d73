"""Loading annotation files: every kind of bad input is a clear error naming file, line, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzgraph.annotations import AnnotationError, load_annotations
from kzgraph.annotations.yamlfile import MAX_FILE_BYTES

from .conftest import MINI
from .minidata import load_error as _error
from .minidata import mini_copy
from .minidata import replace_once as _replace

REPORT = MINI / "data" / "reports" / "mini-report.yaml"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return mini_copy(tmp_path)


def _report(data: Path) -> Path:
    return data / "reports" / "mini-report.yaml"


def test_the_mini_data_loads(data: Path) -> None:
    aset = load_annotations(data)
    assert set(aset.reports) == {"mini-report"}
    assert "act/jane-example-detention-2030" in aset.facts
    assert "person/jane-example" in aset.entities


def test_malformed_yaml_names_file_and_line(data: Path) -> None:
    _replace(_report(data), "statistics:\n", "statistics: [\n")
    message = _error(data)
    assert "mini-report.yaml:" in message and "YAML syntax" in message


def test_unknown_field_names_entry_and_field(data: Path) -> None:
    _replace(
        _report(data), "    type: detention\n", "    type: detention\n    victim: [person/x]\n"
    )
    message = _error(data)
    assert "acts[0] (jane-example-detention-2030)" in message
    assert "field 'victim': unknown field" in message


def test_unknown_reference(data: Path) -> None:
    _replace(
        _report(data),
        "victims: [person/jane-example]",
        "victims: [person/nobody]",
    )
    message = _error(data)
    assert "field 'victims': unknown reference 'person/nobody'" in message


def test_missing_required_field(data: Path) -> None:
    _replace(_report(data), "    unit: person\n", "")
    assert "field 'unit': required field is missing" in _error(data)


def test_bad_date(data: Path) -> None:
    _replace(_report(data), "date: 2030-03-03", "date: March 3")
    assert "expected a date as YYYY, YYYY-MM or YYYY-MM-DD" in _error(data)


def test_bad_duration(data: Path) -> None:
    _replace(_report(data), "term: P10D", "term: 10 days")
    assert "expected an xsd:duration" in _error(data)


def test_too_long_evidence_phrase(data: Path) -> None:
    _replace(
        _report(data),
        "{exact: over 40 people were detained,",
        "{exact: one two three four five six seven eight nine ten eleven twelve thirteen,",
    )
    assert "at most 12 may be quoted" in _error(data)


def test_duplicate_declaration_names_both_places(data: Path) -> None:
    path = data / "entities.yaml"
    path.write_text(path.read_text() + "people:\n  - {id: person/jane-example, name: J}\n")
    message = _error(data)
    assert "person/jane-example is already declared at" in message


def test_non_utf8_file(data: Path) -> None:
    path = _report(data)
    path.write_bytes(path.read_bytes().replace(b"Jane Example", b"Jane Ex\xe4mple", 1))
    assert "not UTF-8" in _error(data)


def test_oversized_file(data: Path) -> None:
    path = data / "assessments" / "huge.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert "the limit is" in _error(data)


def test_unknown_top_level_key(data: Path) -> None:
    _replace(_report(data), "statistics:\n", "statistic:\n")
    assert "field 'statistic': unknown top-level key" in _error(data)


def test_file_must_be_named_for_its_report(data: Path) -> None:
    _report(data).rename(data / "reports" / "other.yaml")
    assert "the file must be named mini-report.yaml" in _error(data)


def test_every_problem_is_reported_at_once(data: Path) -> None:
    _replace(_report(data), "victims: [person/jane-example]", "victims: [person/nobody]")
    _replace(_report(data), "    unit: person\n", "")
    message = _error(data)
    assert "person/nobody" in message and "'unit'" in message


def test_an_alias_bomb_is_refused_before_anything_walks_it(data: Path) -> None:
    levels = ["  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    _replace(_report(data), "report:\n", "report:\n" + "\n".join(levels) + "\n")
    message = _error(data)
    assert "mini-report.yaml:7:" in message  # the line of a5, the first anchor over the limit
    assert "more than 100,000 values" in message


def test_a_few_aliases_still_load(data: Path) -> None:
    text = _report(data).read_text(encoding="utf-8")
    assert "\nsections:\n" in text
    _replace(_report(data), "\nsections:\n", "\nx-anchors: &names [a, b]\nsections:\n")
    with pytest.raises(AnnotationError) as info:  # an unknown field, but read without trouble
        load_annotations(data)
    assert "x-anchors" in str(info.value)


@pytest.mark.parametrize("nesting", ["[" * 10_000, "{a: " * 10_000])
def test_deep_nesting_is_an_error_with_its_line_not_a_recursion_error(
    data: Path, nesting: str
) -> None:
    path = _report(data)
    lines = path.read_text(encoding="utf-8").count("\n")
    path.write_text(path.read_text(encoding="utf-8") + "extra: " + nesting + "\n")
    message = _error(data)
    assert f"mini-report.yaml:{lines + 1}: nested more than 64 levels deep" in message
