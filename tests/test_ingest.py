"""kzgraph ingest: bad input refused with its place and nothing changed; add, replace, no-op and
dry run; the store equal to a fresh build; and atomicity under SIGKILL on the on-disk store."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.iris import graph_iri, ref_iri
from kzgraph.namespaces import KZ, RDF
from kzgraph.pipeline.ingest import IngestError, ingest_summary, pending_marker
from kzgraph.pipeline.stages import BuildResult
from kzgraph.store.durable import DurableStore, StoreBusy, diff, read_nquads

from .conftest import ROOT, settings_for
from .workspace import FOLLOWUP, FOLLOWUP_TEXT, Workspace, make_workspace

REPORT_GRAPH = str(graph_iri("report/mini-followup"))
INFERRED = str(graph_iri("inferred"))


@pytest.fixture
def ws(mini_build: BuildResult, tmp_path: Path) -> Workspace:
    return make_workspace(mini_build, tmp_path / "ws")


def _variant(tmp_path: Path, edit: Callable[[str], str], name: str = FOLLOWUP.name) -> Path:
    path = tmp_path / "upload" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(edit(FOLLOWUP.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _source_variant(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "upload-source" / FOLLOWUP_TEXT.name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def _sub(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


# (case, edit of the report file, source text or None, expected: line, entry, field, message part)
BAD_REPORTS: dict[str, tuple[Callable[[str], str], bytes | None, tuple[object, ...]]] = {
    "malformed YAML": (
        _sub("    type: detention\n", "    type: [detention\n"),
        None,
        (None, None, "YAML syntax"),
    ),
    "unknown field": (
        _sub("    type: detention\n", "    type: detention\n    colour: red\n"),
        None,
        ("acts[0] (sam-sample-detention-2031)", "colour", "unknown field"),
    ),
    "unknown reference": (
        _sub("victims: [person/sam-sample]", "victims: [person/nobody]"),
        None,
        ("acts[0] (sam-sample-detention-2031)", "victims", "unknown reference 'person/nobody'"),
    ),
    "unknown vocabulary key": (
        _sub("measure: prosecuted", "measure: fined"),
        None,
        ("statistics[0] (fined-12-2031-05)", "measure", "unknown measure key 'fined'"),
    ),
    "offsets out of range": (
        _sub("start: 138, end: 181}", "start: 9138, end: 9181}"),
        FOLLOWUP_TEXT.read_bytes(),
        ("acts[0] (sam-sample-detention-2031)", "evidence.0", "lie beyond the end"),
    ),
    "quote that does not match": (
        _sub("Sam Sample was detained by police", "Sam Sample was arrested by police"),
        FOLLOWUP_TEXT.read_bytes(),
        ("acts[0] (sam-sample-detention-2031)", "evidence.0", "the source has"),
    ),
    "offsets that are not a span": (
        _sub("start: 138, end: 181}", "start: 181, end: 138}"),
        None,
        ("acts[0] (sam-sample-detention-2031)", "evidence.0", "are not a span"),
    ),
    "missing offsets": (
        _sub(", start: 138, end: 181}", "}"),
        None,
        ("acts[0] (sam-sample-detention-2031)", "evidence.0", "has no offsets"),
    ),
    "file not named for its id": (
        _sub("id: mini-followup", "id: mini-other"),
        None,
        ("report", "id", "the file must be named mini-other.yaml"),
    ),
    "no report block": (
        _sub("report:\n  id: mini-followup", "nonsense:\n  id: mini-followup"),
        None,
        (None, "report", "a report file needs 'report:'"),
    ),
}


@pytest.mark.parametrize("case", list(BAD_REPORTS))
def test_bad_report_is_refused_with_its_place_and_nothing_changes(
    ws: Workspace, tmp_path: Path, case: str
) -> None:
    edit, source_bytes, (entry, field, message) = BAD_REPORTS[case]
    report = _variant(tmp_path, edit)
    source = _source_variant(tmp_path, source_bytes) if source_bytes is not None else None
    before = ws.snapshot()
    with pytest.raises(IngestError) as refused:
        KnowledgeGraph(ws.settings).ingest(report, source)
    problem = next(p for p in refused.value.problems if str(message) in p.message)
    assert str(problem.file) == str(report)
    assert (problem.entry, problem.field) == (entry, field)
    assert str(report) in str(refused.value)
    assert ws.snapshot() == before


def test_non_utf8_report_is_refused(ws: Workspace, tmp_path: Path) -> None:
    report = tmp_path / FOLLOWUP.name
    report.write_bytes(FOLLOWUP.read_bytes().replace(b"Sam Sample\n", b"Sam Sampl\xe9\n", 1))
    before = ws.snapshot()
    with pytest.raises(IngestError) as refused:
        KnowledgeGraph(ws.settings).ingest(report)
    (problem,) = refused.value.problems
    assert problem.file == str(report) and problem.line == 16
    assert "not UTF-8" in problem.message
    assert ws.snapshot() == before


def test_non_utf8_or_wrong_source_is_refused(ws: Workspace, tmp_path: Path) -> None:
    kg = KnowledgeGraph(ws.settings)
    before = ws.snapshot()
    latin1 = _source_variant(tmp_path, FOLLOWUP_TEXT.read_bytes().replace(b"\xe2\x80\x99", b"\x92"))
    with pytest.raises(IngestError) as refused:
        kg.ingest(FOLLOWUP, latin1)
    assert refused.value.problems[0].file == str(latin1)
    assert "not UTF-8" in refused.value.problems[0].message
    edited = _source_variant(tmp_path, FOLLOWUP_TEXT.read_bytes() + b"more\n")
    with pytest.raises(IngestError) as refused:
        kg.ingest(FOLLOWUP, edited)
    (problem,) = refused.value.problems
    assert (problem.field, problem.file) == ("sha256", str(FOLLOWUP))
    assert str(edited) in problem.message
    assert ws.snapshot() == before


def test_oversized_or_misnamed_file_is_refused(ws: Workspace, tmp_path: Path) -> None:
    big = _variant(tmp_path, lambda text: text + "#" * (5 * 1024 * 1024))
    yml = _variant(tmp_path, lambda text: text, name="mini-followup.yml")
    before = ws.snapshot()
    for path, message in ((big, "the limit is"), (yml, "named <report-id>.yaml")):
        with pytest.raises(IngestError) as refused:
            KnowledgeGraph(ws.settings).ingest(path)
        assert refused.value.problems[0].file == str(path)
        assert message in refused.value.problems[0].message
    assert ws.snapshot() == before


def test_shape_violation_is_refused(ws: Workspace, tmp_path: Path) -> None:
    """Passes loading but not SHACL: a place as the victim of a detention."""
    report = _variant(tmp_path, _sub("victims: [person/sam-sample]", "victims: [place/almaty]"))
    before = ws.snapshot()
    with pytest.raises(IngestError) as refused:
        KnowledgeGraph(ws.settings).ingest(report)
    problem = refused.value.problems[0]
    assert problem.file == str(report) and problem.entry == "acts[0] (sam-sample-detention-2031)"
    assert problem.line == 24 and "kz:hasVictim takes a kz:Agent" in str(problem)
    assert ws.snapshot() == before


def test_dry_run_shows_the_changes_and_writes_nothing(ws: Workspace) -> None:
    before = ws.snapshot()
    outcome = KnowledgeGraph(ws.settings).ingest(FOLLOWUP, FOLLOWUP_TEXT, dry_run=True)
    assert outcome.dry_run and not outcome.committed
    changes = outcome.changes.as_dict()
    assert set(changes) == {REPORT_GRAPH, INFERRED}
    assert changes[REPORT_GRAPH]["removed"] == 0 and changes[REPORT_GRAPH]["added"] > 100
    assert changes[INFERRED]["added"] > 0
    assert outcome.counts == {
        "Person": 1,
        "Act": 1,
        "StatisticalClaim": 1,
        "Mention": 3,
        "Evidence": 6,
    }
    assert "dry run" in ingest_summary(outcome)
    assert ws.snapshot() == before


def _fresh_build(ws: Workspace, tmp_path: Path) -> ox.Store:
    kg = KnowledgeGraph(settings_for(ws.data, tmp_path / "fresh-build"))
    kg.build()
    return read_nquads(kg.dump_path)


def test_ingest_adds_the_report_like_a_build_and_replaces_it_on_reingest(
    ws: Workspace, tmp_path: Path
) -> None:
    kg = KnowledgeGraph(ws.settings)
    outcome = kg.ingest(FOLLOWUP, FOLLOWUP_TEXT)
    assert outcome.committed and not outcome.replaced
    landed = ws.data / "reports" / "mini-followup.yaml"
    assert landed.read_bytes() == FOLLOWUP.read_bytes()
    quads = ws.store_quads()
    sam = ox.NamedNode(str(ref_iri("person/sam-sample")))
    person = ox.NamedNode(str(KZ.Person))
    rdf_type = ox.NamedNode(str(RDF.type))
    # a new entity lives in the report's graph; references to entities.yaml resolve
    assert ox.Quad(sam, rdf_type, person, ox.NamedNode(REPORT_GRAPH)) in quads
    assert any(q.subject == sam and str(q.graph_name.value) == INFERRED for q in quads)
    # the store and the served dump hold the same graphs
    with DurableStore.open(ws.settings.durable_store_dir) as store:
        assert diff(store.oxigraph, read_nquads(kg.dump_path)).empty
    manifest = json.loads((ws.build / "manifest.json").read_text())
    assert REPORT_GRAPH in manifest["graphs"]

    # the same file again: nothing to do, nothing written
    before = ws.snapshot()
    again = kg.ingest(FOLLOWUP, FOLLOWUP_TEXT)
    assert again.unchanged and not again.committed
    assert "unchanged" in ingest_summary(again)
    assert ws.snapshot() == before

    # a new version without the statistic replaces the old one, with no duplicates
    shorter = _variant(tmp_path, lambda text: text.split("statistics:")[0])
    replaced = kg.ingest(shorter, FOLLOWUP_TEXT)
    assert replaced.committed and replaced.replaced
    assert replaced.changes.as_dict()[REPORT_GRAPH]["added"] == 0
    assert replaced.changes.as_dict()[REPORT_GRAPH]["removed"] > 0
    assert landed.read_bytes() == shorter.read_bytes()
    statistic = ox.NamedNode(str(ref_iri("statistic/fined-12-2031-05")))
    assert not any(q.subject == statistic for q in ws.store_quads())
    # ... and what a fresh `kzgraph build` of data/ makes of the two reports
    with DurableStore.open(ws.settings.durable_store_dir) as store:
        assert diff(store.oxigraph, _fresh_build(ws, tmp_path)).empty
        assert diff(store.oxigraph, read_nquads(kg.dump_path)).empty


def test_reingest_cannot_break_references_from_other_files(ws: Workspace, tmp_path: Path) -> None:
    """mini-report's recommendation is assessed in assessments/mini.yaml: a new version of the
    report without it is refused, naming the assessment that refers to it."""
    mini = ws.data / "reports" / "mini-report.yaml"
    text = mini.read_text(encoding="utf-8").split("recommendations:")[0]
    upload = tmp_path / "upload" / "mini-report.yaml"
    upload.parent.mkdir()
    upload.write_text(text, encoding="utf-8")
    before = ws.snapshot()
    with pytest.raises(IngestError) as refused:
        KnowledgeGraph(ws.settings).ingest(upload)
    problem = refused.value.problems[0]
    assert problem.file == str(ws.data / "assessments" / "mini.yaml")
    assert problem.field == "recommendation"
    assert ws.snapshot() == before


def test_cli_dry_run_and_refusal(ws: Workspace, tmp_path: Path) -> None:
    """The command is a thin layer: the summary on stdout; problems on stderr with exit code 1."""
    env_settings = {
        "KZGRAPH_DATA_DIR": str(ws.data),
        "KZGRAPH_BUILD_DIR": str(ws.build),
        "KZGRAPH_ONTOLOGY_DIR": str(ROOT / "ontology"),
    }
    kzgraph = [sys.executable, "-m", "kzgraph.cli", "ingest"]
    env = {**os.environ, **env_settings}
    before = ws.snapshot()
    dry = subprocess.run(
        [*kzgraph, str(FOLLOWUP), "--source", str(FOLLOWUP_TEXT), "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert dry.returncode == 0, dry.stderr
    assert "dry run for mini-followup: nothing written" in dry.stdout
    assert f"{REPORT_GRAPH}        0" in dry.stdout
    assert "in report/mini-followup: 1 Person, 1 Act, 1 StatisticalClaim" in dry.stdout
    bad = _variant(tmp_path, _sub("victims: [person/sam-sample]", "victims: [person/nobody]"))
    refused = subprocess.run(
        [*kzgraph, str(bad)], env=env, capture_output=True, text=True, check=False
    )
    assert refused.returncode == 1
    assert f"{bad}:24 entry acts[0] (sam-sample-detention-2031) field 'victims': " in refused.stderr
    assert "unknown reference 'person/nobody'" in refused.stderr
    unchecked = subprocess.run(
        [*kzgraph, str(FOLLOWUP), "--dry-run"], env=env, capture_output=True, text=True, check=False
    )
    assert unchecked.returncode == 1
    assert "evidence cannot be checked without the source text" in unchecked.stderr
    assert ws.snapshot() == before


# --- SIGKILL at several points of an ingest into the on-disk store --------------------------

INGEST_SCRIPT = """
import sys, time
from pathlib import Path
from kzgraph.core import KnowledgeGraph
from kzgraph.settings import Settings

