"""The one core object: everything the CLI, the web app, the benchmarks and the tests do goes
through a :class:`KnowledgeGraph`. It runs the pipeline, owns the store it answers from (opened
as the settings say: :mod:`kzgraph.store.live`) and evaluates every query through it."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kzgraph.annotations import AnnotationSet, load_annotations
from kzgraph.annotations.errors import Problem
from kzgraph.annotations.evidence import verify_evidence
from kzgraph.formats import CSV, SPARQL_JSON
from kzgraph.linked import describe
from kzgraph.linked.entity import resource_page
from kzgraph.namespaces import GRAPH
from kzgraph.pipeline import ingest as ingesting
from kzgraph.pipeline.ingest import IngestOutcome
from kzgraph.pipeline.run import run as run_pipeline
from kzgraph.pipeline.stages import BuildResult, OntologyFiles, Progress, checked_annotations
from kzgraph.pipeline.sync import sync_store
from kzgraph.settings import Settings
from kzgraph.site.data import SiteData
from kzgraph.site.results.labels import Label, labels_query, read_labels
from kzgraph.site.search import bindings
from kzgraph.sparql.canned import CannedQuery, QueryError, load_queries, split_options
from kzgraph.sparql.fairness import FairnessPolicy
from kzgraph.sparql.protocol import Limits, ProtocolRequest, query_job
from kzgraph.sparql.service import SparqlService
from kzgraph.sparql.workers import Job, Outcome, PoolBusy, QueryTimeout, WorkerCrashed
from kzgraph.store.client import StoreError
from kzgraph.store.engines import ENGINES
from kzgraph.store.graph_store import push_graphs
from kzgraph.store.live import LiveStore, open_embedded, open_remote
from kzgraph.store.memory import GraphStore
from kzgraph.store.push import push as push_to

if TYPE_CHECKING:
    from kzgraph.answer import Answer
    from kzgraph.draft import Draft
    from kzgraph.linked.entity import ResourcePage


def _quiet(_: str) -> None:
    pass


class SiteQueryFailed(Exception):
    """A query behind the home page or the search failed (the store is down or refused it)."""


class IngestBusy(Exception):
    """Another report is being ingested by this server."""


class KnowledgeGraph:
    """Builds, checks and queries the graph described by settings.

    Queries run on the store the settings name (:mod:`kzgraph.store.live`), opened on first use:
    in this process for one command, or by :meth:`open` for a server (worker processes, or the
    remote store). After an ingest, :meth:`reload` puts the new build in its place."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        s = self.settings
        self.limits = Limits(
            s.max_body_bytes, s.max_url_bytes, s.max_nesting, s.max_rows, s.max_answer_bytes
        )
        self.service = SparqlService(
            self.live,
            self.limits,
            s.query_timeout,
            s.cache_max_age,
            FairnessPolicy(s.client_budget, s.budget_window, s.client_concurrency),
            s.result_cache_bytes,
        )
        self._live: LiveStore | None = None
        self._serving = False
        self._ingesting = threading.Lock()
        self._queries: dict[str, CannedQuery] | None = None
        self._store: GraphStore | None = None
        self.site: SiteData
        self.reset_site_caches()

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
        self._forget_build()
        return result

    def open_store(self) -> GraphStore:
        """The built graph, loaded into memory (once, until the next build)."""
        if self._store is None:
            self._store = GraphStore.from_nquads(self.dump_path)
        return self._store

    # The store queries run on (kzgraph.store.live)
    def open(self) -> None:
        """Open the store for serving: fork the query workers over the build loaded in memory,
        or connect to the remote store (``KZGRAPH_STORE``)."""
        self._serving = True
        if self._live is not None:
            self._live.close()
        self._live = self._open_live()
        self._warm_answers()

    def close(self) -> None:
        """Stop the query workers (a server's shutdown)."""
        if self._live is not None:
            self._live.close()
            self._live = None

    def live(self) -> LiveStore:
        """The store being answered from, opened now if it was not."""
        if self._live is None:
            self._live = self._open_live()
        return self._live

    def _open_live(self) -> LiveStore:
        if self.settings.store:
            return open_remote(self.settings)
        return open_embedded(
            self.settings, self.open_store(), self.dump_path, serving=self._serving
        )

    def reload(self) -> None:
        """Answer from the current build from now on (after an ingest): queries already running
        finish on the old store, which is then closed."""
        old = self._live
        self._store = None
        self._live = self._open_live()
        self.service.cache.clear()  # the old build's answers (their keys name its version too)
        self.reset_site_caches()  # after the swap: computed from the new store
        if self._serving:
            self._warm_answers()
        if old is not None:
            old.retire(self.settings.query_timeout + 5)

    def _warm_answers(self) -> None:
        """In the background, answer the canned queries that need no parameter into the answer
        cache (their SPARQL JSON, which their pages are made from): docs/decisions/0027."""
        if not (self.settings.warm_answers and self.service.cache.enabled):
            return
        if not self.live().cacheable:
            return
        try:
            queries = self.queries()
        except (QueryError, ValueError, OSError):
            return  # the queries' own routes report what is wrong with them
        jobs = []
        for name in sorted(queries):
            try:
                jobs.append(self.canned_job(name, {}, SPARQL_JSON.media))
            except QueryError:
                continue  # a parameter without a default
        threading.Thread(
            target=self.service.warm, args=(jobs,), name="kzgraph-warm-answers", daemon=True
        ).start()

    @property
    def graphs(self) -> dict[str, int]:
        """Triples per named graph of the store being answered from."""
        return self.live().graphs

    @property
    def triples(self) -> int:
        """Triples in the default graph (the merge of the named graphs: each triple once)."""
        return self.live().triples

    @property
    def version(self) -> str:
        return self.live().version

    def run(self, job: Job, timeout: float | None = None) -> Outcome:
        """Evaluate a checked job on the store, as the server's own query (never throttled)."""
        return self.live().backend.run(job, timeout or self.settings.query_timeout, None)

    async def answer(self, request: ProtocolRequest) -> Answer:
        """A SPARQL 1.1 Protocol request, answered (kzgraph.sparql.service)."""
        return await self.service.answer(request)

    async def execute(
        self, job: Job, if_none_match: str | None, started: float, client: str = ""
    ) -> Answer:
        """A checked job evaluated for ``client``, under the deadline and the client's share,
        with its caching headers (a 304 when ``if_none_match`` names its ETag)."""
        return await self.service.execute(job, if_none_match, started, client)

    def etag(self, job: Job) -> str:
        """The ETag of ``job``'s answer from the store being answered from."""
        return self.service.etag(job, self.version)

    def push(
        self, progress: Progress = _quiet, chunk_size: int = 5_000, *, merge: bool = True
    ) -> dict[str, int]:
        """Replace the kzgraph graphs in the remote store (``KZGRAPH_STORE``) with the build's;
        with ``merge``, also make the store's default graph their merge. With a Graph Store URL
        (``KZGRAPH_STORE_GRAPHS``) only the graphs that differ are written, one PUT each."""
        urls = self.settings.store_urls()
        if urls is None:
            raise StoreError(
                "no store to push to: set KZGRAPH_STORE to 'QUERY_URL UPDATE_URL' (docs/store.md)"
            )
        engine, login = ENGINES[self.settings.store_engine], self.settings.store_login()
        if self.settings.store_graphs:
            pushed = push_graphs(
                self.dump_path,
                urls,
                self.settings.store_graphs,
                str(GRAPH),
                progress,
                merge=merge,
                engine=engine,
                login=login,
            )
            return pushed.sizes
        return push_to(
            self.dump_path,
            urls,
            str(GRAPH),
            progress,
            chunk_size,
            merge=merge,
            engine=engine,
            login=login,
        )

    def queries(self) -> dict[str, CannedQuery]:
        """The canned queries of ``queries/``, read once (a server picks up edits on restart)."""
        if self._queries is None:
            self._queries = load_queries(self.settings.queries_dir)
        return self._queries

    def canned_job(self, name: str, params: dict[str, str], media: str) -> Job:
        """A checked job for a canned query; unknown names are 404, bad parameters 422.
        ``params`` may hold options (``_sort``…: kzgraph.sparql.canned.OPTIONS): a CSV leaves
        out the parameter columns unless ``_params`` is given, and shows durations in words
        (docs/decisions/0023-result-views.md); the other options are the page's."""
        query = self.queries().get(name)
        if query is None:
            raise QueryError(404, f"no canned query named {name!r}")
        params, options = split_options(params)
        table = media == CSV.media
        hidden = () if not table or options.get("_params") else query.parameter_columns
        return Job(
            query=query.text,
            media=media,
            max_rows=self.settings.max_rows,
            substitutions=query.bindings(params),
            hidden=hidden,
            durations_in_words=table,
        )

    def run_canned(self, name: str, params: dict[str, str], media: str) -> Outcome:
        """Run a canned query (QueryError for an unknown name or a bad parameter)."""
        return self.run(self.canned_job(name, params, media))

    def sparql_job(self, query: str, accept: str | None = None) -> Job:
        """An ad-hoc query under the endpoint's rules (:func:`kzgraph.sparql.protocol.query_job`):
        SERVICE and updates refused (QueryRefused), FROM selects stored graphs, otherwise the
        default graph is the merge of all graphs; ``accept`` chooses the answer's format."""
        return query_job(query, self.limits, accept=accept)

    def run_sparql(self, query: str, accept: str | None = None) -> Outcome:
        """Run an ad-hoc query, as the endpoint would."""
        return self.run(self.sparql_job(query, accept))

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

    # The site's own queries (kzgraph.site.data: the overview, the search index…)
    def select(self, query: str) -> list[dict[str, str]]:
        """A SELECT of ours as ``{variable: value}`` rows; raises SiteQueryFailed."""
        job = Job(query, SPARQL_JSON.media, 10_000_000)
        try:
            outcome = self.run(job, max(self.settings.query_timeout, 30.0))
        except (QueryTimeout, PoolBusy, WorkerCrashed) as exc:
            raise SiteQueryFailed(str(exc) or type(exc).__name__) from exc
        if outcome.error:
            raise SiteQueryFailed(f"the store could not answer: {outcome.message}")
        return bindings(json.loads(outcome.body))

    def labels(self, iris: Iterable[str]) -> dict[str, Label]:
        """The label and broad kind of each IRI, by one query (kzgraph.site.results.labels);
        an IRI without a label is left out. Raises SiteQueryFailed."""
        wanted = sorted(set(iris))
        if not wanted:
            return {}
        return read_labels(self.select(labels_query(wanted)))

    # Linked data (kzgraph.linked, docs/decisions/0007-linked-data.md): jobs for the workers
    # that answer a dereferenced IRI, the content of its page, and the ontology's documents.
    def describe_job(self, iri: str, media: str) -> Job:
        return describe.describe_job(iri, media, self.settings.max_rows)

    def page_job(self, iri: str) -> Job:
        return describe.page_job(iri)

    def graph_job(self, iri: str, media: str, size: int) -> Job:
        return describe.graph_job(iri, media, size)

    def default_graph_job(self, media: str) -> Job:
        return describe.default_graph_job(media)

    def resource_page(self, iri: str, ntriples: bytes) -> ResourcePage | None:
        return resource_page(iri, ntriples)

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
        store in one transaction, then written to data/reports/ and build/; a store being served
        is then reloaded (IngestError, StoreBusy, IngestBusy: nothing changed)."""
        if not self._ingesting.acquire(blocking=False):
            raise IngestBusy("another report is being ingested: try again when it is done")
        try:
            outcome = ingesting.ingest(
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
                if self._live is not None:
                    self.reload()
                else:
                    self._forget_build()
            return outcome
        finally:
            self._ingesting.release()

    def _forget_build(self) -> None:
        """The build changed: load it again when next asked (a served store: see reload)."""
        self._store = None
        if self._live is not None and not self._serving:
            self._live.close()
            self._live = None
        self.reset_site_caches()

    def reset_site_caches(self) -> None:
        """Forget the search index, overview and ontology documents: the next use computes them
        from the new graph and build/."""
        files = self.ontology_files
        self.site = SiteData(
            self.select,
            self.settings.build_dir,
            files.ontology,
            files.shapes,
            sources=self.settings.sources_dir,
        )

    def sync_store(self, result: BuildResult) -> None:
        """Bring the durable store (when there is one) in line with a build, in one transaction."""
        sync_store(self.settings.durable_store_dir, result)


def terminal_progress(message: str) -> None:
    print(f"kzgraph: {message}", file=sys.stderr, flush=True)
