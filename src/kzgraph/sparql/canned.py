"""Canned queries: ``queries/*.rq`` files with grlc-style ``#+`` headers and ``?_name`` parameters.

A parameter is a variable whose name starts with one underscore: ``?_event_iri`` takes an IRI,
``?_year_xsd_integer`` a typed literal (``xsd_`` + an XSD datatype), ``?_name`` a plain string.
Values are checked by type and bound as substitutions: never pasted into the query text.
Defaults come from the header (``#+ defaults:`` a list of ``- name: value``).
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
            if k not in ("summary", "description", "tags", "defaults")
        },
    )


def load_queries(directory: Path) -> dict[str, CannedQuery]:
    return {p.stem: parse_query_file(p) for p in sorted(directory.glob("*.rq"))}
