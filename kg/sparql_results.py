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
import threading
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import QueryError

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
# what a SPARQL lexer skips: long and short strings, IRIs, comments (ended by CR or LF, as the
# grammar says) and prefixed names, whose local part may hold escapes such as \' or \#
_OPAQUE = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*'|<[^<>"{}|^`\\\s]*>|\#[^\n\r]*'''
    r'''|(?<![\w?$])(?:[A-Za-z][\w.-]*)?:(?:[\w:%.-]|\\[_~.\-!$&'()*+,;=/?#@%])*''',
    re.S,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# the keyword, not a variable (?service), prefixed name (ex:service) or blank node (_:service)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:])", re.I)
_FETCHING = re.compile(r"(?<![\w?$:])(?:SERVICE|LOAD)(?![\w:])", re.I)
_NESTING = re.compile(r"[(\[{]|[)\]}]|!|&&|\|\||[-+*/^|]")
_SPARQL_NS = "http://www.w3.org/2005/sparql-results#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# XML 1.0 cannot carry these characters at all, not even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: nesting (brackets and operators) a query may have; Oxigraph's parser recurses on each level
MAX_NESTING = 2000
#: stack of the thread that parses and evaluates a query: deep enough for MAX_NESTING levels
QUERY_STACK = 512 * 1024 * 1024
# rdflib's parser is pure Python: above this size the lexical check alone decides
_PARSE_LIMIT = 100_000


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
    """Whether a query calls SERVICE, which would make the server fetch a URL.

    Decided on the query as rdflib's SPARQL parser reads it, and on the tokens as the SPARQL
    lexer splits them (comments end at CR or LF, strings, IRIs and prefixed names with their
    escapes are skipped, ``\\u`` escapes decoded): if either sees SERVICE the query is
    refused, so a text the two parsers read differently cannot hide it; a false alarm only
    refuses.

    Example:
        >>> uses_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        True
        >>> uses_service('SELECT ?service { ?service kg:label "SERVICE" }')
        False
    """
    if not _mentions(text, "service"):
        return False
    return bool(_SERVICE.search(_code_of(text))) or _parsed_has(text, update=False)


def fetches_url(update: str) -> bool:
    """Whether an update would make the server fetch a URL: SERVICE, or LOAD <url>.

    The same two readings as :func:`uses_service`.

    Example:
        >>> fetches_url("LOAD <http://example.org/data.ttl>")
        True
        >>> fetches_url('INSERT DATA { <urn:a> <urn:p> "LOAD" }')
        False
    """
    if not (_mentions(update, "service") or _mentions(update, "load")):
        return False
    return bool(_FETCHING.search(_code_of(update))) or _parsed_has(update, update=True)


def _mentions(text: str, keyword: str) -> bool:
    """Whether the keyword's letters occur at all once escapes are decoded (no parse needed if not)."""
    return keyword in _decoded(text).lower()


def _parsed_has(text: str, update: bool) -> bool:
    """Whether rdflib's parse of the text holds a SERVICE pattern (or a LOAD, for an update)."""
    if len(text) > _PARSE_LIMIT:
        return False
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    wanted = {"ServiceGraphPattern", "Load"} if update else {"ServiceGraphPattern"}
    try:
        tree = (parseUpdate if update else parseQuery)(text.replace("\r", "\n"))
    except Exception:  # pyparsing and rdflib raise many types; Oxigraph reports the syntax error
        return False
    stack, seen = [tree], 0
    while stack and seen < 1_000_000:
        node, seen = stack.pop(), seen + 1
        if isinstance(node, CompValue):
            if node.name in wanted:
                return True
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)
    return False


def _decoded(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(min(int(m.group(1) or m.group(2), 16), 0x10FFFF)), text)


def _code_of(text: str) -> str:
    """The text with escapes decoded and strings, IRIs, comments and prefixed names blanked out."""
    return _OPAQUE.sub(" ", _decoded(text))


def nesting(text: str) -> int:
    """How deep a query may nest: its deepest bracket plus its operators and UNION/OPTIONAL/MINUS.

    A bound, not the exact depth of the parse: Oxigraph's parser and evaluator recurse once
    per level, and a query far deeper than any real one would overflow their stack.

    Example:
        >>> nesting("SELECT * { FILTER((1 + 2) > 0) }")
        4
    """
    code = _code_of(text)
    depth = deepest = operators = 0
    for match in _NESTING.finditer(code):
        token = match.group()
        if token in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in ")]}":
            depth = max(0, depth - 1)
        else:
            operators += 1
    keywords = len(re.findall(r"\b(?:UNION|OPTIONAL|MINUS)\b", code, re.I))
    return deepest + operators + keywords


def check_nesting(text: str) -> None:
    """QueryError when a query nests deeper than :data:`MAX_NESTING` (it would overflow the parser)."""
    depth = nesting(text)
    if depth > MAX_NESTING:
        raise QueryError(f"query nested too deeply: {depth} levels of brackets and operators "
                         f"(at most {MAX_NESTING})")


