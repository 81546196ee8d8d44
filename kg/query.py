"""SPARQL over a store: DataFrames for notebooks, text for the CLI, named queries from kg/queries.

Standard prefixes (rdf, rdfs, owl, skos, xsd, prov, kg, ent, rel, evt, doc, cameo, plover, wd)
are predeclared. This module must not import spaCy or the extractor: ``kg query`` starts fast.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import BNode, Literal

from kg.errors import DataError, KGError, QueryError, StoreError
from kg.resources import queries_dir
from kg.sparql_results import check_nesting, deep_call, one_line, uses_service, write_graph, write_results
from kg.store import STANDARD_PREFIXES, Endpoint, open_target, to_pyoxigraph
from kg.syntaxes import GRAPHS_OFFERED, RESULTS, RESULTS_OFFERED, media_type

if TYPE_CHECKING:
    import pandas as pd

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + name
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
}
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
#: what `kg query --format` writes: a table for people, or a SPARQL results format
FORMATS = ("table", *RESULTS)


def _python(datatype: str, lexical: str):
    """A literal as the Python value its datatype promises; the lexical form when invalid."""
    try:
        if datatype in _INTEGERS:
            return int(lexical)
        if datatype in _FLOATS:
            return float(lexical)
        if datatype == _XSD + "boolean":
            return lexical in ("true", "1")
        if datatype == _XSD + "date":
            return dt.date.fromisoformat(lexical)
        if datatype == _XSD + "dateTime":
            return dt.datetime.fromisoformat(lexical)
    except ValueError:
        pass
    return lexical


def _ox_value(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return _python(term.datatype.value, term.value)
    return str(term)


def _rdflib_value(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else _XSD + "string"
        return _python(datatype, str(term))
    return str(term)


def _frame(columns: list[str], rows: list[list]) -> pd.DataFrame:
    # pandas is imported here, not at module level: it is half of `kg query`'s start-up time
    import pandas as pd

    # A column with gaps keeps Python objects: pandas would turn ints with None into floats.
    data = {}
    for i, name in enumerate(columns):
        values = [row[i] for row in rows]
        data[name] = pd.Series(values, dtype=object if None in values else None)
    return pd.DataFrame(data, columns=columns)


def _to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _ox_query(store: ox.Store, query: str, use):
    """``use(answer)`` of a query over the union graph, parsed and evaluated on a deep stack.

    The answer is used on the thread that made it (pyoxigraph requires it); a query nested
    deeper than the stack allows is refused first, and an engine failure is one QueryError.
    """
    check_nesting(query)
    if uses_service(query):
        raise QueryError("SERVICE is not allowed: kg fetches no URL (load the data with `kg import` instead)")

    def run():
        try:
            return use(store.query(query, prefixes=STANDARD_PREFIXES, use_default_graph_as_union=True))
        except SyntaxError as exc:
            raise QueryError(one_line(exc)) from None
        except MemoryError as exc:
            raise QueryError(f"query failed: out of memory ({one_line(exc)})") from None
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise QueryError(f"query failed: {one_line(exc)}") from None
        except (KGError, KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # an engine panic arrives as pyo3's PanicException, a BaseException
            raise QueryError(f"query failed: the query engine failed: {one_line(exc)}") from None

    return deep_call(run)


def _bound_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in STANDARD_PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def _to_python(result) -> pd.DataFrame | bool | Graph:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [[_ox_value(solution[i]) for i in range(len(columns))] for solution in result]
        return _frame(columns, rows)
    graph = _bound_graph()
    for triple in result:
        graph.add((_to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object)))
    return graph


def sparql(store: Dataset | Graph | ox.Store | str | Path, query: str) -> pd.DataFrame | bool | Graph:
    """Run a SPARQL query over the union of the store's graphs.

    Args:
        store: an open store or graph, or what :func:`kg.store.open_store` opens read-only
            (a store directory or build folder, an RDF file, an endpoint URL).

    Returns:
        SELECT: a DataFrame (columns = variables; literals as str/int/float/bool/date as
        their datatype says, IRIs as str, unbound as None); ASK: a bool;
        CONSTRUCT/DESCRIBE: an rdflib Graph.

    Example:
        >>> from kg import open_store
        >>> sparql(open_store(), "ASK { ?s a kg:Event }")
        False
    """
    if isinstance(store, (str, Path)):
        from kg.store import close_store, open_store

        opened = open_store(store, read_only=True, create=False)
        try:
            return sparql(opened, query)
        finally:
            close_store(opened)  # a directory is free for writers again
    local = to_pyoxigraph(store)
    if local is not None:
        return _ox_query(local, query, _to_python)
    try:
        result = store.query(query, initNs=STANDARD_PREFIXES)
        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type == "SELECT":
            columns = [str(v) for v in result.vars]
            rows = [[_rdflib_value(value) for value in row] for row in result]
            return _frame(columns, rows)
    except KGError:
        raise
    except Exception as exc:  # rdflib/pyparsing/HTTP errors share no base class
        raise QueryError(str(exc)) from exc
    graph = _bound_graph()
    for triple in result.graph:
        graph.add(triple)
    return graph


# --- the CLI path: straight to pyoxigraph, results written by pyoxigraph's writers ----------


def _cell(term) -> str:
    """A term in a table cell, in full: an IRI as a prefixed name where a kg prefix fits, a
    literal as its text (line breaks and tabs as escapes, so a row stays one line)."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in STANDARD_PREFIXES.items():
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    if isinstance(term, ox.Literal):
        return term.value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return str(term)  # a blank node as _:id, a quoted triple in N-Triples


