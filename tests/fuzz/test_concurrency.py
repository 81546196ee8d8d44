"""Several processes on one store: readers during a build, two builds at once.

Every ``kg query`` either answers correctly or fails with one clear line and exit status 2;
nothing prints a traceback; after the writers finish the store opens and holds every document.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kg.store import close_store, open_store

pytestmark = [pytest.mark.model, pytest.mark.slow]

N_DOCS = 30
ACTORS = ["Russia", "Ukraine", "France", "Germany", "China", "Japan", "Brazil", "India", "Turkey", "Poland"]
VERBS = ["criticised", "met", "threatened", "praised", "accused", "visited"]
DOC_NS = "https://w3id.org/kg-events/doc/"
# documents are the named graphs the build writes, one per input document
COUNT_DOCS = (f'SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
              f'FILTER(STRSTARTS(STR(?g), "{DOC_NS}")) }}')
LIST_DOCS = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{DOC_NS}")) }}'


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> Path:
    """A JSON Lines feed of small documents with distinct ids."""
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(N_DOCS):
            # a few sentences each, so that the build writes documents over some seconds
            sentences = []
            for j in range(4):
                a, b, verb = ACTORS[(i + j) % 10], ACTORS[(3 * i + j + 1) % 10], VERBS[(i + j) % 6]
                sentences.append(f"{a} {verb} {b} on Monday. Officials in {b} said {a} would not sign a deal.")
            text = " ".join(sentences)
            fh.write(json.dumps({"id": f"d{i:02d}", "text": text, "published": "2024-11-11"}) + "\n")
    return path


def kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, check=False)


def start_build(feed: Path, store: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", "build", str(feed), "--store", str(store),
                             "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True)


def assert_clean_failure(result, store: Path) -> None:
    """Exit 2, one line on stderr naming the store, and no traceback anywhere."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr
    assert store.name in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def read_store(store: Path) -> tuple[set[str], int]:
    """(document ids, number of quads) of a store no other process has open."""
    from kg.query import sparql

    dataset = open_store(store, read_only=True, create=False)
    try:
        frame = sparql(dataset, LIST_DOCS)
        return {iri[len(DOC_NS):] for iri in frame["g"]}, len(dataset)
    finally:
        close_store(dataset)


def document_ids(store: Path) -> set[str]:
    return read_store(store)[0]


def test_queries_while_a_build_writes(feed, tmp_path):
    store = tmp_path / "store"
    close_store(open_store(store))  # the store exists before the build starts, as for a second build
    build = start_build(feed, store)
    outcomes: list[tuple[int, int | None]] = []

    def reader() -> None:
        seen = 0
        while build.poll() is None:
            result = kg("query", str(store), COUNT_DOCS, "--format", "csv")
            if result.returncode == 0:
                lines = result.stdout.split()
                assert lines[0] == "n", result.stdout
                count = int(lines[1])
                # documents are committed one by one: one reader never sees the count go down
                assert seen <= count <= N_DOCS
                seen = count
                outcomes.append((0, count))
            else:
                assert_clean_failure(result, store)
                outcomes.append((2, None))

    try:
        with ThreadPoolExecutor(2) as pool:
            for future in [pool.submit(reader) for _ in range(2)]:
                future.result()
        out, err = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 0, err
    assert f"documents {N_DOCS}" in out and "Traceback" not in err
    assert len(outcomes) >= 2, "no query ran while the build was writing"
    print(f"{len(outcomes)} queries during the build: "
          f"{sum(1 for code, _ in outcomes if code == 0)} answered, "
          f"{sum(1 for code, _ in outcomes if code == 2)} refused; counts {[n for _, n in outcomes]}")
    # after the writer closed the store: it opens, holds every document, and answers the CLI
    assert document_ids(store) == {f"d{i:02d}" for i in range(N_DOCS)}
    final = kg("query", str(store), COUNT_DOCS, "--format", "csv")
    assert final.returncode == 0 and final.stdout.split() == ["n", str(N_DOCS)], final.stderr


def test_two_builds_at_once(feed, tmp_path):
    store = tmp_path / "store"
    close_store(open_store(store))
    first = start_build(feed, store)
    time.sleep(0.2)
    second = start_build(feed, store)
    results = []
    try:
        for proc in (first, second):
            out, err = proc.communicate(timeout=180)
            results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    finally:
        for proc in (first, second):
            if proc.poll() is None:
                proc.kill()
    codes = sorted(r.returncode for r in results)
    # both may finish when one waits for the other; at least one finishes, none half-way
    assert codes in ([0, 0], [0, 2]), [(r.returncode, r.stderr) for r in results]
    for result in results:
        if result.returncode == 2:
            assert_clean_failure(result, store)
            assert "lock" in result.stderr.lower() or "in use" in result.stderr.lower(), result.stderr
        else:
            assert f"documents {N_DOCS}" in result.stdout and "Traceback" not in result.stderr
    ids, quads = read_store(store)
    assert ids == {f"d{i:02d}" for i in range(N_DOCS)}
    # a build that runs alone after the race replaces every document: nothing lost or doubled
    again = kg("build", str(feed), "--store", str(store), "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert read_store(store) == (ids, quads)
