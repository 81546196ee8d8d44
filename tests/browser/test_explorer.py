"""The explorer page in headless Chromium: renders offline, clicks, search, filters, escaping, scale."""

from __future__ import annotations

import random
import time

import networkx as nx
import pytest

from kg.export.html import write_html
from kg.graph import to_networkx
from kg.namespaces import ENT
from tests.unit.test_graph import DOCUMENTS, ENTITIES, EVENTS, build_dataset

pytestmark = pytest.mark.browser

PUTIN = str(ENT["vladimir-putin"])
HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_SENTENCE = "</script><script>alert(2)</script><b>bold</b>"


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "sample.html"
    write_html(to_networkx(build_dataset()), path, title="Sample events")
    return path


def open_page(page, path):
    page.goto(path.as_uri())
    page.wait_for_function("window.kgExplorer !== undefined")


def node_point(page, node_id):
    """Viewport coordinates of a node's centre."""
    return page.evaluate(
        """(id) => {
            const net = kgExplorer.network;
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById('mynetwork').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )


def test_renders_all_entities_offline(page, sample_page):
    open_page(page, sample_page)
    counts = page.evaluate(
        "[kgExplorer.nodes.length, kgExplorer.edges.length, kgExplorer.network.body.data.nodes.length]")
    assert counts == [7, 7, 7]
    assert page.locator("#mynetwork canvas").count() == 1
    assert "7 of 7 entities, 7 of 7 events" in page.text_content("#kg-status")
    assert page.errors == []
    assert page.requests == []


def test_clicking_a_node_shows_its_evidence(page, sample_page):
    open_page(page, sample_page)
    # physics may still be settling: wait for it so the click lands on the node
    page.wait_for_function("kgExplorer.network.physics.stabilized !== false", timeout=5000)
    page.evaluate("kgExplorer.network.stopSimulation()")
    page.evaluate("kgExplorer.network.moveTo({position: kgExplorer.network.getPositions(['%s'])['%s'], scale: 1})" % (PUTIN, PUTIN))
    x, y = node_point(page, PUTIN)
    page.mouse.click(x, y)
    panel = page.locator("#kg-panel")
    panel.wait_for(state="visible")
    text = panel.text_content()
    assert "Vladimir Putin" in text
    assert "The Kremlin did not threaten Kyiv during the week." in text
    assert "Trump advised Putin to show restraint, the newspaper said." in text
    assert "Daily Courier" in text  # attribution of the reported event
    assert page.locator("#kg-panel a", has_text="Leaders speak by phone").count() >= 1
    assert page.errors == []


def test_search_box_finds_putin(page, sample_page):
    open_page(page, sample_page)
    page.fill("#kg-search", "putin")
    page.press("#kg-search", "Enter")
    page.wait_for_function("kgExplorer.network.getSelectedNodes().length === 1")
    assert page.evaluate("kgExplorer.network.getSelectedNodes()") == [PUTIN]
    assert "Vladimir Putin" in page.text_content("#kg-status")
    assert page.locator("#kg-panel h2").text_content() == "Vladimir Putin"
    # aliases count too ("US" names only the United States); busiest entity first
    assert page.evaluate("kgExplorer.matches('us')") == [str(ENT["russia"]), str(ENT["united-states"])]


def test_filters_hide_items(page, sample_page):
    open_page(page, sample_page)
    hidden = "() => [kgExplorer.nodes.get({filter: n => n.hidden}).length, kgExplorer.edges.get({filter: e => e.hidden}).length]"
    page.fill("#kg-from", "2024-11-01")
    page.fill("#kg-to", "2024-11-30")
    page.dispatch_event("#kg-to", "change")
    # e1, e2, e4, e5 remain: the same four filter_graph keeps; troops and newspaper drop out
    assert page.evaluate(hidden) == [3, 3]
    page.click("#kg-reset")
    assert page.evaluate(hidden) == [0, 0]
    page.select_option("#kg-cameo", "19")
    assert page.evaluate(hidden) == [5, 5]  # CAMEO 190 and 192 share the root 19
    page.click("#kg-reset")
    page.uncheck("#kg-types input[value='Person']")
    assert page.evaluate(hidden) == [2, 4]  # both people, and every event with one of them
    assert page.errors == []


def hostile_sample() -> tuple[dict, list]:
    """The sample's entities and events with Putin's name and sentences made of markup."""
    entities = dict(ENTITIES)
    entities["vladimir-putin"] = (HOSTILE_LABEL, "Person", ("Putin",), None, "russia")
    events = [
        (eid, doc, s, lemma, o, dict(opts, evidence=HOSTILE_SENTENCE) if s == "vladimir-putin" else opts)
        for eid, doc, s, lemma, o, opts in EVENTS
    ]
    return entities, events


def test_hostile_text_renders_as_text(page, tmp_path):
    entities, events = hostile_sample()
    path = tmp_path / "hostile.html"
    write_html(build_dataset(entities, events, DOCUMENTS), path, title=HOSTILE_LABEL)
    open_page(page, path)
    assert page.title() == HOSTILE_LABEL
    page.fill("#kg-search", "putin")
    page.press("#kg-search", "Enter")
    page.locator("#kg-panel").wait_for(state="visible")
    assert page.locator("#kg-panel h2").text_content() == HOSTILE_LABEL
    assert HOSTILE_SENTENCE in page.text_content("#kg-panel")
    # hover tooltips are built the same way
    tip = page.evaluate(f"kgExplorer.nodes.get('{PUTIN}').title.textContent")
    assert HOSTILE_LABEL in tip and HOSTILE_SENTENCE in tip
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img, b, #kg-panel script').length") == 0
    assert page.dialogs == []
    assert page.errors == []
    assert page.requests == []


def synthetic_graph(n_nodes: int, n_edges: int, seed: int = 5) -> nx.MultiDiGraph:
    """A random event graph with skewed degrees and one entity called Vladimir Putin."""
    rnd = random.Random(seed)
    types = ["Person", "Country", "Organization", "Group", "Location"]
    modalities = ["asserted", "reported", "intended"]
    g = nx.MultiDiGraph()
    for i in range(n_nodes):
        g.add_node(f"urn:kg:n{i}", label=f"Entity {i:05d}", type=types[i % 5])
    g.nodes[f"urn:kg:n{n_nodes // 2}"]["label"] = "Vladimir Putin"
    for j in range(n_edges):
        u, v = int(n_nodes * rnd.random() ** 2), rnd.randrange(n_nodes)
        g.add_edge(
            f"urn:kg:n{u}", f"urn:kg:n{v}", key=f"urn:kg:e{j}", relation="meet", label="met",
            date=f"2024-{1 + j % 12:02d}-{1 + j % 28:02d}", cameo=f"{1 + j % 20:02d}0",
            negated=j % 17 == 0, modality=modalities[j % 3], evidence=f"Sentence {j}.",
        )
    return g


@pytest.mark.slow
def test_ten_thousand_nodes_open_and_answer_within_ten_seconds(page, tmp_path):
    path = tmp_path / "big.html"
    summary = write_html(synthetic_graph(10_000, 30_000), path)
    assert summary["nodes"] == 10_000 and summary["edges"] == 30_000
    start = time.monotonic()
    open_page(page, path)
    page.fill("#kg-search", "putin")
    page.press("#kg-search", "Enter")
    page.wait_for_function("kgExplorer.network.getSelectedNodes().length === 1")
    elapsed = time.monotonic() - start
    assert page.evaluate("[kgExplorer.nodes.length, kgExplorer.edges.length]") == [10_000, 30_000]
    assert page.evaluate("kgExplorer.network.getSelectedNodes()") == ["urn:kg:n5000"]
    assert page.evaluate("kgExplorer.network.physics.physicsEnabled") is False
    print(f"10,000 nodes / 30,000 edges: load + first search {elapsed:.1f} s")
    assert elapsed < 10
    assert page.errors == []
    assert page.requests == []
