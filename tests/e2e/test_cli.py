"""The `kg` command, run in-process on the sample article and on bad inputs."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_JSONL = ROOT / "data" / "samples" / "trump-putin-call.jsonl"
SAMPLE_TXT = ROOT / "data" / "samples" / "trump-putin-call.txt"
CALL_QUERY = ('SELECT ?p WHERE { ?s rdfs:label ?sl . ?o rdfs:label ?ol . ?s ?p ?o '
              'FILTER(CONTAINS(?sl,"Trump") && CONTAINS(?ol,"Putin")) }')

pytestmark = pytest.mark.model


def run(capsys, monkeypatch, *args, stdin: str | None = None):
    """Run `kg ARGS` in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["kg", *map(str, args)])
    if stdin is not None:
        import io

        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    with pytest.raises(SystemExit) as exc:
        main()
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def facts(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def has_fact(records, subject, lemmas, obj):
    return [r for r in records if (r["subject"]["entity"] or "").endswith(subject)
            and r["relation"]["lemma"] in lemmas and r["object"] and (r["object"]["entity"] or "").endswith(obj)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "out"
    code = subprocess_free_build(out)
    assert code == 0
    return out


def subprocess_free_build(out: Path) -> int:
    argv = sys.argv
    sys.argv = ["kg", "build", str(SAMPLE_JSONL), "--out", str(out)]
    try:
        main()
    except SystemExit as exc:
        return exc.code
    finally:
        sys.argv = argv
    return 0


def test_extract_sample_finds_the_call_and_the_invasion(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "extract", SAMPLE_JSONL)
    assert code == 0, err
    records = facts(out)
    call = has_fact(records, "Trump", {"call"}, "Putin")
    assert call and call[0]["relation"]["cameo"].startswith("04")
    invasion = has_fact(records, "Russia", {"invade"}, "Ukraine")
    assert invasion and invasion[0]["date"] == "2022-02-24"
    for r in records:
        assert {"doc", "sentence_index", "sentence", "subject", "relation", "object", "confidence",
                "negated", "date"} <= r.keys()
        assert set(r["relation"]) >= {"text", "lemma", "event", "cameo"}
        for arg in (r["subject"], r["object"]):
            if arg is not None:
                assert set(arg) >= {"text", "start", "end", "entity", "type", "iri"}
        # offsets point into the sentence as written
        s = r["subject"]
        raw_sentence = next(line for line in [r["sentence"]])
        assert s["text"] in raw_sentence


def test_extract_offsets_are_sentence_offsets(capsys, monkeypatch, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Headline without stop\nEgypt hosted talks between Israel and Hamas on Monday.", encoding="utf-8")
    code, out, _ = run(capsys, monkeypatch, "extract", f, "--published", "2024-03-06")
    assert code == 0
    records = facts(out)
    assert records and all(r["sentence_index"] == 1 for r in records)
    sentence = "Egypt hosted talks between Israel and Hamas on Monday."
    for r in records:
        for arg in (r["subject"], r["object"]):
            if arg:
                assert sentence[arg["start"]:arg["end"]] == arg["text"]
    talks = has_fact(records, "Israel", {"talk"}, "Hamas")
    assert talks and talks[0]["date"] == "2024-03-04"


def test_extract_sentences_mode_numbers_input_lines(capsys, monkeypatch):
    lines = "China criticised Japan.\n\nFrance condemned the attack on Mali.\n"
    code, out, _ = run(capsys, monkeypatch, "extract", "--sentences", "-", stdin=lines)
    assert code == 0
    indexes = {r["sentence_index"] for r in facts(out)}
    assert indexes == {0, 2}


def test_bad_inputs_are_reported_and_the_rest_processed(capsys, monkeypatch, tmp_path):
    (tmp_path / "good.txt").write_text("Russia invaded Ukraine.", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x00\xff\x00binary")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text('{"id": "x", "text": "Iran threatened Israel."}\n{broken\n',
                                         encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, "extract", tmp_path)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 3, err
    assert any("blob.txt" in l and "binary" in l for l in lines)
    assert any("empty.md" in l and "empty" in l for l in lines)
    assert any("feed.jsonl:2" in l and "malformed JSON" in l for l in lines)
    assert "Traceback" not in err
    docs = {r["doc"] for r in facts(out)}
    assert docs == {"good", "x"}


def test_build_writes_files_and_summary(built):
    for name in ("graph.ttl", "graph.trig", "graph.html"):
        assert (built / name).stat().st_size > 1000
    assert (built / "store").is_dir()


def test_build_is_byte_identical(built, tmp_path):
    again = tmp_path / "again"
    assert subprocess_free_build(again) == 0
    assert (again / "graph.ttl").read_bytes() == (built / "graph.ttl").read_bytes()
    assert (again / "graph.trig").read_bytes() == (built / "graph.trig").read_bytes()


def test_query_store_dir_finds_the_call_edge(capsys, monkeypatch, built):
    for target in (built, built / "store", built / "graph.ttl"):
        code, out, err = run(capsys, monkeypatch, "query", target, CALL_QUERY, "--format", "csv")
        assert code == 0, err
        assert "rel/call" in out


def test_query_formats_ask_construct_and_named(capsys, monkeypatch, built):
    code, out, _ = run(capsys, monkeypatch, "query", built, "ASK { ?e kg:cameoCode ?c }", "--format", "json")
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}
    code, out, _ = run(capsys, monkeypatch, "query", built,
                       "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a kg:Country ; rdfs:label ?l }")
    assert code == 0 and '"Russia"' in out
    code, out, _ = run(capsys, monkeypatch, "query", built, "--named", "entity-facts", "--param", "entity=Putin",
                       "--format", "tsv")
    assert code == 0 and "call" in out
    code, out, _ = run(capsys, monkeypatch, "query", built, "--named", "who-did-what", "--format", "json")
    rows = json.loads(out)["results"]["bindings"]
    assert any("Trump" in r.get("actorLabel", r.get("actor", {})).get("value", "") for r in rows)


def test_query_syntax_error_exits_2_with_the_parser_message(capsys, monkeypatch, built):
    code, out, err = run(capsys, monkeypatch, "query", built, "SELEC ?x WHERE { ?x ?p ?o }")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert re.search(r"error", err, re.I) and "Traceback" not in err


def test_query_does_not_import_spacy(built):
    code = ("import sys; sys.argv=['kg','query',sys.argv[1],'ASK {?s ?p ?o}']\n"
            "from kg.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'spacy' not in sys.modules and 'kg.extraction' not in sys.modules, 'heavy import'")
    proc = subprocess.run([sys.executable, "-c", code, str(built)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "true"


def test_html_is_offline_and_escapes_article_text(capsys, monkeypatch, tmp_path):
    doc = tmp_path / "hostile.jsonl"
    doc.write_text(json.dumps({"id": "h", "published": "2024-01-02",
                               "text": 'Hamas <img src=x onerror=alert(1)> attacked Israel. '
                                       'Iran "</script><script>alert(2)</script>" condemned Israel.'}) + "\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(capsys, monkeypatch, "build", doc, "--out", out)
    assert code == 0, err
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", html)
    assert not re.search(r"@import\s+url\(\s*['\"]?https?://", html)


def test_viz_focus_and_filters(capsys, monkeypatch, built, tmp_path):
    page = tmp_path / "putin.html"
    code, out, err = run(capsys, monkeypatch, "viz", built, "--out", page, "--focus", "Putin", "--hops", "1")
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert "Vladimir Putin" in html and "Crimea" not in html
    code, out, err = run(capsys, monkeypatch, "viz", built / "graph.trig", "--out", page, "--types", "Country",
                         "--max-nodes", "3")
    assert code == 0, err
    assert re.search(r"entities 3 ", out)


def test_export_csv_to_stdout_and_graphml(capsys, monkeypatch, built, tmp_path):
    import csv
    import io

    import networkx as nx

    code, out, err = run(capsys, monkeypatch, "export", built, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert any(r["actor1"] == "Russia" and r["actor2"] == "Ukraine" and r["cameo_root"] == "19" for r in rows)
    code, _, err = run(capsys, monkeypatch, "export", built, "--out", tmp_path / "g.graphml")
    assert code == 0, err
    g = nx.read_graphml(tmp_path / "g.graphml")
    labels = {d["label"]: d["type"] for _, d in g.nodes(data=True)}
    assert labels["Donald Trump"] == "Person" and labels["Russia"] == "Country"
    code, _, err = run(capsys, monkeypatch, "export", built, "--format", "xls")
    assert code == 1 and "unknown --format" in err


@pytest.mark.server
def test_serve_answers_sparql_over_http(built):
    import socket
    import time
    import urllib.parse
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(built), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        query = urllib.parse.quote("SELECT ?p WHERE { ent:donald-trump ?p ent:vladimir-putin }")
        req = urllib.request.Request(f"{base}/sparql?query={query}", headers={"Accept": "text/csv"})
        body = urllib.request.urlopen(req, timeout=10).read().decode()
        assert "rel/call" in body
        update = urllib.request.Request(f"{base}/sparql", data=b"update=CLEAR%20ALL", method="POST",
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(update, timeout=10)
        assert denied.value.code == 403
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_events_mode_gives_the_same_lines_on_a_pool(capsys, monkeypatch):
    lines = "\n".join([
        "China criticised Japan on Monday.", "Iran refused to meet the inspectors.",
        "The rebels seized the town and killed the mayor.", "Egypt hosted talks between Israel and Hamas.",
        "Russia invaded Ukraine in 2022.", "France and Germany condemned the attack.",
        "Turkey expelled the Dutch ambassador.", "Protesters marched in Paris against the reform.",
        "The United States imposed sanctions on Venezuela.", "India and Pakistan agreed to a ceasefire.",
    ]) + "\n"
    outs = []
    for workers in ("1", "2"):
        code, out, err = run(capsys, monkeypatch, "extract", "--sentences", "--events", "--workers", workers, "-",
                             stdin=lines)
        assert code == 0, err
        outs.append(out)
    assert outs[0] == outs[1]
    records = facts(outs[0])
    assert all(r["relation"]["cameo"] for r in records)
    assert len({r["sentence_index"] for r in records}) >= 8


def test_query_on_a_missing_store_exits_2(capsys, monkeypatch, tmp_path):
    code, _, err = run(capsys, monkeypatch, "query", tmp_path / "nowhere", "ASK { ?s ?p ?o }")
    assert code == 2
    assert err.count("\n") == 1 and "no such store" in err


# ---- odd inputs never stop a batch -----------------------------------------------------------------

def test_extract_replaces_a_lone_surrogate_and_writes_the_whole_batch(capsys, monkeypatch, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a", "text": "Russia attacked Ukraine \\ud800 on Monday."}\n'
                    '{"id": "b", "text": "France condemned Russia."}\n', encoding="utf-8")
    out_file = tmp_path / "facts.jsonl"
    note = f"kg: note: {feed}:1: replaced 1 unencodable character (lone surrogates) with U+FFFD\n"
    code, out, err = run(capsys, monkeypatch, "extract", feed)
    assert (code, err) == (0, note)
    code, _, err = run(capsys, monkeypatch, "extract", feed, "--out", out_file)
    assert (code, err) == (0, note)
    assert out_file.read_text(encoding="utf-8") == out and {r["doc"] for r in facts(out)} == {"a", "b"}
    assert any("\ufffd" in r["sentence"] for r in facts(out))


def test_text_option_and_a_missing_path(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, monkeypatch, "extract", "--text", "Russia invaded Ukraine.", "missing.jsonl")
    assert code == 1
    assert err == "kg: missing.jsonl: no such file\n"
    assert {r["doc"] for r in facts(out)} == {"text-1"}


def test_an_over_long_sentence_line_is_skipped_with_one_line(capsys, monkeypatch, tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("China criticised Japan.\n" + "a" * 2_000_000 + "\nFrance condemned Mali.\n", encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, "extract", "--sentences", lines)
    assert code == 1
    assert err == (f"kg: {lines}:2: a line of 2,000,000 characters, above the limit of 100,000 for one sentence "
                   "(skipped)\n")
    assert {r["sentence_index"] for r in facts(out)} == {0, 2}


def test_build_reports_missing_paths_and_keeps_colliding_names_apart(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for rel, text in [("in/a/report.txt", "Russia attacked Ukraine."), ("in/b/report.md", "France met China.")]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    feed = tmp_path / "in" / "feed.jsonl"
    feed.write_text('{"id": "s", "text": "Iran threatened \\udc00 Israel."}\n', encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, "build", "in", "missing.jsonl", "--out", "out", "--no-html",
                         "--workers", "1")
    assert code == 1
    assert sorted(err.splitlines()) == [  # read errors come as the input is read, notes as documents are stored
        "kg: missing.jsonl: no such file",
        f"kg: note: {Path('in/b/report.md')}: document id 'report' is taken by {Path('in/a/report.txt')}; "
        "this document is 'report-2'",
        f"kg: note: {Path('in/feed.jsonl')}:1: replaced 1 unencodable character (lone surrogates) with U+FFFD",
    ]
    assert out.startswith("documents 3 ") and "failed 1" in out and "replaced characters 1" in out
    code, out, _ = run(capsys, monkeypatch, "query", "out", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                       "--format", "csv")
    assert code == 0
    assert sorted(line.rsplit("/", 1)[-1] for line in out.split()[1:] if "/doc/" in line) == ["report", "report-2", "s"]


def test_facts_option_of_query_viz_and_export(capsys, monkeypatch, built, tmp_path):
    import csv
    import io

    def rows(*args) -> list[dict]:
        code, out, err = run(capsys, monkeypatch, *args)
        assert code == 0, err
        return list(csv.DictReader(io.StringIO(out)))

    events = rows("query", built, "--named", "who-did-what", "--format", "csv")
    facts = rows("query", built, "--named", "who-did-what", "--format", "csv", "--facts")
    assert 0 < len(events) < len(facts)
    assert all(r["cameo"] for r in events) and not all(r["cameo"] for r in facts)
    table = rows("export", built, "--format", "csv")
    every = rows("export", built, "--format", "csv", "--facts")
    assert 0 < len(table) < len(every) and all(r["cameo"] and r["date_start"] for r in table if r["date"])
    counts = []
    for extra in ((), ("--facts",)):
        code, out, err = run(capsys, monkeypatch, "viz", built, "--out", tmp_path / "v.html", *extra)
        assert code == 0, err
        counts.append(int(re.search(r"events (\d+)", out).group(1)))
    assert 0 < counts[0] < counts[1]
