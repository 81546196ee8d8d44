"""The endpoint's query page: a SPARQL editor, the named queries and links to the explorer.

One self-contained HTML page (``endpoint.css`` and ``endpoint.js`` inlined, data as escaped
JSON) that talks only to the server it came from; the server sends it with a CSP that forbids
anything else.
"""

from __future__ import annotations

from pathlib import Path

from kg.export.html import script_json
from kg.query import list_named_queries, named_query, named_query_defaults, named_query_params
from kg.store import STANDARD_PREFIXES

_ASSETS = Path(__file__).resolve().parent


def index_page() -> str:
    """The query page as a string: editor, named queries, explorer links.

    A named query's ``$params`` are left as ``""`` to fill in, those with a default take it.

    Example:
        >>> "kg-query" in index_page()
        True
    """
    queries = []
    for name, description in list_named_queries():
        params = set(named_query_params(name)) - set(named_query_defaults(name))
        queries.append({"name": name, "description": description, "params": sorted(params),
                        "text": named_query(name, {p: "" for p in params})})
    data = {"queries": queries, "prefixes": sorted(STANDARD_PREFIXES.items(), key=lambda p: -len(p[1]))}
    style = (_ASSETS / "endpoint.css").read_text(encoding="utf-8")
    script = (_ASSETS / "endpoint.js").read_text(encoding="utf-8")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>kg SPARQL endpoint</title><style>{style}</style></head><body>"
        "<header><h1>kg SPARQL endpoint</h1><span>queries go to <code>/sparql</code></span>"
        '<a href="explorer">Explore the whole graph</a>'
        '<form action="explorer" method="get"><input name="focus" placeholder="Entity" required '
        'aria-label="Entity"> <label>hops <input name="hops" type="number" min="1" max="5" value="1">'
        "</label> <button>Explore</button></form></header>"
        "<main><aside><h2>Named queries</h2><ul id=\"kg-named\"></ul></aside><section>"
        '<textarea id="kg-query" spellcheck="false" aria-label="SPARQL query">'
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 25</textarea>"
        '<div><button id="kg-run" type="button">Run</button><output id="kg-status"></output></div>'
        '<div id="kg-results"></div></section></main>'
        f'<script type="application/json" id="kg-data">{script_json(data)}</script>'
        f"<script>{script}</script></body></html>\n"
    )
