"""Where the shipped data lives: kg/_data in an installed wheel, the source tree otherwise."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from kg.errors import DataError

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


def read_tsv(path: Path, columns: tuple[str, ...]):
    """Yield (line number, row) of a tab-separated file with a header; '#' starts a comment.

    A row may leave trailing fields out; a missing column, an empty file or a row with more
    fields than the header is a :class:`DataError` naming the file and line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.startswith("#")]
    if not lines:
        raise DataError(str(path), "empty file")
    header_line, header = lines[0]
    names = header.split("\t")
    missing = [c for c in columns if c not in names]
    if missing:
        raise DataError(str(path), f"missing column(s) {', '.join(missing)}", line=header_line)
    for n, line in lines[1:]:
        values = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(values) > len(names):
            raise DataError(str(path), f"{len(values)} fields, header has {len(names)}", line=n,
                            id=values[0])
        values += [""] * (len(names) - len(values))
        yield n, {k: v.strip() for k, v in zip(names, values)}
