"""Write a store to RDF files: Turtle, TriG, N-Triples, N-Quads, JSON-LD.

Output is deterministic: the same content gives the same bytes (statements sorted, fixed
prefixes, blank nodes given canonical RDFC-1.0 labels when there are any).
"""

from __future__ import annotations

from pathlib import Path
import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import KGError
from kg.files import atomic_write
from kg.rdf import to_oxigraph as _to_ox
from kg.store import STANDARD_PREFIXES, to_pyoxigraph

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _oxigraph(store: Dataset | Graph | ox.Store) -> ox.Store:
    local = to_pyoxigraph(store)
    if local is not None:
        return local
    copy = ox.Store()
    for s, p, o, ctx in store.quads((None, None, None, None)):
        name = getattr(ctx, "identifier", ctx)
        graph = ox.DefaultGraph() if name in (None, DATASET_DEFAULT_GRAPH_ID) else _to_ox(name)
        copy.add(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), graph))
    return copy


def _canonical(store: ox.Store) -> ox.Store:
    """Blank nodes relabelled by RDFC-1.0 so their labels do not depend on load order."""
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    copy = ox.Store()
    copy.extend(dataset)
    return copy


def _graph_lines(store: ox.Store) -> dict[str, list[str]]:
    """Canonical N-Triples lines of each graph ("" = default graph), sorted.

    Oxigraph dumps each graph in Rust; sorting and merging plain lines is much faster than
    hashing a million Python term objects.
    """
    graphs: list = [ox.DefaultGraph(), *store.named_graphs()]
    out = {}
    for graph in graphs:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).decode("utf-8")
        lines = [line for line in data.split("\n") if line]  # literals may hold U+2028 or U+0085
        if lines:
            name = "" if isinstance(graph, ox.DefaultGraph) else str(graph)
            out[name] = lines
    return out


def _line_key(line: str) -> tuple[str, bool, str]:
    # subject, then rdf:type before other predicates, as people expect when reading Turtle
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate != _TYPE, predicate + " " + rest


_TYPE = f"<{_RDF_TYPE}>"


def statements(store: Dataset | Graph | ox.Store, *, merge: bool) -> list[str]:
    """Sorted statements of a store as canonical N-Triples (merge) or N-Quads lines.

    Args:
        merge: True for one graph (a triple read in several documents appears once).
    """
    local = _oxigraph(store)
    graphs = _graph_lines(local)
    if any("_:" in line for lines in graphs.values() for line in lines):
        graphs = _graph_lines(_canonical(local))
    if merge:
        return sorted({line for lines in graphs.values() for line in lines}, key=_line_key)
    out = []
    for name in sorted(graphs):
        suffix = f" {name} ." if name else " ."
        out += [line[:-2] + suffix for line in sorted(set(graphs[name]), key=_line_key)]
    return out


def write_graph(store: Dataset | Graph | ox.Store, path: Path, fmt: str) -> None:
    """Write the store to ``path`` atomically (temporary file in the same directory, renamed).

    Args:
        fmt: ``ttl`` and ``nt`` merge all named graphs into one graph; ``trig``, ``nq`` and
            ``jsonld`` keep the named graphs (one per document).

    Example:
        >>> write_graph(open_store("graph-store"), Path("graph.ttl"), "ttl")  # doctest: +SKIP
    """
    if fmt not in FORMATS:
        raise KGError(f"unknown RDF format {fmt!r} (choose from {', '.join(FORMATS)})")
    path = Path(path)
    rdf_format = FORMATS[fmt]
    lines = statements(store, merge=not rdf_format.supports_datasets)
    text = "".join(line + "\n" for line in lines).encode("utf-8")
    prefixes = STANDARD_PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    def write(out) -> None:
        if rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
            out.write(text)
        else:
            source = ox.RdfFormat.N_TRIPLES if rdf_format == ox.RdfFormat.TURTLE else ox.RdfFormat.N_QUADS
            ox.serialize(ox.parse(text, format=source), out, rdf_format, prefixes=prefixes)

    atomic_write(path, write)
