"""Write a store to RDF files: Turtle, TriG, N-Triples, N-Quads, JSON-LD.

Output is deterministic: the same content gives the same bytes (statements sorted, fixed
prefixes, blank nodes given canonical RDFC-1.0 labels when there are any).
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import KGError
from kg.files import atomic_write
from kg.rdf import to_oxigraph as _to_ox
from kg.store import STANDARD_PREFIXES, to_pyoxigraph
from kg.syntaxes import WRITTEN

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


RUN_LINES = 100_000
"""Lines sorted in memory at once; longer outputs are sorted in runs on disk and merged."""


def _graphs(store: ox.Store) -> list[tuple[str, object]]:
    """Each graph of the store with its N-Quads name ("" = default graph), in name order."""
    named = [(str(graph), graph) for graph in store.named_graphs()]
    return [("", ox.DefaultGraph()), *sorted(named, key=lambda pair: pair[0])]


def _lines(store: ox.Store, graph) -> list[str]:
    """N-Triples lines of one graph (one graph's dump is held at a time, never the store's)."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).decode("utf-8")
    return [line for line in data.split("\n") if line]  # literals may hold U+2028 or U+0085


def _has_blank_nodes(store: ox.Store) -> bool:
    """Whether "_:" occurs in the store's N-Quads (streamed through a temporary file)."""
    with tempfile.TemporaryFile() as dump:
        store.dump(dump, format=ox.RdfFormat.N_QUADS)
        dump.seek(0)
        tail = b""
        while chunk := dump.read(1 << 20):
            if b"_:" in tail + chunk:
                return True
            tail = chunk[-1:]
    return False


def _line_key(line: str) -> tuple[str, bool, str]:
    # subject, then rdf:type before other predicates, as people expect when reading Turtle
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate != _TYPE, predicate + " " + rest


_TYPE = f"<{_RDF_TYPE}>"


def _spill(lines: list[str], stack: ExitStack) -> BinaryIO:
    run = stack.enter_context(tempfile.TemporaryFile())
    run.write("".join(line + "\n" for line in sorted(set(lines), key=_line_key)).encode("utf-8"))
    run.seek(0)
    return run


def _read_run(run: BinaryIO) -> Iterator[str]:
    for raw in run:  # binary files split on b"\n" only, never on U+2028 or U+0085
        yield raw[:-1].decode("utf-8")


def sorted_unique(lines: Iterable[str], *, run_lines: int = RUN_LINES) -> Iterator[str]:
    """``lines`` sorted by subject (rdf:type first), each once, in bounded memory.

    Up to ``run_lines`` lines are sorted in memory; beyond that, sorted runs go to temporary
    files and are merged (``_line_key`` tells lines apart, so duplicates meet in the merge).
    """
    with ExitStack() as stack:
        runs: list[BinaryIO] = []
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) >= run_lines:
                runs.append(_spill(chunk, stack))
                chunk = []
        if not runs:
            yield from sorted(set(chunk), key=_line_key)
            return
        if chunk:
            runs.append(_spill(chunk, stack))
        previous = None
        for line in heapq.merge(*map(_read_run, runs), key=_line_key):
            if line != previous:
                yield line
            previous = line


def iter_statements(store: Dataset | Graph | ox.Store, *, merge: bool,
                    run_lines: int = RUN_LINES) -> Iterator[str]:
    """Sorted statements of a store as canonical N-Triples (merge) or N-Quads lines, streamed.

    Memory is bounded by ``run_lines`` and the largest graph, except for a store with blank
    nodes: their canonical labels (RDFC-1.0) are computed on an in-memory copy.

    Args:
        merge: True for one graph (a triple read in several documents appears once).
    """
    local = _oxigraph(store)
    if _has_blank_nodes(local):
        local = _canonical(local)
    graphs = _graphs(local)
    if merge:
        every = (line for _, graph in graphs for line in _lines(local, graph))
        yield from sorted_unique(every, run_lines=run_lines)
        return
    for name, graph in graphs:
        suffix = f" {name} ." if name else " ."
        for line in sorted_unique(_lines(local, graph), run_lines=run_lines):
            yield line[:-2] + suffix


def statements(store: Dataset | Graph | ox.Store, *, merge: bool) -> list[str]:
    """:func:`iter_statements` as a list."""
    return list(iter_statements(store, merge=merge))


def write_graph(store: Dataset | Graph | ox.Store, path: Path, fmt: str, *,
                run_lines: int = RUN_LINES) -> None:
    """Write the store to ``path`` atomically (temporary file in the same directory, renamed).

    The sorted statements stream through a temporary N-Triples / N-Quads file that Oxigraph
    parses and serialises as it reads, so memory does not grow with the store.

    Args:
        fmt: ``ttl`` and ``nt`` merge all named graphs into one graph; ``trig``, ``nq`` and
            ``jsonld`` keep the named graphs (one per document).
        run_lines: lines sorted in memory at once (see :func:`sorted_unique`).

    Example:
        >>> write_graph(open_store("graph-store"), Path("graph.ttl"), "ttl")  # doctest: +SKIP
    """
    if fmt not in WRITTEN:
        raise KGError(f"unknown RDF format {fmt!r} (choose from {', '.join(WRITTEN)})")
    path = Path(path)
    rdf_format = WRITTEN[fmt]
    merge = not rdf_format.supports_datasets
    lines = iter_statements(store, merge=merge, run_lines=run_lines)
    prefixes = STANDARD_PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None

    def write(out: BinaryIO) -> None:
        if rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
            _write_lines(lines, out)
            return
        with tempfile.TemporaryFile() as plain:
            _write_lines(lines, plain)
            plain.seek(0)
            source = ox.RdfFormat.N_TRIPLES if merge else ox.RdfFormat.N_QUADS
            ox.serialize(ox.parse(plain, format=source), out, rdf_format, prefixes=prefixes)

    atomic_write(path, write)


def _write_lines(lines: Iterable[str], out: BinaryIO, batch: int = 10_000) -> None:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= batch:
            out.write("".join(l + "\n" for l in chunk).encode("utf-8"))
            chunk = []
    out.write("".join(l + "\n" for l in chunk).encode("utf-8"))
