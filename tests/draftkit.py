"""A small invented known graph for the draft module tests: one country, two cities, a few bodies,
two laws with some provisions, three people, written as annotation files in a temporary folder."""

from __future__ import annotations

from pathlib import Path

from kzgraph.draft.gazetteer import KnownGraph

ENTITIES = """\
places:
  - {id: place/kazakhstan, name: Kazakhstan, kind: country}
  - {id: place/almaty, name: Almaty, kind: city, part_of: place/kazakhstan}
  - {id: place/oral, name: Oral, kind: city, part_of: place/kazakhstan, former_names: [Uralsk]}
organisations:
  - {id: org/example-watch, name: Example Rights Watch, kind: ngo}
  - {id: org/kz-interior, name: Ministry of Internal Affairs of Kazakhstan, kind: state-body}
  - {id: org/kz-ombudsman, name: "Commissioner for Human Rights (Ombudsman)", kind: state-body}
  - {id: org/almaty-court, name: Almaty court (unnamed), kind: court}
laws:
  - {id: law/kz-criminal-code, name: Criminal Code of Kazakhstan}
  - {id: law/kz-administrative-code, name: Code of Administrative Offences of Kazakhstan}
provisions:
  - {id: provision/kz-criminal-code-174, name: "Criminal Code, Article 174 (inciting discord)",
     part_of: law/kz-criminal-code, number: "174"}
  - {id: provision/kz-criminal-code-274, name: "Criminal Code, Article 274 (false information)",
     part_of: law/kz-criminal-code, number: "274"}
  - {id: provision/kz-administrative-code-488, name: "Code of Administrative Offences, Article 488",
     part_of: law/kz-administrative-code, number: "488"}
people:
  - {id: person/aigul-testova, name: Aigul Testova}
  - {id: person/marat-zhaksybekov, name: Marat Zhaksybekov}
  - {id: person/zhanar-akhmetova, name: Жанар Ахметова}
"""


def known_graph(folder: Path, *files: str, entities: str = ENTITIES) -> KnownGraph:
    """The known graph of ``entities`` (as entities.yaml) and each of ``files`` (report files)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "entities.yaml"]
    paths[0].write_text(entities, encoding="utf-8")
    for n, body in enumerate(files):
        path = folder / f"report-{n}.yaml"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return KnownGraph.from_files(paths)


def anchors_in(node: object) -> list[dict[str, object]]:
    """Every evidence anchor (a mapping with an ``exact`` phrase) anywhere in a loaded draft."""
    if isinstance(node, dict):
        found = [node] if "exact" in node else []
        return found + [a for v in node.values() for a in anchors_in(v)]
    if isinstance(node, list):
        return [a for v in node for a in anchors_in(v)]
    return []
