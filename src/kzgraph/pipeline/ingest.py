"""Adding one report to a built graph: validate it with everything already there, then change the
durable store in one transaction, then land the file in ``data/reports/`` and refresh ``build/``.

An ingest is the build with one file added or replaced: the build's own run
(:func:`kzgraph.pipeline.run.run`, to its reason stage) loads, checks and maps the staged data
folder together (so references to ``data/entities.yaml`` and corroborations across reports
resolve), runs SHACL over the union, then OWL 2 RL over the union; the new report's evidence is
checked between the two. The result is compared with the durable store graph by graph
(:mod:`kzgraph.store.durable`). Nothing is written until all of that succeeded. See
docs/decisions/0010-ingest.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kzgraph.annotations import AnnotationError, AnnotationSet
from kzgraph.annotations.errors import Problem
from kzgraph.annotations.evidence import verify_evidence
from kzgraph.annotations.load import annotation_files
from kzgraph.annotations.yamlfile import MAX_FILE_BYTES
from kzgraph.pipeline.pending import (
    Pending,
    finish_interrupted,
    graph_digest,
    marker_path,
    write_atomically,
    write_pending,
)
from kzgraph.pipeline.run import Inputs, run
from kzgraph.pipeline.stages import (
    BuildResult,
    OntologyFiles,
    Progress,
    ValidationFailed,
    write_outputs,
)
from kzgraph.pipeline.stats import CLASSES, class_counts, store_select
from kzgraph.pipeline.validate import Violation
from kzgraph.reference.geonames import table_path
from kzgraph.settings import Settings
from kzgraph.store.durable import Changeset, DurableStore, diff, memory_store, read_nquads

MAX_SOURCE_BYTES = 20 * 1024 * 1024


class IngestError(Exception):
    """The report cannot be ingested; nothing was changed. Every problem names its place."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class IngestOutcome:
    report: str
    file: Path  # where the report file lands (data/reports/<id>.yaml)
    changes: Changeset
    counts: dict[str, int]  # instances per class in the report's graph
    dry_run: bool
    file_changed: bool
    committed: bool = False
    replaced: bool = False  # a report with this id was there before
    report_digest: str = ""  # kzgraph.pipeline.pending.graph_digest of the report's graph after
    warnings: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return self.changes.empty and not self.file_changed

    def as_dict(self) -> dict[str, object]:
        return {
            "report": self.report,
            "file": self.file.name,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            "graphs": self.changes.as_dict(),
            "counts": self.counts,
        }


def ingest(
    settings: Settings,
    files: OntologyFiles,
    annotation: Path,
    source: Path | None = None,
    *,
    dry_run: bool = False,
    display: str | None = None,
    source_display: str | None = None,
    progress: Progress = lambda _: None,
) -> IngestOutcome:
    """Ingest the report file ``annotation`` (shown in messages as ``display``), checking its
    evidence against ``source`` (or the file of that name in ``KZGRAPH_SOURCES_DIR``; without
    either the ingest is refused: offsets that cannot be checked are not taken on trust).

    The store is held (RocksDB admits one writer process) from before ``data/`` is read until the
    file and ``build/`` are written, so two ingests cannot each miss the other's report."""
    path, nquads = settings.durable_store_dir, settings.dump_path

    def check() -> tuple[BuildResult, str, bytes]:
        return _prepare(settings, files, annotation, source, display, source_display, progress)

    checked: tuple[BuildResult, str, bytes] | None = None
    data_state: list[tuple[str, int, int]] = []
    if not path.exists():
        # check before the store is created, so that a refused ingest leaves no build/store
        checked, data_state = check(), _data_state(settings.data_dir)
        if dry_run:
            result, report, content = checked
            return _outcome(settings, result, report, content, read_nquads(nquads), dry_run=True)
    with DurableStore.open(path, seed=nquads) as store:
        finished_before = finish_interrupted(settings.build_dir, settings.data_dir, store.oxigraph)
        if finished_before:
            progress(finished_before)
        if checked is None or _data_state(settings.data_dir) != data_state:
            checked = check()
        result, report, content = checked
        outcome = _outcome(settings, result, report, content, store.oxigraph, dry_run=dry_run)
        if dry_run:
            return outcome
        pending = pending_marker(settings)
        finished = not pending.exists() and diff(store.oxigraph, read_nquads(nquads)).empty
        if outcome.unchanged and finished:
            progress(f"{report}: unchanged, nothing to do")
            return outcome
        # until build/ is written in full, an ingest of this same file is not a no-op, and a
        # build finishes it (kzgraph.pipeline.pending)
        write_pending(settings.build_dir, Pending(report, content, outcome.report_digest))
        progress(f"store: committing {_describe(outcome.changes)}")
        store.apply(outcome.changes)  # the commit point
        progress(f"store: committed {_describe(outcome.changes)}")
        write_atomically(outcome.file, content)
        write_outputs(result, settings.build_dir, progress)
        pending.unlink()
    outcome.committed = True
    return outcome


