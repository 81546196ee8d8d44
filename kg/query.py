"""SPARQL over a store: DataFrames for notebooks, text for the CLI, named queries from kg/queries.

Standard prefixes (rdf, rdfs, owl, skos, xsd, prov, kg, ent, rel, evt, doc, cameo, plover, wd)
are predeclared. This module must not import spaCy or the extractor: ``kg query`` starts fast.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import BNode, Literal

from kg.bulk import check_safe
from kg.errors import DataError, InputError, KGError, QueryError, StoreError
from kg.resources import queries_dir
from kg.sparql_results import check_nesting, deep_call, one_line, uses_service
from kg.store import STANDARD_PREFIXES, rdf_format, store_directory, to_pyoxigraph

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
FORMATS = ("table", "csv", "tsv", "json")
_TABLE_CELL = 60


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


def sparql(store: Dataset | Graph | ox.Store, query: str) -> pd.DataFrame | bool | Graph:
    """Run a SPARQL query over the union of the store's graphs.

    Returns:
        SELECT: a DataFrame (columns = variables; literals as str/int/float/bool/date as
        their datatype says, IRIs as str, unbound as None); ASK: a bool;
        CONSTRUCT/DESCRIBE: an rdflib Graph.

    Example:
        >>> from kg import open_store
        >>> sparql(open_store(), "ASK { ?s a kg:Event }")
        False
    """
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


# --- the CLI path: straight to pyoxigraph, results serialised by Oxigraph -------------------


def _local_store(target: Path) -> ox.Store:
    try:
        is_dir, is_file = target.is_dir(), target.is_file()
    except OSError as exc:  # a name too long, a loop of links
        raise StoreError(f"{str(target)[:80]}…: cannot read: {exc.strerror or exc}") from None
    if is_dir:
        target = store_directory(target)
        if not (target / "CURRENT").is_file():
            raise StoreError(f"{target}: not an Oxigraph store (nor a `kg build --out` folder)")
        try:
            return ox.Store.read_only(str(target))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{target}: not a readable store: {one_line(exc)}") from exc
    if not is_file:
        raise StoreError(f"{target}: no such store directory or RDF file")
    fmt = rdf_format(target)
    check_safe(target, fmt)
    store = ox.Store()
    try:
        store.bulk_load(path=str(target), format=fmt)
    except SyntaxError as exc:
        raise InputError(str(target), f"not valid {fmt.name}: {exc}") from exc
    except MemoryError as exc:
        raise InputError(str(target), f"too large to read: one statement is over the parser's limit ({exc})") from exc
    except OSError as exc:
        raise InputError(str(target), f"cannot read: {exc.strerror or exc}") from exc
    return store


def _short(value: str) -> str:
    for prefix, namespace in STANDARD_PREFIXES.items():
        if value.startswith(namespace) and len(value) > len(namespace):
            return f"{prefix}:{value[len(namespace):]}"
    return value


def _cell(value) -> str:
    if value is None:
        return ""
    text = _short(value) if isinstance(value, str) and "://" in value else str(value)
    text = " ".join(text.split())
    if isinstance(value, bool):
        text = text.lower()
    return text if len(text) <= _TABLE_CELL else text[: _TABLE_CELL - 1] + "…"


def to_table(columns: list[str], values: list[list]) -> str:
    """Rows as a plain aligned text table with IRIs shortened to prefixed names."""
    header = [str(c) for c in columns]
    rows = [[_cell(v) for v in row] for row in values]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


_RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}


def _format_ox(result, fmt: str) -> str:
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result)})
        return "true" if result else "false"
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            columns = [v.value for v in result.variables]
            rows = [[_ox_value(s[i]) for i in range(len(columns))] for s in result]
            return to_table(columns, rows)
        return result.serialize(format=_RESULT_FORMATS[fmt]).decode("utf-8")
    rdf = ox.RdfFormat.JSON_LD if fmt == "json" else ox.RdfFormat.TURTLE
    triples = sorted(result, key=str)
    return ox.serialize(triples, format=rdf, prefixes=STANDARD_PREFIXES).decode("utf-8")


def _format_remote(result, fmt: str) -> str:
    if isinstance(result, bool):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result})
        return "true" if result else "false"
    if isinstance(result, Graph):
        return result.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "table":
        return to_table(list(result.columns), list(result.itertuples(index=False, name=None)))
    if fmt == "json":
        return json.dumps(_frame_to_json(result))
    return result.to_csv(index=False, sep="\t" if fmt == "tsv" else ",")


def _remote_query(url: str, query: str, timeout: float):
    """A query sent to an endpoint by the SPARQL 1.1 Protocol (form POST), with a deadline.

    Returns what :func:`sparql` returns. A silent endpoint, a refused connection and a refused
    query are three different one-line errors.
    """
    import urllib.error
    import urllib.parse
    import urllib.request

    # the endpoint knows none of kg's prefixes; a query's own declarations come after and win
    declared = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in STANDARD_PREFIXES.items())
    form = urllib.parse.urlencode({"query": declared + query}).encode()
    request = urllib.request.Request(url, data=form, headers={
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = (response.headers.get("Content-Type") or "").split(";")[0].strip()
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
    if "turtle" in kind or "n-triples" in kind:
        graph = _bound_graph()
        graph.parse(data=body.decode("utf-8"), format="turtle")
        return graph
    try:
        data = json.loads(body)
    except ValueError:
        raise StoreError(f"{url}: the endpoint's answer is not SPARQL JSON results ({kind or 'no type'})") from None
    if "boolean" in data:
        return bool(data["boolean"])
    columns = data["head"]["vars"]
    rows = [[_json_value(binding.get(name)) for name in columns] for binding in data["results"]["bindings"]]
    return _frame(columns, rows)


def _json_value(cell: dict | None):
    if cell is None:
        return None
    if cell["type"] == "bnode":
        return f"_:{cell['value']}"
    if cell["type"] == "uri":
        return cell["value"]
    return _python(cell.get("datatype", _XSD + "string"), cell["value"])


def _frame_to_json(frame: pd.DataFrame) -> dict:
    bindings = []
    for row in frame.itertuples(index=False, name=None):
        binding = {}
        for name, value in zip(frame.columns, row):
            if value is None:
                continue
            kind = "uri" if isinstance(value, str) and "://" in value else "literal"
            binding[name] = {"type": kind, "value": str(value).lower() if isinstance(value, bool) else str(value)}
        bindings.append(binding)
    return {"head": {"vars": list(frame.columns)}, "results": {"bindings": bindings}}


def run_query(target: str | Path, query: str, fmt: str = "table", timeout: float = 60.0) -> str:
    """Run a query against a store directory, an RDF file or an endpoint URL; return text.

    Args:
        target: a store directory, an RDF file (.ttl/.trig/.nt/.nq/.jsonld, loaded into
            memory) or an ``http(s)://`` SPARQL endpoint.
        timeout: seconds to wait for an endpoint's answer.
        fmt: ``table``, ``csv``, ``tsv`` or ``json``. SELECT gives rows in that format
            (json = SPARQL 1.1 JSON results), ASK ``true``/``false``, CONSTRUCT Turtle
            (JSON-LD for json).

    Example:
        >>> print(run_query("graph.ttl", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))  # doctest: +SKIP
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
    text = str(target)
    if text.startswith(("http://", "https://")):
        return _format_remote(_remote_query(text, query, timeout), fmt)
    store = _local_store(Path(target))
    return _ox_query(store, query, lambda answer: _format_ox(answer, fmt))


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
