"""A graph that grows: incremental builds, shared events, removal, crash safety, the process pool."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from kg.cli import main
from kg.namespaces import DOC, KG, ONTOLOGY_GRAPH
from kg.parallel import extract_documents
from kg.rdf import event_iri, to_triples
from kg.store import close_store, load_ontology, open_store, to_pyoxigraph
from kg.types import Document

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
COUNTRIES = ["France", "Germany", "Poland", "Hungary", "Japan", "India", "Brazil", "Mexico", "Egypt",
             "Kenya", "Canada", "Chile", "Norway", "Spain", "Greece", "Vietnam"]
TEMPLATES = [
    "{a} accused {b} of blocking the aid package on {day}.",
    "{a} condemned {b} over the new border checks on {day}.",
    "{a} signed a trade agreement with {b} on {day}.",
    "Officials in {a} said that {b} had expelled two diplomats.",
    "{a} did not recognise the election result announced by {b}.",
    "The foreign minister of {a} met her counterpart from {b} on {day} to discuss fishing rights.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def small_documents(n: int, seed: int = 3) -> list[Document]:
    """``n`` short generated news items (two or three sentences each)."""
    rng = random.Random(seed)
    documents = []
    for i in range(n):
        sentences = []
        for _ in range(rng.randint(2, 3)):
            a, b = rng.sample(COUNTRIES, 2)
            sentences.append(rng.choice(TEMPLATES).format(a=a, b=b, day=rng.choice(DAYS)))
        documents.append(Document(f"item-{i:03d}", " ".join(sentences), published=date(2025, 3, 14),
                                  source="Example Wire", title=f"Item {i}"))
    return documents


def write_jsonl(documents: list[Document], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for d in documents:
            out.write(json_line(d))
    return path


def json_line(d: Document) -> str:
    return json.dumps({"id": d.id, "text": d.text, "published": d.published.isoformat(),
                       "source": d.source, "title": d.title}) + "\n"


def run(capsys, monkeypatch, *args):
    """Run `kg ARGS` in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["kg", *map(str, args)])
    with pytest.raises(SystemExit) as exc:
        main()
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def quads(spec) -> set[tuple[str, str, str, str]]:
    store = open_store(spec, read_only=True)
    try:
        return {(str(q.subject), str(q.predicate), str(q.object), q.graph_name.value)
                for q in to_pyoxigraph(store)}
    finally:
        close_store(store)


def graph_sizes(spec) -> dict[str, int]:
    """Triples per document graph (the ontology graph every build adds is left out)."""
    sizes: dict[str, int] = {}
    for *_, graph in quads(spec):
        if graph != ONTOLOGY_GRAPH:
            sizes[graph] = sizes.get(graph, 0) + 1
    return sizes


# --- incremental and idempotent -------------------------------------------------------------


def test_build_adds_to_a_store_replaces_again_and_removes(capsys, monkeypatch, tmp_path):
    documents = small_documents(6)
    first = write_jsonl(documents[:4], tmp_path / "first.jsonl")
    second = write_jsonl(documents[3:], tmp_path / "second.jsonl")  # item-003 again
    store = tmp_path / "store"
    code, _, err = run(capsys, monkeypatch, "build", first, "--store", store, "--workers", 1)
    assert code == 0, err
    after_first = graph_sizes(store)
    assert len(after_first) == 4
    assert run(capsys, monkeypatch, "build", second, "--store", store, "--workers", 1)[0] == 0
    grown = quads(store)
    assert len(graph_sizes(store)) == 6
    assert run(capsys, monkeypatch, "build", first, "--store", store, "--workers", 1)[0] == 0
    assert quads(store) == grown, "ingesting documents again must not change the store"

    code, out, _ = run(capsys, monkeypatch, "remove", "item-001", "--store", store)
    assert code == 0 and f"item-001: {after_first[str(DOC['item-001'])]} triples" in out
    assert str(DOC["item-001"]) not in graph_sizes(store)
    assert len(quads(store)) == len(grown) - after_first[str(DOC["item-001"])]
    code, _, err = run(capsys, monkeypatch, "remove", "item-001", "--store", store)
    assert code == 1 and "not in the store: item-001" in err