def to_table(solutions: ox.QuerySolutions) -> str:
    """SELECT solutions as a plain aligned text table (IRIs as prefixed names, literals in full)."""
    header = [v.value for v in solutions.variables]
    rows = [[_cell(solution[i]) for i in range(len(header))] for solution in solutions]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _format(answer, fmt: str) -> str:
    """Any answer as text: solutions and booleans in a results format (``table`` for people),
    graphs sorted in Turtle (JSON-LD for ``json``, RDF/XML for ``xml``)."""
    out = io.BytesIO()
    if isinstance(answer, ox.QuerySolutions) and fmt == "table":
        return to_table(answer)
    if isinstance(answer, (ox.QuerySolutions, ox.QueryBoolean)):
        write_results(answer, RESULTS.get(fmt, ox.QueryResultsFormat.TSV), out)
    else:
        graph = {"json": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}.get(fmt, ox.RdfFormat.TURTLE)
        write_graph(answer, graph, STANDARD_PREFIXES, out)
    return out.getvalue().decode("utf-8")


# what kg asks an endpoint for: results it can read back typed (CSV cannot be), then graphs
_ACCEPT = ", ".join([*(media_type(f) for f in RESULTS_OFFERED if f != ox.QueryResultsFormat.CSV),
                     *(f"{media_type(f)};q=0.9" for f in GRAPHS_OFFERED)])


