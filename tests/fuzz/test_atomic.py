"""Interrupted writers leave the old file or none, never a half-written graph.ttl, graph.html or JSONL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "trump-putin-call.txt"

# Writes a large graph again and again to the same path; the parent kills it at random moments.
WRITER = """
import sys
from pathlib import Path
import pyoxigraph as ox
from kg.export.formats import write_graph
from kg.export.html import write_html
from kg.store import open_store
store = open_store()
ox_store = store.store._inner
ns = "https://w3id.org/kg-events/entity/"
ox_store.extend(ox.Quad(ox.NamedNode(ns + f"e{i}"), ox.NamedNode(ns + "p"), ox.Literal("x" * 50 + str(i)),
                        ox.NamedNode("https://w3id.org/kg-events/doc/d"))
                for i in range(int(sys.argv[2])))
out = Path(sys.argv[1])
print("ready", flush=True)
while True:
    write_graph(store, out / "graph.ttl", "ttl")
    write_graph(store, out / "graph.nt", "nt")
"""


@pytest.mark.slow
def test_killing_a_graph_writer_never_leaves_a_partial_file(tmp_path):
    (tmp_path / "graph.ttl").write_text("# old\n", encoding="utf-8")
    sizes = set()
    for delay in (0.05, 0.2, 0.45, 0.7, 1.1):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), "60000"],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        text = (tmp_path / "graph.ttl").read_text(encoding="utf-8")
        if text != "# old\n":
            assert len(Graph().parse(data=text, format="turtle")) == 60000
        nt = tmp_path / "graph.nt"
        if nt.exists():
            assert len(nt.read_text(encoding="utf-8").splitlines()) == 60000
        sizes.add(len(text))
    assert len(sizes) >= 1


@pytest.mark.model
@pytest.mark.slow
def test_extract_out_is_written_whole_or_not_at_all(tmp_path):
    feed = tmp_path / "feed.jsonl"
    text = SAMPLE.read_text(encoding="utf-8")
    # far more than 20 s of work on any machine we run on: the kill lands mid-way
    feed.write_text("".join(json.dumps({"id": f"d{i}", "text": text}) + "\n" for i in range(1000)),
                    encoding="utf-8")
    out = tmp_path / "facts.jsonl"
    out.write_text("old\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kg", "extract", str(feed), "--published", "2024-11-11",
                             "--workers", "1", "--out", str(out)], stderr=subprocess.PIPE)
    try:
        proc.wait(timeout=20)  # by then the model is loaded and extraction is under way
        pytest.fail("the extraction finished before it could be interrupted")
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stderr.close()
    assert out.read_text(encoding="utf-8") == "old\n"
    done = subprocess.run([sys.executable, "-m", "kg", "extract", str(SAMPLE), "--published", "2024-11-11",
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all(r["doc"] == "trump-putin-call" for r in rows)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
