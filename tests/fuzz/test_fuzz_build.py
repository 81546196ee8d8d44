"""Hostile documents through the whole build: no exception escapes, every output file re-parses."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph

from kg.pipeline import build

from .conftest import EXAMPLES, HOSTILE_TEXT

pytestmark = pytest.mark.model

FIELD = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
                  st.sampled_from(["javascript:alert(1)", "<script>alert(1)</script>", "..", "U.S",
                                   "http://x/\"onmouseover=alert(1)", "data:text/html,<b>x</b>"]))
RECORD = st.fixed_dictionaries({
    "id": st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
           .filter(lambda s: s.strip()),
    "text": HOSTILE_TEXT,
    "title": FIELD,
    "url": FIELD,
    "source": FIELD,
    "published": st.one_of(st.none(), st.sampled_from(["2024-11-11", "2024-13-45", "yesterday", ""])),
})


def run_build(tmp_path, records, html=False):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    problems = []
    summary = build([feed], tmp_path / "out", on_error=problems.append, html=html)
    return summary, [str(p) for p in problems]


def check_outputs(out):
    Graph().parse(out / "graph.ttl", format="turtle")
    Dataset().parse(out / "graph.trig", format="trig")


@given(st.lists(RECORD, max_size=4, unique_by=lambda r: r["id"]))
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@example([{"id": f"e{i}", "text": t, "title": t[:20] or None, "url": "javascript:alert(1)"}
          for i, t in enumerate(EXAMPLES)])
def test_hostile_feed_builds_valid_graph_files(tmp_path_factory, records):
    tmp_path = tmp_path_factory.mktemp("build")
    summary, problems = run_build(tmp_path, records)
    readable = [r for r in records if r["text"].strip()
                and r.get("published") in (None, "", "2024-11-11")]
    assert summary.documents == len(readable)
    assert summary.failed == len(problems) == len(records) - len(readable) + (0 if records else 1)
    assert all(len(p.splitlines()) == 1 for p in problems)
    check_outputs(tmp_path / "out")


def test_hostile_feed_builds_an_html_page(tmp_path):
    records = [{"id": f"h{i}", "text": t, "title": "<img src=x onerror=alert(1)>",
                "url": "javascript:alert(1)"} for i, t in enumerate(EXAMPLES)]
    summary, problems = run_build(tmp_path, records, html=True)
    check_outputs(tmp_path / "out")
    page = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    assert "<img src=x onerror" not in page and "<script>alert(1)" not in page
    assert 'href="javascript:' not in page.lower()


def test_a_build_that_flushes_and_reopens_its_store_often_writes_the_same_files(tmp_path, monkeypatch):
    import kg.pipeline
    import kg.store

    records = [{"id": f"n{i}", "text": f"Russia accused Ukraine of shelling the port on {i + 1} May 2024.",
                "published": "2024-05-20"} for i in range(6)]
    for name in ("plain", "often"):
        (tmp_path / name).mkdir()
    plain, _ = run_build(tmp_path / "plain", records)
    opened = []
    real_open = kg.store.open_store
    monkeypatch.setattr(kg.store, "open_store", lambda *a, **k: opened.append(k) or real_open(*a, **k))
    monkeypatch.setattr(kg.pipeline, "FLUSH_BYTES", 1)
    monkeypatch.setattr(kg.pipeline, "FLUSHES_PER_REOPEN", 2)
    often, _ = run_build(tmp_path / "often", records)
    assert often.documents == plain.documents == 6
    assert len(opened) == 5  # the first opening, three for writing (after flushes 2, 4, 6), one to read
    assert opened[-1] == {"read_only": True}
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "often" / "out" / name).read_bytes() == (tmp_path / "plain" / "out" / name).read_bytes()
