"""The data behind the explorer's Timeline, Map and Matrix views (drawn by ``views.js``).

Python does what needs the gazetteer or the shapes: the CAMEO quad class of each event, the
place and coordinates it happened at, the ISO country of every entity, and the world outline
as SVG paths in an equirectangular projection (x = 10 * (lon + 180), y = 10 * (90 - lat)).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import networkx as nx

from kg.errors import KGError
from kg.geo import country_code, world

VIEWS = ("graph", "timeline", "map", "matrix")

#: CAMEO roots by quad class, as GDELT groups them
QUAD_CLASSES = {
    1: ("Verbal cooperation", ("01", "02", "03", "04", "05")),
    2: ("Material cooperation", ("06", "07", "08")),
    3: ("Verbal conflict", ("09", "10", "11", "12", "13")),
    4: ("Material conflict", ("14", "15", "16", "17", "18", "19", "20")),
}
_QUAD_OF_ROOT = {root: quad for quad, (_, roots) in QUAD_CLASSES.items() for root in roots}


def quad_class(cameo: str | None) -> int | None:
    """The quad class (1-4) of a CAMEO code, None when there is no code.

    Example:
        >>> quad_class("190"), quad_class("042"), quad_class(None)
        (4, 1, None)
    """
    return _QUAD_OF_ROOT.get(cameo[:2]) if cameo else None


def _ring_path(ring: list[int]) -> str:
    """One ring as a closed SVG path with relative moves (short numbers, small page)."""
    x0, y0 = ring[0] + 1800, 900 - ring[1]
    steps = [f"M{x0} {y0}l"]
    px, py = x0, y0
    for i in range(2, len(ring), 2):
        x, y = ring[i] + 1800, 900 - ring[i + 1]
        steps.append(f"{x - px} {y - py} ")
        px, py = x, y
    return "".join(steps).rstrip() + "z"


@cache
def world_paths() -> tuple[dict[str, Any], ...]:
    """Every shipped country as ``{"iso", "name", "d", "x", "y"}`` (``x, y`` its label point)."""
    out = []
    for country in world()["countries"]:
        out.append({
            "iso": country["iso3"],
            "name": country["name"],
            "d": "".join(_ring_path(ring) for ring in country["rings"]),
            "x": round((country["lon"] + 180) * 10, 1),
            "y": round((90 - country["lat"]) * 10, 1),
        })
    return tuple(out)


def entity_countries(g: nx.MultiDiGraph) -> dict[str, str]:
    """Entity IRI -> ISO alpha-3 of the country it is, lies in or belongs to (when known)."""
    own: dict[str, str | None] = {}
    for node, attrs in g.nodes(data=True):
        code = attrs.get("country_code")
        if code is None and attrs.get("type") in ("Country", "GeopoliticalEntity"):
            code = country_code(str(attrs.get("label") or ""))
        own[node] = code
    out = {}
    for node, attrs in g.nodes(data=True):
        code = own[node]
        country = attrs.get("country")
        if code is None and country:
            code = own.get(country) or country_code(str(g.nodes[country].get("label")) if country in g else None)
        if code is not None:
            out[node] = code
    return out


def places(g: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Located entities: IRI -> ``{"place", "lat", "lon", "iso"}``, read before any filtering."""
    out = {}
    for node, attrs in g.nodes(data=True):
        if attrs.get("lat") is not None and attrs.get("long") is not None:
            out[node] = {"place": str(attrs.get("label") or node), "lat": attrs["lat"],
                         "lon": attrs["long"], "iso": attrs.get("country_code")}
    return out


def place_table(g: nx.MultiDiGraph) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """The places the events of ``g`` happened at, once each: IRI -> row, and the rows.

    Events point to a row (``at``) instead of repeating the place: 30,000 events at a few
    hundred places stay small.
    """
    located = g.graph.get("places", {})
    used = sorted({d.get("location") for _, _, d in g.edges(data=True)} & set(located))
    rows = [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in located[iri].items() if v is not None}
            for iri in used]
    return {iri: i for i, iri in enumerate(used)}, rows


def view_buttons() -> str:
    """The Graph / Timeline / Map / Matrix switch of the page header."""
    buttons = "".join(
        f'<button type="button" data-view="{v}" aria-pressed="false">{v.title()}</button>' for v in VIEWS
    )
    return f'<nav id="kg-views" aria-label="Views">{buttons}</nav>'


def view_panes() -> str:
    """Empty containers of the Timeline, Map and Matrix views, filled by views.js."""
    return "".join(
        f'<section id="kg-{v}" class="kg-view" aria-label="{v.title()}" hidden></section>' for v in VIEWS[1:]
    )


def view_payload(start: str) -> dict[str, Any]:
    """What every page carries for the views besides nodes and edges: the map and the classes."""
    if start not in VIEWS:
        raise KGError(f"unknown view {start!r} (choose from {', '.join(VIEWS)})")
    return {
        "view": start,
        "world": list(world_paths()),
        "quads": {str(q): name for q, (name, _) in QUAD_CLASSES.items()},
    }
