"""The ``kzgraph`` command: a thin front door over :class:`kzgraph.core.KnowledgeGraph`."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click
from pydantic import ValidationError

from kzgraph.annotations import AnnotationError
from kzgraph.core import KnowledgeGraph
from kzgraph.formats import SOLUTIONS, SPARQL_JSON, TURTLE, by_name
from kzgraph.settings import Settings
from kzgraph.sparql.formats import text_table
from kzgraph.sparql.workers import Outcome


def _fail(exc: Exception) -> None:
    click.echo(str(exc), err=True)
    sys.exit(1)


sources_option = click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="Folder holding the source report texts.",
)


class _Commands(click.Group):
    """The commands, with a missing file or folder said in one line rather than a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
            name = exc.filename if getattr(exc, "filename", None) else None
            click.echo(
                f"kzgraph: {exc.strerror or exc}: {name}" if name else f"kzgraph: {exc}", err=True
            )
            sys.exit(1)


def _quiet_libraries() -> None:
    """Warnings and errors of libraries on stderr; their INFO and DEBUG lines (pyLODE logs on
    the root logger and raises its level) nowhere. Our access log has its own handler."""
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("kzgraph: %(name)s: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


@click.group(cls=_Commands)
@click.version_option(package_name="kzgraph")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of annotation files (default: ./data, or KZGRAPH_DATA_DIR).",
)
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """Build, check and serve the kzgraph knowledge graph."""
    _quiet_libraries()
    try:
        ctx.obj = Settings(data_dir=data_dir) if data_dir else Settings()
    except ValidationError as exc:
        _fail(exc)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path), required=True)
@sources_option
@click.pass_obj
def locate(settings: Settings, files: tuple[Path, ...], sources: Path) -> None:
    """Fill in the offsets of evidence phrases in annotation FILES."""
    from kzgraph.annotations.locate import Sources, locate_file

    index = Sources.for_data(settings.data_dir, sources)
    failed = False
    for path in files:
        try:
            n = locate_file(path, index)
            click.echo(f"{path}: {n} phrase(s) located")
        except AnnotationError as exc:
            click.echo(str(exc), err=True)
            failed = True
    if failed:
        sys.exit(1)


def _progress(settings: Settings) -> Callable[[str], None]:
    from kzgraph.core import terminal_progress

    quiet = os.environ.get("CI") or not sys.stderr.isatty()
    return (lambda _: None) if quiet else terminal_progress


def _run_build(kg: KnowledgeGraph, action: Callable[[], object]) -> None:
    from kzgraph.pipeline.pending import InterruptedIngest
    from kzgraph.pipeline.stages import ValidationFailed
    from kzgraph.store.durable import StoreBusy

    try:
        action()
    except (AnnotationError, ValidationFailed, StoreBusy, InterruptedIngest) as exc:
        _fail(exc)


@main.command()
@click.pass_obj
def check(settings: Settings) -> None:
    """Load, map and validate the annotations; write nothing."""
    kg = KnowledgeGraph(settings)
    _run_build(kg, lambda: kg.check(_progress(settings)))
    click.echo("kzgraph: the annotations load, map and conform to the shapes")


@main.command()
@click.option("--no-reasoning", is_flag=True, help="Skip OWL 2 RL inference (faster).")
@click.pass_obj
def build(settings: Settings, no_reasoning: bool) -> None:
    """Build the graph into build/: N-Quads, TriG, JSON-LD and the ontology copies."""
    kg = KnowledgeGraph(settings)
    _run_build(kg, lambda: kg.build(_progress(settings), reasoning=not no_reasoning))
    click.echo(f"kzgraph: built {kg.dump_path}")


