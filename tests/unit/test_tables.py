"""GraphML and the CSV events table: contents, types, order, atomic writes, export dispatch."""

from __future__ import annotations

import csv
import time
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta

import networkx as nx
import pytest

from kg.errors import KGError
from kg.export.tables import EVENT_COLUMNS, event_rows, export, write_events_csv, write_graphml
from kg.graph import to_networkx
from kg.namespaces import ENT
from kg.rdf import add_extraction
from kg.store import open_store, to_pyoxigraph
from kg.types import Mention
from tests.unit.test_rdf import make_extraction, sample_extraction

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def store():
    store = open_store("memory")
    add_extraction(store, sample_extraction("report-1"))
    # a second document repeats entity labels: rows must not multiply
    add_extraction(store, make_extraction("report-2", [dict(subj="beta", obj="alpha", lemma="threaten",
                                                            cameo="130", date="2024-10-01")]))
    return store


def test_graphml_reads_back_with_labels_types_and_events(store, tmp_path):
    path = tmp_path / "out" / "events.graphml"
    assert write_graphml(store, path) == {"nodes": 6, "edges": 3}  # "odd" has no events but is an entity
    g = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    leader = g.nodes[str(ENT["alpha-leader"])]
    assert leader == {"label": "Anna Alpha", "type": "Person", "country": "Alphaland", "wikidata": "Q42"}
    assert g.nodes[str(ENT["beta"])] == {"label": "Betastan", "type": "Country"}
    edges = {d["relation"]: d for _, _, d in g.edges(data=True)}
    assert sorted(edges) == ["attack", "call", "threaten"]
    attack = edges["attack"]
    assert attack["negated"] is True and attack["cameo"] == "190" and attack["modality"] == "asserted"
    assert attack["date"] == "2024-11-04/2024-11-10" and attack["confidence"] == 0.5
    assert edges["call"]["date"] == "2024-11-07" and "evidence" in edges["call"]
    assert isinstance(edges["call"]["confidence"], float)


def test_graphml_keys_are_plain_and_typed_for_gephi(store, tmp_path):
    path = tmp_path / "events.graphml"
    write_graphml(to_networkx(store), path)
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in ET.parse(path).getroot().iter(GRAPHML + "key")}
    assert keys[("node", "label")] == "string"
    assert keys[("edge", "negated")] == "boolean"
    assert keys[("edge", "confidence")] == "double"
    assert not any(name in ("aliases", "documents", "focus") for _, name in keys)
    # no "None" strings: missing values are left out
    assert "None" not in path.read_text(encoding="utf-8")


def test_graphml_is_deterministic(store, tmp_path):
    write_graphml(store, tmp_path / "a.graphml")
    write_graphml(to_pyoxigraph(store), tmp_path / "b.graphml")
    assert (tmp_path / "a.graphml").read_bytes() == (tmp_path / "b.graphml").read_bytes()


def test_events_csv_one_row_per_event_in_date_order(store, tmp_path):
    path = tmp_path / "events.csv"
    assert write_events_csv(store, path, all_facts=True) == 4
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == EVENT_COLUMNS
    assert [r["relation"] for r in rows] == ["threaten", "attack", "call", "warn"]
    assert [r["date"] for r in rows] == ["2024-10-01", "2024-11-04/2024-11-10", "2024-11-07", "2024-11-11"]
    assert [(r["date_start"], r["date_end"], r["date_precision"]) for r in rows[:2]] == [
        ("2024-10-01", "2024-10-01", "day"), ("2024-11-04", "2024-11-10", "week")]
    call = rows[2]
    assert (call["actor1"], call["actor1_country"], call["actor2"], call["actor2_country"]) == (
        "Anna Alpha", "Alphaland", "Betastan", "Betastan")
    assert (call["cameo"], call["cameo_root"], call["plover"], call["goldstein"]) == ("042", "04", "CONSULT", "1")
    assert call["confidence"] == "0.912" and call["negated"] == "false"
    assert call["source_title"] == "Report report-1"
    assert call["source_url"] == "https://news.example.org/report-1"
    assert call["sentence"] == "Anna Alpha called Betastan."
    attack = rows[1]
    assert attack["negated"] == "true" and attack["actor1_country"] == "Betastan" and attack["actor2_country"] == ""
    warn = rows[3]
    assert warn["actor2"] == "to cooperate" and warn["modality"] == "reported" and warn["cameo"] == ""
    # by default the table holds the coded events only: the uncoded warning is a fact
    assert write_events_csv(store, path) == 3
    assert [r["relation"] for r in event_rows(store)] == ["threaten", "attack", "call"]


