"""Drafting annotations for a new report: candidate entities and facts, matched against what the
graph already knows, written as a report file for an analyst to edit (``kzgraph draft``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from kzgraph.annotations.model import DATE, SLUG
from kzgraph.draft.document import DraftRequest, compose, save
from kzgraph.draft.extract import Extraction, extract
from kzgraph.draft.gazetteer import KnownGraph
from kzgraph.draft.source import DraftInputError, read_source


@dataclass
class Draft:
    path: Path | None
    document: CommentedMap
    extraction: Extraction


def draft_report(
    request: DraftRequest,
    known: KnownGraph,
    out: Path | None = None,
    *,
    force: bool = False,
) -> Draft:
    """Draft annotations for ``request.source`` against ``known``; write them to ``out`` if given
    (an existing file only with ``force``)."""
    if out is not None and out.exists() and not force:
        raise DraftInputError(f"{out}: already exists; pass --force to overwrite it")
    if not SLUG.match(request.report_id):
        raise DraftInputError(
            f"--id {request.report_id!r}: expected a slug (lower-case ASCII, digits and '-')"
        )
    if not DATE.match(request.issued):
        raise DraftInputError(
            f"--issued {request.issued!r}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD"
        )
    if request.report_id in known.report_ids:
        raise DraftInputError(f"report id {request.report_id!r} is already used in the data")
    text = read_source(request.source)
    raw = request.source.read_bytes()
    found = extract(text, known)
    doc = compose(request, text, raw, known, found)
    if out is not None:
        save(out, doc, force=force)
    return Draft(out, doc, found)


__all__ = ["Draft", "DraftInputError", "DraftRequest", "KnownGraph", "draft_report"]
