"""The offline HTML explorer page: nothing remote, everything escaped, same bytes every time."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import KGError
from kg.export import html as explorer_html
from kg.export.html import (
    MODALITY_DASHES,
    NEGATED_COLOUR,
    PHYSICS_LIMIT,
    TYPE_COLOURS,
    remote_references,
    script_json,
    show,
    to_html,
    vis_network,
    write_html,
)
from kg.graph import to_networkx
from kg.namespaces import ENT, EVT
from tests.unit.test_graph import DOCUMENTS, ENTITIES, EVENTS, build_dataset

HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_SENTENCE = "</script><script>alert(1)</script> & more"


def hostile_dataset():
    entities = dict(ENTITIES)
    entities["vladimir-putin"] = (HOSTILE_LABEL, "Person", ("Putin",), "Q7747", "russia")
    events = [
        (eid, doc, s, lemma, o, dict(opts, evidence=HOSTILE_SENTENCE + "\u2028next") if eid == "e1" else opts)
        for eid, doc, s, lemma, o, opts in EVENTS
    ]
    return build_dataset(entities, events, DOCUMENTS)


def payload(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def graph():
    return to_networkx(build_dataset())


@pytest.fixture(scope="module")
def page(graph):
    return to_html(graph, title="Sample")


def big_graph(n: int) -> nx.MultiDiGraph:
    base = nx.gnm_random_graph(n, 2 * n, seed=11, directed=True)
    g = nx.MultiDiGraph()
    g.add_nodes_from((f"urn:n{i}", {"label": f"Entity {i}", "type": "Person"}) for i in base)
    g.add_edges_from(
        (f"urn:n{u}", f"urn:n{v}", f"urn:e{u}-{v}", {"relation": "meet", "date": "2024-05-01"})
        for u, v in base.edges()
    )
    return g


# ---- nothing is fetched -----------------------------------------------------------------

REMOTE_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
REMOTE_CSS = re.compile(r"""(?:@import\s*["']?|url\(\s*["']?)\s*(?:https?:)?//""", re.I)


def test_no_remote_resources(page):
    assert not REMOTE_ATTR.findall(page)
    assert not REMOTE_CSS.findall(page)
    assert "bootstrap" not in page.lower()
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    # vis-network itself is inlined, not linked
    assert "vis-network" in page and "new vis.Network" in page
    assert re.search(r"<script[^>]*\bsrc=", page) is None
    assert re.search(r"<link\b", page) is None


# ---- vis-network comes from the installed pyvis ------------------------------------------

def pyvis_vis_network() -> Path:
    import pyvis

    folders = (Path(pyvis.__file__).parent / "templates" / "lib").glob("vis-9.*")
    newest = max(folders, key=lambda f: [int(n) for n in f.name[4:].split(".")], default=None)
    assert newest is not None, "pyvis ships no vis-network 9"
    return newest


def test_page_inlines_the_installed_pyvis_vis_network(page):
    folder = pyvis_vis_network()
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    style = (folder / "vis-network.css").read_text(encoding="utf-8")
    code = script.rstrip().rsplit("\n", 1)[0]  # all but the source-map comment
    assert len(code) > 100_000 and code in page
    assert f"<style>\n{style}</style>" in page
    assert "sourceMappingURL" not in page
    assert vis_network() == (code, style)


def fake_pyvis(monkeypatch, tmp_path, files: dict[str, str]) -> None:
    root = tmp_path / "pyvis"
    root.mkdir()
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(explorer_html, "_package_folder", lambda package: root)


def test_vis_network_is_read_without_importing_pyvis_or_ipython():
    import subprocess
    import sys

    code = ("import sys; from kg.export.html import vis_network; script, style = vis_network()\n"
            "assert len(script) > 100_000 and style\n"
            "assert 'pyvis' not in sys.modules and 'IPython' not in sys.modules, 'imported'")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_a_missing_pyvis_is_one_clear_error(monkeypatch, graph):
    monkeypatch.setattr(explorer_html.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(KGError, match="needs vis-network from the pyvis package .*: the pyvis package is not installed"):
        to_html(graph)


def test_the_newest_vis_network_9_of_pyvis_is_taken(monkeypatch, tmp_path):
    fake_pyvis(monkeypatch, tmp_path, {
        "templates/lib/vis-9.1.2/vis-network.min.js": "old",
        "templates/lib/vis-9.1.2/vis-network.css": "old",
        "templates/lib/vis-9.10.0/vis-network.min.js": "var vis = {};\n//# sourceMappingURL=x.map\n",
        "templates/lib/vis-9.10.0/vis-network.css": ".vis {}",
        "templates/lib/vis-10.0.0/vis-network.min.js": "next major",
        "templates/lib/vis-10.0.0/vis-network.css": "next major",
    })
    assert vis_network() == ("var vis = {};", ".vis {}")


@pytest.mark.parametrize("files", [
    {},  # pyvis moved or dropped its copy of vis-network
    {"templates/lib/bindings/utils.js": "x"},
    {"templates/lib/vis-10.0.0/vis-network.min.js": "x", "templates/lib/vis-10.0.0/vis-network.css": "x"},
    {"templates/lib/vis-9.1.2/vis-network.css": ".vis {}"},
])
def test_missing_vis_network_is_one_clear_error(monkeypatch, tmp_path, graph, files):
    fake_pyvis(monkeypatch, tmp_path, files)
    with pytest.raises(KGError) as error:
        to_html(graph)
    message = str(error.value)
    assert "\n" not in message
    assert "needs vis-network from the pyvis package" in message
    assert "pyvis/templates/lib/vis-9.*/vis-network.min.js" in message


# ---- escaping -----------------------------------------------------------------------------

def test_script_json_escapes_and_round_trips():
    value = {"a": "</script><b>&amp;", "b": "x\u2028y\u2029z", "c": [1, None, True]}
    text = script_json(value)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_hostile_text_is_escaped():
    page = to_html(hostile_dataset(), title="<b>Title</b>")
    assert HOSTILE_LABEL not in page
    assert "</script><script>alert(1)" not in page
    assert "\u2028" not in page
    assert "<title>&lt;b&gt;Title&lt;/b&gt;</title>" in page
    assert "<b>Title</b>" not in page
    data = payload(page)
    labels = {n["label"] for n in data["nodes"]}
    assert HOSTILE_LABEL in labels  # the text survives intact, only encoded
    evidence = {e.get("evidence") for e in data["edges"]}
    assert HOSTILE_SENTENCE + "\u2028next" in evidence


def test_explorer_script_writes_text_not_html(page):
    script = page[page.index('id="kg-data"') :]
    assert "innerHTML" not in script
    assert "insertAdjacentHTML" not in script and "document.write" not in script
    assert "textContent" in script


# ---- content -------------------------------------------------------------------------------

def test_legend_lists_types_and_edge_styles(page):
    legend = re.search(r'<div id="kg-legend">(.*?)</div>', page, re.S).group(1)
    for kind in ("Person", "Country", "Group", "Organization"):
        assert kind in legend
        assert TYPE_COLOURS[kind] in legend
    assert "Location" not in legend  # only the types present
    assert "reported (dashed)" in legend
    assert "negated" in legend and "dotted" in legend


def test_filters_offer_the_categories_present(page):
    cameo = re.search(r'<select id="kg-cameo".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="(\d\d)">', cameo) == ["02", "03", "04", "13", "19"]
    plover = re.search(r'<select id="kg-plover".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="(\w+)">', plover) == ["ATTACK", "CONSULT"]
    types = re.findall(r'<input type="checkbox" value="(\w+)" checked>', page)
    assert types == ["Person", "Organization", "Country", "Group"]


def test_nodes_and_edges_carry_style_and_facts(page):
    data = payload(page)
    assert len(data["nodes"]) == 7 and len(data["edges"]) == 7
    assert data["physics"] is True
    trump = next(n for n in data["nodes"] if n["id"] == str(ENT["donald-trump"]))
    ukraine = next(n for n in data["nodes"] if n["id"] == str(ENT["ukraine"]))
    assert trump["degree"] == 3 and ukraine["degree"] == 4
    assert ukraine["size"] > trump["size"]
    assert trump["country"] == "United States"  # the country's label, not its IRI
    edges = {e["id"].rsplit("/", 1)[1]: e for e in data["edges"]}
    assert edges["e5"]["color"] == NEGATED_COLOUR and edges["e5"]["label"] == "not threaten"
    assert edges["e2"]["dashes"] == MODALITY_DASHES["reported"]
    assert edges["e3"]["dashes"] == MODALITY_DASHES["intended"]
    assert edges["e1"]["dashes"] is False
    assert edges["e2"]["attribution"] == "Daily Courier"
    assert edges["e3"]["dmin"] == "2024-09-01" and edges["e3"]["dmax"] == "2024-09-30"
    assert edges["e4"]["root"] == "19"
    # the two Trump -> Putin events curve to opposite sides instead of overlapping
    assert {edges["e1"]["smooth"]["type"], edges["e2"]["smooth"]["type"]} == {"curvedCW", "curvedCCW"}
    assert data["documents"][edges["e1"]["doc"]]["url"] == "https://news.example.org/call"


def test_same_input_same_bytes(graph):
    assert to_html(build_dataset()) == to_html(build_dataset())
    big = big_graph(PHYSICS_LIMIT + 60)
    first, second = to_html(big), to_html(big)
    assert first == second
    data = payload(first)
    assert data["physics"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert all("label" not in e or e["label"] for e in data["edges"])


# ---- selection and summaries ---------------------------------------------------------------

def test_write_html_max_nodes_summary(tmp_path, graph):
    path = tmp_path / "out.html"
    summary = write_html(graph, path, max_nodes=3)
    assert summary["nodes"] == 3
    assert summary["nodes_left_out"] == 4
    assert summary["left_out_by"]["max_nodes"] == 4
    assert summary["edges"] == 3 and summary["edges_left_out"] == 4
    assert summary["path"] == str(path)
    data = payload(path.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 3 and len(data["edges"]) == 3


def test_write_html_focus_and_dates(tmp_path, graph):
    summary = write_html(graph, tmp_path / "f.html", focus="putin", hops=1)
    assert summary["focus"] == str(ENT["vladimir-putin"])
    assert summary["nodes"] == 3
    data = payload((tmp_path / "f.html").read_text(encoding="utf-8"))
    assert data["focus"] == str(ENT["vladimir-putin"])
    dated = write_html(build_dataset(), tmp_path / "d.html", since="2024-11-01", until="2024-11-30")
    assert dated["edges"] == 4 and dated["left_out_by"]["date"] == 3
    ids = {e["id"] for e in payload((tmp_path / "d.html").read_text(encoding="utf-8"))["edges"]}
    assert ids == {str(EVT[f"e{i}"]) for i in (1, 2, 4, 5)}


def test_types_filter_and_unknown_focus(graph):
    data = payload(to_html(graph, types=["Country"]))
    assert {n["type"] for n in data["nodes"]} == {"Country"}
    with pytest.raises(KGError, match="no entity"):
        to_html(graph, focus="Atlantis")


def test_show_wraps_the_page_in_an_escaped_iframe(graph):
    frame = show(graph, height=400).data
    assert frame.startswith('<div><iframe srcdoc="') and "height:400px" in frame
    inner = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert "<" not in inner and "&lt;!DOCTYPE html&gt;" in inner
    assert 'sandbox="allow-scripts allow-popups"' in frame


def test_show_raises_no_ipython_warning(graph):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        show(graph, height=300)


# ---- the no-network check reads markup and code, not data ---------------------------------------

QUOTED_IMG = "Embed <img src=https://cdn.example.com/a.jpg>"
QUOTED_SRC = "the tag's src=//cdn.example.com/a.jpg loads it"


def test_quoted_markup_in_titles_and_text_is_shown_and_the_page_written(tmp_path):
    documents = {"d1": (QUOTED_IMG, "2024-11-11", "https://news.example.org/call"),
                 "d2": (QUOTED_SRC, "2022-03-02", None)}
    entities = dict(ENTITIES)
    entities["vladimir-putin"] = (QUOTED_SRC, "Person", ("Putin",), "Q7747", "russia")
    events = [(eid, doc, s, lemma, o, dict(opts, evidence=f"{QUOTED_IMG} and {QUOTED_SRC}"))
              for eid, doc, s, lemma, o, opts in EVENTS]
    out = tmp_path / "graph.html"
    write_html(build_dataset(entities, events, documents), out, title=QUOTED_IMG)
    page = out.read_text(encoding="utf-8")
    assert remote_references(page) == []
    assert "<img" not in page and f"<title>{html.escape(QUOTED_IMG)}</title>" in page
    data = payload(page)
    assert QUOTED_SRC in {n["label"] for n in data["nodes"]}
    assert {d["title"] for d in data["documents"].values()} >= {QUOTED_IMG, QUOTED_SRC}
    assert f"{QUOTED_IMG} and {QUOTED_SRC}" in {e.get("evidence") for e in data["edges"]}


@pytest.mark.parametrize("markup", [
    '<img src="https://cdn.example.com/a.jpg">',
    "<link rel=stylesheet href=//cdn.example.com/a.css>",
    '<img srcset="a.png 1x, //cdn.example.com/b.png 2x">',
    '<div style="background: url(https://cdn.example.com/a.png)"></div>',
    '<meta http-equiv="refresh" content="0; url=https://example.com/">',
    '<script>fetch("https://cdn.example.com/x"); new Image().src = "//cdn.example.com/y";</script>',
    '<script type="module">import x from "https://cdn.example.com/x.js";</script>',
    "<style>@import url(//cdn.example.com/a.css);</style>",
])
def test_markup_and_code_that_would_fetch_are_found(markup):
    assert remote_references(f"<!DOCTYPE html><html><body>{markup}</body></html>")


@pytest.mark.parametrize("data", [
    f"<p>{html.escape(QUOTED_IMG)}</p>",
    f"<h1>{html.escape(QUOTED_SRC)}</h1>",
    f'<script type="application/json">{script_json({"t": QUOTED_IMG, "u": "url(//x.org/a)"})}</script>',
    '<a href="#top">top</a><img src="data:image/png;base64,iVBORw0KGgo=">',
    "<!-- <link href=https://cdn.example.com/a.css> -->",
])
def test_data_and_local_references_are_not_fetches(data):
    assert remote_references(f"<!DOCTYPE html><html><body>{data}</body></html>") == []
