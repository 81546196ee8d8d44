"""The public API as a notebook uses it: one import, every function called again and again.

A name in ``kg.__all__`` must stay what the README says it is whatever was called before it
(a subpackage that shares a function's name replaces the function on first import). The
docstring examples of the public API run too, in a folder holding the sample data, with
``graph``/``dataset`` bound to the sample article's graph.
"""

from __future__ import annotations

import doctest
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kg

pytestmark = [pytest.mark.model]

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "trump-putin-call.jsonl"

SESSION = textwrap.dedent("""
    import json, sys
    import kg

    sample = sys.argv[1]
    seen = {}
    for round in (1, 2):
        x = kg.extract("Trump called Putin on Thursday.", published="2024-11-11")
        g = kg.build_graph(documents=kg.read_documents([sample]))
        df = kg.sparql(g, "SELECT ?l WHERE { ?e a kg:Country ; rdfs:label ?l } ORDER BY ?l")
        G = kg.to_networkx(g)
        x2 = kg.Extractor().extract(next(iter(kg.read_documents([sample]))))
        info = kg.write_html(g, f"page-{round}.html")
        view = kg.show(g)
        store = kg.open_store("memory")
        asked = kg.sparql(store, "ASK { ?s ?p ?o }")
        try:
            kg.open_store(sample + ".missing/store", create=False)
            error = None
        except kg.KGError as problem:
            error = type(problem).__name__
        seen[round] = {
            "extract": [(e.subject.text, e.lemma, e.date) for e in x.events],
            "triples": len(g), "countries": sorted(df["l"]), "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(), "events": len(x2.events), "page": info["nodes"],
            "show": type(view).__name__, "empty": asked, "error": error,
            "callables": sorted(n for n in kg.__all__ if callable(getattr(kg, n))),
        }
    print(json.dumps(seen))
""")


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    folder = tmp_path_factory.mktemp("session")
    done = subprocess.run([sys.executable, "-c", SESSION, str(SAMPLE)], cwd=folder, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1]), folder


def test_every_public_function_works_twice_in_one_interpreter(session):
    seen, folder = session
    first, second = seen["1"], seen["2"]
    assert first == second
    assert first["callables"] == sorted(kg.__all__)
    assert first["extract"] and first["extract"][0][:2] == ["Trump", "call"]
    assert first["triples"] > 100 and {"Russia", "Ukraine", "United States"} <= set(first["countries"])
    assert first["nodes"] >= 5 and first["edges"] >= 5 and first["events"] >= 10
    assert first["page"] > 0 and first["show"] == "HTML"
    assert first["empty"] is False and first["error"] is not None
    assert (folder / "page-1.html").stat().st_size > 0 and (folder / "page-2.html").stat().st_size > 0


def test_extract_makes_text_safe_as_every_other_door_does():
    x = kg.extract("Russia attacked Ukraine \ud800 on Monday.", published="2024-11-11")
    assert "\ud800" not in x.document.text and x.document.meta["replaced_characters"] == 1
    assert [(e.subject.text, e.lemma) for e in x.events][:1] == [("Russia", "attack")]
    json.dumps([e.subject.text for e in x.events]).encode("utf-8")


def test_public_names_are_never_replaced_by_subpackages():
    import importlib
    import pkgutil

    subpackages = {m.name for m in pkgutil.iter_modules(kg.__path__) if not m.name.startswith("_")}
    assert not subpackages & set(kg.__all__), "a public name is also a subpackage of kg"
    for module in subpackages:
        importlib.import_module(f"kg.{module}")
    for name in kg.__all__:
        assert not isinstance(getattr(kg, name), type(kg)), f"kg.{name} is a module"
    assert kg.extract is kg.extraction.extractor.extract


def _public_examples() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = []
    for name in kg.__all__:
        obj = getattr(kg, name)
        tests += [t for t in finder.find(obj, f"kg.{name}", globs={})]
    tests += finder.find(kg, "kg")
    return [t for t in tests if t.examples]


@pytest.fixture(scope="module")
def sample_graph():
    from kg.pipeline import build_graph

    return build_graph(documents=kg.read_documents([SAMPLE]))


@pytest.mark.parametrize("test", _public_examples(), ids=lambda t: t.name)
def test_public_docstring_examples_run(test, sample_graph, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    shutil.copytree(ROOT / "data" / "samples", tmp_path / "data" / "samples")
    monkeypatch.chdir(tmp_path)
    parts = test.name.split(".")
    module = sys.modules[getattr(kg, parts[1]).__module__] if len(parts) > 1 else kg
    test.globs = {**vars(module), "graph": sample_graph, "dataset": sample_graph, "kg": kg}
    report: list[str] = []
    result = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS).run(test, out=report.append)
    assert result.failed == 0, "".join(report)
