"""Typed settings, read from ``KZGRAPH_*`` environment variables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, NamedTuple
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kzgraph.namespaces import BASE

# How a remote store is asked for "the default graph is the union of the named graphs" (see
# docs/store.md): Oxigraph's ``union-default-graph`` URL parameter, the store's own default
# (Fuseki with tdb2:unionDefaultGraph, GraphDB), every kzgraph graph named in the request, or
# the store's default graph holding their merge, written by ``kzgraph push`` (the default: a set on
# every server; the others are bags on Oxigraph 0.5 and Virtuoso).
UnionMode = Literal["oxigraph", "native", "graphs", "merged"]
# The SPARQL server behind KZGRAPH_STORE, for its dialect (kzgraph.store.engines, decision 0025):
# `oxigraph serve`, Virtuoso 7, or any other SPARQL 1.1 server.
StoreEngine = Literal["oxigraph", "virtuoso", "sparql"]


class StoreUrls(NamedTuple):
    query: str
    update: str


def parse_store(value: str) -> StoreUrls:
    """``"QUERY_URL UPDATE_URL"`` (whitespace- or comma-separated) as two http(s) URLs."""
    parts = [p for p in re.split(r"[\s,]+", value.strip()) if p]
    if len(parts) != 2:
        raise ValueError(
            "KZGRAPH_STORE must be two URLs, the store's SPARQL query URL and its update URL, "
            f"separated by a space or a comma; got {len(parts)} part(s)"
        )
    for part in parts:
        url = urlsplit(part)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"KZGRAPH_STORE: {url.scheme or 'no scheme'} URL: give http(s) URLs")
    return StoreUrls(parts[0], parts[1])


def project_root(start: Path | None = None) -> Path:
    """The kzgraph checkout the default folders are in: the nearest folder at or above ``start``
    (the working folder) holding ontology/kzgraph.ttl, else the checkout this package is
    installed from (an editable install), else ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "ontology" / "kzgraph.ttl").is_file():
            return folder
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology" / "kzgraph.ttl").is_file():
        return checkout
    return here


FOLDERS = ("data_dir", "ontology_dir", "queries_dir", "build_dir")
# The build's N-Quads in build/: the artefact the server, push, ingest and stats read.
DUMP_FILE = "kzgraph.nq"


class Settings(BaseSettings):
    """Where things are and how the server behaves. The default folders (data, ontology, queries,
    build) are those of the kzgraph checkout (:func:`project_root`), so the command works from
    any folder; a folder given by setting or option is taken as written."""

    model_config = SettingsConfigDict(env_prefix="KZGRAPH_")

    data_dir: Path = Path("data")
    ontology_dir: Path = Path("ontology")
    queries_dir: Path = Path("queries")
    build_dir: Path = Path("build")
    # the reports' plain texts (docs/decisions/0021): the ingest checks offsets against them and
    # the server shows each report in a reader; KZGRAPH_SOURCES (issue 16) or KZGRAPH_SOURCES_DIR
    sources_dir: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("KZGRAPH_SOURCES", "KZGRAPH_SOURCES_DIR", "sources_dir"),
    )
    base_iri: str = BASE
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0
    # the most rows (or triples) an answer may have, None for no limit beyond the byte limit;
    # a larger answer is an error that says so, never a cut
    max_rows: int | None = None
    max_body_bytes: int = 100_000
    max_url_bytes: int = 8_000
    max_nesting: int = 64
    workers: int = 2
    # MiB each query worker may allocate beyond what it held when forked (docs/decisions/0015)
    worker_memory: int = 2048
    # fairness and bounds (docs/decisions/0016-fair-and-bounded.md): a query running longer than
    # slow_after seconds leaves the fast lane; at most slow_lane such queries run at once (one
    # per client); each client (its address, or the last entry of client_header when a trusted
    # proxy sets it) may use client_budget seconds of query time per budget_window and run
    # client_concurrency queries at once; answers over max_answer_bytes are an error; a client
    # that takes more than send_timeout seconds to accept the next part of an answer is dropped
    slow_after: float = 1.0
    slow_lane: int = 4
    client_header: str | None = None
    client_budget: float = 30.0
    budget_window: float = 60.0
    client_concurrency: int = 4
    max_answer_bytes: int = 128 * 1024 * 1024
    send_timeout: float = 30.0
    cache_max_age: int = 300
    # bytes of answers the server keeps in memory until the next build (0: none); an answer over
    # an eighth of it is not kept (kzgraph.sparql.cache, docs/decisions/0027-faster-answers.md)
    result_cache_bytes: int = 32 * 1024 * 1024
    # answer the parameterless canned queries into that cache at start and after each reload
    warm_answers: bool = True
    header_timeout: float = 10.0  # seconds for a request line and headers (kzgraph.api.connection)
    public_url: str | None = None  # e.g. https://kzgraph.example.org, when behind a proxy
    # a remote SPARQL store instead of the embedded one: "QUERY_URL UPDATE_URL" (docs/store.md)
    store: str | None = None
    store_union: UnionMode = "merged"
    store_engine: StoreEngine = "oxigraph"
    # the store's Graph Store Protocol URL: `kzgraph push` then PUTs each changed graph whole
    store_graphs: str | None = None
    # credentials for the store's update and Graph Store URLs (Basic or Digest; never printed)
    store_user: str | None = None
    store_password: SecretStr | None = None
    # ingest (docs/decisions/0010-ingest.md): the durable on-disk store, default <build_dir>/store;
    # the bearer token for POST /admin/reports (unset: the admin API is disabled); its body limit
    store_dir: Path | None = None
    admin_token: SecretStr | None = None
    max_upload_bytes: int = 30 * 1024 * 1024

    @model_validator(mode="after")
    def _default_folders_in_the_checkout(self) -> Settings:
        unset = [name for name in FOLDERS if name not in self.model_fields_set]
        if unset:
            root = project_root()
            for name in unset:
                setattr(self, name, root / getattr(self, name))
        return self

    @field_validator("store")
    @classmethod
    def _check_store(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parse_store(value)
        return value.strip()

    def site_url(self) -> str:
        """The server's own URL for the links it writes (service description, VoID, catalogue,
        Content-Location, Link): ``KZGRAPH_PUBLIC_URL``, else the configured host and port;
        never the request's Host header, which the client chooses."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @field_validator("store_graphs")
    @classmethod
    def _check_store_graphs(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        url = urlsplit(value.strip())
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("KZGRAPH_STORE_GRAPHS: give the http(s) URL of the Graph Store")
        return value.strip()

    def store_login(self) -> tuple[str | None, str | None]:
        """``KZGRAPH_STORE_USER`` and the password (None, None when unset)."""
        password = self.store_password.get_secret_value() if self.store_password else None
        return self.store_user, password

    def store_urls(self) -> StoreUrls | None:
        return parse_store(self.store) if self.store else None

    @property
    def dump_path(self) -> Path:
        """The build's N-Quads, ``build/kzgraph.nq``."""
        return self.build_dir / DUMP_FILE

    @property
    def durable_store_dir(self) -> Path:
        """The durable store's folder: ``KZGRAPH_STORE_DIR``, by default ``store/`` in the build
        folder."""
        return self.store_dir or self.build_dir / "store"
