"""Typed settings, read from ``KZGRAPH_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where things are and how the server behaves."""

    model_config = SettingsConfigDict(env_prefix="KZGRAPH_")

    data_dir: Path = Path("data")
    ontology_dir: Path = Path("ontology")
    build_dir: Path = Path("build")
    sources_dir: Path | None = None
    base_iri: str = "https://w3id.org/kzgraph/"
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0
    max_rows: int = 10_000
    max_body_bytes: int = 100_000
    max_url_bytes: int = 8_000
    max_nesting: int = 64
    workers: int = 2
    cache_max_age: int = 300
