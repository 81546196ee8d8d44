"""A self-contained, offline HTML explorer of the event graph (vis-network).

The page is kg's own template, ``explorer.html``, filled with vis-network's script and style
sheet as the installed pyvis package ships them, kg's style sheets and scripts, and the graph
as one escaped JSON block that ``explorer.js`` turns into the vis network, tooltips (DOM text,
never HTML), filters, search and the side panel. Nothing is linked, so nothing is fetched.
"""

from __future__ import annotations

import html
import importlib.util
import json
import math
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from string import Template
from typing import Any

import networkx as nx

from kg.dates import date_bounds
from kg.errors import KGError
from kg.files import atomic_write
from kg.export.views import entity_countries, place_table, places, quad_class, view_buttons, view_panes, view_payload
from kg.graph import ego_graph, filter_graph, layout_positions, to_networkx

PHYSICS_LIMIT = 300  # above this many entities the layout is precomputed and physics is off
VIS_NETWORK = "vis-9."  # pyvis' folder of the vis-network release explorer.js is written for

TYPE_COLOURS = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "Country": "#e15759",
    "GeopoliticalEntity": "#76b7b2",
    "Location": "#59a14f",
    "Group": "#edc948",
    "Facility": "#b07aa1",
    "OtherEntity": "#9c755f",
}
EDGE_COLOUR = "#7a7a7a"
NEGATED_COLOUR = "#d62728"
# reported speech is dashed, what is only wanted or imagined is dotted
MODALITY_DASHES: dict[str, Any] = {
    "asserted": False,
    "reported": [8, 5],
    "intended": [2, 5],
    "hypothetical": [2, 5],
    "requested": [2, 5],
}
CAMEO_ROOTS = {
    "01": "Make public statement",
    "02": "Appeal",
    "03": "Express intent to cooperate",
    "04": "Consult",
    "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation",
    "07": "Provide aid",
    "08": "Yield",
    "09": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "Exhibit force posture",
    "16": "Reduce relations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}
_ASSETS = Path(__file__).resolve().parent
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_REMOTE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*|@import\s*["']?\s*|url\(\s*["']?\s*)"""
    r"""(?:https?:)?//""",
    re.IGNORECASE,
)


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&``, U+2028/2029."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def remote_references(page: str) -> list[str]:
    """Every place where ``page``'s markup, styles or scripts would fetch from the network.

    Only what a browser acts on is read: the URL attributes of elements, style attributes,
    ``<style>`` and ``<script>`` code. Text and ``<script type="application/json">`` data blocks
    are data, so an article quoting ``<img src=https://...>`` is shown, not refused.

    Example:
        >>> remote_references('<p>src=//cdn.example.com/a.jpg</p><img src="https://x.org/a.png">')
        ['<img src="https://x.org/a.png">']
    """
    finder = _FetchFinder()
    finder.feed(page)
    finder.close()
    return finder.found


_URL_ATTRIBUTES = frozenset({"src", "href", "action", "formaction", "poster", "data", "srcset", "imagesrcset",
                             "background", "manifest", "ping", "codebase", "xlink:href", "longdesc"})
_REMOTE_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:)?//|[\s,]//|https?://", re.IGNORECASE)
_DATA_SCRIPTS = frozenset({"application/json", "application/ld+json", "text/plain"})
# script code that loads a URL itself: a module import or a fetch of a literal address
_REMOTE_CODE = re.compile(
    r"""\bimport\s*(?:\(\s*|[\w${}*,\s]+?\bfrom\s*)?["'](?:https?:)?//|\bfetch\s*\(\s*["'](?:https?:)?//""")


