"""Canned queries: ``queries/*.rq`` files with grlc-style ``#+`` headers and ``?_name`` parameters.

A parameter is a variable whose name starts with one underscore: ``?_event_iri`` takes an IRI,
``?_year_xsd_integer`` a typed literal (``xsd_`` + an XSD datatype), ``?_name`` a plain string.
Values are checked by type and bound as substitutions: never pasted into the query text.
Defaults come from the header (``#+ defaults:`` a list of ``- name: value``); the charts of its
page from ``#+ view:`` (kzgraph.sparql.views).

Names that start with an underscore are never parameters (a parameter's name is its variable
without the underscore, so it starts with a letter): they are options of how the results are
shown (:data:`OPTIONS`, :data:`FILTERS`; docs/decisions/0023-result-views.md).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from kzgraph.sparql.views import View, ViewError, parse_views, projection

XSD = "http://www.w3.org/2001/XMLSchema#"
_PARAM = re.compile(r"\?(_[A-Za-z][A-Za-z0-9_]*)")
_IRI = re.compile(r"^(https?|urn):[^\s<>\"{}|\\^`]+$")
CHECKS: dict[str, Any] = {
    "integer": int,
    "decimal": Decimal,
    "boolean": lambda v: {"true": True, "false": False}[v.lower()],
    "date": dt.date.fromisoformat,
    "gYear": lambda v: re.fullmatch(r"\d{4}", v) or int("x"),
    "string": str,
}


# Options of how a canned query's results are shown: sorted by a column (ascending or
# descending), facets (comma-separated columns), rows containing a text in any column, the
# parameter columns kept in the CSV.
OPTIONS = ("_sort", "_sort_desc", "_facet", "_search", "_params")
# Filters: ``_contains_COLUMN=text`` (the cell's text or value contains it, any case) and
# ``_eq_COLUMN=value`` (the cell's value is it; a list cell: one of its items is).
FILTERS = ("_contains_", "_eq_")


def split_options(given: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """``given`` split into the query's parameters and the options (names starting with ``_``);
    an unknown option is a 422."""
    params = {k: v for k, v in given.items() if not k.startswith("_")}
    options = {k: v for k, v in given.items() if k.startswith("_")}
    for key in options:
        if key not in OPTIONS and not any(key.startswith(f) and key != f for f in FILTERS):
            raise QueryError(
                422,
                f"unknown option {key!r}: the options are {', '.join(OPTIONS)}, "
                "_contains_COLUMN and _eq_COLUMN",
            )
    return params, options


class QueryError(ValueError):
    """A canned query or one of its parameters is wrong; ``status`` is the HTTP status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Parameter:
    name: str  # as the user gives it: "event"
    variable: str  # as it stands in the query: "_event_iri"
    kind: str  # "iri" or "literal"
    datatype: str  # XSD local name for typed literals ("integer"), "" for plain strings
    default: str | None

    def bind(self, value: str) -> tuple[str, str, str, str]:
        """Check ``value`` and return the substitution for the worker."""
        if self.kind == "iri":
            if not _IRI.match(value):
                raise QueryError(
                    422,
                    f"parameter '{self.name}' must be an absolute IRI "
                    f"(http, https or urn), got {value!r}",
                )
            return (self.variable, "iri", value, "")
        if self.datatype:
            try:
                CHECKS[self.datatype](value)
            except (ValueError, KeyError, InvalidOperation, TypeError):
                raise QueryError(
                    422, f"parameter '{self.name}' must be an xsd:{self.datatype}, got {value!r}"
                ) from None
            return (self.variable, "literal", value, XSD + self.datatype)
        return (self.variable, "literal", value, "")

    def describe(self) -> dict[str, object]:
        kind = "iri" if self.kind == "iri" else f"xsd:{self.datatype or 'string'}"
        return {
            "name": self.name,
            "type": kind,
            "default": self.default,
            "required": self.default is None,
        }


@dataclass(frozen=True)
class CannedQuery:
    name: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    text: str
    path: Path
    extra: dict[str, Any] = field(default_factory=dict)
    views: tuple[View, ...] = ()
    columns: tuple[str, ...] | None = None  # the columns it selects (None: SELECT *)

    def bindings(self, given: dict[str, str]) -> tuple[tuple[str, str, str, str], ...]:
        """Substitutions for the given values and the defaults; unknown or missing ones are 422."""
        known = {p.name for p in self.parameters}
        unknown = sorted(set(given) - known)
        if unknown:
            raise QueryError(
                422,
                f"unknown parameter(s) {', '.join(unknown)} for query "
                f"'{self.name}'; it takes: {', '.join(sorted(known)) or 'none'}",
            )
        out = []
        for p in self.parameters:
            value = given.get(p.name, p.default)
            if value is None:
                raise QueryError(422, f"query '{self.name}' needs parameter '{p.name}' ({p.kind})")
            out.append(p.bind(value))
        return tuple(out)

    @property
    def parameter_columns(self) -> tuple[str, ...]:
        """The columns that only repeat a parameter (``?_event_iri`` selected)."""
        return tuple(p.variable for p in self.parameters if p.variable in (self.columns or ()))

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "summary": self.summary,
            "description": self.description,
            "tags": list(self.tags),
            "parameters": [p.describe() for p in self.parameters],
        }


def _parameter(variable: str, defaults: dict[str, str]) -> Parameter:
    body = variable[1:]
    if body.endswith("_iri"):
        name, kind, datatype = body[: -len("_iri")], "iri", ""
    elif "_xsd_" in body:
        name, _, datatype = body.partition("_xsd_")
        kind = "literal"
        if datatype not in CHECKS:
            raise QueryError(500, f"unsupported parameter type xsd:{datatype} in ?{variable}")
    else:
        name, kind, datatype = body, "literal", ""
    default = defaults.get(name)
    return Parameter(name, variable, kind, datatype, None if default is None else str(default))


def parse_query_file(path: Path) -> CannedQuery:
    """Read one ``.rq`` file: its ``#+`` header (YAML) and its parameters."""
    text = path.read_text(encoding="utf-8")
    header_lines = [
        line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+")
    ]
    try:
        header = YAML(typ="safe").load("\n".join(header_lines)) or {}
    except YAMLError as exc:
        raise QueryError(500, f"{path}: the '#+' header is not YAML: {exc}") from None
    if not isinstance(header, dict) or "summary" not in header:
        raise QueryError(500, f"{path}: the '#+' header needs at least 'summary:'")
    defaults: dict[str, str] = {}
    for item in header.get("defaults") or []:
        defaults.update({str(k): str(v) for k, v in dict(item).items()})
    variables = dict.fromkeys(
        m.group(1)
        for m in _PARAM.finditer(
            "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        )
    )
    parameters = tuple(_parameter(v, defaults) for v in variables)
    try:
        views = parse_views(header.get("view"), text, path)
    except ViewError as exc:
        raise QueryError(500, str(exc)) from None
    return CannedQuery(
        name=path.stem,
        summary=str(header["summary"]).strip(),
        description=str(header.get("description") or "").strip(),
        tags=tuple(str(t) for t in header.get("tags") or ()),
        parameters=parameters,
        text=text,
        path=path,
        extra={
            k: v
            for k, v in header.items()
            if k not in ("summary", "description", "tags", "defaults", "view")
        },
        views=views,
        columns=projection(text),
    )


def load_queries(directory: Path) -> dict[str, CannedQuery]:
    return {p.stem: parse_query_file(p) for p in sorted(directory.glob("*.rq"))}
