"""The ``#+ view:`` header of a canned query: which charts its page draws, from which columns.

    #+ view: heatmap right_label year acts
    #+ view:
    #+   - bar city_label acts
    #+   - line year acts

A view is its name, its columns in order, then optional ``option=column`` pairs
(``timeline date act_label lane=kind id=act``). :data:`GRAMMAR` lists every view with the
columns it takes; the drawings are in :mod:`kzgraph.site.results.views`. A wrong view (an
unknown name, a missing or unknown column) is an error that names the file and line when the
queries are loaded (docs/decisions/0023-result-views.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Grammar:
    columns: tuple[str, ...]  # the columns a view takes, in order
    options: tuple[str, ...] = ()  # optional ``name=column`` pairs
    about: str = ""


GRAMMAR: dict[str, Grammar] = {
    "bar": Grammar(("label", "value"), (), "horizontal bars: the value summed per label"),
    "line": Grammar(("x", "value"), ("series",), "a line over years: the value summed per x"),
    "heatmap": Grammar(("row", "column", "value"), (), "rows x columns, the value as colour"),
    "timeline": Grammar(
        ("date", "label"),
        ("lane", "end", "id"),
        "dated rows on a time axis, in lanes; ranges from date to end; one mark per id",
    ),
    "network": Grammar(
        ("source", "target"), ("weight",), "nodes from both columns, an edge per row pair"
    ),
    "map": Grammar(
        ("label", "lat", "long", "value"),
        ("id",),
        "a circle per place at its WGS84 coordinates, sized by the value; id links its page",
    ),
}


@dataclass(frozen=True)
class View:
    name: str
    columns: dict[str, str]  # the grammar's names -> the query's columns
    options: dict[str, str] = field(default_factory=dict)
    line: int = 0  # where the header declares it

    def column(self, role: str) -> str | None:
        return self.columns.get(role) or self.options.get(role)


class ViewError(ValueError):
    pass


def projection(text: str) -> tuple[str, ...] | None:
    """The columns a SELECT query projects, in order (None for ``SELECT *`` or no SELECT)."""
    body = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    match = re.search(r"\bSELECT\b(.*?)\bWHERE\b|\bSELECT\b(.*?)\{", body, re.S | re.I)
    if match is None:
        return None
    clause = match.group(1) if match.group(1) is not None else match.group(2)
    clause = re.sub(r"^\s*(DISTINCT|REDUCED)\b", "", clause, flags=re.I)
    if clause.strip().startswith("*"):
        return None
    out: list[str] = []
    depth = 0
    tokens = re.finditer(r"\(|\)|\bAS\s+[?$](\w+)|[?$](\w+)", clause, re.I)
    for token in tokens:
        text_ = token.group(0)
        if text_ == "(":
            depth += 1
        elif text_ == ")":
            depth -= 1
        elif token.group(1) is not None and depth == 1:
            out.append(token.group(1))
        elif token.group(2) is not None and depth == 0:
            out.append(token.group(2))
    return tuple(out)


def parse_view(spec: str, columns: tuple[str, ...] | None, line: int = 0) -> View:
    """One view from its header text, checked against the query's ``columns``."""
    words = spec.split()
    if not words:
        raise ViewError("an empty view: write a view name and its columns")
    name, args = words[0], words[1:]
    grammar = GRAMMAR.get(name)
    if grammar is None:
        raise ViewError(f"unknown view {name!r}: the views are {', '.join(GRAMMAR)}")
    positional = [a for a in args if "=" not in a]
    named = dict(a.split("=", 1) for a in args if "=" in a)
    usage = f"{name} {' '.join(grammar.columns)}" + "".join(
        f" [{o}=column]" for o in grammar.options
    )
    if len(positional) != len(grammar.columns):
        raise ViewError(
            f"view {name!r} takes {len(grammar.columns)} column(s), got {len(positional)}: "
            f"write '{usage}'"
        )
    unknown = sorted(set(named) - set(grammar.options))
    if unknown:
        raise ViewError(f"view {name!r} has no option {', '.join(unknown)}: write '{usage}'")
    if columns is not None:
        missing = [c for c in [*positional, *named.values()] if c not in columns]
        if missing:
            raise ViewError(
                f"view {name!r} names column(s) {', '.join(missing)} that the query does not "
                f"select; it selects {', '.join(columns)}"
            )
    return View(name, dict(zip(grammar.columns, positional, strict=True)), named, line)


def parse_views(value: object, text: str, path: Path) -> tuple[View, ...]:
    """The ``view`` header (one string or a list of them); errors name ``path`` and the line."""
    if value is None:
        return ()
    specs = [value] if isinstance(value, str) else value
    if not isinstance(specs, list) or not all(isinstance(s, str) for s in specs):
        raise ViewError(f"{path}: 'view:' takes a view or a list of views, as text")
    columns = projection(text)
    lines = text.splitlines()
    views = []
    for spec in specs:
        line = next(
            (i for i, t in enumerate(lines, 1) if t.startswith("#+") and spec.strip() in t), 0
        )
        try:
            views.append(parse_view(spec, columns, line))
        except ViewError as exc:
            raise ViewError(f"{path}:{line}: {exc}") from None
    return tuple(views)
