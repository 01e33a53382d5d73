"""What the site's pages show besides query answers (docs/decisions/0008-site-pages.md): the home
page's overview, the search index (and the reconciliation service over it), the VoID partitions,
the dumps, the ontology's documents, the editor's completions and the reports' texts when the
server is given them.

Each is computed once, by SPARQL through the core's ``select`` (so a remote store answers them
too), and forgotten when the build changes: the core then makes a fresh :class:`SiteData`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kzgraph.linked.ontology import OntologyDocuments
from kzgraph.namespaces import ONTOLOGY_IRI, SHAPES_IRI
from kzgraph.pipeline.dumps import Dump, find_dumps
from kzgraph.site.overview import Overview, overview
from kzgraph.site.partitions import Partitions, partitions
from kzgraph.site.reconcile import Reconciler, reconciler
from kzgraph.site.search import SearchIndex, all_rows
from kzgraph.site.sources import Sources, Span, load_sources, spans
from kzgraph.site.vocabulary import Vocabulary, vocabulary

Select = Callable[[str], list[dict[str, str]]]


class SiteData:
    def __init__(
        self,
        select: Select,
        build_dir: Path,
        ontology: Path,
        shapes: Path,
        *,
        sources: Path | None = None,
    ):
        self._select = select
        self._sources_dir = sources
        self._sources: Sources | None = None
        self._spans: dict[str, list[Span]] = {}
        self._build_dir = build_dir
        self._ontology = ontology
        self._shapes = shapes
        self._search: SearchIndex | None = None
        self._reconciler: Reconciler | None = None
        self._overview: Overview | None = None
        self._partitions: Partitions | None = None
        self._vocabulary: Vocabulary | None = None
        self._dumps: tuple[object, list[Dump]] | None = None
        self._ontology_documents: OntologyDocuments | None = None
        self._shapes_documents: OntologyDocuments | None = None

    @property
    def has_sources(self) -> bool:
        """Whether the server was given a folder of report texts (``KZGRAPH_SOURCES``)."""
        return self._sources_dir is not None

    def sources(self) -> Sources:
        """The reports' texts found in ``KZGRAPH_SOURCES`` and checked against their SHA-256."""
        if self._sources is None:
            self._sources = load_sources(self._sources_dir, self._select)
        return self._sources

    def spans(self, report: str) -> list[Span]:
        """The evidence passages of one report, for its reader."""
        if report not in self._spans:
            self._spans[report] = spans(report, self._select)
        return self._spans[report]

    def search_index(self) -> SearchIndex:
        """Labels and other spellings of people, bodies, places, laws, events and reports."""
        if self._search is None:
            self._search = SearchIndex.from_rows(all_rows(self._select))
        return self._search

    def reconciler(self) -> Reconciler:
        """The search index with the class hierarchy and descriptions, for ``/reconcile``."""
        if self._reconciler is None:
            self._reconciler = reconciler(self.search_index(), self._select)
        return self._reconciler

    def overview(self) -> Overview:
        """Counts per class and graph, and the reports' metadata."""
        if self._overview is None:
            self._overview = overview(self._select)
        return self._overview

    def partitions(self) -> Partitions:
        """The VoID class and property partitions of the default graph (the merge)."""
        if self._partitions is None:
            self._partitions = partitions(self._select)
        return self._partitions

    def vocabulary(self) -> Vocabulary:
        """Our prefixes and the ontology's classes and properties, for the editor's completion."""
        if self._vocabulary is None:
            self._vocabulary = vocabulary(self._select)
        return self._vocabulary

    def dumps(self) -> list[Dump]:
        """The gzip dumps in build/ with sizes and checksums (read again when they change)."""
        build = self._build_dir
        stamp = tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(build.glob("*.gz"))
        )
        if self._dumps is None or self._dumps[0] != stamp:
            self._dumps = (stamp, find_dumps(build))
        return self._dumps[1]

    def shapes_documents(self) -> OntologyDocuments:
        """The SHACL shapes at their IRI (``…/shapes``): the hand-edited Turtle and conversions."""
        if self._shapes_documents is None:
            self._shapes_documents = OntologyDocuments(self._shapes, None, SHAPES_IRI)
        return self._shapes_documents

    def ontology_documents(self) -> OntologyDocuments:
        """The ontology's representations (read once; the build writes the HTML and RDF/XML)."""
        if self._ontology_documents is None:
            self._ontology_documents = OntologyDocuments(
                self._ontology, self._build_dir / "ontology", ONTOLOGY_IRI
            )
        return self._ontology_documents
