"""Sorting, filtering and facets of a results page, by its URL, as in Datasette; applied on the
server to the query's results (the page has no script).

- ``_sort=COLUMN`` / ``_sort_desc=COLUMN``: rows by what the column shows (numbers as numbers,
  empty cells last);
- ``_contains_COLUMN=text``: rows whose cell shows or holds the text (any case);
- ``_eq_COLUMN=value``: rows whose cell is the value (an IRI or a literal's value; for a list
  cell, one of its items);
- ``_search=text``: rows where any column shows the text (any case);
- ``_facet=COLUMN,COLUMN``: the values of those columns with their counts, each a link that
  adds its ``_eq_`` filter.

COLUMN is a table column's name (kzgraph.site.results.table) or any column of the results. The
query's own parameters never start with an underscore, so these never take their names."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from kzgraph.site.results.cells import Cells, Row
from kzgraph.site.results.table import Column

FACET_VALUES = 30  # values listed per facet, most frequent first
SUGGEST_AT_MOST = 20  # a column is suggested as a facet when it has 2 to this many values


@dataclass(frozen=True)
class Filter:
    kind: str  # "contains" or "eq"
    column: str
    value: str


@dataclass(frozen=True)
class FacetValue:
    value: str
    text: str
    count: int
    href: str
    selected: bool


@dataclass(frozen=True)
class Facet:
    column: str
    values: list[FacetValue]


@dataclass
class Shown:
    """The rows the page shows, and how it got them."""

    rows: list[Row]
    total: int
    sort: str | None = None
    descending: bool = False
    filters: list[Filter] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    suggested: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Options:
    """The page's options, and links that change them (keeping the query's parameters)."""

    def __init__(self, path: str, params: dict[str, str], options: dict[str, str]):
        self.path = path
        self.params = params
        self.options = options

    def href(self, drop: tuple[str, ...] = (), add: dict[str, str] | None = None) -> str:
        add = add or {}
        merged = {k: v for k, v in self.params.items() if v}
        merged.update({k: v for k, v in self.options.items() if k not in drop and k not in add})
        merged.update(add)
        query = urlencode(merged)
        return f"{self.path}?{query}" if query else self.path

    def filters(self) -> list[Filter]:
        out = []
        for key, value in self.options.items():
            for kind in ("contains", "eq"):
                prefix = f"_{kind}_"
                if key.startswith(prefix):
                    out.append(Filter(kind, key[len(prefix) :], value))
        return out

    def facets(self) -> list[str]:
        return [c for c in self.options.get("_facet", "").split(",") if c.strip()]


def _resolve(name: str, columns: list[Column]) -> Column | None:
    for c in columns:
        if name in (c.name, c.value, c.label):
            return c
    return None


def _matches(f: Filter, column: Column, row: Row, cells: Cells) -> bool:
    if f.kind == "eq":
        return f.value in cells.values(row, column.value)
    needle = f.value.casefold()
    shown = cells.text(row, column.value).casefold()
    return needle in shown or any(needle in v.casefold() for v in cells.values(row, column.value))


def _sort_key(column: Column, rows: list[Row], cells: Cells) -> dict[int, object]:
    numeric = all(cells.is_number(r, column.value) for r in rows if r.get(column.value))
    keys: dict[int, object] = {}
    for r in rows:
        if numeric:
            keys[id(r)] = cells.number(r, column.value)
        else:
            keys[id(r)] = cells.text(r, column.value).casefold() or None
    return keys


def _facet(column: Column, rows: list[Row], cells: Cells, options: Options) -> Facet:
    counts: Counter[str] = Counter()
    texts: dict[str, str] = {}
    for row in rows:
        items = cells.items(row, column.value)
        for value, item in zip(cells.values(row, column.value), items, strict=False):
            counts[value] += 1
            texts.setdefault(value, item.text)
    key = f"_eq_{column.name}"
    chosen = options.options.get(key)
    values = [
        FacetValue(
            value,
            texts.get(value, value),
            count,
            options.href(drop=(key,)) if value == chosen else options.href(add={key: value}),
            value == chosen,
        )
        for value, count in sorted(counts.items(), key=lambda vc: (-vc[1], texts.get(vc[0], "")))
    ]
    return Facet(column.name, values[:FACET_VALUES])


def apply(rows: list[Row], columns: list[Column], cells: Cells, options: Options) -> Shown:
    """The rows filtered, then sorted; the facets counted over the filtered rows."""
    shown = Shown(rows=list(rows), total=len(rows))
    for f in options.filters():
        column = _resolve(f.column, columns)
        if column is None:
            shown.problems.append(_unknown(f.column, "filter on", columns))
            continue
        shown.filters.append(f)
        shown.rows = [r for r in shown.rows if _matches(f, column, r, cells)]
    needle = options.options.get("_search", "").casefold()
    if needle:
        shown.rows = [
            r
            for r in shown.rows
            if any(needle in cells.text(r, c.value).casefold() for c in columns)
        ]
    sort_name = options.options.get("_sort_desc") or options.options.get("_sort")
    if sort_name:
        column = _resolve(sort_name, columns)
        if column is None:
            shown.problems.append(_unknown(sort_name, "sort by", columns))
        else:
            shown.sort, shown.descending = column.name, "_sort_desc" in options.options
            keys = _sort_key(column, shown.rows, cells)
            present = [r for r in shown.rows if keys[id(r)] is not None]
            empty = [r for r in shown.rows if keys[id(r)] is None]
            present.sort(key=lambda r: keys[id(r)], reverse=shown.descending)  # type: ignore[arg-type,return-value]
            shown.rows = present + empty
    for name in options.facets():
        column = _resolve(name.strip(), columns)
        if column is None:
            shown.problems.append(_unknown(name, "facet by", columns))
            continue
        shown.facets.append(_facet(column, shown.rows, cells, options))
    faceted = {f.column for f in shown.facets}
    for column in columns:
        distinct = {v for r in shown.rows for v in cells.values(r, column.value)}
        few = 2 <= len(distinct) <= SUGGEST_AT_MOST and len(distinct) < len(shown.rows)
        if column.name not in faceted and few:
            shown.suggested.append(column.name)
    return shown


def _unknown(name: str, what: str, columns: list[Column]) -> str:
    return f"no column {name!r} to {what}; the columns are " + ", ".join(c.name for c in columns)
