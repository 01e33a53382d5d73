"""Load every annotation file of a data folder into one checked :class:`AnnotationSet`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from kzgraph.annotations import model as m
from kzgraph.annotations.claims import claim_problems
from kzgraph.annotations.errors import AnnotationError, Problem
from kzgraph.annotations.yamlfile import LineMap, LineSeq, line_of, read_fast

ENTITY_KINDS: dict[str, set[str]] = {
    "person": {"person"},
    "org": {
        "court",
        "state-body",
        "law-enforcement",
        "ngo",
        "political-party",
        "trade-union",
        "media-outlet",
        "intergovernmental-body",
        "foreign-government",
        "company",
        "religious-group",
        "other",
    },
    "group": {"group"},
    "place": {"country", "region", "city", "site"},
    "law": {"law"},
    "provision": {"provision"},
}
DEFAULT_KIND = {"person": "person", "group": "group", "provision": "provision", "law": "law"}


@dataclass(frozen=True)
class Origin:
    """Where a record was declared: file, line, and the graph it belongs to."""

    file: Path
    line: int | None
    graph: str  # "entities", "assessments" or "report/<id>"
    entry: str

    def problem(self, field: str | None, message: str) -> Problem:
        return Problem(self.file, self.line, self.entry, field, message)


T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass
class Located(Generic[T]):
    record: T
    origin: Origin


@dataclass
class ReportFile:
    path: Path
    meta: m.ReportMeta
    sections: list[m.Section] = field(default_factory=list)


@dataclass
class AnnotationSet:
    """Everything the data folder says, indexed by reference (``person/max-bokaev``)."""

    reports: dict[str, ReportFile] = field(default_factory=dict)
    entities: dict[str, Located[m.Entity]] = field(default_factory=dict)
    facts: dict[str, Located[m.Fact]] = field(default_factory=dict)
    mentions: list[Located[m.Mention]] = field(default_factory=list)
    corroborations: list[Located[m.Corroboration]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def known(self, ref: str) -> bool:
        return ref in self.entities or ref in self.facts

    def graph_records(self, graph: str) -> Iterator[Located[Any]]:
        for table in (self.entities.values(), self.facts.values()):
            yield from (r for r in table if r.origin.graph == graph)


def annotation_files(data_dir: Path) -> list[Path]:
    """The files of a data folder, in build order."""
    files = []
    if (data_dir / "entities.yaml").exists():
        files.append(data_dir / "entities.yaml")
    files += sorted((data_dir / "reports").glob("*.yaml"))
    files += sorted((data_dir / "assessments").glob("*.yaml"))
    return files


def load_annotations(data_dir: Path, files: list[Path] | None = None) -> AnnotationSet:
    """Read and check every file; raise one AnnotationError listing every problem found."""
    loader = _Loader()
    for path in files if files is not None else annotation_files(data_dir):
        try:
            loader.load_file(path)
        except AnnotationError as exc:
            loader.problems += exc.problems
    loader.check_references()
    if loader.problems:
        raise AnnotationError(loader.problems)
    return loader.out


def _validation_problems(
    exc: ValidationError, path: Path, node: Any, base: tuple[Any, ...], entry: str
) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        fieldname = ".".join(str(p) for p in loc) or None
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field (see data/README.md for the fields of this record)"
        elif err["type"] == "missing":
            msg = "required field is missing"
        problems.append(Problem(path, line_of(node, *base, *loc), entry, fieldname, msg))
    return problems


class _Loader:
    def __init__(self) -> None:
        self.out = AnnotationSet()
        self.problems: list[Problem] = []

    def _validate(
        self, model: type[M], node: Any, path: Path, base: tuple[Any, ...], entry: str
    ) -> M | None:
        try:
            return model.model_validate(_plain(node))
        except ValidationError as exc:
            self.problems += _validation_problems(exc, path, node, (), entry)
            return None

    def load_file(self, path: Path) -> None:
        self.out.files.append(path)
        data = read_fast(path)  # libyaml; ruamel only for files written back
        graph = "entities" if path.name == "entities.yaml" else "assessments"
        report_id: str | None = None
        if path.parent.name == "reports":
            report_id = self._load_report_meta(path, data)
            if report_id is None:
                return
            graph = f"report/{report_id}"
        allowed = _allowed_keys(graph)
        for key, value in data.items():
            line = line_of(data, key)
            if key not in allowed:
                self.problems.append(
                    Problem(
                        path,
                        line,
                        None,
                        key,
                        (
                            "unknown top-level key; this file may hold: "
                            + ", ".join(sorted(allowed))
                        ),
                    )
                )
                continue
            if key in ("report", "sections"):
                continue
            if not isinstance(value, LineSeq):
                self.problems.append(Problem(path, line, None, key, "expected a list"))
                continue
            for i, node in enumerate(value):
                self._load_entry(path, graph, key, i, node, value)

    def _load_report_meta(self, path: Path, data: LineMap) -> str | None:
        if "report" not in data:
            self.problems.append(Problem(path, 1, None, "report", "a report file needs 'report:'"))
            return None
        meta = self._validate(m.ReportMeta, data["report"], path, (), "report")
        if meta is None:
            return None

        def id_problem(message: str) -> None:
            self.problems.append(Problem(path, line_of(data, "report"), "report", "id", message))

        if meta.id in self.out.reports:
            id_problem(f"report id {meta.id!r} is already used by {self.out.reports[meta.id].path}")
            return None
        if path.stem != meta.id:
            id_problem(f"the file must be named {meta.id}.yaml")
        report = ReportFile(path, meta)
        for i, node in enumerate(data.get("sections") or []):
            section = self._validate(m.Section, node, path, (), f"sections[{i}]")
            if section is not None:
                report.sections.append(section)
        self.out.reports[meta.id] = report
        return meta.id

    def _load_entry(
        self, path: Path, graph: str, key: str, i: int, node: Any, seq: LineSeq
    ) -> None:
        line = line_of(seq, i)
        label = f"{key}[{i}]"
        if isinstance(node, LineMap) and "id" in node:
            label = f"{key}[{i}] ({node['id']})"
        origin = Origin(path, line, graph, label)
        if key in m.ENTITY_LISTS:
            entity = self._validate(m.Entity, node, path, (), label)
            if entity is not None:
                self._add_entity(entity, origin, node)
        elif key == "mentions":
            mention = self._validate(m.Mention, node, path, (), label)
            if mention is not None:
                if mention.entity is None:
                    self.problems.append(
                        origin.problem("entity", "a top-level mention needs 'entity'")
                    )
                self.out.mentions.append(Located(mention, origin))
        elif key == "corroborations":
            corr = self._validate(m.Corroboration, node, path, (), label)
            if corr is not None:
                self.out.corroborations.append(Located(corr, origin))
        else:
            model, kind = m.FACT_LISTS[key]
            fact = self._validate(model, node, path, (), label)
            for name in fact.inferred if fact is not None else {}:
                if name not in model.model_fields or name in ("id", "evidence", "inferred"):
                    self.problems.append(
                        Problem(
                            path,
                            line_of(node, "inferred", name) or line,
                            label,
                            f"inferred.{name}",
                            f"{name!r} is not a field of this record that can be inferred",
                        )
                    )
            if fact is not None:
                ref = f"{kind}/{fact.id}"
                if ref in self.out.facts or ref in self.out.entities:
                    first = self.out.facts[ref].origin if ref in self.out.facts else None
                    where = f"{first.file}:{first.line}" if first else "an entity list"
                    self.problems.append(
                        origin.problem("id", f"{ref} is already declared at {where}")
                    )
                else:
                    self.out.facts[ref] = Located(fact, origin)

    def _add_entity(self, entity: m.Entity, origin: Origin, node: Any) -> None:
        prefix = entity.id.split("/", 1)[0]
        if prefix not in ENTITY_KINDS:
            self.problems.append(
                origin.problem(
                    "id",
                    (f"entity ids start with one of {', '.join(ENTITY_KINDS)}/, got {entity.id!r}"),
                )
            )
            return
        kind = entity.kind or DEFAULT_KIND.get(prefix)
        if kind not in ENTITY_KINDS[prefix]:
            self.problems.append(
                origin.problem(
                    "kind",
                    (
                        f"a {prefix}/ entity has kind one of "
                        f"{', '.join(sorted(ENTITY_KINDS[prefix]))}, "
                        f"got {entity.kind!r}"
                    ),
                )
            )
        self.problems += claim_problems(entity, origin, node)
        if entity.id in self.out.entities:
            first = self.out.entities[entity.id].origin
            self.problems.append(
                origin.problem(
                    "id",
                    (
                        f"{entity.id} is already declared at {first.file}:{first.line}; declare it "
                        "once (in data/entities.yaml when several reports name it) and add "
                        "mentions elsewhere"
                    ),
                )
            )
            return
        self.out.entities[entity.id] = Located(entity, origin)

    def check_references(self) -> None:
        out = self.out
        records: list[tuple[BaseModel, Origin]] = [
            (loc.record, loc.origin) for loc in out.entities.values()
        ]
        records += [(loc.record, loc.origin) for loc in out.facts.values()]
        for record, origin in records:
            for fieldname, target in _references(record):
                if not out.known(target):
                    self.problems.append(origin.problem(fieldname, f"unknown reference {target!r}"))
        for mention in out.mentions:
            if mention.record.entity and mention.record.entity not in out.entities:
                self.problems.append(
                    mention.origin.problem("entity", f"unknown entity {mention.record.entity!r}")
                )
        for corr in out.corroborations:
            if not out.known(corr.record.fact):
                self.problems.append(
                    corr.origin.problem("fact", f"unknown fact {corr.record.fact!r}")
                )
        for report in out.reports.values():
            for ref in [*report.meta.publisher, report.meta.about]:
                if ref and not out.known(ref):
                    self.problems.append(
                        Problem(
                            report.path,
                            None,
                            "report",
                            "publisher/about",
                            f"unknown reference {ref!r}",
                        )
                    )


REF_FIELDS = (
    "member_of",
    "head_of",
    "part_of",
    "sub_organization_of",
    "located_in",
    "nationality",
    "place",
    "event",
    "victims",
    "perpetrators",
    "court",
    "participants",
    "count",
    "follows",
    "concerns",
    "attributed_to",
    "by",
    "to",
    "actors",
    "addressed_to",
    "recommendation",
    "based_on",
)


def _references(record: BaseModel) -> Iterator[tuple[str, str]]:
    for name in REF_FIELDS:
        value = getattr(record, name, None)
        for target in value if isinstance(value, list) else [value]:
            if isinstance(target, m.RefClaim):
                yield name, target.ref
            elif isinstance(target, str):
                yield name, target
    for i, charge in enumerate(getattr(record, "charges", None) or []):
        if charge.provision:
            yield f"charges.{i}.provision", charge.provision
    if isinstance(record, m.Outcome):
        yield from (("subjects", s) for s in record.subjects if "/" in s)
    sentence = getattr(record, "sentence", None)
    if sentence is not None and sentence.court:
        yield "sentence.court", sentence.court


def _allowed_keys(graph: str) -> set[str]:
    if graph == "entities":
        return {*m.ENTITY_LISTS, "events"} - {"entities"}
    if graph == "assessments":
        return {"assessments"}
    return {"report", "sections", "entities", "mentions", "corroborations", *m.FACT_LISTS}


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
