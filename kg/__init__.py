"""kg: knowledge graphs of geopolitical events from news articles.

The public API is short; heavy modules (spaCy, pyvis) load on first use.

Example:
    >>> import kg
    >>> g = kg.build_graph(["Russia invaded Ukraine on 24 February 2022."], published="2024-11-11")
    >>> kg.sparql(g, "SELECT ?p WHERE { ?s ?p ?o } LIMIT 1").shape[0]
    1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.errors import KGError

__all__ = [
    "read_documents", "Extractor", "extract", "build_graph", "open_store", "sparql",
    "to_networkx", "write_html", "show", "KGError",
]
__version__ = "0.1.0"

_LAZY = {
    "read_documents": "kg.documents",
    "Extractor": "kg.extraction",
    "extract": "kg.extraction",
    "build_graph": "kg.pipeline",
    "open_store": "kg.store",
    "sparql": "kg.query",
    "to_networkx": "kg.graph",
    "write_html": "kg.export.html",
    "show": "kg.export.html",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


if TYPE_CHECKING:  # pragma: no cover
    from kg.documents import read_documents
    from kg.export.html import show, write_html
    from kg.extraction import Extractor, extract
    from kg.graph import to_networkx
    from kg.pipeline import build_graph
    from kg.query import sparql
    from kg.store import open_store
