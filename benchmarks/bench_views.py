"""Size and readiness of the explorer's views on a big synthetic graph, in headless Chromium.

    python benchmarks/bench_views.py [--nodes 10000] [--events 30000]

Prints the page size, the time to write it, the time until the page answers, and for each
view the time from the click on its button until it has drawn (and again after a date
filter), measured in the page with performance.now(). Figures, not assertions: the machine
is shared and noisy.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
from playwright.sync_api import sync_playwright

from kg.export.html import write_html
from kg.geo import world

CHROMIUM = "/usr/bin/chromium"
TYPES = ["Person", "Organization", "Group", "Location", "Country"]


def synthetic_graph(n_nodes: int, n_events: int, seed: int = 11) -> nx.MultiDiGraph:
    """Entities with countries, located places, events over two years with CAMEO and Goldstein."""
    rnd = random.Random(seed)
    countries = world()["countries"]
    g = nx.MultiDiGraph()
    for country in countries:
        g.add_node(f"urn:c:{country['iso3']}", label=country["name"], type="Country")
    isos = [f"urn:c:{c['iso3']}" for c in countries]
    for i in range(n_nodes - len(countries)):
        kind = TYPES[i % 4]
        attrs = {"label": f"Entity {i:05d}", "type": kind, "country": rnd.choice(isos)}
        if kind == "Location":
            home = countries[rnd.randrange(len(countries))]
            attrs.update(lat=home["lat"] + rnd.uniform(-2, 2), long=home["lon"] + rnd.uniform(-2, 2),
                         country_code=home["iso3"])
        g.add_node(f"urn:n:{i}", **attrs)
    nodes = sorted(g)
    places = [n for n in nodes if g.nodes[n].get("lat") is not None]
    for j in range(n_events):
        u, v = nodes[int(len(nodes) * rnd.random() ** 2)], rnd.choice(nodes)
        day = 1 + rnd.randrange(700)
        g.add_edge(u, v, key=f"urn:e:{j}", relation="meet", label="met",
                   date=time.strftime("%Y-%m-%d", time.gmtime(1704067200 + day * 86400)),
                   cameo=f"{1 + j % 20:02d}0", goldstein=round(rnd.uniform(-10, 10), 1),
                   location=rnd.choice(places), evidence=f"Sentence {j} about the event.")
    return g


def measure(path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.monotonic()
        page.goto(path.as_uri())
        page.wait_for_function("window.kgExplorer !== undefined && kgExplorer.show !== undefined", timeout=120_000)
        out["load"] = time.monotonic() - start
        for label, before in (("", None), (" (after a date filter)", "2024-03-01/2024-06-30")):
            if before:
                page.evaluate("(d) => { const [a, b] = d.split('/'); document.getElementById('kg-from').value = a;"
                              " document.getElementById('kg-to').value = b; kgExplorer.applyFilters(); }", before)
            for view in ("timeline", "map", "matrix", "graph"):
                out[view + label] = page.evaluate(
                    """(view) => { const t0 = performance.now();
                         document.querySelector(`#kg-views button[data-view='${view}']`).click();
                         return new Promise(done => requestAnimationFrame(() => setTimeout(
                           () => done((performance.now() - t0) / 1000), 0))); }""", view)
        out["requests"] = len(requests)
        out["page errors"] = len(errors)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=30_000)
    args = parser.parse_args()
    g = synthetic_graph(args.nodes, args.events)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.html"
        start = time.monotonic()
        write_html(g, path)
        written = time.monotonic() - start
        print(f"{g.number_of_nodes()} entities, {g.number_of_edges()} events")
        print(f"page size        {path.stat().st_size / 1e6:.1f} MB (written in {written:.1f} s)")
        for name, value in measure(path).items():
            unit = "" if name in ("requests", "page errors") else " s"
            print(f"{name:<32} {value:.2f}{unit}" if unit else f"{name:<32} {int(value)}")


if __name__ == "__main__":
    main()
