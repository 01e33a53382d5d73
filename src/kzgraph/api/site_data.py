"""Reading what a page shows besides query answers (the overview, the search index…) off the
event loop, and turning a store that cannot answer into a clear 503."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from kzgraph.core import SiteQueryFailed

T = TypeVar("T")


class SiteDataUnavailable(Exception):
    """The store did not answer the queries behind a page."""


async def from_store(load: Callable[[], T], what: str) -> T:
    """``load()`` (a method of ``kg.site``) in a thread."""
    try:
        return await run_in_threadpool(load)
    except SiteQueryFailed as exc:
        raise SiteDataUnavailable(
            f"{what} is not available: the store did not answer ({exc}); try again, or "
            "check the store (docs/store.md)"
        ) from exc