class _FetchFinder(HTMLParser):
    """Collects the remote references of the markup, style and script code it is fed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._code: str | None = None  # "script" or "style" while inside code that runs

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            remote = (name in _URL_ATTRIBUTES and _REMOTE_URL.search(value)) or (
                name == "style" and _REMOTE.search(value))
            if remote or (tag == "meta" and name == "content" and "url=" in value.lower()
                          and values.get("http-equiv", "").lower() == "refresh"):
                self.found.append(f'<{tag} {name}="{value[:60]}">')
        data_block = tag == "script" and values.get("type", "").strip().lower() in _DATA_SCRIPTS
        self._code = tag if tag in ("script", "style") and not data_block else None

    def handle_endtag(self, tag: str) -> None:
        self._code = None

    def handle_data(self, data: str) -> None:
        if self._code is not None:
            for pattern in (_REMOTE, _REMOTE_CODE):
                self.found.extend(data[m.start() : m.end() + 40] for m in pattern.finditer(data))


def _prepare(graph: Any, focus, hops, since, until, types, max_nodes,
             all_facts: bool = False) -> tuple[nx.MultiDiGraph, dict]:
    g = graph if isinstance(graph, nx.MultiDiGraph) else to_networkx(graph, all_facts=all_facts)
    located = places(g)  # before filtering: a place need not be an actor to be on the map
    centre = None
    if focus:
        g = ego_graph(g, focus, hops)
        centre = g.graph["focus"]
    g, summary = filter_graph(g, since=since, until=until, types=types, max_nodes=max_nodes)
    summary["focus"] = centre
    g.graph["places"] = located
    return g, summary


def _node_records(g: nx.MultiDiGraph, positions: dict | None) -> list[dict[str, Any]]:
    records = []
    countries = entity_countries(g)
    for iri in sorted(g):
        a = g.nodes[iri]
        kind = a.get("type") if a.get("type") in TYPE_COLOURS else "OtherEntity"
        degree = g.degree(iri)
        country = a.get("country")
        record = {
            "id": iri,
            "label": str(a.get("label") or iri),
            "type": kind,
            "color": TYPE_COLOURS[kind],
            "degree": degree,
            "size": round(min(10 + 5 * math.sqrt(degree), 50), 1),
            "aliases": list(a.get("aliases") or ()),
            "country": g.nodes[country].get("label", country) if country in g else country,
            "wikidata": a.get("wikidata"),
            "role": a.get("role"),
            "iso": countries.get(iri),
        }
        if positions is not None:
            record["x"], record["y"] = positions[iri]
        records.append({k: v for k, v in record.items() if v is not None})
    return records


def _edge_records(g: nx.MultiDiGraph, curved: bool, at: dict[str, int]) -> list[dict[str, Any]]:
    records = []
    ordered = sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, _, _ in ordered:
        pairs[min(u, v), max(u, v)] += 1
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, key, d in ordered:
        relation = d.get("relation") or d.get("label") or "related to"
        modality = d.get("modality") or "asserted"
        negated = bool(d.get("negated"))
        first, last = d.get("date_start"), d.get("date_end")
        if first is None and d.get("date"):  # a networkx graph built without typed bounds
            bounds = date_bounds(d["date"])
            first, last = (bounds.start, bounds.end) if bounds else (None, None)
        cameo = d.get("cameo")
        attributed = d.get("attributed_to")
        record = {
            "id": key,
            "from": u,
            "to": v,
            "label": ("not " if negated else "") + relation,
            "relation": relation,
            "text": d.get("label") or relation,
            "date": d.get("date"),
            "dmin": first.isoformat() if first else None,
            "dmax": last.isoformat() if last else None,
            "cameo": cameo,
            "root": cameo[:2] if cameo and cameo[:2] in CAMEO_ROOTS else None,
            "plover": d.get("plover"),
            "negated": negated,
            "modality": modality,
            "confidence": d.get("confidence"),
            "evidence": d.get("evidence"),
            "doc": d.get("document"),
            "attribution": g.nodes[attributed].get("label") if attributed in g else attributed,
            "dashes": MODALITY_DASHES.get(modality, [2, 5]),
            "color": NEGATED_COLOUR if negated else EDGE_COLOUR,
            "gs": d.get("goldstein"),
            "quad": quad_class(cameo),
            "at": at.get(d.get("location")),
        }
        pair = (min(u, v), max(u, v))
        if curved and pairs[pair] > 1:
            # parallel events between one pair would otherwise be drawn on top of each other;
            # the side is fixed by the pair's order so that u->v and v->u curves do not meet
            index = seen[pair]
            seen[pair] += 1
            clockwise = (index % 2 == 0) == (u == pair[0])
            record["smooth"] = {
                "type": "curvedCW" if clockwise else "curvedCCW",
                "roundness": round(0.2 + 0.2 * (index // 2), 2),
            }
        # absent and null read the same in explorer.js; leaving them out keeps big pages small
        records.append({k: v for k, v in record.items() if v is not None})
    return records


def _options(physics: bool) -> dict[str, Any]:
    groups = {
        kind: {
            "color": {
                "background": colour,
                "border": "#444444",
                "highlight": {"background": colour, "border": "#000000"},
                "hover": {"background": colour, "border": "#000000"},
            }
        }
        for kind, colour in TYPE_COLOURS.items()
    }
    return {
        "groups": groups,
        "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 14, "face": "sans-serif"}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "font": {"size": 10, "align": "middle", "strokeWidth": 3},
            "smooth": {"enabled": True, "type": "continuous"} if physics else False,
            "width": 1.3,
            "color": {"color": EDGE_COLOUR, "highlight": "#333333", "hover": "#333333", "inherit": False},
        },
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 130},
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": not physics,
            "hideEdgesOnZoom": not physics,
        },
        "layout": {"randomSeed": 7, "improvedLayout": physics},
    }


def _controls(nodes: list[dict], edges: list[dict], title: str) -> str:
    """Header (title, search, filters) as escaped static HTML; explorer.js wires it up."""
    esc = html.escape
    types = sorted({n["type"] for n in nodes}, key=list(TYPE_COLOURS).index)
    boxes = "".join(
        f'<label class="kg-type"><input type="checkbox" value="{esc(t)}" checked>'
        f'<span class="kg-swatch" style="background:{TYPE_COLOURS[t]}"></span>{esc(t)}</label>'
        for t in types
    )
    roots = sorted({e["root"] for e in edges if e.get("root")})
    cameo = "".join(f'<option value="{esc(r)}">{esc(r)} {esc(CAMEO_ROOTS[r])}</option>' for r in roots)
    plovers = sorted({e["plover"] for e in edges if e.get("plover")})
    plover = "".join(f'<option value="{esc(p)}">{esc(p)}</option>' for p in plovers)
    return (
        '<header id="kg-bar">'
        f'<h1 id="kg-title">{esc(title)}</h1>'
        f"{view_buttons()}"
        '<form id="kg-search-form" role="search">'
        '<input id="kg-search" type="search" placeholder="Find an entity" aria-label="Find an entity">'
        '<button type="submit">Find</button></form>'
        f'<fieldset id="kg-types"><legend>Entity types</legend>{boxes}</fieldset>'
        '<fieldset id="kg-events"><legend>Events</legend>'
        f'<select id="kg-cameo" aria-label="CAMEO category"><option value="">All CAMEO</option>{cameo}</select>'
        f'<select id="kg-plover" aria-label="PLOVER type"><option value="">All PLOVER</option>{plover}</select>'
        '<label>from <input id="kg-from" type="date"></label>'
        '<label>to <input id="kg-to" type="date"></label>'
        '<button id="kg-reset" type="button">Reset</button></fieldset>'
        '<output id="kg-status"></output>'
        "</header>"
    )


def _legend(nodes: list[dict]) -> str:
    types = sorted({n["type"] for n in nodes}, key=list(TYPE_COLOURS).index)
    items = "".join(
        f'<li><span class="kg-swatch" style="background:{TYPE_COLOURS[t]}"></span>{html.escape(t)}</li>'
        for t in types
    )
    lines = (
        '<li><span class="kg-line"></span>asserted event</li>'
        '<li><span class="kg-line kg-reported"></span>reported (dashed)</li>'
        '<li><span class="kg-line kg-intended"></span>intended, hypothetical, requested (dotted)</li>'
        '<li><span class="kg-line kg-negated"></span>negated (red, "not …")</li>'
        "<li>node size: number of events</li>"
    )
    return f'<div id="kg-legend"><strong>Legend</strong><ul>{items}</ul><ul>{lines}</ul></div>'


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _vis_version(folder: Any) -> tuple[int, ...]:
    return tuple(int(part) for part in folder.name[len("vis-"):].split(".") if part.isdigit())


def _package_folder(name: str) -> Path:
    """Where an installed package's files are, found without importing it (pyvis imports IPython)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the {name} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def vis_network() -> tuple[str, str]:
    """vis-network's script and style sheet, read from the installed pyvis package.

    pyvis ships vis-network in ``pyvis/templates/lib/vis-<version>/``; the newest release of
    the major version ``explorer.js`` is written for is taken. The source-map comment is left
    out: it is the one address in the script, and only developer tools would fetch it.
    """
    where = f"pyvis/templates/lib/{VIS_NETWORK}*/vis-network.min.js and vis-network.css"
    try:
        lib = _package_folder("pyvis") / "templates" / "lib"
        folders = [f for f in lib.iterdir() if f.is_dir() and f.name.startswith(VIS_NETWORK)]
        if not folders:
            raise FileNotFoundError(f"no {VIS_NETWORK}* folder in {lib}")
        newest = max(folders, key=_vis_version)
        script = (newest / "vis-network.min.js").read_text(encoding="utf-8")
        style = (newest / "vis-network.css").read_text(encoding="utf-8")
    except (ImportError, OSError) as error:
        raise KGError(f"the explorer needs vis-network from the pyvis package ({where}): {error}") from error
    code, _, last = script.rstrip().rpartition("\n")
    if last.startswith("//# sourceMappingURL="):
        script = code
    return script, style


