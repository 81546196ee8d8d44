"""The README's examples run as written, so the documentation cannot drift from the code.

A user follows the README in one folder: the shell blocks run in order (bash, the installed `kg`
command), then the Python blocks in one interpreter, one after the other, then the SPARQL block
against the build. What a block needs from outside is made real here: the inputs it names
(`new-articles/`, `feed.jsonl`, `articles/`) are written, and the servers it names (an Oxigraph
server, a Dask scheduler, `kg serve`) are started, their addresses put in place of the README's.
Installing is what this environment has already done, so `pip install ... &&` is dropped; the
block that runs this very test suite is not run again.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.server, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
SUITE = "python -m pytest"
INSTALL = re.compile(r"^pip install [^&]*&&\s*", re.M)


def blocks(language: str) -> list[tuple[int, str]]:
    """(line, code) of every fenced block of one language in the README."""
    text = README.read_text(encoding="utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group(1))
            for m in re.finditer(rf"```{language}\n(.*?)```", text, re.S)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            assert process.poll() is None, f"{what} exited"
            assert time.monotonic() < deadline, f"{what} did not answer within 60 s"
            time.sleep(0.1)


def _env() -> dict[str, str]:
    # the `kg` command installed beside this interpreter, whether or not a venv is activated
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def _article(path: Path, title: str, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{text}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A user's folder: the sample data and the inputs the README's commands name."""
    here = tmp_path_factory.mktemp("readme")
    (here / "data").mkdir()
    shutil.copytree(ROOT / "data" / "samples", here / "data" / "samples")
    _article(here / "new-articles" / "talks.txt", "Talks resume",
             "The foreign minister of Kenya met his Ugandan counterpart in Nairobi on Tuesday.")
    _article(here / "articles" / "border.txt", "Border closed",
             "Peru closed its border with Bolivia on 3 March 2024 after protests in La Paz.")
    (here / "feed.jsonl").write_text(json.dumps({
        "id": "feed-1", "published": "2024-05-02",
        "text": "Germany pledged new aid to Ukraine on Wednesday."}) + "\n", encoding="utf-8")
    return here


@pytest.fixture(scope="module")
def services(folder):
    """Live stand-ins for the addresses the README names, and the replacements for them."""
    started: list[subprocess.Popen] = []
    oxigraph_port, kg_port = _free_port(), _free_port()
    oxigraph = shutil.which("oxigraph", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    assert oxigraph, "the oxigraph server (PyPI package oxigraph, a test dependency) is not installed"
    started.append(subprocess.Popen(
        [oxigraph, "serve", "--location", str(folder / "oxigraph-db"), "--bind",
         f"127.0.0.1:{oxigraph_port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    remote = f"http://127.0.0.1:{oxigraph_port}"
    from dask.distributed import LocalCluster

    cluster = LocalCluster(n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None)
    try:
        _wait_for(f"{remote}/query?query=ASK%7B%7D", started[0], "oxigraph serve")
        yield {"http://localhost:7878": remote, "tcp://HOST:8786": cluster.scheduler_address,
               "http://127.0.0.1:8000": f"http://127.0.0.1:{kg_port}", "port": kg_port,
               "started": started}
    finally:
        cluster.close()
        for process in started:
            process.terminate()
            process.wait(timeout=10)


def _localise(code: str, services: dict) -> str:
    for address, live in services.items():
        if isinstance(live, str):
            code = code.replace(address, live)
    return code


def _bash(code: str, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-c", code], cwd=folder, env=_env(), capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def shell_runs(folder, services):
    """Every bash block of the README, run in order in the user's folder."""
    runs = []
    for line, code in blocks("bash"):
        if SUITE in code:
            continue
        runs.append((line, code, _bash(_localise(INSTALL.sub("", code), services), folder)))
    return runs


def test_the_readme_has_the_blocks_these_tests_run():
    assert len(blocks("bash")) >= 6 and len(blocks("python")) >= 2 and len(blocks("sparql")) == 1
    assert any("pip install ." in code and "kg build data/samples" in code for _, code in blocks("bash"))


def test_every_shell_block_runs(shell_runs):
    assert shell_runs
    for line, code, done in shell_runs:
        where = f"README.md:{line}: {code.strip().splitlines()[0]}"
        assert done.returncode == 0, f"{where}\n{done.stderr}"
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr, f"{where}\n{done.stderr}"


def test_shell_blocks_leave_what_the_readme_says(folder, shell_runs):
    for name in ("graph.ttl", "graph.trig", "graph.html", "store"):
        assert (folder / "out" / name).exists(), name
    assert (folder / "putin.html").stat().st_size > 0 and (folder / "2024.html").stat().st_size > 0
    outputs = "\n".join(done.stdout for _, _, done in shell_runs)
    assert "Vladimir Putin" in outputs and "Donald Trump" in outputs


def test_the_json_example_names_the_fields_kg_extract_writes(shell_runs):
    (line, json_block), = blocks("json")
    first = next(done.stdout.splitlines()[0] for _, code, done in shell_runs if "| head -1" in code)
    record = json.loads(first)
    shown = json.loads(re.sub(r",?\s*\.\.\.", "", json_block))
    for key, value in shown.items():
        assert key in record, f"README.md:{line}: field {key!r} is not in kg extract's output"
        if isinstance(value, dict):
            missing = set(value) - set(record[key])
            assert not missing, f"README.md:{line}: {key} has no {sorted(missing)}"


def test_the_sparql_examples_answer_on_the_sample(folder, shell_runs):
    (line, code), = blocks("sparql")
    queries = [q for q in re.split(r"\n\s*\n", code) if "SELECT" in q]
    assert len(queries) >= 2
    for query in queries:
        done = _bash(f"kg query out {shlex.quote(query)} --format json", folder)
        assert done.returncode == 0, f"README.md:{line}: {done.stderr}"
        rows = json.loads(done.stdout)["results"]["bindings"]
        assert rows, f"README.md:{line}: no answer to\n{query}"


PYTHON_RUNNER = textwrap.dedent("""
    import json, sys
    namespace = {"__name__": "__main__"}
    for line, code in json.load(sys.stdin):
        try:
            exec(compile(code, f"README.md:{line}", "exec"), namespace)
        except Exception as error:
            print(f"README.md:{line}: {type(error).__name__}: {error}", file=sys.stderr)
            raise SystemExit(1)
    x, df, G = namespace["x"], namespace["df"], namespace["G"]
    print(json.dumps({
        "events": [(e.subject.text, e.lemma, e.object.text, e.date) for e in x.events],
        "rows": len(df), "columns": list(df.columns), "nodes": G.number_of_nodes(),
        "store": len(namespace["store"]),
    }))
""")


def test_the_python_blocks_run_in_one_interpreter(folder, services, shell_runs):
    served = folder / "served"
    shutil.copytree(folder / "out" / "store", served)
    server = subprocess.Popen([str(BIN / "kg"), "serve", str(served), "--port", str(services["port"])],
                              cwd=folder, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    services["started"].append(server)
    _wait_for(f"{services['http://127.0.0.1:8000']}/sparql?query=ASK%7B%7D", server, "kg serve")
    code = [(line, _localise(block, services)) for line, block in blocks("python")]
    done = subprocess.run([sys.executable, "-c", PYTHON_RUNNER], input=json.dumps(code), cwd=folder,
                          env=_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert ["Trump", "call", "Putin", "2024-11-07"] in result["events"]
    assert result["rows"] >= 1 and result["columns"][:2] == ["a", "code"]
    assert result["nodes"] >= 2 and result["store"] > 0
    assert (folder / "graph.html").stat().st_size > 0
