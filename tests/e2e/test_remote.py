"""A real remote store: build into, query and remove from an Oxigraph server over SPARQL 1.1."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

from kg.namespaces import ONTOLOGY_GRAPH

from tests.e2e.test_growth import run, small_documents, write_jsonl

pytestmark = [pytest.mark.model, pytest.mark.server]

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def oxigraph_binary() -> str | None:
    """The `oxigraph` server installed with this interpreter (its scripts folder, then the folder
    of sys.executable) before any on PATH: the tests need no activated virtualenv."""
    here = [sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]
    return shutil.which("oxigraph", path=os.pathsep.join([*here, os.environ.get("PATH", "")]))


def test_the_server_binary_is_found_next_to_the_interpreter(monkeypatch):
    monkeypatch.setenv("PATH", "")
    binary = oxigraph_binary()
    assert binary, "the oxigraph server (PyPI package oxigraph, a test dependency) is not installed"
    assert Path(binary).parent in {Path(sysconfig.get_path("scripts")), Path(sys.executable).parent}


@pytest.fixture()
def endpoint(tmp_path):
    """The query URL of a fresh `oxigraph serve` on a free port; the server stops afterwards."""
    binary = oxigraph_binary()
    assert binary, "the oxigraph server (PyPI package oxigraph, a test dependency) is not installed"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "oxigraph serve exited"
                assert time.monotonic() < deadline, "oxigraph serve did not answer within 30 s"
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _json(out: str) -> list[dict]:
    return json.loads(out)["results"]["bindings"]


def test_build_query_and_remove_against_a_server(capsys, monkeypatch, tmp_path, endpoint):
    documents = small_documents(4, seed=21)
    inputs = write_jsonl(documents, tmp_path / "in.jsonl")
    code, _, err = run(capsys, monkeypatch, "build", inputs, "--store", endpoint, "--workers", 1)
    assert code == 0, err
    code, out, _ = run(capsys, monkeypatch, "query", endpoint, GRAPHS, "--format", "json")
    graphs = [row["g"]["value"] for row in _json(out)]
    assert ONTOLOGY_GRAPH in graphs  # the class hierarchy, in a graph of its own
    graphs.remove(ONTOLOGY_GRAPH)
    assert [g.rsplit("/", 1)[1] for g in graphs] == [d.id for d in documents]
    code, out, _ = run(capsys, monkeypatch, "query", endpoint, COUNT, "--format", "json")
    total = int(_json(out)[0]["n"]["value"])

    # ingesting again replaces each document's graph: the count stays
    assert run(capsys, monkeypatch, "build", inputs, "--store", endpoint, "--workers", 1)[0] == 0
    code, out, _ = run(capsys, monkeypatch, "query", endpoint, COUNT, "--format", "json")
    assert int(_json(out)[0]["n"]["value"]) == total

    # the default graph is the union, so named queries need no GRAPH clause of their own
    code, out, _ = run(capsys, monkeypatch, "query", endpoint, "--named", "who-did-what", "--format", "json")
    assert code == 0 and {row["document"]["value"] for row in _json(out)} <= set(graphs)

    code, out, _ = run(capsys, monkeypatch, "remove", documents[0].id, "--store", endpoint)
    assert code == 0
    removed = int(out.split(":")[1].split()[0])
    assert removed > 0
    code, out, _ = run(capsys, monkeypatch, "query", endpoint, COUNT, "--format", "json")
    assert int(_json(out)[0]["n"]["value"]) == total - removed
    code, _, err = run(capsys, monkeypatch, "remove", documents[0].id, "--store", endpoint)
    assert code == 1 and "not in the store" in err


def test_import_into_a_server(capsys, monkeypatch, tmp_path, endpoint):
    data = tmp_path / "data.trig"
    data.write_text("@prefix ex: <http://example.org/> .\n"
                    "ex:g1 { ex:a ex:p ex:b . ex:b ex:p ex:c . }\nex:g2 { ex:c ex:p ex:d . }\n")
    code, out, err = run(capsys, monkeypatch, "import", data, "--store", endpoint)
    assert code == 0, err
    assert out.startswith("imported 3 triples")
    code, out, _ = run(capsys, monkeypatch, "query", endpoint, GRAPHS, "--format", "json")
    # the ontology comes along in its own graph, so SPARQL can follow the class hierarchy
    assert [row["g"]["value"] for row in _json(out)] == ["http://example.org/g1", "http://example.org/g2",
                                                         str(ONTOLOGY_GRAPH)]