@main.command("verify-evidence")
@sources_option
@click.pass_obj
def verify_evidence_cmd(settings: Settings, sources: Path) -> None:
    """Check every cited phrase at its offsets and the SHA-256 of each source."""
    kg = KnowledgeGraph(settings)
    try:
        checked, problems = kg.verify_evidence(sources)
    except AnnotationError as exc:
        _fail(exc)
        return
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(
            f"kzgraph: {len(problems)} of {checked} phrases or sources do not match", err=True
        )
        sys.exit(1)
    click.echo(f"kzgraph: all {checked} phrases stand at their offsets")


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.option(
    "--get",
    "get_path",
    default=None,
    help="Run one GET request through the app in-process, print it and exit.",
)
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None, get_path: str | None) -> None:
    """Serve the built graph over HTTP (SPARQL at /sparql)."""
    from kzgraph.api.app import create_app

    # the links the server writes use the address it serves (Settings.site_url)
    settings = settings.model_copy(
        update={"host": host or settings.host, "port": port or settings.port}
    )
    app = create_app(settings)
    if get_path is not None:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # starlette: "Using httpx with TestClient"
            from fastapi.testclient import TestClient

        with TestClient(app) as client:
            response = client.get(get_path)
            click.echo(response.text)
            sys.exit(0 if response.status_code < 400 else 1)
    if not settings.store and not settings.dump_path.exists():
        _fail(FileNotFoundError(f"{settings.dump_path} not found: run 'kzgraph build'"))
    import uvicorn

    access = logging.getLogger("kzgraph.access")
    access.setLevel(logging.INFO)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    access.addHandler(handler)
    from kzgraph.api.connection import guarded_protocol

    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        server_header=False,  # no "server: uvicorn"
        http=guarded_protocol(settings.header_timeout),
    )


@main.command()
@click.option(
    "--chunk", type=click.IntRange(min=1), default=5_000, help="Quads per INSERT DATA request."
)
@click.option(
    "--merge/--no-merge",
    default=True,
    show_default=True,
    help="Also write the merge of the graphs (each triple once) as the store's default graph, "
    "which KZGRAPH_STORE_UNION=merged (the default) queries.",
)
@click.pass_obj
def push(settings: Settings, chunk: int, merge: bool) -> None:
    """Load build/kzgraph.nq into the SPARQL store named by KZGRAPH_STORE (docs/store.md); with
    KZGRAPH_STORE_GRAPHS, only the graphs that differ are written, one Graph Store PUT each."""
    from kzgraph.store.client import StoreError

    try:
        KnowledgeGraph(settings).push(lambda m: click.echo(f"kzgraph: {m}"), chunk, merge=merge)
    except (StoreError, FileNotFoundError) as exc:
        _fail(exc)


@main.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def sparql(settings: Settings, query: str, fmt: str) -> None:
    """Run an ad-hoc SPARQL query over the built graph (under the endpoint's rules)."""
    from kzgraph.sparql.diagnose import explain
    from kzgraph.sparql.guard import QueryRefused

    # solutions as the format asks (a table is printed from JSON); a graph as Turtle
    solutions = (by_name(fmt, SOLUTIONS) or SPARQL_JSON).media
    accept = f"{solutions}, {TURTLE.media};q=0.5"
    try:
        outcome = KnowledgeGraph(settings).run_sparql(query, accept)
    except QueryRefused as exc:
        _fail(ValueError(exc.message))
        return
    if outcome.error == "syntax":
        _fail(ValueError(explain(query, outcome.message).message))
    _print_outcome(outcome, "turtle" if outcome.media == TURTLE.media else fmt, settings)


@main.command()
@click.pass_obj
def stats(settings: Settings) -> None:
    """Counts by class and named graph of the built graph, as a Markdown table."""
    from kzgraph.pipeline.stats import markdown_table

    if not settings.dump_path.exists():
        _fail(FileNotFoundError(f"{settings.dump_path} not found: run 'kzgraph build' first"))
    click.echo(markdown_table(KnowledgeGraph(settings).select))