def say(message):
    print(message, flush=True)

settings = Settings(data_dir=sys.argv[1], build_dir=sys.argv[2], ontology_dir=sys.argv[3])
KnowledgeGraph(settings).ingest(Path(sys.argv[4]), Path(sys.argv[5]), progress=say)
say("done")
"""
BIG_ACTS = 150


def _big_report(path: Path) -> tuple[Path, Path]:
    """An invented report with many acts (about 3,000 triples of its own, 2,000 inferred), and
    its source text: the follow-up's text, then one invented phrase per act."""
    text = FOLLOWUP_TEXT.read_text(encoding="utf-8").ljust(1000)
    phrases = []
    for i in range(BIG_ACTS):
        phrase = f"invented {i}"
        phrases.append((phrase, len(text), len(text) + len(phrase)))
        text += phrase + ". "
    source = path.with_suffix(".txt")
    source.write_text(text, encoding="utf-8")
    head = FOLLOWUP.read_text(encoding="utf-8").split("acts:")[0]
    head = head.replace("mini-followup", "mini-big")
    head = re.sub(
        r"sha256: \w+", f"sha256: {hashlib.sha256(source.read_bytes()).hexdigest()}", head
    )
    lines = [head, "acts:"]
    for i, (phrase, start, end) in enumerate(phrases):
        lines.append(
            f"  - id: big-detention-{i}\n    type: detention\n    date: 2031-05\n"
            "    place: place/almaty\n    victims: [person/sam-sample]\n"
            f"    perpetrators: [org/government-of-kazakhstan]\n"
            f"    summary: Invented detention number {i}.\n"
            f"    evidence:\n      - {{exact: {phrase}, start: {start}, end: {end}}}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, source


def _start(ws: Workspace, report: Path, source: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            INGEST_SCRIPT,
            str(ws.data),
            str(ws.build),
            str(ROOT / "ontology"),
            str(report),
            str(source),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _kill_when(
    process: subprocess.Popen[str], marker: str, delay: float, meanwhile: Callable[[], None]
) -> list[str]:
    seen = []
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line.strip())
        if line.startswith(marker):
            meanwhile()
            time.sleep(delay)
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    return seen


@pytest.fixture(scope="module")
def big_ingest(mini_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """A workspace before the big ingest, and the store after a complete one."""
    root = tmp_path_factory.mktemp("kill")
    base = make_workspace(mini_build, root / "base")
    report, source = _big_report(root / "mini-big.yaml")
    done = root / "done"
    shutil.copytree(root / "base", done)
    finished = Workspace(settings_for(done / "data", done / "build"))
    run = _start(finished, report, source)
    assert run.wait(timeout=300) == 0
    return base, report, source, base.store_quads(), finished.store_quads()


# (the progress line to wait for, seconds to wait after it)
KILL_POINTS = {
    "while reasoning": ("SHACL: conforms", 0.0),
    "as the transaction starts": ("store: committing", 0.0),
    "inside the transaction": ("store: committing", 0.03),
    "after the commit, writing build/": ("store: committed", 0.1),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_sigkill_leaves_the_store_before_or_after_never_between(
    big_ingest: tuple, tmp_path: Path, point: str
) -> None:
    base, report, source, before, after = big_ingest
    shutil.copytree(base.data.parent, tmp_path / "ws")
    ws = Workspace(settings_for(tmp_path / "ws" / "data", tmp_path / "ws" / "build"))
    assert len(after) > len(before) + 4_000
    marker, delay = KILL_POINTS[point]

    def second_ingest() -> None:
        """While one ingest runs, another (here in this process) is refused at once."""
        if point == "while reasoning":
            with pytest.raises(StoreBusy, match="Another process"):
                KnowledgeGraph(ws.settings).ingest(FOLLOWUP, FOLLOWUP_TEXT)

    seen = _kill_when(_start(ws, report, source), marker, delay, second_ingest)
    assert any(line.startswith(marker) for line in seen), seen
    quads = ws.store_quads()  # reopens the RocksDB store the killed process had open
    assert quads in (before, after), (len(before), len(quads), len(after))
    print(f"killed {point}: the store is as {'before' if quads == before else 'after'}")
    _build_after_the_kill_keeps_what_was_committed(ws, tmp_path / "build-instead", quads)
    landed = ws.data / "reports" / "mini-big.yaml"
    if point == "while reasoning":
        assert quads == before and not landed.exists()
    if quads == before:
        assert not landed.exists()
    if quads == after:
        assert pending_marker(ws.settings).exists()  # so that the next ingest finishes build/
    if point.startswith("after the commit"):
        # the store is ahead of data/ and build/: ingesting again completes the ingest
        outcome = KnowledgeGraph(ws.settings).ingest(report, source)
        assert outcome.committed and outcome.changes.empty
        assert ws.store_quads() == after
        assert landed.read_bytes() == report.read_bytes()
        assert not pending_marker(ws.settings).exists()
        manifest = json.loads((ws.build / "manifest.json").read_text())
        assert str(graph_iri("report/mini-big")) in manifest["graphs"]
        with DurableStore.open(ws.settings.durable_store_dir) as store:
            assert diff(store.oxigraph, read_nquads(ws.settings.dump_path)).empty


def _build_after_the_kill_keeps_what_was_committed(
    killed: Workspace, copy: Path, quads: set[ox.Quad]
) -> None:
    """``kzgraph build`` (not ingest) run next, on a copy of the killed workspace: a report the
    store committed lands in data/ and stays; one that was not committed stays out."""
    shutil.copytree(killed.data.parent, copy)
    ws = Workspace(settings_for(copy / "data", copy / "build"))
    KnowledgeGraph(ws.settings).build()
    assert ws.store_quads() == quads
    assert (ws.data / "reports" / "mini-big.yaml").exists() == (
        len(quads) > 0
        and any(str(q.graph_name.value) == str(graph_iri("report/mini-big")) for q in quads)
    )
    assert not pending_marker(ws.settings).exists()
    with DurableStore.open(ws.settings.durable_store_dir) as store:
        assert diff(store.oxigraph, read_nquads(ws.settings.dump_path)).empty


def test_evidence_is_checked_even_without_a_source(ws: Workspace, tmp_path: Path) -> None:
    """Wrong offsets and no source text: refused, saying how to give the text (audit, finding 7)."""
    wrong = _variant(tmp_path, _sub("start: 138, end: 181}", "start: 139, end: 182}"))
    before = ws.snapshot()
    for dry_run in (True, False):
        with pytest.raises(IngestError) as refused:
            KnowledgeGraph(ws.settings).ingest(wrong, dry_run=dry_run)
        (problem,) = refused.value.problems
        assert (problem.file, problem.field) == (str(wrong), "source")
        assert "cannot be checked without the source text mini-followup.txt" in problem.message
        assert "--source" in problem.message and "KZGRAPH_SOURCES_DIR is not set" in problem.message
    elsewhere = ws.settings.model_copy(update={"sources_dir": tmp_path})
    with pytest.raises(IngestError) as refused:
        KnowledgeGraph(elsewhere).ingest(wrong)
    assert f"KZGRAPH_SOURCES_DIR ({tmp_path}) has no file mini-followup.txt" in str(refused.value)
    # the sources folder is used when it holds the text: then the wrong offsets are found
    with_sources = ws.settings.model_copy(update={"sources_dir": FOLLOWUP_TEXT.parent})
    with pytest.raises(IngestError) as refused:
        KnowledgeGraph(with_sources).ingest(wrong)
    assert "the source has" in refused.value.problems[0].message
    assert KnowledgeGraph(with_sources).ingest(FOLLOWUP, dry_run=True).dry_run
    assert ws.snapshot() == before


def test_a_refused_first_ingest_creates_no_store(ws: Workspace, tmp_path: Path) -> None:
    shutil.rmtree(ws.settings.durable_store_dir)
    files = ws.files()
    bad = _variant(tmp_path, _sub("victims: [person/sam-sample]", "victims: [person/nobody]"))
    for report, source in ((bad, FOLLOWUP_TEXT), (FOLLOWUP, None)):
        with pytest.raises(IngestError):
            KnowledgeGraph(ws.settings).ingest(report, source)
        assert not ws.settings.durable_store_dir.exists()
        assert ws.files() == files
    assert KnowledgeGraph(ws.settings).ingest(FOLLOWUP, FOLLOWUP_TEXT).committed
    assert ws.settings.durable_store_dir.exists()


class _Killed(BaseException):
    """Stands for a SIGKILL at a chosen line: nothing after it runs."""


def test_build_after_a_kill_between_commit_and_file_keeps_the_report(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window the audit found: the store committed, the report file not yet in data/. The
    next ``kzgraph build`` lands the file from build/ingest-pending instead of dropping it."""

    def killed(path: Path, data: bytes) -> None:
        raise _Killed

    monkeypatch.setattr("kzgraph.pipeline.ingest.write_atomically", killed)
    with pytest.raises(_Killed):
        KnowledgeGraph(ws.settings).ingest(FOLLOWUP, FOLLOWUP_TEXT)
    monkeypatch.undo()
    landed = ws.data / "reports" / "mini-followup.yaml"
    committed = ws.store_quads()
    assert not landed.exists() and pending_marker(ws.settings).exists()
    assert any(str(q.graph_name.value) == REPORT_GRAPH for q in committed)
    messages: list[str] = []
    KnowledgeGraph(ws.settings).build(messages.append)
    assert any("finished the interrupted ingest of mini-followup" in m for m in messages)
    assert landed.read_bytes() == FOLLOWUP.read_bytes()
    assert ws.store_quads() == committed
    assert not pending_marker(ws.settings).exists()
    with DurableStore.open(ws.settings.durable_store_dir) as store:
        assert diff(store.oxigraph, read_nquads(ws.settings.dump_path)).empty


def test_build_after_a_kill_before_the_commit_forgets_the_mark(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(changes: object) -> None:
        raise _Killed

    before = ws.store_quads()
    monkeypatch.setattr(DurableStore, "apply", lambda self, changes: killed(changes))
    with pytest.raises(_Killed):
        KnowledgeGraph(ws.settings).ingest(FOLLOWUP, FOLLOWUP_TEXT)
    monkeypatch.undo()
    assert pending_marker(ws.settings).exists()
    messages: list[str] = []
    KnowledgeGraph(ws.settings).build(messages.append)
    assert any("interrupted before its commit" in m for m in messages)
    assert not (ws.data / "reports" / "mini-followup.yaml").exists()
    assert ws.store_quads() == before
    assert not pending_marker(ws.settings).exists()
