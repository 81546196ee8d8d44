"""A graph built from a hostile feed, in headless Chromium: graph.html, /explorer and the query page.

Markup in ids, titles and sentences (quoted ``<img src=https://…>`` and ``src=//…`` included),
``javascript:`` urls, RTL text and emoji go through the real build; every node and edge is clicked and hovered and the search box gets markup: no
dialog opens, no script error happens, nothing is fetched, and the markup shows as text.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from kg.pipeline import build
from tests.unit.test_server import running

pytestmark = [pytest.mark.browser, pytest.mark.model]

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(2)</script>"
SVG = '"><svg onload=alert(3)>'
RTL = "\u202eRTL موسكו ישראל\u202c"
SAFE_URL = "https://example.org/news/1"
# articles that quote markup: data to show, never a reason to refuse the page
QUOTED_IMG = "Embed <img src=https://cdn.example.com/a.jpg>"
QUOTED_SRC = "src=//cdn.example.com/a.jpg"
RECORDS = [
    {"id": f"a{IMG}", "title": f"Talks {SCRIPT}", "url": "javascript:alert(1)", "published": "2024-11-11",
     "text": f"Russia attacked Ukraine on Monday {IMG}. Germany condemned Russia {SCRIPT} on Tuesday."},
    {"id": f"b{SVG}", "title": f"{SVG} Summit 🇺🇦", "url": SAFE_URL, "published": "2024-11-11",
     "text": f"France met China in Paris {SVG}. Poland criticised Belarus 🇺🇦🤝 on Friday."},
    {"id": "c-\u202ertl", "title": RTL, "url": "javascript:alert(1)", "published": "2024-11-11",
     "text": f"Turkey threatened Greece, officials said in {RTL}. Japan praised India 👍🏽 on Sunday."},
    {"id": "d-quoted", "title": QUOTED_IMG, "url": SAFE_URL, "published": "2024-11-11",
     "text": f"Spain accused Italy over {QUOTED_SRC} on Monday. Egypt welcomed Sudan's envoy on Friday."},
]
# what only a rendered element, never text, would put in the page
INJECTED = "img, svg, iframe, object, embed, #kg-panel script, .vis-tooltip script, a[href^='javascript' i]"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The build folder of the hostile feed: graph.html and store/."""
    root = tmp_path_factory.mktemp("hostile")
    feed = root / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    problems = []
    summary = build([feed], root / "out", workers=1, on_error=problems.append)
    assert problems == [] and summary.documents == len(RECORDS) and summary.facts >= 4
    return root / "out"


def ready(page):
    page.wait_for_function("window.kgExplorer !== undefined")
    page.wait_for_function("kgExplorer.network.physics.stabilized !== false", timeout=10000)
    page.evaluate("kgExplorer.network.stopSimulation()")


def centre(page, canvas_point):
    """Move the view so the canvas point is the centre of the network; its viewport coordinates."""
    page.evaluate("(p) => kgExplorer.network.moveTo({position: p, scale: 1.2})", canvas_point)
    return page.evaluate(
        """(p) => {
            const d = kgExplorer.network.canvasToDOM(p);
            const box = document.getElementById('mynetwork').getBoundingClientRect();
            return [box.left + d.x, box.top + d.y];
        }""",
        canvas_point,
    )


def close_panel(page):
    if page.locator("#kg-panel").is_visible():
        page.click("#kg-close")


def click_everything(page) -> dict[str, str]:
    """Click every node and every edge, hover each node; panel text by item id, tooltips too."""
    texts: dict[str, str] = {}
    node_ids = page.evaluate("kgExplorer.nodes.getIds()")
    edge_ids = page.evaluate("kgExplorer.edges.getIds()")
    for node in node_ids:
        close_panel(page)
        point = page.evaluate("(id) => kgExplorer.network.getPositions([id])[id]", node)
        x, y = centre(page, point)
        page.mouse.move(x, y)
        tooltip = page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5000)
        texts["tip " + node] = tooltip.text_content()
        page.mouse.click(x, y)
        page.locator("#kg-panel").wait_for(state="visible")
        assert page.evaluate("kgExplorer.network.getSelectedNodes()") == [node]
        texts[node] = page.text_content("#kg-panel")
        page.mouse.move(5, 5)  # off the canvas, so the next tooltip is a fresh one
    for edge in edge_ids:
        close_panel(page)
        # a point on the drawn curve, where a click selects the edge
        point = page.evaluate("(id) => kgExplorer.network.body.edges[id].edgeType.getPoint(0.5)", edge)
        x, y = centre(page, point)
        page.mouse.click(x, y)
        page.locator("#kg-panel").wait_for(state="visible")
        assert page.evaluate("kgExplorer.network.getSelectedEdges()") == [edge]
        texts[edge] = page.text_content("#kg-panel")
    assert len(texts) == 2 * len(node_ids) + len(edge_ids)
    return texts


