"""What the graph already knows: every entity and each way the annotations have spelled it.

Read from the annotation files themselves (entity lists, their mentions, top-level mentions and
former names), without the loader's reference checks, so that a benchmark can leave a report out.
Only the known graph feeds the gazetteer: no name is written into the code.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kzgraph.annotations import model as m
from kzgraph.annotations.load import annotation_files
from kzgraph.annotations.yamlfile import read
from kzgraph.draft.source import fold

# A name saying the entity is one report's unnamed actor, e.g. "Almaty court (unnamed)".
ANONYMOUS = re.compile(r"\((?:unnamed|unspecified)\)")
REF_TEXT = re.compile(r"\b(?:person|org|group|place|law|provision|event|act|statistic)/[a-z0-9-]+")


@dataclass
class KnownEntity:
    id: str
    name: str
    kind: str | None
    part_of: str | None = None
    number: str | None = None
    surfaces: set[str] = field(default_factory=set)

    @property
    def prefix(self) -> str:
        return self.id.split("/", 1)[0]


@dataclass(frozen=True)
class Match:
    """A known entity named in the text at ``start:end``."""

    entity: str
    start: int
    end: int


@dataclass
class KnownGraph:
    entities: dict[str, KnownEntity] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)  # every id declared (entities and facts)
    report_ids: set[str] = field(default_factory=set)
    _pattern: re.Pattern[str] | None = None
    _by_surface: dict[str, str] = field(default_factory=dict)
    _mentions: list[tuple[str, str]] = field(default_factory=list)  # (entity, spelling)
    charge_labels: list[tuple[str, str]] = field(default_factory=list)  # (label, provision)

    @classmethod
    def from_data(
        cls, data_dir: Path, *, leave_out: str | None = None, extra: Iterable[Path] = ()
    ) -> KnownGraph:
        """The known graph of a data folder; with ``leave_out`` (a report id) that report's file
        is skipped and so are the entities of entities.yaml that only it refers to."""
        return cls.from_files([*annotation_files(data_dir), *extra], leave_out=leave_out)

    @classmethod
    def from_files(cls, files: Iterable[Path], *, leave_out: str | None = None) -> KnownGraph:
        """The known graph of some annotation files (see :meth:`from_data`)."""
        raw = {path: read(path) for path in files}
        skip: set[str] = set()
        if leave_out is not None:
            skip = _only_referred_by(raw, leave_out)
        known = cls()
        for data in raw.values():
            report = data.get("report") or {}
            if report.get("id") == leave_out and leave_out is not None:
                continue
            if "id" in report:
                known.report_ids.add(str(report["id"]))
            known._add_file(data, skip)
        return known

    def _add_file(self, data: dict[str, object], skip: set[str]) -> None:
        for key in m.ENTITY_LISTS:
            for node in data.get(key) or []:  # type: ignore[attr-defined]
                try:
                    ent = m.Entity.model_validate(dict(node))
                except (ValidationError, TypeError, ValueError):
                    continue
                if ent.id in skip:
                    continue
                known = self.entities.setdefault(
                    ent.id, KnownEntity(ent.id, ent.name, ent.kind, ent.part_of, ent.number)
                )
                known.surfaces.update(_variants(ent.name, ent.id))
                known.surfaces.update(n for n in ent.former_names)
                known.surfaces.update(mt.exact for mt in ent.mentions)
                self.ids.add(ent.id)
        for key, (_, kind) in m.FACT_LISTS.items():
            for node in data.get(key) or []:  # type: ignore[attr-defined]
                if isinstance(node, dict) and "id" in node:
                    self.ids.add(f"{kind}/{node['id']}")
                    for charge in node.get("charges") or []:
                        if charge.get("label") and charge.get("provision"):
                            self.charge_labels.append((charge["label"], charge["provision"]))
        for node in data.get("mentions") or []:  # type: ignore[attr-defined]
            if isinstance(node, dict) and node.get("entity") and node.get("exact"):
                self._mentions.append((str(node["entity"]), str(node["exact"])))

    def _surfaces(self) -> dict[str, str]:
        """Folded surface form -> entity id (the first entity to claim a form keeps it)."""
        for entity, exact in self._mentions:
            if entity in self.entities:
                self.entities[entity].surfaces.add(exact)
        owners: dict[str, Counter[str]] = {}
        spelled = Counter((e, _key(x)) for e, x in self._mentions)
        for ent in self.entities.values():
            if ent.prefix == "group" or ANONYMOUS.search(ent.name):
                continue  # one report's unnamed actor ("Almaty court (unnamed)"): never reused
            for surface in ent.surfaces:
                proper = any(c.isupper() for c in surface)
                if proper or ent.prefix in ("law", "provision", "org"):
                    key = _key(surface)
                    owners.setdefault(key, Counter())[ent.id] += 1 + spelled[(ent.id, key)]
        # a spelling two entities share goes to the one whose canonical name it is, else to the
        # one the reports spell so most often, else to neither
        table: dict[str, str] = {}
        for key, ids in owners.items():
            named = [i for i in sorted(ids) if _key(self.entities[i].name) == key]
            ranked = ids.most_common(2)
            if len(ids) == 1 or len(named) == 1:
                table[key] = named[0] if named else ranked[0][0]
            elif ranked[0][1] > ranked[1][1]:
                table[key] = ranked[0][0]
        # A person's surname alone, when no other known person shares it (an unnamed actor's
        # spellings are never reused, its surname no more than its name).
        surnames: Counter[str] = Counter()
        people = [e for e in self.entities.values() if e.prefix == "person"]
        people = [e for e in people if not ANONYMOUS.search(e.name)]
        for ent in people:  # counted folded: "Zhovtis" and "Zhovtís" are one surname
            for s in {_key(s) for s in map(_surname, ent.surfaces) if s}:
                surnames[s] += 1
        for ent in people:
            for s in {_key(s) for s in map(_surname, ent.surfaces) if s}:
                if surnames[s] == 1:
                    table.setdefault(s, ent.id)
        return table

    def pattern(self) -> tuple[re.Pattern[str], dict[str, str]]:
        if self._pattern is None:
            self._by_surface = self._surfaces()
            forms = sorted(self._by_surface, key=len, reverse=True)
            alternation = "|".join(_flexible(f) for f in forms if f) or r"(?!x)x"
            self._pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
        return self._pattern, self._by_surface

    def find(self, text: str) -> Iterator[Match]:
        """Every known entity named in ``text`` (longest spelling first, no overlaps)."""
        pattern, table = self.pattern()
        folded = fold(text)
        for mt in pattern.finditer(folded):
            surface = text[mt.start() : mt.end()]
            entity = table.get(_key(surface))
            if entity is None:
                continue
            ent = self.entities[entity]
            # one-word spellings must be capitalised in the text: "Bolat", not "bolat"
            lower_word = " " not in surface.strip() and not surface[:1].isupper()
            if lower_word and ent.prefix not in ("law", "provision", "org"):
                continue
            yield Match(entity, mt.start(), mt.end())

    def provision(self, law: str, number: str) -> str | None:
        for ent in self.entities.values():
            if ent.prefix == "provision" and ent.part_of == law and ent.number == number:
                return ent.id
        return None

    def laws(self) -> list[KnownEntity]:
        return [e for e in self.entities.values() if e.prefix == "law"]


def _key(surface: str) -> str:
    return " ".join(fold(surface).replace("-", " ").split())


def _flexible(form: str) -> str:
    return r"[\s-]+".join(re.escape(w) for w in form.split())


_PAREN = re.compile(r"\s*\([^)]*\)")
_TAIL = re.compile(r",.*$")


def _variants(name: str, ref: str) -> set[str]:
    """The canonical name and its plain forms: without a parenthesis, after a comma, a leading
    "the", or a trailing "of <Country>" (a body's name as the report's own country says it)."""
    out = {name}
    plain = _PAREN.sub("", name).strip()
    out.add(plain)
    if not ref.startswith("provision/"):
        out.add(_TAIL.sub("", plain).strip())
    for form in list(out):
        if form.lower().startswith("the "):
            out.add(form[4:])
        tail = re.match(r"^(.+?) of (?:the Republic of )?[A-Z][a-z]+$", form)
        if tail and ref.split("/", 1)[0] in ("org", "law") and len(tail.group(1).split()) >= 2:
            out.add(tail.group(1))
    return {f for f in out if len(f) >= 2}


def _surname(surface: str) -> str | None:
    words = surface.split()
    if len(words) < 2:
        return None
    last = words[-1]
    return last if len(last) >= 4 and last[:1].isupper() and last.isalpha() else None


def _only_referred_by(raw: Mapping[Path, Any], report_id: str) -> set[str]:
    """Ids declared in entities.yaml that no file but ``report_id``'s refers to."""
    users: dict[str, set[str]] = {}
    declared: set[str] = set()
    for path, data in raw.items():
        report = data.get("report") or {}
        owner = str(report.get("id")) if "id" in report else path.name
        if path.name == "entities.yaml":
            for key in m.ENTITY_LISTS:
                for node in data.get(key) or []:
                    if isinstance(node, dict) and "id" in node:
                        declared.add(str(node["id"]))
                        for ref in set(REF_TEXT.findall(str(dict(node)))) - {str(node["id"])}:
                            users.setdefault(ref, set()).add("entities")
            continue
        for ref in REF_TEXT.findall(path.read_text(encoding="utf-8")):
            users.setdefault(ref, set()).add(owner)
    return {ref for ref in declared if users.get(ref) == {report_id}}
