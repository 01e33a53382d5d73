"""``/reconcile``: the W3C Reconciliation Service API (0.2) as OpenRefine uses it, over a real
server on the real build; and the matching rules (``match``, word order, ambiguity) over a small
index built from plain rows, as the index's queries would return them."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kzgraph.namespaces import ID, KZ, ONTOLOGY_IRI
from kzgraph.site.reconcile import ReconcileError, Reconciler, parse_batch, preview
from kzgraph.site.search import Entity, SearchIndex

from .conftest import ROOT
from .server import fetch

PERSON, ORG, PLACE, LAW = (str(KZ[c]) for c in ("Person", "Organization", "Place", "Law"))
BOKAEV = f"{ID}person/max-bokaev"
MAMAY = f"{ID}person/zhanbolat-mamay"
TOKAYEV = f"{ID}person/kassym-jomart-tokayev"
BACHELET = f"{ID}person/michelle-bachelet"
ALMATY = f"{ID}place/almaty"
ASTANA = f"{ID}place/astana"
CRIMINAL_CODE = f"{ID}law/kz-criminal-code"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "kzgraph.ttl")


def _subclasses(ontology: Graph, top: str) -> set[str]:
    return {str(c) for c in ontology.transitive_subjects(RDFS.subClassOf, URIRef(top))}


def _get(server: str, path: str, **params: str) -> tuple[int, Any, bytes]:
    return fetch(f"{server}{path}" + (f"?{urlencode(params)}" if params else ""))


def _reconcile(server: str, queries: dict[str, Any]) -> dict[str, Any]:
    status, headers, body = _get(server, "/reconcile", queries=json.dumps(queries))
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    answer: dict[str, Any] = json.loads(body)
    return answer


# The manifest


def test_the_manifest_has_the_fields_the_spec_requires(real_server: str, ontology: Graph) -> None:
    status, headers, body = _get(real_server, "/reconcile")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    manifest = json.loads(body)
    assert "0.2" in manifest["versions"]
    assert isinstance(manifest["name"], str) and manifest["name"]
    assert manifest["identifierSpace"] == str(ID)
    assert manifest["schemaSpace"] == ONTOLOGY_IRI + "#"
    types = manifest["defaultTypes"]
    assert [t["id"] for t in types][:4] == [PERSON, ORG, PLACE, LAW]
    assert len({t["id"] for t in types}) == len(types)  # uniqueItems
    for kind in types:  # each a class of the ontology, named by its label
        assert (URIRef(kind["id"]), RDF.type, OWL.Class) in ontology, kind
        labels = {str(o) for o in ontology.objects(URIRef(kind["id"]), RDFS.label)}
        assert kind["name"] in labels, kind
    for feature in ("view", "preview"):
        assert "{{id}}" in manifest[feature]["url"]
        assert manifest[feature]["url"].startswith(real_server + "/reconcile/")
    preview = manifest["preview"]
    assert isinstance(preview["width"], int) and isinstance(preview["height"], int)


def test_the_manifest_templates_lead_to_the_entity(real_server: str) -> None:
    manifest = json.loads(_get(real_server, "/reconcile")[2])
    view = manifest["view"]["url"].replace("{{id}}", quote(ALMATY, safe=""))
    status, headers, _ = fetch(view, follow_redirects=False)
    assert status == 303 and headers["Location"] == "/id/place/almaty"
    status, _, body = fetch(view, headers={"Accept": "text/html"})
    assert status == 200 and b"Almaty" in body
    preview = manifest["preview"]["url"].replace("{{id}}", ALMATY)  # as it is, unescaped
    status, headers, body = fetch(preview)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<h1>Almaty</h1>" in body


def test_the_routes_come_before_the_linked_data_catch_all(real_server: str) -> None:
    from kzgraph.api.app import create_app
    from kzgraph.settings import Settings

    def paths(routes: list[Any]) -> list[str]:  # in matching order, included routers inlined
        inner = (getattr(getattr(r, "original_router", r), "routes", None) for r in routes)
        return [
            p
            for r, nested in zip(routes, inner, strict=True)
            for p in ([r.path] if hasattr(r, "path") else paths(nested or []))
        ]

    order = paths(create_app(Settings()).routes)
    assert order.index("/reconcile/preview") < order.index("/{path:path}")
    status, _, body = _get(real_server, "/reconcile/nothing")
    assert status == 404 and json.loads(body)["error"] == "nothing at /reconcile/nothing"


def test_the_openapi_document_describes_the_service(real_server: str) -> None:
    paths = json.loads(fetch(f"{real_server}/openapi.json")[2])["paths"]
    get, post = paths["/reconcile"]["get"], paths["/reconcile"]["post"]
    queries = next(p for p in get["parameters"] if p["name"] == "queries")
    schema = queries["content"]["application/json"]["schema"]
    assert (schema["minProperties"], schema["maxProperties"]) == (1, 100)
    assert schema["additionalProperties"]["required"] == ["query"]
    parse_batch(json.dumps(schema["example"]))  # the example is a batch the service takes
    form = post["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert form["schema"]["required"] == ["queries"]
    assert {"400", "406", "503"} <= set(get["responses"])
    assert {"400", "413", "415"} <= set(post["responses"])
    for path in ("/reconcile/preview", "/reconcile/view"):
        (identifier,) = paths[path]["get"]["parameters"]
        assert identifier["required"] and identifier["example"].startswith(str(ID))
        assert {"400", "404"} <= set(paths[path]["get"]["responses"])


def test_jsonp_is_refused_clearly(real_server: str) -> None:
    status, _, body = _get(real_server, "/reconcile", callback="alert")
    assert status == 400 and "JSONP" in json.loads(body)["error"]


# Names in other spellings


SPELLINGS = [
    ("Bokayev", BOKAEV, True),  # an other spelling the reports use
    ("Бокаев", BOKAEV, True),  # Cyrillic
    ("MAX BOKAEV", BOKAEV, True),  # case
    ("Макс Бокаев", BOKAEV, True),  # "Maks Bokaev"
    ("Bokaev Max", BOKAEV, True),  # surname first, as spreadsheets have it
    ("Zhanbolat Mamai", MAMAY, True),
    ("Жанболат Мамай", MAMAY, True),
    ("Mamay", MAMAY, False),  # only part of his name
    ("Bokaeb", BOKAEV, False),  # a typo
    ("Kasym-Zhomart Tokaev", TOKAYEV, True),
    ("Michèle Bachelet", BACHELET, True),  # accents
    ("Алматы", ALMATY, True),
    ("Nursultan", ASTANA, True),  # a former name
    ("criminal code", CRIMINAL_CODE, True),
]


def test_names_in_other_spellings_reconcile_to_the_right_iris(real_server: str) -> None:
    batch = {f"q{n}": {"query": text} for n, (text, _, _) in enumerate(SPELLINGS)}
    answer = _reconcile(real_server, batch)
    assert set(answer) == set(batch)
    for n, (text, iri, match) in enumerate(SPELLINGS):
        result = answer[f"q{n}"]["result"]
        assert result, text
        best = result[0]
        assert (best["id"], best["match"]) == (iri, match), (text, best)
        assert [c for c in result if c["match"]] == ([best] if match else []), text
        scores = [c["score"] for c in result]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
        for candidate in result:
            assert isinstance(candidate["name"], str) and candidate["name"]
            assert candidate["type"] and all({"id", "name"} <= set(t) for t in candidate["type"])
    assert answer["q0"]["result"][0]["name"] == "Max Bokaev"
    assert answer["q0"]["result"][0]["score"] == 100


def test_a_name_without_letters_has_no_candidates(real_server: str) -> None:
    answer = _reconcile(real_server, {"a": {"query": "?!"}, "b": {"query": "Bokayev"}})
    assert answer["a"] == {"result": []} and answer["b"]["result"]


def test_properties_are_accepted_and_ignored(real_server: str) -> None:
    plain = _reconcile(real_server, {"a": {"query": "Almaty"}})
    refined = _reconcile(
        real_server, {"a": {"query": "Almaty", "properties": [{"pid": "x", "v": "y"}]}}
    )
    assert refined == plain


# Types and limits


def test_a_type_restricts_the_candidates(real_server: str, ontology: Graph) -> None:
    answer = _reconcile(
        real_server,
        {
            "place": {"query": "Almaty", "type": PLACE},
            "body": {"query": "Almaty", "type": ORG},
            "court": {"query": "Almaty", "type": str(KZ.Court)},
            "either": {"query": "Almaty", "type": [PERSON, PLACE]},
            "any": {"query": "Almaty"},
        },
    )
    for key, top in (("place", PLACE), ("body", ORG), ("court", str(KZ.Court))):
        allowed = _subclasses(ontology, top)
        result = answer[key]["result"]
        assert result, key
        for candidate in result:
            assert {t["id"] for t in candidate["type"]} & allowed, (key, candidate)
    assert answer["place"]["result"][0]["id"] == ALMATY
    assert answer["place"]["result"][0]["match"] is True
    assert ALMATY not in {c["id"] for c in answer["body"]["result"]}
    assert [c["id"] for c in answer["either"]["result"]] == [
        c["id"] for c in answer["place"]["result"]
    ]
    everything = {c["id"] for c in answer["any"]["result"]}
    assert {c["id"] for c in answer["body"]["result"]} < everything


def test_without_a_type_only_the_default_types_are_candidates(
    real_server: str, ontology: Graph
) -> None:
    manifest = json.loads(_get(real_server, "/reconcile")[2])
    allowed = set().union(*(_subclasses(ontology, t["id"]) for t in manifest["defaultTypes"]))
    # "Kazakhstan" names a country, bodies, laws… and reports, which are not among the defaults
    answer = _reconcile(real_server, {"a": {"query": "Kazakhstan", "limit": 100}})
    result = answer["a"]["result"]
    assert result
    for candidate in result:
        assert {t["id"] for t in candidate["type"]} & allowed, candidate
    reports = _reconcile(
        real_server, {"a": {"query": "Kazakhstan", "type": str(KZ.Report), "limit": 100}}
    )
    assert reports["a"]["result"] and not {c["id"] for c in reports["a"]["result"]} & {
        c["id"] for c in result
    }


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_limit_caps_the_candidates(real_server: str, limit: int) -> None:
    answer = _reconcile(real_server, {"a": {"query": "Criminal Code", "limit": limit}})
    assert len(answer["a"]["result"]) == limit


def test_the_default_limit_is_ten(real_server: str) -> None:
    assert len(_reconcile(real_server, {"a": {"query": "Criminal Code"}})["a"]["result"]) == 10


# POST as OpenRefine sends it


def test_a_posted_form_is_answered_as_the_get(real_server: str) -> None:
    queries = json.dumps(
        {"q0": {"query": "Бокаев", "type": PERSON, "limit": 3}, "q1": {"query": "Almaty"}}
    )
    got = _get(real_server, "/reconcile", queries=queries)
    posted = fetch(
        f"{real_server}/reconcile",
        data=urlencode({"queries": queries}).encode(),
        headers=FORM,
        method="POST",
    )
    assert got[0] == posted[0] == 200
    assert posted[2] == got[2]
    assert json.loads(posted[2])["q0"]["result"][0]["id"] == BOKAEV


# Bad input


BAD_QUERIES = [
    ("not json", "not JSON"),
    ("[1, 2]", "JSON object"),
    ("[" * 100_000, "nested too deeply"),
    ('"Bokayev"', "JSON object"),
    ("{}", "no query"),
    ('{"a": "Bokayev"}', "must be an object"),
    ('{"a": {"type": "x"}}', '"query"'),
    ('{"a": {"query": 5}}', '"query"'),
    ('{"a": {"query": "x", "limit": 0}}', "from 1 to 100"),
    ('{"a": {"query": "x", "limit": 101}}', "from 1 to 100"),
    ('{"a": {"query": "x", "limit": "3"}}', "from 1 to 100"),
    ('{"a": {"query": "x", "limit": true}}', "from 1 to 100"),
    ('{"a": {"query": "x", "type": 7}}', "class IRI"),
    ('{"a": {"query": "x", "properties": "y"}}', '"properties"'),
    ('{"a": {"query": "x", "type_strict": "some"}}', '"type_strict"'),
    ('{"a": {"query": "x", "colour": "red"}}', "expected only"),
]


@pytest.mark.parametrize(("queries", "expected"), BAD_QUERIES)
def test_bad_batches_are_refused_saying_what_was_expected(queries: str, expected: str) -> None:
    with pytest.raises(ReconcileError, match=re.escape(expected)):
        parse_batch(queries)


def test_too_many_queries_at_once_are_refused() -> None:
    with pytest.raises(ReconcileError, match="at most 100"):
        parse_batch(json.dumps({str(n): {"query": "x"} for n in range(101)}))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"queries": "not json"}, "not JSON"),
        ({"queries": "[]"}, "JSON object"),
        ({"queries": ""}, "JSON object"),
        ({"queries": '{"a": {"query": "x", "limit": 500}}'}, "from 1 to 100"),
        ({"queries": '{"a": {"query": "x", "type": "https://example.org/Nope"}}'}, "unknown type"),
        ({"queries": '{"a": {"query": "x", "type": "Person"}}'}, str(KZ.Person)),
    ],
)
def test_bad_input_over_http_is_a_400_with_a_message(
    real_server: str, params: dict[str, str], expected: str
) -> None:
    for status, headers, body in (
        _get(real_server, "/reconcile", **params),
        fetch(
            f"{real_server}/reconcile", data=urlencode(params).encode(), headers=FORM, method="POST"
        ),
    ):
        assert status == 400, body
        assert headers["Content-Type"].startswith("application/json")
        assert expected in json.loads(body)["error"]


def test_other_bodies_and_repeated_queries_are_refused(real_server: str) -> None:
    url = f"{real_server}/reconcile"
    json_body = {"Content-Type": "application/json"}
    status, _, body = fetch(url, data=b'{"a": {"query": "x"}}', headers=json_body, method="POST")
    assert status == 415 and "form" in json.loads(body)["error"]
    status, _, body = fetch(url, data=b"limit=3", headers=FORM, method="POST")
    assert status == 400 and "no queries" in json.loads(body)["error"]
    twice = urlencode([("queries", '{"a": {"query": "x"}}')] * 2)
    status, _, body = fetch(f"{url}?{twice}")
    assert status == 400 and "once" in json.loads(body)["error"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "OPTIONS"])
def test_other_methods_are_a_405_naming_get_and_post(real_server: str, method: str) -> None:
    status, headers, body = fetch(f"{real_server}/reconcile", method=method)
    assert status == 405 and headers["Allow"] == "GET, POST"
    assert "GET or POST" in json.loads(body)["error"]


# The preview


def _style_hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def test_the_preview_shows_the_entity_under_the_sites_policy(real_server: str) -> None:
    status, headers, raw = _get(real_server, "/reconcile/preview", id=CRIMINAL_CODE)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    body = raw.decode()
    assert "<h1>Criminal Code of Kazakhstan</h1>" in body
    assert "<p class=kind>Law</p>" in body
    assert "the reports cite its articles" in body  # its description
    assert "href='/id/law/kz-criminal-code'" in body
    policy = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["script-src"] == "'self'"
    assert "unsafe" not in policy and "<script" not in body
    styles = re.findall(r"<style>(.*?)</style>", body, re.DOTALL)
    assert styles and all(_style_hash(css) in directives["style-src"] for css in styles)
    # OpenRefine shows the card in a frame: only this page may be framed
    assert directives["frame-ancestors"] == "http: https:"
    site = fetch(f"{real_server}/search?q=Bokayev", headers={"Accept": "text/html"})[1]
    assert "frame-ancestors 'none'" in site["Content-Security-Policy"]


def test_the_preview_card_escapes_label_description_and_link() -> None:
    hostile = Entity("ex:x", label="<script>alert(1)</script>")
    page = preview(hostile, "Person", "<img src=x onerror=alert(1)>", "javascript:alert(1)")
    assert "<script>" not in page and "<img" not in page and "javascript:" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "href" not in page


def test_the_preview_escapes_what_it_shows(real_server: str) -> None:
    status, _, body = _get(real_server, "/reconcile/preview", id=ALMATY)
    assert status == 200 and b"The country&#x27;s largest city" in body
    hostile = f"{ID}person/<script>alert(1)</script>"  # an unknown IRI is shown, escaped
    status, _, body = _get(real_server, "/reconcile/preview", id=hostile)
    assert status == 404 and b"<script>" not in body and b"&lt;script&gt;" in body


def test_the_preview_as_json_and_its_errors(real_server: str) -> None:
    status, _, body = fetch(
        f"{real_server}/reconcile/preview?id={quote(ALMATY)}",
        headers={"Accept": "application/json"},
    )
    assert status == 200
    assert json.loads(body) == {
        "id": ALMATY,
        "name": "Almaty",
        "type": [{"id": str(KZ.City), "name": "City"}],
        "description": "The country's largest city (2022 World Report).",
    }
    status, _, body = _get(real_server, "/reconcile/preview")
    assert status == 400 and "IRI" in json.loads(body)["error"]
    status, _, body = _get(real_server, "/reconcile/view", id=f"{ID}person/nobody")
    assert status == 404 and "nobody" in json.loads(body)["error"]


# The matching rules, over a small index


def _reconciler() -> Reconciler:
    """Two people spelled "Ana Bek", one "Ana Bekova", and a place "Bek"."""
    entities = "https://w3id.org/kzgraph/graph/entities"
    people = {"ex:a": "Ana Bek", "ex:b": "Ana Bek", "ex:c": "Ana Bekova"}
    rows = {
        "types": [
            *({"s": s, "type": PERSON, "typeLabel": "Person", "g": entities} for s in people),
            {"s": "ex:p", "type": PLACE, "typeLabel": "Place", "g": entities},
        ],
        "names": [
            *({"s": s, "p": str(RDFS.label), "text": t} for s, t in people.items()),
            {"s": "ex:p", "p": str(RDFS.label), "text": "Bek"},
        ],
        "reports": [],
    }
    classes = [
        {"class": PERSON, "label": "Person", "super": PERSON},
        {"class": PLACE, "label": "Place", "super": PLACE},
    ]
    return Reconciler.from_rows(
        SearchIndex.from_rows(rows), {"classes": classes, "descriptions": []}
    )


def _candidates(reconciler: Reconciler, queries: dict[str, Any]) -> dict[str, list[Any]]:
    batch = parse_batch(json.dumps(queries))
    reconciler.check_types(batch)
    return {k: v["result"] for k, v in reconciler.reconcile(batch).items()}


def test_an_exact_name_two_entities_share_is_no_match() -> None:
    found = _candidates(_reconciler(), {"a": {"query": "ana bek"}})["a"]
    assert {c["id"] for c in found[:2]} == {"ex:a", "ex:b"}
    assert [c["match"] for c in found] == [False] * len(found)


def test_an_exact_name_one_entity_has_is_a_match_in_any_word_order() -> None:
    found = _candidates(
        _reconciler(),
        {"a": {"query": "Bekova Ana"}, "b": {"query": "Bek", "type": PLACE}, "c": {"query": "Bek"}},
    )
    assert [(c["id"], c["match"]) for c in found["a"]] == [("ex:c", True)]
    assert [(c["id"], c["match"]) for c in found["b"]] == [("ex:p", True)]
    # without a type, the place "Bek" and the people named Bek…: the place is the only exact one
    assert found["c"][0] == {
        "id": "ex:p",
        "name": "Bek",
        "type": [{"id": PLACE, "name": "Place"}],
        "score": 100.0,
        "match": True,
    }


def test_an_unknown_type_is_refused_naming_the_default_types() -> None:
    with pytest.raises(ReconcileError, match=r"unknown type 'kz:Person'.*ontology#Person"):
        _candidates(_reconciler(), {"a": {"query": "Bek", "type": "kz:Person"}})
