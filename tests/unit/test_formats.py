"""RDF exports: deterministic bytes, named graphs kept or merged, atomic writes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from kg.errors import KGError
from kg.export.formats import (
    _TYPE, _line_key, _Runs, iter_statements, sorted_unique, statements, write_graph, write_graphs,
)
from kg.namespaces import DOC, ENT
from kg.rdf import add_extraction, to_triples
from kg.store import open_store
from tests.unit.test_rdf import make_extraction, sample_extraction


def _store(order=("report-1", "report-2")):
    store = open_store()
    for doc in order:
        if doc == "report-1":
            add_extraction(store, sample_extraction())
        else:
            add_extraction(store, make_extraction("report-2", [dict(subj="alpha-leader", obj="beta", lemma="meet")]))
    return store


def _expected_merged() -> Graph:
    graph = Graph()
    for triple in to_triples(sample_extraction()):
        graph.add(triple)
    for triple in to_triples(make_extraction("report-2", [dict(subj="alpha-leader", obj="beta", lemma="meet")])):
        graph.add(triple)
    return graph


def test_turtle_is_byte_identical_and_isomorphic(tmp_path):
    write_graph(_store(), tmp_path / "a.ttl", "ttl")
    # the same content added in the other order gives the same bytes
    write_graph(_store(order=("report-2", "report-1")), tmp_path / "b.ttl", "ttl")
    first, second = (tmp_path / "a.ttl").read_bytes(), (tmp_path / "b.ttl").read_bytes()
    assert first == second
    text = first.decode("utf-8")
    assert text.startswith("@prefix")
    assert "ent:alpha-leader a kg:Entity" in text
    assert "_:" not in text
    parsed = Graph().parse(tmp_path / "a.ttl", format="turtle")
    assert isomorphic(parsed, _expected_merged())


@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld"])
def test_dataset_formats_keep_one_graph_per_document(tmp_path, fmt):
    path = tmp_path / f"graph.{fmt}"
    write_graph(_store(), path, fmt)
    dataset = Dataset()
    dataset.parse(path, format={"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt])
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert names == {DOC["report-1"], DOC["report-2"]}
    report_1 = dataset.graph(DOC["report-1"])
    assert isomorphic(report_1, Graph().__iadd__(to_triples(sample_extraction())))


def test_ntriples_merges_graphs_without_duplicates(tmp_path):
    write_graph(_store(), tmp_path / "graph.nt", "nt")
    lines = (tmp_path / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(_expected_merged())
    subjects = [line.split(" ", 1)[0] for line in lines]
    assert subjects == sorted(subjects)
    label = f'<{ENT["alpha-leader"]}> <{RDFS.label}> "Anna Alpha" .'
    assert lines.count(label) == 1  # stated in both documents, written once


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    path = tmp_path / "out" / "graph.ttl"
    write_graph(_store(), path, "ttl")
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ox, "serialize", broken)
    with pytest.raises(KGError, match="disk full"):
        write_graph(open_store(), path, "ttl")
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["graph.ttl"]


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(KGError, match="unknown RDF format"):
        write_graph(open_store(), tmp_path / "g.xml", "xml")


def test_blank_nodes_get_canonical_labels(tmp_path):
    def build(label_first: bool) -> Dataset:
        dataset = Dataset(default_union=True)
        graph = URIRef("http://example.org/g")
        a, b = BNode(), BNode()
        quads = [
            (URIRef("http://example.org/s"), URIRef("http://example.org/p"), a, graph),
            (a, RDFS.label, Literal("first"), graph),
            (URIRef("http://example.org/s"), URIRef("http://example.org/p"), b, graph),
            (b, RDFS.label, Literal("second"), graph),
        ]
        for quad in quads if label_first else reversed(quads):
            dataset.add(quad)
        return dataset

    write_graph(build(True), tmp_path / "one.nt", "nt")
    write_graph(build(False), tmp_path / "two.nt", "nt")
    assert (tmp_path / "one.nt").read_bytes() == (tmp_path / "two.nt").read_bytes()


def test_statements_merge_and_sort():
    triples = statements(_store(), merge=True)
    assert len(triples) == len(_expected_merged())
    subjects = [line.split(" ", 1)[0] for line in triples]
    assert subjects == sorted(subjects)
    first_of_subject = triples[subjects.index(f"<{ENT['alpha']}>")]
    assert first_of_subject.split(" ")[1] == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    quads = statements(_store(), merge=False)
    assert len(quads) == len(to_triples(sample_extraction())) + len(
        to_triples(make_extraction("report-2", [dict(subj="alpha-leader", obj="beta", lemma="meet")]))
    )


def _mixed_store(blank: bool) -> ox.Store:
    """Several graphs, a triple stated in two of them, odd line separators in literals."""
    ex = "http://example.org/"
    store = ox.Store()
    s, p, kind = ox.NamedNode(ex + "s"), ox.NamedNode(ex + "p"), ox.NamedNode(ex + "Kind")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for i in range(6):
        graph = ox.NamedNode(f"{ex}g{5 - i}")
        store.add(ox.Quad(s, p, ox.Literal("shared"), graph))
        store.add(ox.Quad(ox.NamedNode(f"{ex}e{i % 4}"), rdf_type, kind, graph))
        store.add(ox.Quad(ox.NamedNode(f"{ex}e{i}"), p, ox.Literal(f"line\u2028sep\u0085next {i}"), graph))
        if blank:
            node = ox.BlankNode()
            store.add(ox.Quad(s, p, node, graph))
            store.add(ox.Quad(node, p, ox.Literal(f"blank {i % 2}"), graph))
    store.add(ox.Quad(s, p, ox.Literal("default"), ox.DefaultGraph()))
    return store


@pytest.mark.parametrize("blank", [False, True])
@pytest.mark.parametrize("fmt", ["ttl", "trig", "nt", "nq", "jsonld"])
def test_runs_of_a_few_lines_give_the_bytes_of_one_run(tmp_path, fmt, blank):
    store = _mixed_store(blank)
    write_graph(store, tmp_path / f"one.{fmt}", fmt)
    write_graph(store, tmp_path / f"runs.{fmt}", fmt, run_lines=3)
    one = (tmp_path / f"one.{fmt}").read_bytes()
    assert (tmp_path / f"runs.{fmt}").read_bytes() == one
    assert "line\u2028sep\u0085next 5" in one.decode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"one.{fmt}", f"runs.{fmt}"]  # no leftovers


def test_sorted_unique_in_runs_matches_an_in_memory_sort():
    lines = [f"<s{i % 7}> <p{i % 3}> \"{i % 11}\" ." for i in range(200)]
    lines += [f"<s{i}> {_TYPE} <K> ." for i in range(7)]
    expected = sorted(set(lines), key=_line_key)
    assert list(sorted_unique(lines, run_lines=4)) == expected == list(sorted_unique(lines))
    assert expected[0] == f"<s0> {_TYPE} <K> ."  # rdf:type first within its subject


def test_runs_merge_as_they_come_and_keep_few_files_open():
    from contextlib import ExitStack

    lines = [f"<s{i % 97}> <p{i % 5}> \"{i % 13}\" ." for i in range(2000)]
    with ExitStack() as stack:
        runs = _Runs(stack, run_lines=5, fan_in=3)
        most = 0
        for line in lines:
            runs.add([line])
            most = max(most, len(runs.runs))
        assert 0 < most <= 3 * 6  # three runs of each size at most: 400 runs would be open without merging
        assert {level for level, _ in runs.runs} != {0}  # merged runs were made
        assert list(runs.merged()) == sorted(set(lines), key=_line_key)


def test_several_files_from_one_read_match_one_file_at_a_time(tmp_path):
    store = _mixed_store(blank=True)
    formats = ["ttl", "trig", "nt", "nq", "jsonld"]
    write_graphs(store, [(tmp_path / f"all.{fmt}", fmt) for fmt in formats], run_lines=2)
    for fmt in formats:
        write_graph(store, tmp_path / f"one.{fmt}", fmt)
        assert (tmp_path / f"all.{fmt}").read_bytes() == (tmp_path / f"one.{fmt}").read_bytes(), fmt
    with pytest.raises(KGError, match="unknown RDF format 'xml'"):
        write_graphs(store, [(tmp_path / "a.ttl", "ttl"), (tmp_path / "a.xml", "xml")])
    assert not (tmp_path / "a.ttl").exists()  # nothing written when one format is wrong


def test_merged_and_per_graph_statements_from_several_graphs():
    store = _mixed_store(blank=False)
    triples = statements(store, merge=True)
    assert triples.count('<http://example.org/s> <http://example.org/p> "shared" .') == 1
    quads = list(iter_statements(store, merge=False, run_lines=2))
    shared = [q for q in quads if '"shared"' in q]
    assert [q.rsplit(" ", 2)[1] for q in shared] == [f"<http://example.org/g{i}>" for i in range(6)]
    assert quads[0] == '<http://example.org/s> <http://example.org/p> "default" .'
    assert quads == statements(store, merge=False)
