"""SPARQL results for the HTTP endpoint: capped evaluation, content negotiation, W3C formats.

Queries run over pyoxigraph with the kg prefixes predeclared and the union of the named graphs
as the default graph (as in :func:`kg.query.sparql`); results are held in memory, capped at a
number of rows, and written as SPARQL 1.1 JSON, XML, CSV or TSV, or as an RDF syntax.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store import STANDARD_PREFIXES

RESULT_TYPES = {  # media type -> serialiser name, for SELECT and ASK
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {  # media type -> RDF syntax, for CONSTRUCT and DESCRIBE
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# what a SPARQL lexer skips: long and short strings, IRIs and comments, in the order it meets them
_OPAQUE = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|\#[^\n]*''',
    re.S,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# the keyword, not a variable (?service), prefixed name (ex:service) or blank node (_:service)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:])", re.I)
_FETCHING = re.compile(r"(?<![\w?$:])(?:SERVICE|LOAD)(?![\w:])", re.I)
_SPARQL_NS = "http://www.w3.org/2005/sparql-results#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True, slots=True)
class Result:
    """A query result held in memory: ``kind`` is select, ask or graph; rows are capped."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple = ()
    boolean: bool = False
    truncated: bool = False


# --- evaluation -------------------------------------------------------------------------------


def _graph_names(values: list[str]) -> list[ox.NamedNode]:
    try:
        return [ox.NamedNode(v) for v in values]
    except ValueError as exc:
        raise QueryError(f"bad graph IRI: {exc}") from None


def one_line(exc: BaseException) -> str:
    """An exception's message on one line of at most 300 characters (never a traceback)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def uses_service(text: str) -> bool:
    """Whether a query or update calls SERVICE, which would make the server fetch a URL.

    A lexical check: strings, IRIs and comments are skipped as a SPARQL lexer skips them, and
    ``\\u`` escapes are decoded first, so the keyword cannot hide; a false alarm only refuses.

    Example:
        >>> uses_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        True
        >>> uses_service('SELECT ?service { ?service kg:label "SERVICE" }')
        False
    """
    return bool(_SERVICE.search(_code_of(text)))


def fetches_url(update: str) -> bool:
    """Whether an update would make the server fetch a URL: SERVICE, or LOAD <url>.

    The same lexical check as :func:`uses_service`.

    Example:
        >>> fetches_url("LOAD <http://example.org/data.ttl>")
        True
        >>> fetches_url('INSERT DATA { <urn:a> <urn:p> "LOAD" }')
        False
    """
    return bool(_FETCHING.search(_code_of(update)))


def _code_of(text: str) -> str:
    """The text with escapes decoded and strings, IRIs and comments blanked out."""
    decoded = _ESCAPE.sub(lambda m: chr(min(int(m.group(1) or m.group(2), 16), 0x10FFFF)), text)
    return _OPAQUE.sub(" ", decoded)


def evaluate(store: ox.Store, query: str, max_rows: int, default_graphs=(), named_graphs=()) -> Result:
    """Run a query over the union graph (or the given graphs); keep at most ``max_rows`` rows.

    Raises:
        QueryError: the query does not parse or fails (one-line message), or a graph IRI is bad.

    Example:
        >>> evaluate(ox.Store(), "ASK { ?s ?p ?o }", 10).boolean
        False
    """
    options: dict[str, Any] = {"prefixes": STANDARD_PREFIXES}
    if default_graphs:
        options["default_graph"] = _graph_names(list(default_graphs))
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = _graph_names(list(named_graphs))
    try:
        answer = store.query(query, **options)
        if isinstance(answer, ox.QueryBoolean):
            return Result("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = tuple(v.value for v in answer.variables)
            rows = [tuple(s[i] for i in range(len(names))) for s in islice(answer, max_rows + 1)]
            return Result("select", names, tuple(rows[:max_rows]), truncated=len(rows) > max_rows)
        triples = list(islice(answer, max_rows + 1))
        return Result("graph", rows=tuple(triples[:max_rows]), truncated=len(triples) > max_rows)
    except SyntaxError as exc:
        raise QueryError(one_line(exc)) from None
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise QueryError(f"query failed: {one_line(exc)}") from None


# --- content negotiation ----------------------------------------------------------------------


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


def negotiate(header: str | None, offered: dict[str, Any], default: str) -> str | None:
    """The offered media type the client likes best; None when it accepts none of them."""
    for kind in accepted(header):
        if kind in offered:
            return kind
        if kind == "*/*":
            return default
        if kind.endswith("/*"):
            match = next((o for o in offered if o.startswith(kind[:-1])), None)
            if match:
                return match
    return None


# --- result formats ---------------------------------------------------------------------------


def _json_term(term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _json_term(getattr(term, p)) for p in parts}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        inner = "".join(f"<{p}>{_xml_term(getattr(term, p))}</{p}>" for p in ("subject", "predicate", "object"))
        return f"<triple>{inner}</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value == _XSD_STRING:
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def write_results(result: Result, fmt: str) -> bytes:
    """A SELECT or ASK result in a W3C results format: ``json``, ``xml``, ``csv`` or ``tsv``."""
    names = result.variables
    if fmt == "json":
        if result.kind == "ask":
            return json.dumps({"head": {}, "boolean": result.boolean}).encode()
        bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in result.rows]
        body = {"head": {"vars": list(names)}, "results": {"bindings": bindings}}
        return json.dumps(body, ensure_ascii=False).encode()
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
        if result.kind == "ask":
            body = f"<boolean>{str(result.boolean).lower()}</boolean>"
        else:
            rows = (
                "<result>"
                + "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>" for n, t in zip(names, row) if t is not None)
                + "</result>"
                for row in result.rows
            )
            body = "<results>" + "".join(rows) + "</results>"
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{_SPARQL_NS}"><head>{head}</head>{body}</sparql>\n'.encode()
    if result.kind == "ask":
        return str(result.boolean).lower().encode() + b"\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_csv_term(t) for t in row] for row in result.rows)
        return out.getvalue().encode()
    # TSV terms are written in their N-Triples form, which escapes tabs and newlines
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode()


def write_answer(result: Result, media_type: str) -> bytes:
    """Any result in a negotiated media type: a key of RESULT_TYPES, or of GRAPH_TYPES for a graph."""
    if result.kind != "graph":
        return write_results(result, RESULT_TYPES[media_type])
    fmt = GRAPH_TYPES[media_type]
    prefixes = STANDARD_PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(sorted(result.rows, key=str), format=fmt, prefixes=prefixes)