def _page(g: nx.MultiDiGraph, title: str, view: str = "graph") -> str:
    physics = g.number_of_nodes() <= PHYSICS_LIMIT
    positions = None if physics else layout_positions(g)
    nodes = _node_records(g, positions)
    at, located = place_table(g)
    edges = _edge_records(g, curved=physics, at=at)
    payload = {
        "nodes": nodes,
        "edges": edges,
        "documents": g.graph.get("documents", {}),
        "cameoRoots": CAMEO_ROOTS,
        "physics": physics,
        "options": _options(physics),
        "focus": g.graph.get("focus"),
        "places": located,
        **view_payload(view),
    }
    vis_js, vis_css = vis_network()
    page = Template(_asset("explorer.html")).substitute(
        title=html.escape(title),
        vis_js=vis_js,
        vis_css=vis_css,
        css=_asset("explorer.css") + _asset("views.css"),
        controls=_controls(nodes, edges, title),
        legend=_legend(nodes),
        panes=view_panes(),
        data=script_json(payload),
        explorer_js=_asset("explorer.js"),
        views_js=_asset("views.js"),
    )
    leaks = remote_references(page)
    if leaks:
        raise KGError(f"the page would fetch from the network: {leaks[0]!r}")
    return page


def _explorer(graph: Any, *, focus: str | None = None, hops: int = 2, since: Any = None, until: Any = None,
              types: Any = None, max_nodes: int | None = None, title: str = "kg", view: str = "graph",
              all_facts: bool = False) -> tuple[str, dict[str, Any]]:
    """The explorer page and the summary of what it holds (arguments as :func:`write_html`)."""
    g, summary = _prepare(graph, focus, hops, since, until, types, max_nodes, all_facts)
    return _page(g, title, view), summary