def test_two_articles_reporting_one_event_share_its_node(extractor, capsys, monkeypatch, tmp_path):
    day = date(2025, 3, 14)
    first = Document("wire-a", "France condemned Germany on Tuesday over the new border checks.", published=day)
    second = Document("wire-b", "On Tuesday, France sharply condemned Germany, officials in Paris said.",
                      published=day)
    a, b = extractor.extract(first), extractor.extract(second)
    shared = {event_iri(e) for e in a.events} & {event_iri(e) for e in b.events}
    assert len(shared) == 1
    event = shared.pop()

    store = tmp_path / "store"
    assert run(capsys, monkeypatch, "build", write_jsonl([first, second], tmp_path / "two.jsonl"),
               "--store", store, "--workers", 1)[0] == 0
    graph = open_store(store)
    assert set(graph.objects(event, KG.document)) == {DOC["wire-a"], DOC["wire-b"]}
    close_store(graph)
    code, out, _ = run(capsys, monkeypatch, "query", store, "--named", "who-did-what", "--format", "json")
    rows = [r for r in json.loads(out)["results"]["bindings"] if r["relation"]["value"] == "condemn"]
    assert sorted(r["document"]["value"] for r in rows) == [str(DOC["wire-a"]), str(DOC["wire-b"])]

    assert run(capsys, monkeypatch, "remove", "wire-a", "--store", store)[0] == 0
    graph = open_store(store)
    assert set(graph.objects(event, KG.document)) == {DOC["wire-b"]}
    assert len(set(graph.objects(event, KG.evidence))) == 1
    close_store(graph)


# --- crash safety ---------------------------------------------------------------------------


def _log_bytes(store: Path) -> int:
    return sum(f.stat().st_size for f in store.glob("*.log")) if store.is_dir() else 0


def _ontology_log_bytes(path: Path) -> int:
    """How much the write-ahead log of a new store grows when the ontology graph is loaded."""
    scratch = open_store(path)
    load_ontology(scratch)
    close_store(scratch)
    return _log_bytes(path)


def test_a_build_killed_mid_way_keeps_every_committed_document(capsys, monkeypatch, tmp_path):
    documents = small_documents(150)
    ontology = _ontology_log_bytes(tmp_path / "scratch")
    everything = write_jsonl(documents, tmp_path / "all.jsonl")
    store = tmp_path / "store"
    build = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(everything), "--store", str(store), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while not (store / "CURRENT").is_file() and time.monotonic() < deadline:
            time.sleep(0.02)
        baseline = _log_bytes(store)
        # the ontology graph is written first, then the write-ahead log grows with every document
        while _log_bytes(store) < baseline + ontology + 20_000 and time.monotonic() < deadline:
            assert build.poll() is None, build.stderr.read().decode()
            time.sleep(0.005)
        time.sleep(random.Random(5).uniform(0, 0.2))  # somewhere inside a later document
        assert build.poll() is None, "the build finished before it could be killed: give it more documents"
    finally:
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
    assert build.returncode == -signal.SIGKILL

    sizes = graph_sizes(store)  # it opens
    assert 0 < len(sizes) < len(documents)
    assert run(capsys, monkeypatch, "build", everything, "--store", tmp_path / "clean", "--workers", 1)[0] == 0
    clean = graph_sizes(tmp_path / "clean")
    for graph, count in sizes.items():
        assert count == clean[graph], f"{graph} is incomplete after the kill"

    assert run(capsys, monkeypatch, "build", everything, "--store", store, "--workers", 1)[0] == 0
    assert quads(store) == quads(tmp_path / "clean")


# --- every core -----------------------------------------------------------------------------


def test_the_pool_gives_the_same_extractions_in_the_same_order(extractor):
    documents = small_documents(10, seed=11)
    one = [to_triples(x) for x in extractor.extract_many(documents)]
    pooled = list(extract_documents(documents, workers=2))
    assert [x.document.id for x in pooled] == [d.id for d in documents]
    assert [to_triples(x) for x in pooled] == one


# --- bad stores -----------------------------------------------------------------------------


@pytest.mark.parametrize("make_target", [
    lambda tmp: tmp / "plain-dir-with-a-file",
    lambda tmp: tmp / "a-file.txt",
    lambda tmp: "http://127.0.0.1:9/query",
    lambda tmp: "/proc/kg-store",  # a place nobody may write to, not even root
], ids=["not-a-store", "a-file", "unreachable", "read-only"])
@pytest.mark.parametrize("command", ["build", "import", "remove"])
def test_a_bad_store_is_one_line_and_exit_2_and_nothing_written(capsys, monkeypatch, tmp_path, make_target,
                                                                command):
    (tmp_path / "plain-dir-with-a-file").mkdir()
    (tmp_path / "plain-dir-with-a-file" / "notes.txt").write_text("not a store")
    (tmp_path / "a-file.txt").write_text("not a store")
    (tmp_path / "in.jsonl").write_text(json_line(small_documents(1)[0]))
    (tmp_path / "in.nt").write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    target = make_target(tmp_path)
    args = {
        "build": ["build", tmp_path / "in.jsonl", "--store", target, "--out", tmp_path / "out", "--workers", 1],
        "import": ["import", tmp_path / "in.nt", "--store", target],
        "remove": ["remove", "item-000", "--store", target],
    }[command]
    code, out, err = run(capsys, monkeypatch, *args)
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("kg: error:") and "Traceback" not in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
