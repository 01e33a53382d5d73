"""A synthetic corpus in our own annotation format, shaped like real reporting.

Many invented countries x many years x a few publishers, one report each; people recur in several
reports (declared once in entities.yaml, mentioned in each report that names them); every fact
carries evidence whose phrase stands at its offsets in a generated source text. Deterministic for a
seed. Writes ``<out>/data/{entities.yaml,reports/*.yaml,assessments/bench.yaml}`` and
``<out>/sources/*.txt``.
"""

from __future__ import annotations

import math
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.names import Namer, slug, word
from bench.text import SourceText, yaml_document

# Triples per report and the fixed part (ontology, vocabularies), measured on the generator's own
# build (asserted + inferred): used to pick the number of reports for a target size.
TRIPLES_PER_REPORT = 850
FIXED_TRIPLES = 1_800
CASES_PER_REPORT = 5
REPORTS_PER_PERSON = 3
PUBLISHERS = 3
ROLES = ["activist", "journalist", "blogger", "human-rights-defender", "trade-unionist", "lawyer"]
RIGHTS = ["expression", "assembly", "association", "fair-trial", "liberty", "media-freedom"]
PROVISIONS = ["174", "274", "400", "405", "488"]
CHARGE_LABELS = {
    "174": "inciting discord",
    "274": "spreading false information",
    "400": "breaching assembly rules",
    "405": "taking part in a banned group",
    "488": "breaching picket rules",
}
SECTIONS = [
    ("detention", "Arrests and Detention"),
    ("figures", "Figures"),
    ("international", "International Actors"),
    ("recommendations", "Recommendations"),
]


