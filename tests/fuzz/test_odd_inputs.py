"""Odd inputs real feeds carry, through every way out: lone surrogates, quoted markup in titles and
texts, over-long lines. Extract, build, viz, export and the endpoint: every ordinary article
stays, every odd one is named in one line or shown as text, nothing is an internal error."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset

from kg import nlp
from kg.documents import REPLACED, read_documents
from kg.export.html import remote_references
from kg.pipeline import build
from kg.records import to_records
from tests.e2e.test_cli import facts, run
from tests.unit.test_server import fetch, running

pytestmark = pytest.mark.model

QUOTED_IMG = "Embed <img src=https://cdn.example.com/a.jpg>"
QUOTED_SRC = "src=//cdn.example.com/a.jpg"
ORDINARY = [
    {"id": "ok-1", "text": "Russia attacked Ukraine on Monday.", "published": "2024-11-11"},
    {"id": "ok-2", "text": "France condemned Russia on Tuesday.", "title": "Paris speaks"},
    {"id": "ok-3", "text": "China met Japan in Beijing.", "url": "https://news.example.org/3"},
]
ODD = [
    {"id": "sur\ud800", "text": "Iran threatened \ud800 Israel. Turkey met \udfff Greece.", "title": "T\udc00"},
    {"id": "quoted-title", "title": QUOTED_IMG, "text": f"Germany praised Poland. {QUOTED_IMG} was shown."},
    {"id": "quoted-text", "title": QUOTED_SRC, "text": f"India criticised Pakistan. The tag used {QUOTED_SRC} there."},
    # one long line without a break: parsed in pieces
    {"id": "long-line", "text": "Egypt met Jordan in Cairo and Spain met Italy in Rome. " * 120},
]
# nothing but ASCII on disk, as many feeds escape (json.dumps' default)
FEED = "".join(json.dumps(r) + "\n" for r in [ORDINARY[0], ODD[0], ORDINARY[1], *ODD[1:], ORDINARY[2]])
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The mixed feed built with small parse pieces; (build folder, summary, problems)."""
    root = tmp_path_factory.mktemp("odd")
    feed = root / "feed.jsonl"
    feed.write_text(FEED, encoding="ascii")
    problems = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nlp, "PIECE_CHARS", 2000)
        summary = build([feed, root / "missing.jsonl"], root / "out", workers=1, on_error=problems.append)
    return root / "out", summary, [str(p) for p in problems]


def test_build_keeps_every_article_and_names_the_missing_path(built):
    out, summary, problems = built
    assert problems == [f"{out.parent / 'missing.jsonl'}: no such file"]
    assert summary.documents == len(ORDINARY) + len(ODD) and summary.failed == 1
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    ids = {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g)}
    assert {r["id"] for r in ORDINARY} | {"quoted-title", "quoted-text", "long-line"} <= {
        urllib.parse.unquote(i) for i in ids}
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert remote_references(page) == [] and "<img" not in page
    assert "cdn.example.com" in page  # the quoted text is in the page, as data


def test_viz_and_every_export_format_of_the_store(capsys, monkeypatch, built):
    out = built[0]
    code, _, err = run(capsys, monkeypatch, "viz", out / "store", "--out", out / "viz.html", "--title", QUOTED_IMG)
    assert code == 0, err
    page = (out / "viz.html").read_text(encoding="utf-8")
    assert remote_references(page) == [] and "<img" not in page
    for fmt in ("ttl", "trig", "nt", "nq", "jsonld", "graphml", "csv"):
        target = out / f"export.{fmt}"
        code, _, err = run(capsys, monkeypatch, "export", out / "store", "--format", fmt, "--out", target)
        assert code == 0, (fmt, err)
        text = target.read_bytes().decode("utf-8")  # strict: no surrogate reached a writer
        if fmt == "graphml":
            nx.read_graphml(target)
        elif fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(text)))
            assert rows and any("\ufffd" in " ".join(map(str, row.values())) for row in rows)
        else:
            Dataset().parse(data=text, format={"ttl": "turtle", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}.get(fmt, fmt))
        assert "\ufffd" in text, fmt


def test_the_endpoint_answers_with_the_odd_titles_as_text(built):
    query = "SELECT ?t WHERE { ?d kg:title ?t } ORDER BY ?t"
    with running(str(built[0] / "store")) as server:
        status, _, body = fetch(server.url + "sparql?" + urllib.parse.urlencode({"query": query}),
                                headers={"Accept": "application/sparql-results+json"})
        assert status == 200
        titles = {b["t"]["value"] for b in json.loads(body)["results"]["bindings"]}
        assert {QUOTED_IMG, QUOTED_SRC, "T\ufffd", "Paris speaks"} <= titles
        status, _, body = fetch(server.url + "explorer")
        assert status == 200 and remote_references(body.decode("utf-8")) == []


def test_extract_writes_the_whole_batch(capsys, monkeypatch, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(FEED, encoding="ascii")
    code, out, err = run(capsys, monkeypatch, "extract", feed, "--workers", "1")
    assert code == 0 and "internal error" not in err
    assert err.splitlines() == [f"kg: note: {feed}:2: replaced 4 unencodable characters (lone surrogates) "
                                "with U+FFFD"]
    assert {r["doc"] for r in facts(out)} >= {"ok-1", "ok-2", "ok-3", "sur\ufffd", "quoted-title"}
    lines = tmp_path / "lines.txt"
    lines.write_text("\n".join(["Russia attacked Ukraine.", "x " * 60_000, QUOTED_IMG + " Iran met Iraq."]),
                     encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, "extract", "--sentences", lines, "--workers", "1")
    assert code == 1 and err.splitlines() == [
        f"kg: {lines}:2: a line of 120,000 characters, above the limit of 100,000 for one sentence (skipped)"]
    assert {r["sentence_index"] for r in facts(out)} == {0, 2}


# any text, surrogates included: JSON escapes carry them, and kg must not pass them on
TEXT = st.lists(st.one_of(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                          st.sampled_from(["Russia", " attacked ", "Ukraine", ". ", "<img src=//x.org/a>", "\n"])),
                max_size=40).map("".join)


@given(records=st.lists(st.fixed_dictionaries({"text": TEXT, "title": TEXT}), min_size=1, max_size=4))
@FUZZ
def test_surrogates_never_pass_the_door(extractor, tmp_path_factory, records):
    feed = tmp_path_factory.mktemp("sur") / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": f"r{i}", **r}) + "\n" for i, r in enumerate(records)),
                    encoding="ascii")
    docs = list(read_documents([feed], on_error=lambda err: None))
    assert [d.id for d in docs] == [f"r{i}" for i, r in enumerate(records) if r["text"].strip()]
    for doc in docs:
        record = records[int(doc.id[1:])]
        # a high surrogate then a low one is one character (JSON reads the pair as UTF-16 does)
        lone = sum(text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").count("\ufffd")
                   for text in (record["text"], record["title"]))
        assert doc.meta.get(REPLACED, 0) == lone
        for line in to_records(extractor.extract(doc)):
            json.dumps(line, ensure_ascii=False).encode("utf-8")