def to_html(graph: Any, **options: Any) -> str:
    """The explorer page as a string (for notebooks); keyword arguments as :func:`write_html`."""
    return _explorer(graph, **options)[0]


def write_html(graph: Any, path: str | Path, **options: Any) -> dict[str, Any]:
    """Write a self-contained offline explorer page of an RDF graph or a :func:`to_networkx` graph.

    Args:
        focus: an entity (IRI, id or label) to centre on; keeps ``hops`` events around it
            (default 2).
        since, until: keep events dated in this range (ISO dates, months or years).
        types: entity class names to keep (``["Person", "Country"]``).
        max_nodes: keep only that many of the best-connected entities.
        title: the page title (default ``kg``).
        view: the view the page opens on: ``graph`` (default), ``timeline``, ``map`` or ``matrix``.
        all_facts: draw every fact between two entities, not only coded events.

    Returns:
        The summary of :func:`kg.graph.filter_graph` plus ``focus`` and ``path``.

    Example:
        >>> write_html(graph, "events.html", focus="Vladimir Putin", hops=1)["focus"]
        'https://w3id.org/kg-events/entity/vladimir-putin'
    """
    page, summary = _explorer(graph, **options)
    atomic_write(path, lambda fh: fh.write(page.encode("utf-8")))
    summary["path"] = str(path)
    return summary


def show(graph: Any, *, height: int = 650, **options: Any) -> Any:
    """The explorer inside a notebook cell: an IPython ``HTML`` iframe of :func:`to_html`.

    The page goes into ``srcdoc`` so it runs sandboxed from the notebook, still offline.
    Takes the keyword arguments of :func:`write_html` besides ``path``.

    Example:
        >>> show(graph, focus="Vladimir Putin", hops=1)  # doctest: +SKIP
        >>> show(graph, view="map")  # doctest: +SKIP
    """
    try:
        from IPython.display import HTML
    except ImportError as error:  # pragma: no cover - IPython ships with every notebook
        raise KGError("show() needs IPython (run it in a notebook)") from error
    page = to_html(graph, **options)
    # wrapped in a div: IPython warns about bare <iframe> HTML and suggests a linked IFrame
    return HTML(
        f'<div><iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;'
        'border:1px solid #ddd" sandbox="allow-scripts allow-popups"></iframe></div>'
    )