@main.command("queries")
@click.pass_obj
def list_queries(settings: Settings) -> None:
    """List the canned queries and their parameters."""
    queries = KnowledgeGraph(settings).queries()
    if not queries:
        _fail(FileNotFoundError(f"no canned queries (*.rq) in {settings.queries_dir}"))
    for query in queries.values():
        params = ", ".join(f"{p.name}={p.default}" for p in query.parameters)
        click.echo(f"{query.name}: {query.summary}" + (f"  [{params}]" if params else ""))


@main.command()
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="K=V", help="A parameter value.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def query(settings: Settings, name: str, params: tuple[str, ...], fmt: str) -> None:
    """Run the canned query NAME over the built graph."""
    from kzgraph.sparql.canned import QueryError

    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            _fail(click.BadParameter(f"expected K=V, got {item!r}", param_hint="--param"))
        values[key] = value
    media = (by_name(fmt, SOLUTIONS) or SPARQL_JSON).media  # a table is printed from JSON
    try:
        outcome = KnowledgeGraph(settings).run_canned(name, values, media)
    except QueryError as exc:
        _fail(exc)
        return
    _print_outcome(outcome, fmt, settings)


def _print_outcome(outcome: Outcome, fmt: str, settings: Settings) -> None:
    """An evaluated query on stdout (a table, or the serialised body); errors on stderr."""
    if outcome.error:
        _fail(ValueError(outcome.message))
    if fmt == "table":
        click.echo(text_table(outcome.body), nl=False)
    else:
        click.echo(outcome.body.decode("utf-8"), nl=False)


@main.command()
@click.argument("report", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--id", "report_id", required=True, help="Report id (a slug), e.g. hrw-world-report-2025."
)
@click.option(
    "--publisher",
    multiple=True,
    required=True,
    help="Publisher: an org/… id of the graph or a name (repeatable).",
)
@click.option("--issued", required=True, help="Date of issue: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--title", default=None, help="Title (default: the text's first line).")
@click.option(
    "--genre",
    type=click.Choice(["world-report", "upr-submission", "civic-space-update", "report-summary"]),
    default="world-report",
    show_default=True,
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the draft (default: <data>/reports/ID.yaml).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file at the output path.")
@click.pass_obj
def draft(
    settings: Settings,
    report: Path,
    report_id: str,
    publisher: tuple[str, ...],
    issued: str,
    title: str | None,
    genre: str,
    out: Path | None,
    force: bool,
) -> None:
    """Draft the annotation file of the plain-text REPORT for an analyst to edit."""
    from kzgraph.draft import DraftInputError

    try:
        result = KnowledgeGraph(settings).draft(
            report,
            report_id=report_id,
            publisher=publisher,
            issued=issued,
            title=title,
            genre=genre,
            out=out,
            force=force,
        )
    except (DraftInputError, AnnotationError) as exc:
        _fail(exc)
        return
    found = result.extraction
    click.echo(
        f"kzgraph: wrote {result.path}: {len(found.mentions)} known spelling(s), "
        f"{len(found.new)} new entit(y/ies), {len(found.acts)} act(s), "
        f"{len(found.statistics)} statistic(s) to check (marked '# draft: check')"
    )


@main.command()
@click.argument("annotation", type=click.Path(path_type=Path))
@click.option(
    "--source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The report's plain text: check every phrase at its offsets and the SHA-256.",
)
@click.option("--dry-run", is_flag=True, help="Check and show what would change; write nothing.")
@click.pass_obj
def ingest(settings: Settings, annotation: Path, source: Path | None, dry_run: bool) -> None:
    """Add or replace one report (a data/reports/*.yaml file) in the built graph, atomically."""
    from kzgraph.pipeline.ingest import IngestError, ingest_summary
    from kzgraph.pipeline.pending import InterruptedIngest
    from kzgraph.store.durable import StoreBusy

    try:
        outcome = KnowledgeGraph(settings).ingest(
            annotation, source, dry_run=dry_run, progress=_progress(settings)
        )
    except (IngestError, StoreBusy, InterruptedIngest) as exc:
        _fail(exc)
        return
    click.echo(ingest_summary(outcome))


if __name__ == "__main__":
    main()
