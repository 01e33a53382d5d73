"""Virtuoso 7 (Debian's ``virtuoso-opensource``, installed by ``scripts/system-deps.sh``) for the
remote-store tests: ``virtuoso-t -f -c INI`` with its database, HTTP and SQL ports in a temporary
folder on free 127.0.0.1 ports, stopped by its process id (and killed with the test process, so
none is left behind). The fresh database's administrator is dba/dba: kzgraph writes through the
digest-protected ``/sparql-auth`` (updates) and ``/sparql-graph-crud-auth`` (Graph Store) with
``KZGRAPH_STORE_USER``/``KZGRAPH_STORE_PASSWORD``; the public ``/sparql`` only reads."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.engines import PASSWORD, USER, virtuoso_process

from .system_tools import require


@dataclass(frozen=True)
class Virtuoso:
    base: str  # http://127.0.0.1:PORT
    pid: int

    @property
    def store(self) -> str:
        """KZGRAPH_STORE: the public query URL and the digest-protected update URL."""
        return f"{self.base}/sparql {self.base}/sparql-auth"

    @property
    def graph_store(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    def settings(self) -> dict[str, str]:
        """The KZGRAPH_STORE_* settings for this server, as environment variables."""
        return {
            "KZGRAPH_STORE": self.store,
            "KZGRAPH_STORE_ENGINE": "virtuoso",
            "KZGRAPH_STORE_GRAPHS": self.graph_store,
            "KZGRAPH_STORE_USER": USER,
            "KZGRAPH_STORE_PASSWORD": PASSWORD,
        }


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if found is None:
        require("virtuoso", ["virtuoso-t"], "virtuoso-opensource")
        raise AssertionError("unreachable")
    return found


@contextmanager
def running_virtuoso(folder: Path, within: float = 90.0) -> Iterator[Virtuoso]:
    with virtuoso_process(folder, virtuoso_binary(), within) as (base, pid):
        yield Virtuoso(base, pid)
