"""`kg build`: a document failing at any stage is named with its stage and the batch goes on;
--strict stops; the summary counts failures; any number of workers writes the same files."""

from __future__ import annotations

import pytest

from kg.namespaces import DOC

import kg.rdf
from kg.errors import StoreError
from kg.extraction.extractor import Extractor
from kg.store import close_store, open_store, to_pyoxigraph
from tests.e2e.test_cli import run
from tests.e2e.test_growth import small_documents, write_jsonl

pytestmark = pytest.mark.model


def stored_documents(store) -> set[str]:
    graph = open_store(store, read_only=True)
    try:
        return {str(g.value).rsplit("/", 1)[-1] for g in to_pyoxigraph(graph).named_graphs()
                if str(g.value).startswith(str(DOC))}  # the ontology has a graph of its own
    finally:
        close_store(graph)


@pytest.fixture
def feed(tmp_path):
    return write_jsonl(small_documents(4, seed=21), tmp_path / "feed.jsonl")


def fail_extraction_of(monkeypatch, doc_id: str) -> None:
    real = Extractor.extract_doc

    def extract_doc(self, document, doc):
        if document.id == doc_id:
            raise RuntimeError("rule crashed\nwith a second line")
        return real(self, document, doc)

    monkeypatch.setattr(Extractor, "extract_doc", extract_doc)


def fail_store_write_of(monkeypatch, doc_id: str) -> None:
    real = kg.rdf.write_document

    def write_document(store, this_id, ntriples):
        if this_id == doc_id:
            raise StoreError("cannot write to the store: disk full")
        return real(store, this_id, ntriples)

    monkeypatch.setattr(kg.rdf, "write_document", write_document)


@pytest.mark.parametrize("fail, stage", [(fail_extraction_of, "extraction"), (fail_store_write_of, "store")])
def test_a_failing_document_is_one_line_and_the_rest_is_stored(capsys, monkeypatch, tmp_path, feed, fail, stage):
    fail(monkeypatch, "item-001")
    code, out, err = run(capsys, monkeypatch, "build", feed, "--store", tmp_path / "store", "--no-html",
                         "--workers", 1)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "item-001" in lines[0] and f"{stage} failed" in lines[0], err
    assert "Traceback" not in err and "internal error" not in err
    assert "documents 3 " in out and "failed 1 " in out
    assert stored_documents(tmp_path / "store") == {"item-000", "item-002", "item-003"}


def test_strict_stops_at_the_first_failing_document(capsys, monkeypatch, tmp_path, feed):
    fail_extraction_of(monkeypatch, "item-001")
    code, _, err = run(capsys, monkeypatch, "build", feed, "--store", tmp_path / "store", "--no-html",
                       "--workers", 1, "--strict")
    assert code == 1 and "item-001" in err
    assert stored_documents(tmp_path / "store") == {"item-000"}


def test_one_and_two_workers_write_the_same_bytes(capsys, monkeypatch, tmp_path):
    feed = write_jsonl(small_documents(12, seed=5), tmp_path / "feed.jsonl")
    for workers in (1, 2):
        code, _, err = run(capsys, monkeypatch, "build", feed, "--out", tmp_path / f"w{workers}", "--no-html",
                           "--workers", workers)
        assert code == 0, err
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "w1" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes()
    assert len(stored_documents(tmp_path / "w2" / "store")) == 12
