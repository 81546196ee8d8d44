"""The one table of RDF syntaxes and SPARQL results formats: pyoxigraph's own.

File extensions, format names (`kg export --format ttl`, `kg query --format json`) and media types
(an endpoint's ``Accept`` and ``Content-Type``) are looked up with pyoxigraph's ``RdfFormat`` and
``QueryResultsFormat``; kg adds only which of them it writes and two old file extensions.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError

_R = ox.RdfFormat
_Q = ox.QueryResultsFormat

#: the RDF syntaxes kg writes a store in (`kg export`), by name: ttl, trig, nt, nq, jsonld
WRITTEN = {f.file_extension: f for f in (_R.TURTLE, _R.TRIG, _R.N_TRIPLES, _R.N_QUADS, _R.JSON_LD)}
#: SPARQL results formats by name: json, xml, csv, tsv
RESULTS = {"json": _Q.JSON, "xml": _Q.XML, "csv": _Q.CSV, "tsv": _Q.TSV}
#: what the endpoint answers, first the default: SELECT and ASK results, CONSTRUCT and DESCRIBE graphs
RESULTS_OFFERED = (_Q.JSON, _Q.XML, _Q.CSV, _Q.TSV)
GRAPHS_OFFERED = (_R.TURTLE, _R.N_TRIPLES, _R.JSON_LD, _R.RDF_XML)
# extensions kg has always read that pyoxigraph does not name; .txt is a document to kg, never
# the N-Triples pyoxigraph takes it for
_OLD_EXTENSIONS = {"turtle": "ttl", "owl": "rdf", "txt": "-"}
#: the RDF file extensions kg reads (pyoxigraph also takes .json and .xml), for messages
READ_EXTENSIONS = tuple(sorted({f.file_extension for f in (_R.TURTLE, _R.TRIG, _R.N_TRIPLES, _R.N_QUADS, _R.JSON_LD,
                                                          _R.RDF_XML, _R.N3)} | {"turtle", "owl"}))


def rdf_format(name: str) -> ox.RdfFormat | None:
    """The RDF syntax of a file extension or format name (``ttl``, ``.trig``, ``owl``); None if unknown.

    Example:
        >>> rdf_format(".ttl").name
        'Turtle'
    """
    extension = name.lower().lstrip(".")
    return _R.from_extension(_OLD_EXTENSIONS.get(extension, extension))


def rdf_file_format(path: str | Path) -> ox.RdfFormat:
    """The RDF syntax of a file from its extension; InputError naming the file for an unknown one."""
    fmt = rdf_format(Path(path).suffix) if Path(path).suffix else None
    if fmt is None:
        raise InputError(str(path), f"unknown RDF file extension (known: .{', .'.join(READ_EXTENSIONS)})")
    return fmt


def media_type(fmt: ox.RdfFormat | ox.QueryResultsFormat) -> str:
    """A format's media type without parameters (``text/csv``, not ``text/csv; charset=utf-8``)."""
    return fmt.media_type.split(";")[0].strip()


def accepted(header: str | None) -> list[str]:
    """Media types of an ``Accept`` header, best first (header order among equal q values)."""
    ranked = []
    for index, part in enumerate((header or "*/*").split(",")):
        kind, *params = (field.strip() for field in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if kind and quality > 0:
            ranked.append((-quality, index, kind.lower()))
    return [kind for _, _, kind in sorted(ranked)]


def negotiate(header: str | None, offered: tuple):
    """The offered format (first one the default) the client likes best; None when it accepts none.

    Example:
        >>> negotiate("text/csv;q=0.5, application/sparql-results+json", RESULTS_OFFERED).name
        'SPARQL Results in JSON'
    """
    lookup = _Q.from_media_type if isinstance(offered[0], _Q) else _R.from_media_type
    for kind in accepted(header):
        if kind == "*/*":
            return offered[0]
        if kind.endswith("/*"):
            match = next((f for f in offered if media_type(f).startswith(kind[:-1])), None)
        else:
            match = lookup(kind)
        if match in offered:
            return match
    return None
