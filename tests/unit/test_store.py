"""Opening stores (memory, directory, endpoint spec), loading files, closing and reopening."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS

from kg.errors import InputError, StoreError
from kg.namespaces import DOC, ENT, KG
from kg.rdf import add_extraction, to_triples
from kg.store import (
    ONTOLOGY_GRAPH,
    Endpoint,
    close_store,
    load_file,
    load_ontology,
    open_store,
    open_target,
    to_pyoxigraph,
)
from tests.unit.test_rdf import sample_extraction

TURTLE = """@prefix ex: <http://example.org/> .
ex:a ex:p ex:b ; ex:q "x" .
ex:b ex:p ex:c .
"""
TRIG = """@prefix ex: <http://example.org/> .
ex:g1 { ex:a ex:p ex:b . }
ex:g2 { ex:a ex:p ex:b . ex:c ex:p ex:d . }
"""


def test_memory_store_is_a_union_dataset():
    store = open_store()
    add_extraction(store, sample_extraction())
    assert store.default_union
    assert to_pyoxigraph(store) is not None
    assert (ENT["alpha"], RDFS.label, Literal("Alphaland")) in store
    assert str(dict(store.namespaces())["kg"]) == str(KG._NS)


def test_persistent_store_reopens_with_its_data(tmp_path):
    path = tmp_path / "graph-store"
    store = open_store(path)
    add_extraction(store, sample_extraction())
    count = len(store)
    close_store(store)
    del store

    again = open_store(path)
    assert len(again) == count > 0
    assert (ENT["alpha"], RDFS.label, Literal("Alphaland")) in again
    close_store(again)
    del again

    reader = open_store(path, read_only=True)
    assert len(reader) == count
    close_store(reader)
    close_store(reader)  # closing twice is harmless
    with pytest.raises(StoreError, match="closed"):
        to_pyoxigraph(reader)


def test_missing_directory_without_create_is_an_error(tmp_path):
    with pytest.raises(StoreError, match="no such store directory"):
        open_store(tmp_path / "absent", create=False)
    with pytest.raises(StoreError):
        open_store(tmp_path / "absent", read_only=True)
    assert not (tmp_path / "absent").exists()


def test_a_path_that_is_not_a_store_is_refused(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("not a database")
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        open_store(tmp_path / "notes")
    (tmp_path / "file.ttl").write_text(TURTLE)
    with pytest.raises(StoreError, match="is a file"):
        open_store(tmp_path / "file.ttl")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("http://localhost:7878/query", ("http://localhost:7878/query", "http://localhost:7878/update")),
        ("http://h/ds/sparql", ("http://h/ds/sparql", "http://h/ds/sparql")),
        ("http://h/q | http://h/u", ("http://h/q", "http://h/u")),
    ],
)
def test_endpoint_urls(spec, expected):
    assert open_target(spec) == Endpoint(*expected)


def test_endpoint_store_is_opened_without_network():
    from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore

    writable = open_store("http://localhost:1/query")
    assert isinstance(writable.store, SPARQLUpdateStore)
    assert writable.store.update_endpoint == "http://localhost:1/update"
    reader = open_store("http://localhost:1/query", read_only=True)
    assert type(reader.store) is SPARQLStore
    assert to_pyoxigraph(reader) is None


def test_load_turtle_into_a_named_graph(tmp_path):
    path = tmp_path / "extra.ttl"
    path.write_text(TURTLE)
    store = open_store()
    assert load_file(store, path, graph="http://example.org/g") == 3
    graphs = {str(g.identifier) for g in store.graphs() if len(g)}
    assert graphs == {"http://example.org/g"}
    # loading again adds nothing new
    assert load_file(store, path, graph="http://example.org/g") == 0


def test_load_trig_keeps_its_graphs(tmp_path):
    path = tmp_path / "extra.trig"
    path.write_text(TRIG)
    store = open_store()
    assert load_file(store, path) == 3
    assert len(store) == 2  # the union graph counts ex:a ex:p ex:b once


def test_load_reports_the_file_on_a_parse_error(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p .\n")
    store = open_store()
    with pytest.raises(InputError, match="broken.ttl") as info:
        load_file(store, path)
    assert "line 2" in str(info.value) or ":2" in str(info.value)
    assert len(store) == 0  # small files load in one transaction: nothing half-loaded
    with pytest.raises(InputError, match="unknown RDF file extension"):
        (tmp_path / "notes.txt").write_text("plain text")
        load_file(store, tmp_path / "notes.txt")
    with pytest.raises(InputError, match="no such file"):
        load_file(store, tmp_path / "absent.ttl")


def test_load_into_a_plain_rdflib_dataset(tmp_path):
    from rdflib import Dataset

    path = tmp_path / "extra.trig"
    path.write_text(TRIG)
    store = Dataset(default_union=True)
    assert load_file(store, path) == 3
    assert len(list(store.quads())) == 3


def test_export_and_reload_round_trip(tmp_path):
    from kg.export.formats import write_graph

    store = open_store()
    add_extraction(store, sample_extraction())
    write_graph(store, tmp_path / "all.trig", "trig")
    again = open_store()
    assert load_file(again, tmp_path / "all.trig") == len(to_triples(sample_extraction()))
    assert {g.identifier for g in again.graphs() if len(g)} == {DOC["report-1"]}


def test_load_ontology_replaces_its_graph():
    store = open_store()
    first = load_ontology(store)
    assert first > 100
    assert load_ontology(store) == first
    assert len(store) == first
    assert {str(g.identifier) for g in store.graphs() if len(g)} == {ONTOLOGY_GRAPH}


def test_the_class_hierarchy_is_reachable_by_sparql_after_a_build_or_an_import(tmp_path):
    from kg.export.formats import write_graph
    from kg.query import sparql
    from kg.store import import_files

    store = open_store()
    load_ontology(store)
    add_extraction(store, sample_extraction())
    load_ontology(store)  # a second build adds nothing
    entities = sparql(store, "SELECT DISTINCT ?x WHERE { ?x a/rdfs:subClassOf* kg:GeopoliticalEntity }")
    assert {str(x).rsplit("/", 1)[1] for x in entities["x"]} == {"alpha", "beta", "gamma-city"}
    facts = sparql(store, "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a/rdfs:subClassOf* kg:Fact }")
    assert facts["n"][0] == 3
    write_graph(store, tmp_path / "facts.trig", "trig")
    plain = open_store()
    add_extraction(plain, sample_extraction())
    write_graph(plain, tmp_path / "plain.trig", "trig")
    # kg import brings the hierarchy too, once whatever the number of imports
    first = import_files(tmp_path / "store", [tmp_path / "plain.trig"], workers=1)
    assert import_files(tmp_path / "store", [tmp_path / "facts.trig"], workers=1) == 0
    imported = open_store(tmp_path / "store")
    try:
        assert first == len(to_triples(sample_extraction()))
        ask = sparql(imported, "ASK { ?x a/rdfs:subClassOf* kg:Entity ; rdfs:label \"Anna Alpha\" }")
        assert ask is True
    finally:
        close_store(imported)


def test_close_store_on_memory_and_remote_stores_is_harmless():
    close_store(open_store())
    close_store(open_store("http://localhost:1/query", read_only=True))



@pytest.mark.server
def test_remote_endpoint_round_trip(tmp_path):
    import shutil
    import socket
    import subprocess
    import time
    import urllib.request

    from kg.query import run_query, sparql
    from kg.rdf import remove_document

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    binary = shutil.which("oxigraph")
    assert binary, "the oxigraph server (PyPI package oxigraph, a test dependency) is not installed"
    server = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        store = open_store(url)
        add_extraction(store, sample_extraction())
        add_extraction(store, sample_extraction())  # replaces, does not duplicate
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert int(sparql(store, count).iloc[0]["n"]) == len(to_triples(sample_extraction()))
        assert run_query(url, "ASK { ent:beta a kg:Country }") == "true"
        assert remove_document(store, "report-1") == len(to_triples(sample_extraction()))
        assert int(sparql(store, count).iloc[0]["n"]) == 0
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- growing stores -------------------------------------------------------------------------


def test_import_files_bulk_loads_into_a_new_directory_store(tmp_path):
    from kg.store import import_files

    (tmp_path / "a.ttl").write_text(TURTLE)
    (tmp_path / "b.trig").write_text(TRIG)
    added = import_files(tmp_path / "store", [tmp_path / "a.ttl", tmp_path / "b.trig"], graph="http://example.org/g0")
    assert added == 6
    store = open_store(tmp_path / "store", read_only=True)
    names = {str(g.identifier) for g in store.graphs() if len(g)}
    assert names == {"http://example.org/g0", "http://example.org/g1", "http://example.org/g2", ONTOLOGY_GRAPH}
    close_store(store)


def test_import_checks_every_file_before_creating_the_store(tmp_path):
    from kg.store import import_files

    (tmp_path / "a.ttl").write_text(TURTLE)
    with pytest.raises(InputError, match="missing.nt: no such file"):
        import_files(tmp_path / "store", [tmp_path / "a.ttl", tmp_path / "missing.nt"])
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InputError, match="unknown RDF file extension"):
        import_files(tmp_path / "store", [tmp_path / "notes.txt"])
    assert not (tmp_path / "store").exists()


def test_bulk_and_transactional_loads_agree(tmp_path):
    (tmp_path / "b.trig").write_text(TRIG)
    one, two = open_store(), open_store()
    assert load_file(one, tmp_path / "b.trig", bulk=True) == load_file(two, tmp_path / "b.trig", bulk=False) == 3
    assert set(to_pyoxigraph(one)) == set(to_pyoxigraph(two))


def test_an_unreachable_endpoint_fails_the_check_in_one_line():
    from kg.store import check_store

    store = open_store("http://127.0.0.1:9/query")  # opening never touches the network
    with pytest.raises(StoreError, match=r"^http://127.0.0.1:9/query: endpoint unreachable"):
        check_store(store, timeout=2)
    check_store(open_store())  # local stores were checked when opened


def test_a_store_where_nothing_can_be_created_is_a_store_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot create a store here"):
        open_store(tmp_path / "file" / "store")
    with pytest.raises(StoreError):
        open_store("/proc/kg-store")
    assert (tmp_path / "file").is_file()


# --- parallel bulk loads ----------------------------------------------------------------------


def _nquads(n: int, *, broken_at: int | None = None, blank_at: tuple[int, ...] = ()) -> str:
    """``n`` N-Quads lines over three graphs; line ``broken_at`` (1-based) has a bare word as object."""
    lines = []
    for i in range(1, n + 1):
        subject = "_:a" if i in blank_at else f"<http://example.org/s{i}>"
        obj = "oops" if i == broken_at else f'"value {i}"'
        lines.append(f"{subject} <http://example.org/p{i % 7}> {obj} <http://example.org/g{i % 3}> .\n")
    return "".join(lines)


def _stored_quads(path) -> set:
    """The quads of a store directory, but those of the ontology graph every import adds."""
    store = open_store(path, read_only=True)
    local = to_pyoxigraph(store)
    quads = {q for q in local if str(getattr(q.graph_name, "value", "")) != ONTOLOGY_GRAPH}
    local = None  # the last reference must go before close_store() can release the lock
    close_store(store)
    return quads


@pytest.fixture
def small_bulk(monkeypatch):
    """Every test file counts as large, so it goes through the bulk loader."""
    import kg.store

    monkeypatch.setattr(kg.store, "BULK_THRESHOLD", 100)


def test_a_split_parallel_load_stores_the_same_quads(tmp_path, small_bulk):
    import pyoxigraph as ox

    from kg.bulk import parts as _parts
    from kg.store import import_files

    data = tmp_path / "data.nq"
    data.write_text(_nquads(500))
    parts = _parts(data, ox.RdfFormat.N_QUADS, None, 3)
    assert len(parts) == 3  # the file really is cut, at line boundaries
    raw = data.read_bytes()
    assert [p.start for p in parts] == [0, parts[0].end, parts[1].end] and parts[-1].end == len(raw)
    assert all(raw[p.start - 1:p.start] == b"\n" for p in parts[1:])

    assert import_files(tmp_path / "one", [data], workers=1) == 500
    assert import_files(tmp_path / "three", [data], workers=3) == 500
    assert _stored_quads(tmp_path / "one") == _stored_quads(tmp_path / "three")


def test_several_large_files_load_side_by_side_into_their_graphs(tmp_path, small_bulk):
    from kg.store import import_files

    (tmp_path / "a.nq").write_text(_nquads(300))
    (tmp_path / "b.nt").write_text("".join(f'<http://example.org/t{i}> <http://example.org/p> "{i}" .\n'
                                           for i in range(200)))
    files = [tmp_path / "a.nq", tmp_path / "b.nt"]
    assert import_files(tmp_path / "par", files, graph="http://example.org/nt", workers=2) == 500
    assert import_files(tmp_path / "seq", files, graph="http://example.org/nt", workers=1) == 500
    quads = _stored_quads(tmp_path / "par")
    assert quads == _stored_quads(tmp_path / "seq")
    assert sum(q.graph_name.value == "http://example.org/nt" for q in quads) == 200


def test_a_file_with_blank_nodes_is_not_split(tmp_path, small_bulk):
    import pyoxigraph as ox

    from kg.bulk import parts as _parts
    from kg.store import import_files

    data = tmp_path / "blank.nq"
    data.write_text(_nquads(400, blank_at=(2, 399)))  # one node, named at both ends of the file
    assert len(_parts(data, ox.RdfFormat.N_QUADS, None, 2)) == 1
    assert import_files(tmp_path / "store", [data], workers=2) == 400
    blanks = {q.subject for q in _stored_quads(tmp_path / "store") if isinstance(q.subject, ox.BlankNode)}
    assert len(blanks) == 1


def test_a_syntax_error_in_a_later_piece_names_the_file_and_its_line(tmp_path, small_bulk):
    import pyoxigraph as ox

    from kg.bulk import parts as _parts
    from kg.store import import_files

    data = tmp_path / "broken.nq"
    data.write_text(_nquads(400, broken_at=350))
    first, _ = _parts(data, ox.RdfFormat.N_QUADS, None, 2)
    with pytest.raises(InputError) as split:
        import_files(tmp_path / "split", [data], workers=2)
    with pytest.raises(InputError) as whole:
        import_files(tmp_path / "whole", [data], workers=1)
    assert str(split.value).startswith(f"{data}: not valid N-Quads: Parser error at line 350 ")
    assert "(broken.nq, line 350)" in str(split.value)
    assert str(split.value) == str(whole.value)  # the same line as an unsplit load
    # the other piece ran to its end: a bulk load is not one transaction, the error says which file
    assert data.read_bytes()[: first.end].count(b"\n") <= len(_stored_quads(tmp_path / "split")) < 400


def test_errors_in_several_pieces_report_the_first_in_file_order(tmp_path, small_bulk):
    from kg.store import import_files

    data = tmp_path / "broken.nt"
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(1, 401)]
    for bad in (10, 390):  # a bare word is not a term in N-Triples
        lines[bad - 1] = f"<http://example.org/s{bad}> <http://example.org/p> oops .\n"
    data.write_text("".join(lines))
    # the first failure in file order, whichever piece fails first; the second piece may be
    # cancelled before it starts, or fail too and be counted
    first_and_count = (r"broken.nt: .* line 10 .*\(broken.nt, line 10\)"
                       r"( \(1 more part\(s\) of the load failed too\))?$")
    with pytest.raises(InputError, match=first_and_count):
        import_files(tmp_path / "store", [data], workers=2)


def test_a_memory_store_still_loads_in_one_transaction(tmp_path, small_bulk):
    from kg.store import import_files

    data = tmp_path / "broken.nq"
    data.write_text(_nquads(400, broken_at=350))
    with pytest.raises(InputError, match="broken.nq"):
        import_files("memory", [data], workers=2)
    store = open_store()
    with pytest.raises(InputError, match="line 350"):
        load_file(store, data, bulk=False, workers=2)
    assert len(store) == 0  # all or nothing


def test_reopen_gives_the_same_store_writable_or_read_only(tmp_path):
    from kg.store import reopen

    store = open_store(tmp_path / "s")
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }")
    store = reopen(store, tmp_path / "s")
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 2 } }")
    reader = reopen(store, tmp_path / "s", read_only=True)
    try:
        assert reader is not store
        assert len(list(reader.query("SELECT * WHERE { ?s ?p ?o }"))) == 2
        with pytest.raises(Exception):
            reader.update("INSERT DATA { <http://example.org/c> <http://example.org/d> 2 }")
    finally:
        close_store(reader)
    memory = open_store("memory")
    assert reopen(memory, "memory", read_only=True) is memory  # an in-memory store would be lost by closing
    (tmp_path / "g.ttl").write_text("<http://example.org/a> <http://example.org/b> 1 .\n", encoding="utf-8")
    from_file = open_store(tmp_path / "g.ttl", read_only=True)
    assert reopen(from_file, tmp_path / "g.ttl", read_only=True) is from_file  # read into memory, not a directory