def deep_call(work):
    """``work()`` in a thread with a stack deep enough for :data:`MAX_NESTING` levels; its result.

    Oxigraph parses and evaluates recursively: on the usual 8 MiB stack a few thousand levels
    end the process, which no exception handler can catch.
    """
    box: dict[str, Any] = {}

    def run():
        try:
            box["value"] = work()
        except BaseException as exc:  # handed back to the caller's thread, without the frames:
            # pyoxigraph's results must be dropped on the thread that made them
            box["error"] = exc.with_traceback(None)
            exc.__context__ = exc.__cause__ = None

    previous = threading.stack_size(QUERY_STACK)
    try:
        thread = threading.Thread(target=run, name="kg-query", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def query_options(prefixes: dict[str, str], default_graphs=(), named_graphs=()) -> dict[str, Any]:
    """The keyword arguments of ``Store.query``: the union default graph unless graphs are given."""
    options: dict[str, Any] = {"prefixes": prefixes}
    if default_graphs:
        options["default_graph"] = _graph_names(list(default_graphs))
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = _graph_names(list(named_graphs))
    return options


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


def _xml_text(value: str) -> str:
    """Escaped XML character data; characters XML 1.0 cannot hold become U+FFFD."""
    return escape(_NOT_XML.sub("\ufffd", value))


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        inner = "".join(f"<{p}>{_xml_term(getattr(term, p))}</{p}>" for p in ("subject", "predicate", "object"))
        return f"<triple>{inner}</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
    if term.datatype.value == _XSD_STRING:
        return f"<literal>{_xml_text(term.value)}</literal>"
    return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _csv_line(values) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()


def result_parts(kind: str, names, rows, fmt: str, boolean: bool = False):
    """(head, one part per row, tail) of a SELECT or ASK result in ``json``, ``xml``, ``csv`` or ``tsv``.

    Rows are written one by one as they come, so a caller can stop at a size or a row count
    and still close the document with ``tail``.
    """
    names = tuple(names)
    if kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": boolean}).encode(), iter(()), b""
        if fmt == "xml":
            body = f"<boolean>{str(boolean).lower()}</boolean>"
            return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{_SPARQL_NS}"><head></head>'
                    f"{body}</sparql>\n").encode(), iter(()), b""
        return str(boolean).lower().encode() + b"\n", iter(()), b""
    if fmt == "json":
        head = '{"head": {"vars": ' + json.dumps(list(names), ensure_ascii=False) + '}, "results": {"bindings": ['
        parts = (json.dumps({n: _json_term(t) for n, t in zip(names, row) if t is not None}, ensure_ascii=False)
                 for row in rows)
        return head.encode(), _separated(parts, ", "), b"]}}"
    if fmt == "xml":
        variables = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
        head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{_SPARQL_NS}"><head>{variables}</head><results>'
        parts = ("<result>" + "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                                      for n, t in zip(names, row) if t is not None) + "</result>" for row in rows)
        return head.encode(), (p.encode() for p in parts), b"</results></sparql>\n"
    if fmt == "csv":
        parts = (_csv_line([_csv_term(t) for t in row]).encode() for row in rows)
        return _csv_line(names).encode(), parts, b""
    # TSV terms are written in their N-Triples form, which escapes tabs and newlines
    parts = (("\t".join("" if t is None else str(t) for t in row) + "\n").encode() for row in rows)
    return ("\t".join(f"?{n}" for n in names) + "\n").encode(), parts, b""


def _separated(parts, separator: str):
    for index, part in enumerate(parts):
        yield ((separator if index else "") + part).encode()


def write_results(result: Result, fmt: str) -> bytes:
    """A SELECT or ASK result in a W3C results format: ``json``, ``xml``, ``csv`` or ``tsv``."""
    head, parts, tail = result_parts(result.kind, result.variables, result.rows, fmt, result.boolean)
    return head + b"".join(parts) + tail


def xml_safe(term):
    """A term whose literal text XML 1.0 can hold (others are returned as they are)."""
    if isinstance(term, ox.Literal) and _NOT_XML.search(term.value):
        value = _NOT_XML.sub("\ufffd", term.value)
        if term.language:
            return ox.Literal(value, language=term.language)
        return ox.Literal(value, datatype=term.datatype)
    return term


def write_graph(triples, fmt: ox.RdfFormat, prefixes: dict[str, str] | None, out) -> None:
    """Triples, sorted, in an RDF syntax; prefixes are used by Turtle and RDF/XML only."""
    triples = sorted(triples, key=str)
    if fmt == ox.RdfFormat.RDF_XML:
        triples = [ox.Triple(t.subject, t.predicate, xml_safe(t.object)) for t in triples]
    used = prefixes if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    ox.serialize(triples, out, format=fmt, prefixes=used)


def write_answer(result: Result, media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Any result in a negotiated media type: a key of RESULT_TYPES, or of GRAPH_TYPES for a graph."""
    if result.kind != "graph":
        return write_results(result, RESULT_TYPES[media_type])
    out = io.BytesIO()
    write_graph(result.rows, GRAPH_TYPES[media_type], prefixes, out)
    return out.getvalue()
