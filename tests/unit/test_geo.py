"""Places on the map: the gazetteer, coordinates in RDF, the CSV columns and the GeoJSON export."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
import shapefile  # pyshp
from rdflib import Literal
from rdflib.namespace import XSD

from kg.errors import KGError
from kg.export.tables import EVENT_COLUMNS, export, to_geojson, write_events_csv
from kg.export.worldshapes import convert, label_point, quantise
from kg.geo import country_code, locate, world
from kg.graph import to_networkx
from kg.namespaces import ENT, GEO, KG
from kg.rdf import add_extraction, to_triples
from kg.store import open_store
from kg.types import Document, Entity, Event, Evidence, Extraction, Mention, Sentence

RUSSIA = Entity("russia", "Russia", "Country")
UKRAINE = Entity("ukraine", "Ukraine", "Country")
KYIV = Entity("kyiv", "Kyiv", "GeopoliticalEntity", country="ukraine")
NOWHERE = Entity("zembla-heights", "Zembla Heights", "Location")


def located_extraction() -> Extraction:
    """Three events: one in Kyiv, one in Ukraine (a country as the place), one in a place no gazetteer knows."""
    texts = ["Russia struck Kyiv.", "Russia attacked Ukraine in Ukraine.", "Russia met Ukraine in Zembla Heights."]
    places = [KYIV, UKRAINE, NOWHERE]
    sentences, events, offset = [], [], 0
    for index, (text, place) in enumerate(zip(texts, places)):
        sentences.append(Sentence(index, offset, offset + len(text), text))
        subject = Mention("geo-1", index, offset, offset + 6, "Russia", "GPE", "russia")
        target = Mention("geo-1", index, offset + 14, offset + 18, text.split()[2].rstrip("."), "GPE",
                         "ukraine" if index else "kyiv")
        where = Mention("geo-1", index, offset, offset + 1, place.name, "GPE", place.id)
        events.append(Event(subject, "struck", "attack", target, Evidence("geo-1", index, offset, offset + len(text)),
                            cameo="190", goldstein=-10.0, date=f"2024-11-0{index + 1}", location=where))
        offset += len(text) + 1
    document = Document("geo-1", " ".join(texts), published=date(2024, 11, 11), source="Wire",
                        url="https://news.example.org/geo-1", title="Strikes")
    return Extraction(document, tuple(sentences), (), (RUSSIA, UKRAINE, KYIV, NOWHERE), tuple(events))


@pytest.fixture(scope="module")
def store():
    store = open_store("memory")
    add_extraction(store, located_extraction())
    return store


def test_country_codes_from_names_aliases_and_codes():
    assert country_code("Russia") == "RUS"
    assert country_code("united states of america") == "USA"
    assert country_code("UA") == "UKR"
    assert country_code("Kyiv") is None and country_code("") is None


def test_locate_cities_and_countries():
    kyiv = locate("Kyiv")
    assert kyiv.country == "UKR" and 50 < kyiv.lat < 51 and 30 < kyiv.long < 31
    assert locate("Paris", "France").country == "FRA"
    russia = locate("Russia")
    assert russia.country == "RUS" and 40 < russia.lat < 75
    assert locate("Zembla Heights") is None


def test_world_map_ships_outlines_for_the_countries_of_the_sample():
    countries = {c["iso3"]: c for c in world()["countries"]}
    assert {"RUS", "UKR", "USA"} <= set(countries)
    assert "public domain" in world()["licence"]
    assert all(len(ring) % 2 == 0 and len(ring) >= 6 for ring in countries["UKR"]["rings"])


def test_every_event_place_gets_wgs84_coordinates_and_its_country():
    triples = set(to_triples(located_extraction()))
    kyiv, ukraine = ENT["kyiv"], ENT["ukraine"]
    lat = next(o for s, p, o in triples if s == kyiv and p == GEO.lat)
    assert lat.datatype == XSD.decimal and 50 < float(lat) < 51
    assert (kyiv, KG.countryCode, Literal("UKR")) in triples
    assert any(s == ukraine and p == GEO.long for s, p, _ in triples)
    assert not any(s == ENT["zembla-heights"] and p in (GEO.lat, GEO.long) for s, p, _ in triples)
    # only places are located: the actor Russia is no event's place here
    assert not any(s == ENT["russia"] and p == GEO.lat for s, p, _ in triples)


def test_a_place_without_a_country_is_linked_to_the_documents_country():
    extraction = located_extraction()
    lone_kyiv = Entity("kyiv", "Kyiv", "GeopoliticalEntity")
    entities = tuple(lone_kyiv if e.id == "kyiv" else e for e in extraction.entities)
    triples = set(to_triples(Extraction(extraction.document, extraction.sentences, (), entities, extraction.events)))
    assert (ENT["kyiv"], KG.country, ENT["ukraine"]) in triples
    assert not any(s == ENT["ukraine"] and p == KG.country for s, p, _ in triples)  # not its own country


def test_networkx_view_reads_coordinates(store):
    g = to_networkx(store)
    kyiv = g.nodes[str(ENT["kyiv"])]
    assert kyiv["country_code"] == "UKR" and 30 < kyiv["long"] < 31


def test_events_csv_has_place_latitude_and_longitude(store, tmp_path):
    path = tmp_path / "events.csv"
    write_events_csv(store, path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert EVENT_COLUMNS[-3:] == ("place", "latitude", "longitude")
    by_place = {r["place"]: r for r in rows}
    assert set(by_place) == {"Kyiv", "Ukraine", "Zembla Heights"}
    assert 50 < float(by_place["Kyiv"]["latitude"]) < 51 and 30 < float(by_place["Kyiv"]["longitude"]) < 31
    assert by_place["Zembla Heights"]["latitude"] == by_place["Zembla Heights"]["longitude"] == ""


def test_geojson_export_writes_located_events_longitude_first(store, tmp_path):
    path = export(store, tmp_path / "events.geojson")
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection == to_geojson(store)
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["place"]: f for f in collection["features"]}
    assert set(features) == {"Kyiv", "Ukraine"}  # Zembla Heights has no coordinates
    lon, lat = features["Kyiv"]["geometry"]["coordinates"]
    assert 30 < lon < 31 and 50 < lat < 51
    props = features["Kyiv"]["properties"]
    assert props["actor1"] == "Russia" and props["cameo"] == "190" and props["date"] == "2024-11-01"
    assert "latitude" not in props


def test_worldshapes_quantises_and_finds_a_label_point():
    assert quantise([(0, 0), (0.01, 0.02), (1, 0), (1, 1), (0, 0)]) == [0, 0, 10, 0, 10, 10]
    assert label_point([0, 0, 20, 0, 20, 20, 0, 20]) == (1.0, 1.0)


def test_worldshapes_converts_a_shapefile(tmp_path):
    source = tmp_path / "two"
    with shapefile.Writer(str(source), shapeType=shapefile.POLYGON) as writer:
        writer.field("name", "C", 40)
        writer.field("iso_a3", "C", 3)
        writer.poly([[(30, 45), (40, 45), (40, 52), (30, 52), (30, 45)]])
        writer.record("Ukraine", "UKR")
        writer.poly([[(20, 42), (21, 42), (21, 43), (20, 42)]])
        writer.record("Kosovo", "-99")
    target = tmp_path / "world.json"
    assert convert(source.with_suffix(".shp"), target) == 2
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [(c["iso3"], c["iso2"]) for c in data["countries"]] == [("UKR", "UA"), ("XKX", "XK")]
    assert data["countries"][0]["rings"] == [[300, 450, 400, 450, 400, 520, 300, 520]]
    assert (data["countries"][0]["lon"], data["countries"][0]["lat"]) == (35.0, 48.5)


def test_worldshapes_names_a_bad_source(tmp_path):
    bad = tmp_path / "bad.shp"
    bad.write_bytes(b"not a shapefile")
    with pytest.raises(KGError, match="bad.shp"):
        convert(bad, tmp_path / "out.json")


def test_cli_exports_geojson_and_writes_a_page_opening_on_the_map(capsys, monkeypatch, store, tmp_path):
    from kg.export.formats import write_graph
    from tests.e2e.test_cli import run

    trig = tmp_path / "graph.trig"
    write_graph(store, trig, "trig")
    code, out, err = run(capsys, monkeypatch, "export", trig, "--format", "geojson")
    assert code == 0, err
    assert len(json.loads(out)["features"]) == 2
    page = tmp_path / "map.html"
    code, out, err = run(capsys, monkeypatch, "viz", trig, "--out", page, "--view", "map")
    assert code == 0, err
    assert '"view":"map"' in page.read_text(encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, "viz", trig, "--out", page, "--view", "globe")
    assert code != 0 and "unknown view 'globe'" in err


def test_located_places_conform_to_the_shapes_and_a_bad_latitude_does_not():
    from rdflib import Graph

    from kg.resources import data_dir
    from tests.unit.test_ontology import validate

    shapes = Graph().parse(data_dir("ontologies") / "shapes.ttl", format="turtle")
    graph = Graph()
    for triple in to_triples(located_extraction()):
        graph.add(triple)
    assert validate(graph, shapes) == []
    graph.set((ENT["kyiv"], GEO.lat, Literal("123.5", datatype=XSD.decimal)))
    problems = validate(graph, shapes)
    assert len(problems) == 1 and "wgs84_pos#lat" in problems[0], problems