def _remote_query(url: str, query: str, timeout: float, use):
    """``use(answer)`` of a query sent to an endpoint by the SPARQL 1.1 Protocol (form POST).

    The answer is read back into pyoxigraph terms (results or triples), as a local query gives.
    A silent endpoint, a refused connection and a refused query are three one-line errors.
    """
    import urllib.error
    import urllib.parse
    import urllib.request

    # the endpoint knows none of kg's prefixes; a query's own declarations come after and win
    declared = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in STANDARD_PREFIXES.items())
    form = urllib.parse.urlencode({"query": declared + query}).encode()
    request = urllib.request.Request(url, data=form, headers={
        "Accept": _ACCEPT, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            body = response.read()
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
        if exc.code == 400:
            raise QueryError(f"{url}: the endpoint refused the query: {detail or exc.reason}") from None
        raise StoreError(f"{url}: the endpoint answered HTTP {exc.code} {exc.reason}: {detail}".rstrip(": ")) from None
    except (TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise StoreError(f"{url}: the endpoint did not answer within {timeout:g} s") from None
        raise StoreError(f"{url}: endpoint unreachable: {reason}") from None
    return use(_read_answer(url, kind, body))


def _read_answer(url: str, kind: str, body: bytes):
    """An endpoint's answer as pyoxigraph results, or a list of triples for a graph."""
    results = ox.QueryResultsFormat.from_media_type(kind) if kind else None
    graph = ox.RdfFormat.from_media_type(kind) if kind else None
    try:
        if results is not None and results != ox.QueryResultsFormat.CSV:
            return ox.parse_query_results(body, results)
        if graph is not None and not graph.supports_datasets:
            return [quad.triple for quad in ox.parse(body, graph)]
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"{url}: the endpoint's answer is not valid {kind}: {one_line(exc)}") from None
    raise StoreError(f"{url}: the endpoint answered {kind or 'no media type'}, not SPARQL results "
                     "(JSON, XML, TSV) or an RDF graph")


def run_query(target: str | Path, query: str, fmt: str = "table", timeout: float = 60.0) -> str:
    """Run a query against a store directory, an RDF file or an endpoint URL; return text.

    Args:
        target: a store directory, an RDF file (.ttl/.trig/.nt/.nq/.jsonld, loaded into
            memory) or an ``http(s)://`` SPARQL endpoint (see :func:`kg.store.open_target`).
        timeout: seconds to wait for an endpoint's answer.
        fmt: ``table``, ``json``, ``xml``, ``csv`` or ``tsv``. SELECT gives rows in that
            format (the SPARQL 1.1 results formats, written by pyoxigraph), ASK
            ``true``/``false`` (or a results document), CONSTRUCT Turtle (JSON-LD for json,
            RDF/XML for xml). The same terms whatever the target.

    Example:
        >>> print(run_query("graph.ttl", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))  # doctest: +SKIP
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
    opened = open_target(target, read_only=True, create=False)
    if isinstance(opened, Endpoint):
        return _remote_query(opened.query_url, query, timeout, lambda answer: _format(answer, fmt))
    return _ox_query(opened, query, lambda answer: _format(answer, fmt))


# --- named queries ---------------------------------------------------------------------------

_PARAM_DOC = re.compile(r"^#\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*:?\s*(.*)$")
_DEFAULT = re.compile(r'\(default "([^"]*)"\)\s*$')
_PLACEHOLDER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _named_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted(queries_dir().glob("*.rq"))}


@cache
def _read_named(path: Path) -> tuple[str, str, dict[str, str]]:
    """(description, body, {param: doc}) of a named query file, validated.

    A parameter whose description ends in ``(default "VALUE")`` may be left out.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#") or not lines[0].lstrip("# ").strip():
        raise DataError(str(path), "the first line must be a '# description' comment", line=1, id=path.stem)
    params: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#"):
            break
        match = _PARAM_DOC.match(line)
        if match:
            if not match.group(2):
                raise DataError(str(path), f"parameter ${match.group(1)} has no description", number, path.stem)
            params[match.group(1)] = match.group(2)
    body = "\n".join(line for line in lines if not line.startswith("#"))
    for number, line in enumerate(lines, start=1):
        if line.startswith("#"):
            continue
        for name in _PLACEHOLDER.findall(line):
            if name not in params:
                raise DataError(str(path), f"${name} is used but not documented in the header", number, path.stem)
    used = set(_PLACEHOLDER.findall(body))
    for name in params:
        if name not in used:
            raise DataError(str(path), f"${name} is documented but never used", None, path.stem)
    return lines[0].lstrip("# ").strip(), text, params


def list_named_queries() -> list[tuple[str, str]]:
    """(name, one-line description) of every query in kg/queries, sorted by name."""
    return [(name, _read_named(path)[0]) for name, path in _named_files().items()]


def named_query_params(name: str) -> dict[str, str]:
    """The $parameters of a named query with their descriptions."""
    return dict(_read_named(_named_path(name))[2])


def named_query_defaults(name: str) -> dict[str, str]:
    """The default value of each $parameter of a named query that has one (``(default "...")``)."""
    return {p: m.group(1) for p, doc in named_query_params(name).items() if (m := _DEFAULT.search(doc))}


def _named_path(name: str) -> Path:
    files = _named_files()
    if name not in files:
        raise QueryError(f"unknown query {name!r}; available: {', '.join(files) or 'none'}")
    return files[name]


def sparql_string(value: str) -> str:
    """``value`` as a SPARQL string literal, escaped so it can never end the literal early."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def named_query(name: str, params: dict[str, str] | None = None, *, all_facts: bool = False) -> str:
    """Text of kg/queries/NAME.rq with its ``$param`` placeholders filled as string literals.

    A parameter left out takes its default. Named queries list coded events (``kg:Event``);
    ``all_facts`` (the ``$facts`` parameter set to ``"true"``) lists every extracted fact.

    Example:
        >>> "putin" in named_query("entity-facts", {"entity": "Putin"}).lower()
        True
    """
    _, text, declared = _read_named(_named_path(name))
    given = named_query_defaults(name)
    given.update(params or {})
    if all_facts:
        if "facts" not in declared:
            raise QueryError(f"query {name!r} lists no events, so it has no option for all facts")
        given["facts"] = "true"
    unknown = sorted(set(given) - set(declared))
    missing = sorted(set(declared) - set(given))
    if unknown or missing:
        wanted = ", ".join(f"{p} ({d})" for p, d in declared.items()) or "none"
        problem = f"unknown parameter {', '.join(unknown)}" if unknown else f"missing parameter {', '.join(missing)}"
        raise QueryError(f"query {name!r}: {problem}; its parameters: {wanted}")
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            line = _PLACEHOLDER.sub(lambda m: sparql_string(str(given[m.group(1)])), line)
        lines.append(line)
    return "\n".join(lines) + "\n"
