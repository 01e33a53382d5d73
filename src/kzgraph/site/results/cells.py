"""What a results cell holds and shows: an IRI shows its label (from the row's label column,
else the page's looked-up labels, else its local name made readable) and links to its page on
this server; a space-separated list of IRIs (a GROUP_CONCAT) is a list of such links; a
duration shows in words. Views, filters and the table all read cells through :class:`Cells`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from kzgraph.api.page_safety import safe_href
from kzgraph.site.results.labels import Label, readable_name
from kzgraph.sparql.durations import in_words, is_duration, words_in_text

Row = dict[str, Any]  # one SPARQL JSON binding: {variable: {"type", "value", ...}}
_IRI = re.compile(r"^(https?|urn):[^\s<>\"{}|\\^`]+$")
NUMERIC = re.compile(r"#(integer|decimal|double|float|long|int|short|nonNegativeInteger)$")
Local = Callable[[str], str]  # an IRI -> its link on this server


def iris_in(cell: dict[str, Any] | None) -> list[str]:
    """The IRIs a cell holds: one for an IRI, several for a space-separated list of them."""
    if not cell:
        return []
    if cell["type"] == "uri":
        return [cell["value"]]
    if cell["type"] == "literal" and "datatype" not in cell:
        parts: list[str] = str(cell["value"]).split()
        if parts and "://" in cell["value"] and all(_IRI.match(p) for p in parts):
            return parts
    return []


@dataclass(frozen=True)
class Item:
    """One thing a cell shows: its text, and its IRI and link when it is a resource."""

    text: str
    iri: str | None = None
    href: str | None = None
    kind: str = ""
    raw: str = ""  # the value as the results give it, when the text differs (a duration)


@dataclass
class Cells:
    """Reads cells: ``labelled`` maps a column to its label column (``act`` -> ``act_label``)."""

    local: Local
    labels: dict[str, Label] = field(default_factory=dict)
    labelled: dict[str, str] = field(default_factory=dict)

    def items(self, row: Row, column: str) -> list[Item]:
        cell = row.get(column)
        if not cell:
            return []
        iris = iris_in(cell)
        if iris:
            own = row.get(self.labelled.get(column, ""))
            one = own and len(iris) == 1
            names = [own["value"]] if one and own else [self.label(i) for i in iris]
            names = [words_in_text(n) for n in names]
            return [
                Item(name, iri, safe_href(self.local(iri)), self.kind(iri))
                for name, iri in zip(names, iris, strict=True)
            ]
        value = cell["value"]
        if cell["type"] == "bnode":
            return [Item(f"_:{value}")]
        if is_duration(cell.get("datatype")):
            words = in_words(value)
            if words:
                return [Item(words, raw=value)]
        shown = words_in_text(value)
        return [Item(shown, raw=value if shown != value else "")]

    def label(self, iri: str) -> str:
        found = self.labels.get(iri)
        return found.text if found else readable_name(iri)

    def kind(self, iri: str) -> str:
        found = self.labels.get(iri)
        return found.kind if found else ""

    def text(self, row: Row, column: str) -> str:
        """What the cell shows, as plain text (for sorting, filtering, chart labels)."""
        return "; ".join(i.text for i in self.items(row, column))

    def values(self, row: Row, column: str) -> list[str]:
        """The cell's values: its IRIs, or its literal's value (for facets and ``_eq_``)."""
        cell = row.get(column)
        if not cell:
            return []
        return iris_in(cell) or [cell["value"]]

    def number(self, row: Row, column: str) -> float | None:
        cell = row.get(column)
        if not cell:
            return None
        try:
            return float(Decimal(cell["value"]))
        except (InvalidOperation, ValueError):
            return None

    def is_number(self, row: Row, column: str) -> bool:
        cell = row.get(column)
        return bool(cell and NUMERIC.search(cell.get("datatype", "")))


def page_iris(rows: list[Row], columns: list[str]) -> set[str]:
    """The IRIs on the page, whose labels (for those no label column names) and kinds (for the
    network's colours) are looked up in one query."""
    return {iri for row in rows for column in columns for iri in iris_in(row.get(column))}
