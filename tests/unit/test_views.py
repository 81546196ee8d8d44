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
