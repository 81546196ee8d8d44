"""Where the shipped data lives: kg/_data in an installed wheel, the source tree otherwise."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE.parent


@cache
def data_dir(kind: str) -> Path:
    """Folder of shipped data of one kind: ``"ontologies"`` or ``"lexicon"``.

    Example:
        >>> (data_dir("ontologies") / "geo-events.ttl").name
        'geo-events.ttl'
    """
    installed = _PACKAGE / "_data" / kind
    if installed.is_dir():
        return installed
    source = _SOURCE_ROOT / ("ontologies" if kind == "ontologies" else f"data/{kind}")
    return source


def queries_dir() -> Path:
    """Folder of the named SPARQL queries (kg/queries/*.rq)."""
    return _PACKAGE / "queries"