def test_csv_and_graphml_export_all_facts_on_request(store, tmp_path):
    extra = open_store("memory")
    add_extraction(extra, make_extraction("r", [dict(subj="alpha", obj="beta", lemma="praise", cameo="051"),
                                                dict(subj="beta", obj="alpha", lemma="mention")]))
    assert [r["relation"] for r in event_rows(extra)] == ["praise"]
    assert sorted(r["relation"] for r in event_rows(extra, all_facts=True)) == ["mention", "praise"]
    assert write_graphml(extra, tmp_path / "e.graphml") == {"nodes": 2, "edges": 1}
    export(extra, tmp_path / "f.graphml", all_facts=True)
    assert nx.read_graphml(tmp_path / "f.graphml", force_multigraph=True).number_of_edges() == 2


def test_events_csv_same_rows_from_every_store_kind(store):
    assert event_rows(store) == event_rows(to_pyoxigraph(store))
    assert event_rows(open_store("memory")) == []


@pytest.mark.parametrize("name, fmt", [("g.ttl", None), ("g.trig", None), ("g.nq", "nq"), ("g.jsonld", None),
                                       ("g.nt", None), ("g.graphml", None), ("g.csv", "csv")])
def test_export_dispatches_on_format_or_extension(store, tmp_path, name, fmt):
    path = export(store, tmp_path / name, fmt)
    assert path.is_file() and path.stat().st_size > 100
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left behind


def test_export_rejects_unknown_format_and_keeps_old_file(store, tmp_path):
    target = tmp_path / "events.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(KGError, match="unknown export format"):
        export(store, tmp_path / "g.xlsx")
    with pytest.raises(KGError):
        export(to_networkx(store), tmp_path / "g.ttl")
    assert target.read_text(encoding="utf-8") == "old"


def located_calls(doc_id: str, first: int, count: int):
    """``count`` calls from Anna Alpha to Betastan in Kyiv, one a day from ``first`` days into 2024."""
    specs = [dict(subj="alpha-leader", obj="beta", lemma="call", cameo="042",
                  date=(date(2024, 1, 1) + timedelta(days=first + i)).isoformat(),
                  location=Mention(doc_id, i, 0, 4, "Kyiv", "GPE", "kyiv")) for i in range(count)]
    return make_extraction(doc_id, specs, entities=("alpha-leader", "alpha", "beta", "kyiv"))


def test_events_table_stays_fast_when_every_document_repeats_the_same_places():
    # Every document graph repeats the labels, country and coordinates of the same entities;
    # looking them up over the union once per copy made 300 events take minutes.
    documents = [located_calls(f"wire-{n:02}", first=5 * n, count=5) for n in range(60)]
    store = open_store("memory")
    for extraction in documents:
        add_extraction(store, extraction)
    started = time.perf_counter()
    rows = event_rows(store)
    elapsed = time.perf_counter() - started
    alone = []
    for extraction in documents:  # each document in a store of its own: nothing repeats
        single = open_store("memory")
        add_extraction(single, extraction)
        alone += event_rows(single)
    assert rows == alone and len(rows) == 300
    assert [r["date"] for r in rows] == [(date(2024, 1, 1) + timedelta(days=i)).isoformat() for i in range(300)]
    first = rows[0]
    assert (first["actor1"], first["actor1_country"], first["actor2"], first["actor2_country"], first["place"]) == (
        "Anna Alpha", "Alphaland", "Betastan", "Betastan", "Kyiv")
    assert 50 < float(first["latitude"]) < 51 and 30 < float(first["longitude"]) < 31
    assert elapsed < 10, f"events table of 300 events took {elapsed:.1f} s"


def test_a_place_named_two_ways_keeps_the_name_each_document_gives_it():
    store = open_store("memory")
    add_extraction(store, located_calls("wire-a", first=0, count=1))
    dateline = located_calls("wire-b", first=1, count=1)
    shouted = tuple(replace(e, name="KYIV") if e.id == "kyiv" else e for e in dateline.entities)
    add_extraction(store, replace(dateline, entities=shouted))
    rows = event_rows(store)
    assert [r["place"] for r in rows] == ["Kyiv", "KYIV"]
    assert rows[0]["latitude"] == rows[1]["latitude"] != ""
