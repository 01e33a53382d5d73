"""The one core object: everything the CLI and the web app do goes through KnowledgeGraph."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kzgraph.annotations import AnnotationSet, load_annotations
from kzgraph.annotations.errors import Problem
from kzgraph.annotations.evidence import verify_evidence
from kzgraph.pipeline.ingest import IngestOutcome
from kzgraph.pipeline.run import run as run_pipeline
from kzgraph.pipeline.stages import BuildResult, OntologyFiles, Progress, checked_annotations
from kzgraph.settings import Settings
from kzgraph.sparql.canned import CannedQuery, QueryError, load_queries
from kzgraph.sparql.guard import dataset_clause, inspect_query, star_columns
from kzgraph.sparql.workers import Job, Outcome, evaluate
from kzgraph.store.memory import GraphStore

if TYPE_CHECKING:
    from kzgraph.draft import Draft
    from kzgraph.linked.entity import ResourcePage
    from kzgraph.linked.ontology import OntologyDocuments
    from kzgraph.pipeline.dumps import Dump
    from kzgraph.site.overview import Overview
    from kzgraph.site.partitions import Partitions
    from kzgraph.site.search import SearchIndex


def _quiet(_: str) -> None:
    pass


Runner = Callable[[Job], Outcome]


class SiteQueryFailed(Exception):
    """A query behind the home page or the search failed (the store is down or refused it)."""


class KnowledgeGraph:
    """Builds, checks and queries the graph described by settings."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self._queries: dict[str, CannedQuery] | None = None
        self._store: GraphStore | None = None
        self._search: SearchIndex | None = None
        self._overview: Overview | None = None
        self._partitions: Partitions | None = None
        self._dumps: tuple[object, list[Dump]] | None = None
        self._ontology_documents: OntologyDocuments | None = None
        self._shapes_documents: OntologyDocuments | None = None

    @property
    def ontology_files(self) -> OntologyFiles:
        return OntologyFiles.in_dir(self.settings.ontology_dir)

    @property
    def dump_path(self) -> Path:
        return self.settings.dump_path

    def annotations(self) -> AnnotationSet:
        """The annotation files, read and checked as the build's load stage reads them."""
        return checked_annotations(self.settings.data_dir)

    def check(self, progress: Progress = _quiet) -> BuildResult:
        """Load, map and validate without writing anything."""
        return run_pipeline(self.settings, until="validate", progress=progress)

    def build(self, progress: Progress = _quiet, *, reasoning: bool = True) -> BuildResult:
        """The whole build (kzgraph.pipeline.run); on any error nothing in build/ is replaced.
        An ingest that was killed after its commit is finished first."""
        result = run_pipeline(self.settings, reasoning=reasoning, progress=progress)
        self._store = None
        self.reset_site_caches()
        return result

    def open_store(self) -> GraphStore:
        """The built graph, loaded for querying (once, until the next build)."""
        if self._store is None:
            self._store = GraphStore.from_nquads(self.dump_path)
        return self._store

    def push(
        self, progress: Progress = _quiet, chunk_size: int = 5_000, *, merge: bool = False
    ) -> dict[str, int]:
        """Replace the kzgraph graphs in the remote store (``KZGRAPH_STORE``) with the build's;
        with ``merge``, also make the store's default graph their merge."""
        from kzgraph.namespaces import GRAPH
        from kzgraph.store.client import StoreError
        from kzgraph.store.push import push

        urls = self.settings.store_urls()
        if urls is None:
            raise StoreError(
                "no store to push to: set KZGRAPH_STORE to 'QUERY_URL UPDATE_URL' (docs/store.md)"
            )
        return push(self.dump_path, urls, str(GRAPH), progress, chunk_size, merge=merge)

    def queries(self) -> dict[str, CannedQuery]:
        """The canned queries of ``queries/``, read once (a server picks up edits on restart)."""
        if self._queries is None:
            self._queries = load_queries(self.settings.queries_dir)
        return self._queries

    def canned_job(self, name: str, params: dict[str, str], media: str) -> Job:
        """A checked job for a canned query; unknown names are 404, bad parameters 422."""
        query = self.queries().get(name)
        if query is None:
            raise QueryError(404, f"no canned query named {name!r}")
        return Job(
            query=query.text,
            media=media,
            max_rows=self.settings.max_rows,
            substitutions=query.bindings(params),
        )

    def run_canned(self, name: str, params: dict[str, str], media: str) -> Outcome:
        """Run a canned query in this process (the CLI and tests; the server uses its workers)."""
        return evaluate(self.open_store().oxigraph, self.canned_job(name, params, media))

    def sparql_job(self, query: str, media: str) -> Job:
        """An ad-hoc query under the endpoint's rules: SERVICE and updates refused (QueryRefused),
        FROM selects stored graphs, otherwise the default graph is the merge of all graphs."""
        shape = inspect_query(query)
        clause = dataset_clause(query) if shape.has_from else None
        return Job(
            query,
            media,
            self.settings.max_rows,
            query_names_dataset=shape.has_from,
            from_graphs=clause[0] if clause else None,
            from_named_graphs=clause[1] if clause else None,
            columns=star_columns(query),
        )

    def run_sparql(self, query: str, media: str) -> Outcome:
        """Run an ad-hoc query in this process, as the endpoint's workers would."""
        return evaluate(self.open_store().oxigraph, self.sparql_job(query, media))

    def verify_evidence(self, sources: Path) -> tuple[int, list[Problem]]:
        return verify_evidence(load_annotations(self.settings.data_dir), sources)

    def draft(
        self,
        source: Path,
        *,
        report_id: str,
        publisher: tuple[str, ...],
        issued: str,
        title: str | None = None,
        genre: str = "world-report",
        out: Path | None = None,
        force: bool = False,
    ) -> Draft:
        """Draft the annotation file of a new report text against the entities the data already
        holds; written to ``out`` (default ``<data>/reports/<report_id>.yaml``), never over an
        existing file unless ``force`` (docs/decisions/0009-draft.md)."""
        from kzgraph.draft import DraftRequest, KnownGraph, draft_report

        request = DraftRequest(source, report_id, publisher, issued, title, genre)
        known = KnownGraph.from_data(self.settings.data_dir)
        target = out or self.settings.data_dir / "reports" / f"{report_id}.yaml"
        return draft_report(request, known, target, force=force)

    # The site around the graph (docs/decisions/0008-site-pages.md): the home page's overview, the
    # search index and the dumps. Each is computed once; ``run`` evaluates a job (the server
    # passes its query backend, so a remote store answers too; by default, in this process).
    def select(self, query: str, run: Runner | None = None) -> list[dict[str, str]]:
        """A SELECT of ours as ``{variable: value}`` rows; raises SiteQueryFailed."""
        from kzgraph.site.search import bindings

        job = Job(query, "application/sparql-results+json", 10_000_000)
        outcome = run(job) if run else evaluate(self.open_store().oxigraph, job)
        if outcome.error:
            raise SiteQueryFailed(f"the store could not answer: {outcome.message}")
        return bindings(json.loads(outcome.body))

    def search_index(self, run: Runner | None = None) -> SearchIndex:
        """Labels and other spellings of people, bodies, places, laws, events and reports."""
        from kzgraph.site.search import SearchIndex, all_rows

        if self._search is None:
            self._search = SearchIndex.from_rows(all_rows(lambda q: self.select(q, run)))
        return self._search

    def overview(self, run: Runner | None = None) -> Overview:
        """Counts per class and graph, and the reports' metadata."""
        from kzgraph.site.overview import overview

        if self._overview is None:
            self._overview = overview(lambda q: self.select(q, run))
        return self._overview

    def partitions(self, run: Runner | None = None) -> Partitions:
        """The VoID class and property partitions of the default graph (the merge)."""
        from kzgraph.site.partitions import partitions

        if self._partitions is None:
            self._partitions = partitions(lambda q: self.select(q, run))
        return self._partitions

    def dumps(self) -> list[Dump]:
        """The gzip dumps in build/ with sizes and checksums (read again when the build changes)."""
        from kzgraph.pipeline.dumps import find_dumps

        build = self.settings.build_dir
        stamp = tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(build.glob("*.gz"))
        )
        if self._dumps is None or self._dumps[0] != stamp:
            self._dumps = (stamp, find_dumps(build))
        return self._dumps[1]

    # Linked data (kzgraph.linked, docs/decisions/0007-linked-data.md): jobs for the workers
    # that answer a dereferenced IRI, the content of its page, and the ontology's documents.
    def describe_job(self, iri: str, media: str) -> Job:
        from kzgraph.linked.describe import describe_job

        return describe_job(iri, media, self.settings.max_rows)

    def page_job(self, iri: str) -> Job:
        from kzgraph.linked.describe import page_job

        return page_job(iri)

    def graph_job(self, iri: str, media: str, size: int) -> Job:
        from kzgraph.linked.describe import graph_job

        return graph_job(iri, media, size)

    def default_graph_job(self, media: str) -> Job:
        from kzgraph.linked.describe import default_graph_job

        return default_graph_job(media)

    def resource_page(self, iri: str, ntriples: bytes) -> ResourcePage | None:
        from kzgraph.linked.entity import resource_page

        return resource_page(iri, ntriples)

    def shapes_documents(self) -> OntologyDocuments:
        """The SHACL shapes at their IRI (``…/shapes``): the hand-edited Turtle and conversions."""
        from kzgraph.linked.ontology import OntologyDocuments
        from kzgraph.namespaces import SHAPES_IRI

        if self._shapes_documents is None:
            self._shapes_documents = OntologyDocuments(self.ontology_files.shapes, None, SHAPES_IRI)
        return self._shapes_documents

    def ontology_documents(self) -> OntologyDocuments:
        """The ontology's representations (read once; the build writes the HTML and RDF/XML)."""
        from kzgraph.linked.ontology import OntologyDocuments
        from kzgraph.namespaces import ONTOLOGY_IRI

        if self._ontology_documents is None:
            self._ontology_documents = OntologyDocuments(
                self.ontology_files.ontology, self.settings.build_dir / "ontology", ONTOLOGY_IRI
            )
        return self._ontology_documents

    # ingest (kzgraph.pipeline.ingest, docs/decisions/0010-ingest.md)
    def ingest(
        self,
        annotation: Path,
        source: Path | None = None,
        *,
        dry_run: bool = False,
        display: str | None = None,
        source_display: str | None = None,
        progress: Progress = _quiet,
    ) -> IngestOutcome:
        """Add or replace one report: validated with everything else, committed to the durable
        store in one transaction, then written to data/reports/ and build/ (IngestError,
        StoreBusy: nothing changed)."""
        from kzgraph.pipeline.ingest import ingest

        outcome = ingest(
            self.settings,
            self.ontology_files,
            annotation,
            source,
            dry_run=dry_run,
            display=display,
            source_display=source_display,
            progress=progress,
        )
        if outcome.committed:
            self._store = None
            self.reset_site_caches()
        return outcome

    def reset_site_caches(self) -> None:
        """Forget the search index, overview and ontology documents: the next use computes them
        from the new graph and build/."""
        self._search = self._overview = self._partitions = None
        self._ontology_documents = None
        self._shapes_documents = None

    def sync_store(self, result: BuildResult) -> None:
        """Bring the durable store (when there is one) in line with a build, in one transaction."""
        from kzgraph.pipeline.sync import sync_store

        sync_store(self.settings.durable_store_dir, result)


def terminal_progress(message: str) -> None:
    print(f"kzgraph: {message}", file=sys.stderr, flush=True)