def _data_state(data_dir: Path) -> list[tuple[str, int, int]]:
    """Which annotation files there are, with their sizes and times: changed under our feet?"""
    return [(str(p), (st := p.stat()).st_size, st.st_mtime_ns) for p in annotation_files(data_dir)]


def pending_marker(settings: Settings) -> Path:
    """Present while an ingest's store commit may be ahead of data/ and build/."""
    return marker_path(settings.build_dir)


def _prepare(
    settings: Settings,
    files: OntologyFiles,
    annotation: Path,
    source: Path | None,
    display: str | None,
    source_display: str | None,
    progress: Progress,
) -> tuple[BuildResult, str, bytes]:
    """Check the report with the rest of ``data/`` and reason over the union, by the build's run
    over a staged data folder; nothing written."""
    shown = display or str(annotation)
    content = _read_annotation(annotation, shown)
    with _staged(settings.data_dir, annotation.name, content, shown) as (stage, staged, names):
        inputs = Inputs(stage, files, settings.build_dir, settings.durable_store_dir)
        evidence = _evidence_check(settings, staged, shown, source, source_display, names)
        try:
            result = run(inputs, until="reason", validated=evidence, progress=progress)
        except AnnotationError as exc:
            raise IngestError(_shown(exc.problems, names)) from None
        except ValidationFailed as exc:
            raise IngestError([_violation_problem(v, names) for v in exc.violations]) from None
    return result, _report_of(result.annotations, staged, shown), content


def _evidence_check(
    settings: Settings,
    staged: Path,
    shown: str,
    source: Path | None,
    source_display: str | None,
    names: dict[str, str],
) -> Callable[[BuildResult], None]:
    """The check the run makes once the data validate, before reasoning: the staged report's
    evidence against its source text."""

    def check(result: BuildResult) -> None:
        report = _report_of(result.annotations, staged, shown)
        text = source
        if text is None:
            name = result.annotations.reports[report].meta.source
            text = _default_source(settings, name)
            if text is None:
                raise IngestError([_no_source(settings, shown, name)])
        elif source_display:
            names[str(text)] = source_display
        _check_evidence(result.annotations, report, text, names)

    return check


def _outcome(
    settings: Settings,
    result: BuildResult,
    report: str,
    content: bytes,
    old: ox.Store,
    *,
    dry_run: bool,
) -> IngestOutcome:
    """What ingesting would change: per graph against ``old``, and the report file."""
    target = settings.data_dir / "reports" / f"{report}.yaml"
    new = memory_store(result.dataset.serialize(format="nquads", encoding="utf-8"))
    in_report = class_counts(store_select(new))
    counts = {cls: in_report[cls].get(f"report/{report}", 0) for cls in CLASSES}
    return IngestOutcome(
        report,
        target,
        diff(old, new),
        {k: v for k, v in counts.items() if v},
        dry_run,
        file_changed=not target.exists() or target.read_bytes() != content,
        replaced=target.exists(),
        report_digest=graph_digest(new, report),
    )


def _describe(changes: Changeset) -> str:
    if changes.empty:
        return "no triple changed"
    added = sum(c.added for c in changes.changes)
    removed = sum(c.removed for c in changes.changes)
    return f"{added} triples added, {removed} removed in {len(changes.changes)} graph(s)"


