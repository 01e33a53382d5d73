"""The draft annotation file: the extraction written in the format of ``data/reports/*.yaml``.

Everything the drafter guessed carries a ``# draft: check …`` comment saying why it was proposed
and, for a new entity or a fact, the offsets of the sentence it stands in; the analyst confirms,
corrects or deletes each entry and removes the comment. The file loads as it is (``kzgraph
check`` then reports what the shapes still want, such as a victim for a detention).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kzgraph.annotations.yamlfile import write
from kzgraph.draft.acts import DraftAct
from kzgraph.draft.candidates import Anchor, Fact
from kzgraph.draft.extract import Extraction
from kzgraph.draft.gazetteer import KnownGraph
from kzgraph.draft.names import slugify
from kzgraph.draft.source import DraftInputError, headings

CHECK = "draft: check"


@dataclass(frozen=True)
class DraftRequest:
    """What the analyst states about the new report (the rest is drafted from its text)."""

    source: Path
    report_id: str
    publisher: tuple[str, ...]
    issued: str
    title: str | None = None
    genre: str = "world-report"


def _flow(**items: Any) -> CommentedMap:
    node = CommentedMap(**{k: v for k, v in items.items() if v is not None})
    node.fa.set_flow_style()
    return node


def _evidence(text: str, anchor: Anchor) -> CommentedSeq:
    seq = CommentedSeq([_flow(exact=anchor.exact(text), start=anchor.start, end=anchor.end)])
    return seq


def _sentence(anchor: Anchor) -> str:
    return f"sentence {anchor.sentence.start}-{anchor.sentence.end}"


def compose(
    request: DraftRequest, text: str, raw: bytes, known: KnownGraph, found: Extraction
) -> CommentedMap:
    doc = CommentedMap()
    publishers, new_publishers = _publishers(request, known, found)
    year = found.reference_year
    countries = Counter(
        m.entity
        for m in found.mentions
        if m.entity.startswith("place/") and known.entities[m.entity].kind == "country"
    )
    report = CommentedMap(
        id=request.report_id,
        source=request.source.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=request.title or _first_line(text),
        publisher=CommentedSeq(publishers),
    )
    report["publisher"].fa.set_flow_style()
    if not request.title:
        report.yaml_add_eol_comment(f"{CHECK}: the text's first line", "title")
    if countries:
        report["about"] = countries.most_common(1)[0][0]
        report.yaml_add_eol_comment(f"{CHECK}: the country named most often", "about")
    report["issued"] = request.issued
    report["period"] = _flow(
        start=f"{year}-01-01" if year else None, end=f"{year}-12-31" if year else None
    )
    report.yaml_add_eol_comment(f"{CHECK}: the year the text names most often", "period")
    report["genre"] = request.genre
    report["language"] = "en"
    doc["report"] = report
    sections = _sections(text, report["title"])
    if sections:
        doc["sections"] = sections
        doc.yaml_add_eol_comment(f"{CHECK}: short lines between blank lines", "sections")

    entities = CommentedSeq()
    for ref, name in new_publishers:
        node = CommentedMap(id=ref, name=name, kind="ngo")
        node.yaml_add_eol_comment(f"{CHECK}: new publisher, not in the known graph", "id")
        entities.append(node)
    for ent in found.new:
        node = CommentedMap(id=ent.id, name=ent.name)
        if ent.kind not in ("person",):
            node["kind"] = ent.kind
        for key, value in ent.fields.items():
            node[key] = value
        node["mentions"] = CommentedSeq(
            [_flow(exact=a.exact(text), start=a.start, end=a.end) for a in ent.anchors]
        )
        where = _sentence(ent.anchors[0]) if ent.anchors else "no anchor"
        node.yaml_add_eol_comment(f"{CHECK}: new, {ent.why}; {where}", "id")
        entities.append(node)
    if entities:
        doc["entities"] = entities

    mentions = CommentedSeq()
    for mention in sorted(found.mentions, key=lambda mt: mt.anchor.start):
        a = mention.anchor
        mentions.append(_flow(entity=mention.entity, exact=a.exact(text), start=a.start, end=a.end))
    if mentions:
        doc["mentions"] = mentions

    taken = set(known.ids) | {e.id for e in found.new}
    acts = CommentedSeq(_act(text, act, taken) for act in found.acts)
    if acts:
        doc["acts"] = acts
    stats = CommentedSeq(_statistic(text, fact, taken) for fact in found.statistics)
    if stats:
        doc["statistics"] = stats
    doc.yaml_set_start_comment(
        f"Draft annotations for {request.source.name}, written by `kzgraph draft` on "
        f"{dt.date.today().isoformat()}.\nEvery entry marked '{CHECK}' is a guess: confirm, "
        "correct or delete it, then remove the comment.\nWrite summaries in your own words; "
        "see data/README.md for the format."
    )
    return doc


def _sections(text: str, title: str) -> CommentedSeq:
    seq = CommentedSeq()
    used: set[str] = set()
    for span in headings(text):
        heading = text[span.start : span.end]
        if heading == title:
            continue
        base = slugify(heading) or "section"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        seq.append(
            _flow(
                id=slug,
                title=" ".join(heading.split()),
                exact=heading,
                start=span.start,
                end=span.end,
            )
        )
    return seq


def _unique(base: str, prefix: str, taken: set[str]) -> str:
    slug, n = base, 2
    while f"{prefix}/{slug}" in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(f"{prefix}/{slug}")
    return slug


def _act(text: str, act: DraftAct, taken: set[str]) -> CommentedMap:
    who = act.victims[0].split("/", 1)[1] if act.victims else "unnamed"
    year = act.date[0][:4] if act.date else None
    slug = _unique("-".join(p for p in (who, act.kind, year) if p), "act", taken)
    node = CommentedMap(id=slug, type=act.kind)
    if act.date:
        node["date"] = act.date[0]
        if act.date[1]:
            node["year_inferred"] = True
    if act.places:
        node["place"] = act.places[0]
    if act.victims:
        node["victims"] = CommentedSeq(act.victims)
        node["victims"].fa.set_flow_style()
    if act.charges:
        node["charges"] = CommentedSeq(_charge(text, c) for c in act.charges)
    if act.sentence is not None:
        s = act.sentence
        node["sentence"] = CommentedMap(penalty=s.attrs["penalty"])
        if s.attrs["term"]:
            node["sentence"]["term"] = s.attrs["term"]
        if s.attrs["suspended"]:
            node["sentence"]["suspended"] = True
        node["sentence"]["evidence"] = _evidence(text, s.anchor)
    node["evidence"] = _evidence(text, act.anchor)
    node.yaml_add_eol_comment(f"{CHECK}: {_sentence(act.anchor)}", "id")
    return node


def _charge(text: str, fact: Fact) -> CommentedMap:
    node = CommentedMap(label=fact.attrs["label"])
    if fact.attrs["provision"]:
        node["provision"] = fact.attrs["provision"]
        node["provision_basis"] = fact.attrs["provision_basis"]
    node["evidence"] = _evidence(text, fact.anchor)
    return node


def _statistic(text: str, fact: Fact, taken: set[str]) -> CommentedMap:
    a = fact.attrs
    amount = str(int(a["value"])) if a["value"] is not None else a["qualifier"]
    slug = _unique(f"{a['measure']}-{amount}", "statistic", taken)
    node = CommentedMap(id=slug)
    if a["value"] is not None:
        node["value"] = int(a["value"]) if float(a["value"]).is_integer() else a["value"]
    node["qualifier"] = a["qualifier"]
    node["unit"] = a["unit"]
    node["measure"] = a["measure"]
    node["counts"] = f"{a['unit']} {a['measure']} (draft: say what is counted)"
    node["evidence"] = _evidence(text, fact.anchor)
    node.yaml_add_eol_comment(f"{CHECK}: {_sentence(fact.anchor)}", "id")
    return node


def _publishers(
    request: DraftRequest, known: KnownGraph, found: Extraction
) -> tuple[list[str], list[tuple[str, str]]]:
    """Publisher references: a known id as given, a name matched against the known graph, or a
    new organisation."""
    refs: list[str] = []
    new: list[tuple[str, str]] = []
    for given in request.publisher:
        if given in known.entities:
            refs.append(given)
            continue
        if "/" in given:
            raise DraftInputError(f"--publisher {given}: no such entity in the known graph")
        hits = [m.entity for m in known.find(given) if m.entity.startswith("org/")]
        if hits:
            refs.append(hits[0])
            continue
        ref = f"org/{slugify(given) or 'publisher'}"
        new.append((ref, given))
        refs.append(ref)
        found.new = [e for e in found.new if e.id != ref]
    return refs, new


def _first_line(text: str) -> str:
    for line in text.lstrip("\ufeff").splitlines():  # not the byte order mark of a file
        if line.strip():
            return " ".join(line.split())[:200]
    return "Untitled report"


def save(path: Path, doc: CommentedMap, *, force: bool) -> None:
    """Write the draft; an existing file is kept unless ``force``."""
    if path.exists() and not force:
        raise DraftInputError(f"{path}: already exists; pass --force to overwrite it")
    if not path.parent.is_dir():
        raise DraftInputError(f"{path.parent}: no such folder")
    write(path, doc)
