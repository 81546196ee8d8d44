"""Generated hostile SPARQL against `kg query` and the endpoint, each case in its own process.

Deep nesting of every kind the grammar allows, comments ended by odd line breaks, escapes in
names and strings, and queries with huge answers. A `kg query` run is a subprocess per case
and the endpoint a `kg serve` subprocess checked after every case, so a crash is a failed
case, never a lost run. Every answer is a result or one clear line; no case reaches a URL.
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.unit.test_attacks import listener

pytestmark = [pytest.mark.server, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def nested(kind: str, depth: int) -> str:
    body = {
        "parens": "FILTER(" + "(" * depth + "1" + ")" * depth + ")",
        "braces": "{" * depth + " ?s ?p ?o " + "}" * depth,
        "not": "FILTER(" + "!" * depth + "true)",
        "plus": "FILTER(" + "1 + " * depth + "1 > 0)",
        "minus": "BIND(" + "-(" * depth + "1" + ")" * depth + " AS ?x)",
        "optional": "?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * depth + "}" * depth,
        "union": " UNION ".join(["{ ?s ?p ?o }"] * depth),
        "path": "?s " + "(" * depth + "<http://example.org/p0>" + ")*" * depth + " ?o",
    }[kind]
    return f"SELECT * WHERE {{ {body} }} LIMIT 5"


def concat_bomb(levels: int) -> str:
    binds = "".join(f"BIND(CONCAT(?v{i}, ?v{i}, ?v{i}, ?v{i}) AS ?v{i + 1}) " for i in range(levels))
    return f'SELECT (STRLEN(?v{levels}) AS ?n) ?v{levels} WHERE {{ BIND("{"x" * 100}" AS ?v0) {binds}}}'


def cases(url: str, seed: int = 7) -> list[tuple[str, str]]:
    """(name, query) pairs: nesting at random depths, odd comments and escapes, huge answers."""
    rnd = random.Random(seed)
    generated = [(f"{kind} x{depth}", nested(kind, depth)) for kind in
                 ("parens", "braces", "not", "plus", "minus", "optional", "union", "path")
                 for depth in (rnd.choice([50, 400, 1500]), rnd.choice([5000, 20000]))]
    generated += [
        ("comment ended by CR", f"SELECT * WHERE {{ ?s ?p ?o #\rSERVICE <{url}> {{ ?a ?b ?c }} }}"),
        ("comment ended by U+2028", "SELECT * WHERE { ?s ?p ?o #\u2028 } LIMIT 1"),
        ("comment without a line end", "ASK { ?s ?p ?o } # the end"),
        ("escaped keyword", f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}"),
        ("escaped apostrophe in a name", f"SELECT * WHERE {{ ?s ?p :x\\' . SERVICE <{url}> {{ ?a ?b ?c }} FILTER(?o != 'z') }}"),
        ("bad string escapes", 'SELECT * WHERE { BIND("\\q\\u00" AS ?x) }'),
        ("nul and surrogates escaped", 'SELECT ?x WHERE { BIND("a\\u0000b\\uD800c" AS ?x) }'),
        ("long string of backslashes", 'SELECT ?x WHERE { BIND("' + "\\\\" * 5000 + '" AS ?x) }'),
        ("huge cross join", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } LIMIT 200000"),
        ("concat bomb", concat_bomb(rnd.choice([6, 7]))),
        ("replace bomb", 'SELECT (REPLACE(STR(?s), "", "' + "y" * 200 + '") AS ?x) WHERE { ?s ?p ?o }'),
    ]
    return generated


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "data.nt"
    path.write_text("".join(f'<http://example.org/s{i}> <http://example.org/p{i % 3}> "v{i}" .\n' for i in range(40)))
    return path


def test_generated_queries_against_kg_query(data, tmp_path):
    with listener() as (url, contacted):
        failures = []
        for name, query in cases(url):
            text = tmp_path / "query.rq"  # some are longer than a command line may be
            text.write_bytes(query.encode("utf-8", "surrogatepass"))
            result = subprocess.run([sys.executable, "-m", "kg", "query", str(data), "--file", str(text),
                                     "--format", "csv"],
                                    cwd=ROOT, env=ENV, capture_output=True, timeout=120)
            errors = result.stderr.decode("utf-8", "replace").strip().splitlines()
            if result.returncode not in (0, 2):
                failures.append(f"{name}: exit {result.returncode} {errors[-1:]}")
            elif result.returncode and (len(errors) != 1 or "internal error" in errors[0]):
                failures.append(f"{name}: {errors[:3]}")
        assert not contacted.is_set(), "kg query fetched a URL"
    assert not failures, "\n".join(failures)


def test_generated_queries_against_the_endpoint(data):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(data), "--port", str(port), "--timeout", "3",
                               "--max-bytes", "2000000"], cwd=ROOT, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(server, base)
        with listener() as (url, contacted):
            failures = []
            for name, query in cases(url):
                status, body = post(base + "sparql", query)
                if status not in (200, 400, 403, 503) or (status != 200 and body.count(b"\n") != 1):
                    failures.append(f"{name}: {status} {body[:120]!r}")
                if server.poll() is not None:
                    pytest.fail(f"{name}: the server died with exit code {server.returncode}")
                if len(body) > 2_100_000:
                    failures.append(f"{name}: {len(body)} bytes answered, over the cap")
            assert not contacted.is_set(), "the server fetched a URL"
        status, body = post(base + "sparql", "ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
        assert not failures, "\n".join(failures)
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_until_up(server: subprocess.Popen, base: str) -> None:
    give_up = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "health", timeout=2).close()
            return
        except OSError:
            assert server.poll() is None and time.monotonic() < give_up, "kg serve did not start"
            time.sleep(0.1)


def post(url: str, query: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=query.encode("utf-8", "surrogatepass"),
                                     headers={"Content-Type": "application/sparql-query"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
