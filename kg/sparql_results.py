"""SPARQL queries made safe to evaluate, and their results written by pyoxigraph's writers.

Queries run over pyoxigraph with the kg prefixes predeclared and the union of the named graphs
as the default graph; a query that would fetch a URL or nest too deep is refused first. Results
are written as SPARQL 1.1 JSON, XML, CSV or TSV (capped in rows and bytes for the endpoint), or
as an RDF syntax, by the CLI (:mod:`kg.query`) and the endpoint (:mod:`kg.worker`) alike.
"""

from __future__ import annotations

import bisect
import io
import re
import tempfile
import threading
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError

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
#: nesting (brackets and operators) a query may have; Oxigraph's parser recurses on each level
MAX_NESTING = 2000
#: stack of the thread that parses and evaluates a query: deep enough for MAX_NESTING levels
QUERY_STACK = 512 * 1024 * 1024
# rdflib's parser is pure Python: above this size the lexical check alone decides
_PARSE_LIMIT = 100_000


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


# --- result formats: pyoxigraph's writers ---------------------------------------------------

_TSV = ox.QueryResultsFormat.TSV
# what XML 1.0 cannot carry at all, not even escaped (UTF-8 of C0 controls, U+FFFE and U+FFFF)
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: evaluation stops once the TSV form of the rows is this many times an answer's byte cap (CSV
#: writes a typed literal in about a fifth of its TSV form)
TSV_ROOM = 4


class _Enough(Exception):
    """Raised into pyoxigraph's writer to stop the evaluation: the rows wanted are written."""


class _TsvRows:
    """A binary file that pyoxigraph's TSV writer fills: it notes where each line ends, stops the
    writer after ``max_rows`` rows and one more (so a cut is known) or ``max_bytes``, and for XML
    replaces what XML cannot hold with U+FFFD (as long in UTF-8 as U+FFFE, so offsets hold)."""

    def __init__(self, spool, max_rows: int | None, max_bytes: int | None, xml: bool):
        self.spool, self.max_rows, self.max_bytes, self.xml = spool, max_rows, max_bytes, xml
        self.ends: list[int] = []  # offset after each complete line, the header's first
        self.size, self.carry = 0, b""

    def write(self, data) -> int:
        length = len(data)
        data = self.carry + bytes(data)
        self.carry = b""
        if self.xml:
            keep = 2 if data.endswith(b"\xef\xbf") else 1 if data.endswith(b"\xef") else 0
            data, self.carry = data[: len(data) - keep], data[len(data) - keep:]
            data = _NOT_XML.sub("\ufffd".encode(), data)
        start, index = self.size, data.find(b"\n")
        self.spool.write(data)
        self.size += len(data)
        while index != -1:
            self.ends.append(start + index + 1)
            index = data.find(b"\n", index + 1)
        if self.max_rows is not None and len(self.ends) > self.max_rows + 1:
            raise _Enough
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise _Enough
        return length

    def flush(self) -> None:
        pass


class _Head(io.RawIOBase):
    """The first ``end`` bytes of a file, read from its start."""

    def __init__(self, source, end: int):
        super().__init__()
        source.seek(0)
        self.source, self.left = source, end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.source.read(min(len(buffer), self.left))
        buffer[: len(data)] = data
        self.left -= len(data)
        return len(data)


def write_results(answer, fmt: ox.QueryResultsFormat, out, *, max_rows: int | None = None,
                  max_bytes: int | None = None) -> bool:
    """SELECT solutions or an ASK answer in a SPARQL results format, by pyoxigraph's writer.

    With ``max_rows`` or ``max_bytes`` (the endpoint's caps) the rows are first written as TSV
    (one row a line), evaluation stopping once there are enough, and the answer is written from
    the rows that fit. XML gets U+FFFD for the characters XML 1.0 cannot hold.

    Returns:
        Whether rows were left out.
    """
    xml = fmt == ox.QueryResultsFormat.XML
    if isinstance(answer, ox.QueryBoolean) or not (xml or max_rows is not None or max_bytes is not None):
        answer.serialize(out, format=fmt)
        return False
    room = None if max_bytes is None else TSV_ROOM * max_bytes + (1 << 16)
    with tempfile.SpooledTemporaryFile(1 << 20) as spool:
        rows = _TsvRows(spool, max_rows, room, xml)
        try:
            answer.serialize(rows, format=_TSV)
            spool.write(rows.carry)
            stopped = False
        except _Enough:
            stopped = True
        if max_rows is None and max_bytes is None:
            _render(spool, rows.size + len(rows.carry), fmt, out)
            return False
        if not rows.ends:
            raise QueryError("the answer's first line is over the byte cap")
        ends = rows.ends if max_rows is None else rows.ends[: max_rows + 1]
        ends = ends if room is None else [end for end in ends if end <= room]  # whole chunks come past the room
        keep = _fit(spool, ends, fmt, out, max_bytes)
        return stopped or keep < len(rows.ends) - 1


def _render(spool, end: int, fmt: ox.QueryResultsFormat, out) -> int:
    """Rows written as TSV in the first ``end`` bytes of ``spool``, in ``fmt``; the bytes written."""
    before = out.tell()
    with io.BufferedReader(_Head(spool, end), 1 << 16) as tsv:
        ox.parse_query_results(tsv, _TSV).serialize(out, format=fmt)
    return out.tell() - before


def _fit(spool, ends: list[int], fmt: ox.QueryResultsFormat, out, max_bytes: int | None) -> int:
    """Write the most rows of ``spool`` whose answer fits in ``max_bytes``; how many were written.

    Each try keeps the rows whose TSV lengths add up to the share of the answer that fitted
    the last time, so a few tries do (rows differ in length, not in how their forms compare).
    """
    start, keep = out.tell(), len(ends) - 1
    size = _render(spool, ends[keep], fmt, out)
    while max_bytes is not None and size > max_bytes and keep > 0:
        out.seek(start)
        out.truncate()
        empty = _render(spool, ends[0], fmt, out)
        out.seek(start)
        out.truncate()
        ratio = (size - empty) / max(1, ends[keep] - ends[0])
        room = ends[0] + (max_bytes - empty) / ratio
        keep = min(keep - 1, max(0, bisect.bisect_right(ends, room) - 1))
        size = _render(spool, ends[keep], fmt, out)
    return keep


def xml_safe(term):
    """A term whose literal text XML 1.0 can hold (others are returned as they are)."""
    if isinstance(term, ox.Literal) and _NOT_XML_TEXT.search(term.value):
        value = _NOT_XML_TEXT.sub("\ufffd", term.value)
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