def edge_text(texts: dict[str, str], page, relation: str) -> str:
    ids = page.evaluate("(r) => kgExplorer.data.edges.filter(e => e.relation === r).map(e => e.id)", relation)
    assert ids, relation
    return texts[ids[0]]


def assert_inert(page):
    """No dialog, no script error, no element made from data."""
    page.wait_for_timeout(300)  # an onerror or onload handler would have run by now
    assert page.dialogs == []
    assert page.errors == []
    assert page.evaluate(f"document.querySelectorAll({json.dumps(INJECTED)}).length") == 0


def test_graph_html_of_a_hostile_feed(page, built):
    page.goto((built / "graph.html").as_uri())
    ready(page)
    texts = click_everything(page)
    # the markup reached the page as text: in the panel, in tooltips, in titles
    attack = edge_text(texts, page, "attack")
    assert IMG in attack and f"Talks {SCRIPT}" in attack
    assert SVG in edge_text(texts, page, "meet")
    assert RTL in edge_text(texts, page, "threaten")
    quoted = edge_text(texts, page, "accuse")
    assert QUOTED_IMG in quoted and QUOTED_SRC in quoted
    assert any(IMG in text for key, text in texts.items() if key.startswith("tip "))
    assert any(SVG in text for key, text in texts.items() if key.startswith("tip "))
    # the javascript: url never becomes a link; the https one does
    page.evaluate("kgExplorer.showEdge(kgExplorer.data.edges.find(e => e.relation === 'attack').id)")
    assert page.locator("#kg-panel a").count() == 0
    page.evaluate("kgExplorer.showEdge(kgExplorer.data.edges.find(e => e.relation === 'meet').id)")
    assert page.locator("#kg-panel a").evaluate_all("links => links.map(a => a.href)") == [SAFE_URL]
    # the search box takes markup as a search string and says so as text
    for hostile in (IMG, SCRIPT, SVG, RTL):
        page.fill("#kg-search", hostile)
        page.press("#kg-search", "Enter")
        assert page.text_content("#kg-status") == f"no entity matches “{hostile}”"
    page.fill("#kg-search", "russia")
    page.press("#kg-search", "Enter")
    assert page.locator("#kg-panel h2").text_content() == "Russia"
    assert IMG in page.text_content("#kg-panel")
    assert_inert(page)
    assert page.requests == []


@pytest.fixture(scope="module")
def server(built):
    with running(str(built / "store")) as server:
        yield server


def test_server_explorer_of_a_hostile_feed(page, server):
    page.goto(server.url + "explorer?" + urllib.parse.urlencode({"focus": "Russia", "hops": 1}))
    ready(page)
    # the focus entity opens in the panel, with its hostile evidence as text
    assert page.locator("#kg-panel h2").text_content() == "Russia"
    assert IMG in page.text_content("#kg-panel")
    texts = click_everything(page)
    assert SCRIPT.split("<script>")[0] in edge_text(texts, page, "condemn")
    page.fill("#kg-search", SVG)
    page.press("#kg-search", "Enter")
    assert page.text_content("#kg-status") == f"no entity matches “{SVG}”"
    assert_inert(page)
    assert page.requests and all(url.startswith(server.url) for url in page.requests)


def test_query_page_shows_hostile_cells_as_text(page, server):
    page.goto(server.url)
    page.fill("#kg-query", "SELECT DISTINCT ?text WHERE { ?s ?p ?text FILTER(isLiteral(?text) && "
                           '(CONTAINS(?text, "onerror") || CONTAINS(?text, "onload") || CONTAINS(?text, "<script>"))) } '
                           "ORDER BY ?text")
    page.click("#kg-run")
    page.wait_for_selector("#kg-results tbody tr")
    cells = page.locator("#kg-results td").all_text_contents()
    assert any(IMG in c for c in cells) and any(SVG in c for c in cells) and any("<script>alert(2)" in c for c in cells)
    # a hostile string typed into the editor comes back as a cell and as an error, both as text
    page.fill("#kg-query", f"SELECT ?x WHERE {{ BIND({json.dumps(SCRIPT + IMG)} AS ?x) }}")
    page.click("#kg-run")
    page.wait_for_selector("#kg-status:has-text('1 row')")
    assert page.text_content("#kg-results td") == SCRIPT + IMG
    page.fill("#kg-query", f"SELECT {SVG}")
    page.click("#kg-run")
    page.wait_for_selector("#kg-status:has-text('Error')")
    assert page.text_content("#kg-status").startswith("Error 400: ")
    assert_inert(page)
    assert page.requests and all(url.startswith(server.url) for url in page.requests)
