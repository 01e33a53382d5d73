"""Labels for the IRIs a results page shows that no label column names: one query per page
for all of them, with each IRI's broad kind (person, body, event…) for the network's colours.
An IRI without a label shows its local name, made readable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from kzgraph.namespaces import prefix_block

# Broad kinds, most telling first: a node typed both Act and Event is an act.
KINDS = (
    ("Person", "person"),
    ("Group", "group"),
    ("Organization", "body"),
    ("Act", "act"),
    ("Event", "event"),
    ("Place", "place"),
    ("LegalProvision", "law"),
    ("Law", "law"),
    ("Charge", "charge"),
    ("Sentence", "sentence"),
    ("Intervention", "intervention"),
    ("Recommendation", "recommendation"),
    ("StatisticalClaim", "figure"),
    ("Report", "report"),
    ("Evidence", "evidence"),
    ("Mention", "mention"),
)
_SAFE_IRI = re.compile(r"^(https?|urn):[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class Label:
    text: str
    kind: str = ""  # one of KINDS' short names, or "" when none applies


def labels_query(iris: list[str]) -> str:
    """The SELECT of each IRI's label and kinds (IRIs that are not safe to write are left out)."""
    values = " ".join(f"<{iri}>" for iri in iris if _SAFE_IRI.match(iri))
    kinds = " ".join(f"kz:{name}" for name, _ in KINDS)
    return (
        prefix_block("kz", "rdfs", "skos")
        + "SELECT ?s (SAMPLE(?name) AS ?label) "
        + '(GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes) WHERE {\n'
        + f"  VALUES ?s {{ {values} }}\n"
        + "  OPTIONAL { ?s skos:prefLabel ?pref }\n"
        + "  OPTIONAL { ?s rdfs:label ?plain }\n"
        + f"  OPTIONAL {{ ?s a ?class . VALUES ?class {{ {kinds} }} }}\n"
        + "  BIND(COALESCE(?pref, ?plain) AS ?name)\n"
        + "} GROUP BY ?s"
    )


def read_labels(rows: list[dict[str, str]]) -> dict[str, Label]:
    out = {}
    for row in rows:
        classes = {c.rsplit("#", 1)[-1] for c in row.get("classes", "").split()}
        kind = next((short for name, short in KINDS if name in classes), "")
        if row.get("label") or kind:
            out[row["s"]] = Label(row.get("label") or readable_name(row["s"]), kind)
    return out


def readable_name(iri: str) -> str:
    """The IRI's last segment, made readable: ``…/person/zhanbolat-mamay`` is "zhanbolat mamay",
    ``…/ontology#ChargesDropped`` "Charges Dropped"."""
    tail = re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri
    tail = unquote(tail)
    tail = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail)
    return re.sub(r"[-_]+", " ", tail).strip() or iri
