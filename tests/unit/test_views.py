"""The data behind the explorer's views: quad classes, entity countries, places, world paths."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.errors import KGError
from kg.export.views import QUAD_CLASSES, entity_countries, place_table, places, quad_class, view_payload, world_paths


@pytest.mark.parametrize("code, quad", [("010", 1), ("057", 1), ("061", 2), ("080", 2), ("090", 3),
                                        ("138", 3), ("140", 4), ("190", 4), ("204", 4), (None, None), ("", None)])
def test_quad_class_follows_the_cameo_roots(code, quad):
    assert quad_class(code) == quad


def test_every_cameo_root_has_one_quad_class():
    roots = [root for _, group in QUAD_CLASSES.values() for root in group]
    assert sorted(roots) == [f"{n:02d}" for n in range(1, 21)]


def sample() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("ru", label="Russia", type="Country")
    g.add_node("putin", label="Vladimir Putin", type="Person", country="ru")
    g.add_node("kyiv", label="Kyiv", type="GeopoliticalEntity", lat=50.45466, long=30.5238, country_code="UKR")
    g.add_node("troops", label="Some troops", type="Group")
    g.add_node("lonely", label="Lonely Town", type="Location", lat=1.0, long=2.0, country_code="XXX")
    g.add_edge("putin", "troops", key="e1", location="kyiv")
    g.add_edge("ru", "troops", key="e2", location="nowhere")
    return g


def test_entity_countries_from_own_code_name_or_country_link():
    assert entity_countries(sample()) == {"ru": "RUS", "putin": "RUS", "kyiv": "UKR", "lonely": "XXX"}


def test_place_table_holds_only_places_events_happened_at():
    g = sample()
    g.graph["places"] = places(g)
    at, rows = place_table(g)
    assert at == {"kyiv": 0}
    assert rows == [{"place": "Kyiv", "lat": 50.4547, "lon": 30.5238, "iso": "UKR"}]


def test_world_paths_are_closed_relative_svg_paths_in_the_projection():
    paths = {p["iso"]: p for p in world_paths()}
    ukraine = paths["UKR"]
    assert ukraine["d"].startswith("M") and ukraine["d"].endswith("z") and "l" in ukraine["d"]
    assert 2000 < ukraine["x"] < 2200 and 350 < ukraine["y"] < 450  # 30 E, 49 N


def test_view_payload_rejects_an_unknown_view():
    assert view_payload("map")["view"] == "map"
    with pytest.raises(KGError, match="unknown view 'globe'"):
        view_payload("globe")


def test_page_data_carries_what_the_views_draw():
    import html
    import json
    import re

    from kg.export.html import to_html

    g = sample()
    g.nodes["troops"]["country"] = "ru"
    g.edges["putin", "troops", "e1"].update(cameo="190", goldstein=-10.0)
    page = to_html(g, view="timeline")
    data = json.loads(html.unescape(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)[1]))
    assert data["view"] == "timeline" and data["quads"]["4"] == "Material conflict"
    edges = {e["id"]: e for e in data["edges"]}
    assert (edges["e1"]["quad"], edges["e1"]["gs"], edges["e1"]["at"]) == (4, -10.0, 0)
    assert "at" not in edges["e2"]  # its place is unknown
    assert data["places"] == [{"place": "Kyiv", "lat": 50.4547, "lon": 30.5238, "iso": "UKR"}]
    assert {n["id"]: n.get("iso") for n in data["nodes"]}["putin"] == "RUS"
    assert len(data["world"]) > 150
    assert re.findall(r'<button type="button" data-view="(\w+)"', page) == ["graph", "timeline", "map", "matrix"]