@dataclass
class Country:
    name: str
    key: str
    cities: list[str]
    people: list[tuple[str, str, str]]  # (id, name, role)
    entity_docs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    reports: int
    countries: int
    years: int

    @classmethod
    def for_triples(cls, triples: int) -> Plan:
        reports = max(6, round((triples - FIXED_TRIPLES) / TRIPLES_PER_REPORT))
        years = min(20, max(2, math.isqrt(reports // PUBLISHERS)))
        countries = math.ceil(reports / (years * PUBLISHERS))
        return cls(reports, countries, years)


def _ours(value: str, key: str = "ref") -> dict[str, str]:
    """An entity claim of the synthetic corpus: no text states it, so it is marked as ours."""
    return {key: value, "basis": "inferred", "reason": "synthetic benchmark data"}


def _country(rng: random.Random, namer: Namer, index: int, people: int) -> Country:
    name = word(rng, 3)
    key = f"{slug(name)}-{index}"
    cities = [f"place/{key}-{slug(word(rng, 2))}-{i}" for i in range(3)]
    country = Country(name, key, cities, [])
    for _ in range(people):
        pname, pkey = namer.unique()
        country.people.append((f"person/{pkey}", pname, rng.choice(ROLES)))
    ent: dict[str, list[dict[str, Any]]] = {"places": [], "organisations": [], "laws": []}
    ent["places"].append({"id": f"place/{key}", "name": name, "kind": "country"})
    for i, city in enumerate(cities):
        ent["places"].append(
            {
                "id": city,
                "name": f"{word(rng, 2)} ({name} {i})",
                "kind": "city",
                "part_of": f"place/{key}",
            }
        )
    ent["organisations"] += [
        {
            "id": f"org/{key}-government",
            "name": f"Government of {name}",
            "kind": "state-body",
            "located_in": _ours(f"place/{key}"),
        },
        {
            "id": f"org/{key}-police",
            "name": f"{name} police",
            "kind": "law-enforcement",
            "sub_organization_of": [_ours(f"org/{key}-government")],
            "located_in": _ours(f"place/{key}"),
        },
    ]
    for i, city in enumerate(cities):
        ent["organisations"].append(
            {
                "id": f"org/{key}-court-{i}",
                "name": f"City court {i} of {name}",
                "kind": "court",
                "located_in": _ours(city),
            }
        )
    ent["laws"].append({"id": f"law/{key}-criminal-code", "name": f"Criminal Code of {name}"})
    ent["provisions"] = [
        {
            "id": f"provision/{key}-cc-{n}",
            "name": f"Criminal Code of {name}, Article {n}",
            "part_of": f"law/{key}-criminal-code",
            "number": n,
        }
        for n in PROVISIONS
    ]
    ent["people"] = [
        {
            "id": pid,
            "name": pname,
            "roles": [_ours(role, "role")],
            "nationality": _ours(f"place/{key}"),
        }
        for pid, pname, role in country.people
    ]
    country.entity_docs = ent
    return country


def _report(
    rng: random.Random, country: Country, year: int, publisher: tuple[str, str], monitor: str
) -> tuple[dict[str, Any], SourceText, str]:
    """One report file's content and its source text."""
    pub_id, pub_name = publisher
    rid = f"{slug(pub_name)}-{country.key}-{year}"
    src = SourceText()
    src.add(f"{pub_name}: {country.name}, events of {year}\n\n")
    sections = []
    mentioned: dict[str, dict[str, Any]] = {}
    acts: list[dict[str, Any]] = []
    stats: list[dict[str, Any]] = []

    def heading(index: int) -> None:
        sid, title = SECTIONS[index]
        span = src.cite(title)
        sections.append({"id": sid, "title": title, **span})
        src.add("\n\n")

    def mention(entity: str, surface: str) -> None:
        span = src.cite(surface)
        mentioned.setdefault(entity, {"entity": entity, **span})

    heading(0)
    event = f"{country.key}-protests-{year}-{slug(pub_name)}"
    city = rng.choice(country.cities)
    src.add("In spring, ")
    ev_span = src.cite(f"thousands marched in the capital of {country.name}")
    src.add(". ")
    events = [
        {
            "id": event,
            "name": f"{country.name} protests of {year}",
            "type": "protest",
            "start": f"{year}-04",
            "place": [city],
            "evidence": [ev_span],
        }
    ]
    cases = rng.sample(country.people, k=min(CASES_PER_REPORT, len(country.people)))
    court = f"org/{country.key}-court-{country.cities.index(city)}"
    for n, (pid, pname, role) in enumerate(cases):
        day = f"{year}-{rng.randint(4, 6):02d}-{rng.randint(1, 28):02d}"
        src.add("On a weekday, ")
        mention(f"org/{country.key}-police", "police")
        src.add(" acted again. ")
        det = src.cite(f"officers detained {role.replace('-', ' ')} {pname} at a rally")
        src.add(f". The {role.replace('-', ' ')} ")
        mention(pid, pname)
        src.add(" had spoken to the crowd.\n")
        det_id = f"{slug(pname)}-detention-{year}-{slug(pub_name)}"
        acts.append(
            {
                "id": det_id,
                "type": "detention",
                "date": day,
                "place": [city],
                "event": f"event/{event}",
                "victims": [pid],
                "perpetrators": [f"org/{country.key}-police"],
                "rights": [rng.choice(RIGHTS), "liberty"],
                "summary": f"Police held {pname} at a rally.",
                "evidence": [det],
            }
        )
        if n % 2 == 0:
            continue
        if not any(m.startswith(court) for m in mentioned):
            src.add("The ")
            mention(court, "city court")
            src.add(" heard the case. ")
        article = rng.choice(PROVISIONS)
        conv = src.cite(f"a court convicted {pname} after a short trial")
        src.add(" on charges of ")
        charge = src.cite(CHARGE_LABELS[article])
        src.add(" under article " + article + "; ")
        years_term = rng.randint(1, 7)
        sent = src.cite(f"the sentence was {years_term} years in prison")
        src.add(".\n")
        acts.append(
            {
                "id": f"{slug(pname)}-conviction-{year}-{slug(pub_name)}",
                "type": "conviction",
                "date": f"{year}-09",
                "year_inferred": True,
                "court": court,
                "victims": [pid],
                "follows": f"act/{det_id}",
                "rights": ["fair-trial"],
                "charges": [
                    {
                        "label": CHARGE_LABELS[article],
                        "provision": f"provision/{country.key}-cc-{article}",
                        "provision_basis": "stated",
                        "evidence": [charge],
                    }
                ],
                "sentence": {
                    "penalty": "imprisonment",
                    "term": f"P{years_term}Y",
                    "evidence": [sent],
                },
                "evidence": [conv],
            }
        )
    src.add("\n")
    heading(1)
    src.add("According to ")
    mention(f"org/{country.key}-government", "the government")
    src.add(", ")
    detained = rng.randint(20, 900)
    stats.append(
        {
            "id": f"{event}-detained",
            "value": detained,
            "qualifier": "more-than",
            "unit": "person",
            "measure": "detained",
            "counts": f"people detained over the {year} protests",
            "as_of": f"{year}-12",
            "attributed_to": f"org/{country.key}-government",
            "event": f"event/{event}",
            "evidence": [src.cite(f"more than {detained} people were detained")],
        }
    )
    src.add(". Monitors counted ")
    stats.append(
        {
            "id": f"{event}-convicted",
            "qualifier": "dozens",
            "unit": "person",
            "measure": "convicted",
            "counts": f"people convicted after the {year} protests",
            "event": f"event/{event}",
            "evidence": [src.cite("dozens of protesters convicted by year end")],
        }
    )
    src.add(".\n\n")
    heading(2)
    src.add("The ")
    mention(monitor, "regional monitoring body")
    src.add(" ")
    interventions = [
        {
            "id": f"{event}-statement",
            "type": "statement",
            "actors": [monitor],
            "date": f"{year}-05",
            "addressed_to": f"org/{country.key}-government",
            "concerns": [f"event/{event}"],
            "rights": ["assembly"],
            "summary": "The monitoring body urged restraint.",
            "evidence": [src.cite("urged the authorities to release peaceful protesters")],
        }
    ]
    src.add(".\n\n")
    heading(3)
    src.add(f"{pub_name} urges the authorities to ")
    rec_id = f"{slug(pub_name)}-{country.key}-{year}-release"
    recommendations = [
        {
            "id": rec_id,
            "by": [pub_id],
            "to": f"org/{country.key}-government",
            "cycle": 4,
            "section": "recommendations",
            "rights": ["liberty"],
            "concerns": [c[0] for c in cases[:2]],
            "summary": "Release everyone held for peaceful protest.",
            "evidence": [src.cite("free everyone jailed for peaceful protest")],
        }
    ]
    src.add(".\n")
    doc = {
        "report": {
            "id": rid,
            "source": f"{rid}.txt",
            "sha256": src.sha256(),
            "title": f"{pub_name}: {country.name} {year}",
            "publisher": [pub_id],
            "about": f"place/{country.key}",
            "issued": f"{year + 1}-01",
            "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
            "genre": "world-report",
        },
        "sections": sections,
        "mentions": list(mentioned.values()),
        "events": events,
        "acts": acts,
        "statistics": stats,
        "interventions": interventions,
        "recommendations": recommendations,
    }
    return doc, src, rid


def generate(out: Path, triples: int, seed: int = 7) -> Plan:
    """Write a corpus of about ``triples`` triples into ``out`` (data/ and sources/)."""
    rng = random.Random(seed)
    namer = Namer(rng)
    plan = Plan.for_triples(triples)
    per_country = math.ceil(plan.reports / plan.countries)
    people = max(CASES_PER_REPORT, per_country * CASES_PER_REPORT // REPORTS_PER_PERSON)
    countries = [_country(rng, namer, i, people) for i in range(plan.countries)]
    publishers = []
    for _ in range(PUBLISHERS):
        name = f"{word(rng, 2)} Rights Watchers"
        publishers.append((f"org/{slug(name)}", name))
    monitor = f"org/{slug(word(rng, 3))}-monitoring-body"
    shared: dict[str, list[dict[str, Any]]] = {
        "places": [],
        "organisations": [],
        "laws": [],
        "provisions": [],
        "people": [],
    }
    shared["organisations"] += [{"id": p, "name": n, "kind": "ngo"} for p, n in publishers]
    shared["organisations"].append(
        {"id": monitor, "name": "Regional monitoring body", "kind": "intergovernmental-body"}
    )
    data, sources = out / "data", out / "sources"
    for old in (data, sources):
        shutil.rmtree(old, ignore_errors=True)
    (data / "reports").mkdir(parents=True, exist_ok=True)
    (data / "assessments").mkdir(parents=True, exist_ok=True)
    sources.mkdir(parents=True, exist_ok=True)
    written = 0
    recs: dict[tuple[str, int, str], str] = {}
    mentioned: set[str] = set()
    assessments: list[dict[str, Any]] = []
    for year in range(2024 - plan.years + 1, 2025):
        for country in countries:
            for publisher in publishers:
                if written == plan.reports:
                    break
                doc, src, rid = _report(rng, country, year, publisher, monitor)
                (data / "reports" / f"{rid}.yaml").write_text(
                    yaml_document(doc, "Synthetic benchmark report (invented names and text)"),
                    encoding="utf-8",
                )
                (sources / f"{rid}.txt").write_text(src.text(), encoding="utf-8")
                earlier = recs.get((country.key, year - 1, publisher[0]))
                if earlier is not None:
                    ev = doc["statistics"][0]["evidence"][0]
                    assessments.append(
                        {
                            "id": f"{earlier}-followed-up",
                            "recommendation": f"recommendation/{earlier}",
                            "status": "not-implemented",
                            "as_of": f"{year}-12",
                            "based_on": [f"statistic/{doc['statistics'][0]['id']}"],
                            "summary": "Detentions went on the next year.",
                            "evidence": [{"source": rid, **ev}],
                        }
                    )
                recs[(country.key, year, publisher[0])] = doc["recommendations"][0]["id"]
                mentioned.update(m["entity"] for m in doc["mentions"])
                written += 1
    for country in countries:
        for key, items in country.entity_docs.items():
            shared[key] += items
    for key in ("people", "organisations"):
        # people and bodies must be named somewhere (a shape says so): drop those never mentioned
        shared[key] = [e for e in shared[key] if e.get("kind") == "ngo" or e["id"] in mentioned]
    (data / "entities.yaml").write_text(
        yaml_document(shared, "Synthetic benchmark entities (invented names)"), encoding="utf-8"
    )
    (data / "assessments" / "bench.yaml").write_text(
        yaml_document({"assessments": assessments}, "Synthetic follow-up assessments"),
        encoding="utf-8",
    )
    return plan