def _read_annotation(path: Path, shown: str) -> bytes:
    def fail(message: str) -> IngestError:
        return IngestError([Problem(shown, None, None, None, message)])

    if not path.is_file():
        raise fail("no such file")
    if path.suffix != ".yaml":
        raise fail("a report file is named <report-id>.yaml (data/README.md)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise fail(f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
    return path.read_bytes()


@contextlib.contextmanager
def _staged(
    data_dir: Path, name: str, content: bytes, shown: str
) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """A data folder that links to every file of ``data_dir`` except the one the new report
    replaces, plus the new report; and a map from staged paths back to the names to show."""
    with tempfile.TemporaryDirectory(prefix="kzgraph-ingest-") as tmp:
        stage = Path(tmp) / "data"
        for folder in ("reports", "assessments"):
            (stage / folder).mkdir(parents=True)
        names: dict[str, str] = {}
        for path in annotation_files(data_dir):
            rel = path.relative_to(data_dir)
            if rel.parts[0] == "reports" and rel.name == name:
                continue
            link = stage / rel
            link.symlink_to(path.resolve())
            names[str(link)] = str(path)
        reference = table_path(data_dir)
        if reference.exists():  # the places' GeoNames matches (reference data)
            table_path(stage).parent.mkdir(parents=True)
            table_path(stage).symlink_to(reference.resolve())
        staged = stage / "reports" / name
        staged.write_bytes(content)
        names[str(staged)] = shown
        yield stage, staged, names


def _shown(problems: list[Problem], names: dict[str, str]) -> list[Problem]:
    return [dataclasses.replace(p, file=names.get(str(p.file), p.file)) for p in problems]


def _report_of(aset: AnnotationSet, staged: Path, shown: str) -> str:
    for rid, rf in aset.reports.items():
        if rf.path == staged:
            return rid
    raise IngestError([Problem(shown, 1, None, "report", "not a report file: add 'report:'")])


def _violation_problem(violation: Violation, names: dict[str, str]) -> Problem:
    origin = violation.origin
    text = str(violation)
    if origin is None:
        return Problem("(shapes)", None, None, violation.path, text)
    where = f"{origin.file}" + (f":{origin.line}" if origin.line else "")
    message = text.split(": ", 1)[1] if text.startswith(where) else text
    return Problem(
        names.get(str(origin.file), str(origin.file)),
        origin.line,
        origin.entry,
        violation.path,
        message.removeprefix(f"entry {origin.entry}: "),
    )


def _no_source(settings: Settings, shown: str, name: str) -> Problem:
    """Evidence is never taken on trust: without the text, no offset or phrase can be checked."""
    where = (
        f"KZGRAPH_SOURCES_DIR ({settings.sources_dir}) has no file {name}"
        if settings.sources_dir is not None
        else "KZGRAPH_SOURCES_DIR is not set"
    )
    return Problem(
        shown,
        None,
        "report",
        "source",
        f"the evidence cannot be checked without the source text {name}, and {where}: give "
        "the text with --source (kzgraph ingest) or as the multipart field 'source' "
        "(POST /admin/reports), or put it in KZGRAPH_SOURCES_DIR",
    )


def _default_source(settings: Settings, name: str) -> Path | None:
    if settings.sources_dir is None:
        return None
    path = settings.sources_dir / name
    return path if path.is_file() else None


def _check_evidence(aset: AnnotationSet, report: str, source: Path, names: dict[str, str]) -> None:
    """Every phrase that cites the new report, at its offsets in ``source``; and its SHA-256."""
    shown = names.get(str(source), str(source))
    size = source.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise IngestError(
            [
                Problem(
                    shown,
                    None,
                    None,
                    None,
                    f"file is {size} bytes; the limit is {MAX_SOURCE_BYTES}",
                )
            ]
        )
    raw = source.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestError(
            [Problem(shown, line, None, None, f"not UTF-8 (byte {exc.start}): save it as UTF-8")]
        ) from None
    rf = aset.reports[report]
    with tempfile.TemporaryDirectory(prefix="kzgraph-source-") as tmp:
        (Path(tmp) / rf.meta.source).symlink_to(source.resolve())
        only = dataclasses.replace(aset, reports={report: rf})
        _, problems = verify_evidence(only, Path(tmp))
    for problem in problems:
        problem.message = problem.message.replace(str(Path(tmp) / rf.meta.source), shown)
    if problems:
        raise IngestError(_shown(problems, names))


def ingest_summary(outcome: IngestOutcome) -> str:
    """What an ingest did (or, dry, would do), for a terminal."""
    name = outcome.report
    if outcome.dry_run:
        head = f"kzgraph: dry run for {name}: nothing written"
    elif outcome.unchanged:
        head = f"kzgraph: {name} is unchanged: nothing to do"
    else:
        verb = "replaced" if outcome.replaced else "added"
        head = f"kzgraph: {name} {verb}; the report file is {outcome.file}"
    lines = [head]
    if not outcome.changes.empty:
        width = max(len(c.graph) for c in outcome.changes.changes)
        lines.append(f"{'graph':<{width}}  removed    added")
        for c in outcome.changes.changes:
            note = "  (replaced whole)" if c.replaced else ""
            lines.append(f"{c.graph:<{width}}  {c.removed:>7}  {c.added:>7}{note}")
    elif outcome.dry_run:
        lines.append("no triple would change")
    if outcome.counts:
        lines.append(
            f"in report/{name}: " + ", ".join(f"{n} {k}" for k, n in outcome.counts.items())
        )
    return "\n".join(lines)
