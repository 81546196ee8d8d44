"""Write a store to RDF files: Turtle, TriG, N-Triples, N-Quads, JSON-LD.

Output is deterministic: the same content gives the same bytes (statements sorted, fixed
prefixes, blank nodes given canonical RDFC-1.0 labels when there are any).
"""

from __future__ import annotations

import heapq
import shutil
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


RUN_LINES = 25_000
"""Lines sorted in memory at once (~20 MB); longer outputs are sorted in runs on disk and merged."""


def _graphs(store: ox.Store) -> list[str]:
    """The N-Quads name of each graph of the store ("" = default graph), in name order.

    Names only: a store of 100,000 documents holds 100,000 graphs, and term objects cost
    several times their text.
    """
    return ["", *sorted(str(graph) for graph in store.named_graphs())]


def _graph_term(name: str):
    if not name:
        return ox.DefaultGraph()
    return ox.BlankNode(name[2:]) if name.startswith("_:") else ox.NamedNode(name[1:-1])


def _lines(store: ox.Store, name: str) -> list[str]:
    """N-Triples lines of one graph (one graph's dump is held at a time, never the store's)."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=_graph_term(name)).decode("utf-8")
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


def _read_run(run: BinaryIO) -> Iterator[str]:
    for raw in run:  # binary files split on b"\n" only, never on U+2028 or U+0085
        yield raw[:-1].decode("utf-8")


FAN_IN = 64
"""Sorted runs merged into one as soon as there are this many of a size: a store of 100,000
documents sorts in over 1,000 runs, and many systems let a process open only 1,024 files."""


class _Runs:
    """Lines gathered to be sorted: up to ``run_lines`` in memory, sorted runs on disk beyond.

    Runs are merged ``FAN_IN`` at a time as they come (each line is rewritten once per 64-fold
    growth), so at most ``FAN_IN`` runs of each size are open at once.
    """

    def __init__(self, stack: ExitStack, run_lines: int = RUN_LINES, fan_in: int = FAN_IN) -> None:
        self.stack, self.run_lines, self.fan_in = stack, run_lines, fan_in
        self.runs: list[tuple[int, BinaryIO]] = []  # (times merged, file)
        self.chunk: list[str] = []

    def add(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.chunk.append(line)
            if len(self.chunk) >= self.run_lines:
                self._spill()

    def _spill(self) -> None:
        self._keep(0, sorted(set(self.chunk), key=_line_key))
        self.chunk = []
        # levels never rise along the list: the last fan_in runs are of one size when the
        # first of them is of the last one's
        while len(self.runs) >= self.fan_in and self.runs[-self.fan_in][0] == self.runs[-1][0]:
            level = self.runs[-1][0]
            last = [run for _, run in self.runs[-self.fan_in:]]
            del self.runs[-self.fan_in:]
            self._keep(level + 1, _unique(heapq.merge(*map(_read_run, last), key=_line_key)))
            for run in last:
                run.close()

    def _keep(self, level: int, lines: Iterable[str]) -> None:
        run = self.stack.enter_context(tempfile.TemporaryFile())
        _write_lines(lines, run)
        run.seek(0)
        self.runs.append((level, run))

    def merged(self) -> Iterator[str]:
        """Every line added, sorted by :func:`_line_key`, each once (duplicates meet in the merge)."""
        if not self.runs:
            yield from sorted(set(self.chunk), key=_line_key)
            return
        if self.chunk:
            self._spill()
        yield from _unique(heapq.merge(*(_read_run(run) for _, run in self.runs), key=_line_key))


def _unique(lines: Iterable[str]) -> Iterator[str]:
    """Sorted ``lines`` with each run of equal lines given once."""
    previous = None
    for line in lines:
        if line != previous:
            yield line
        previous = line


def sorted_unique(lines: Iterable[str], *, run_lines: int = RUN_LINES) -> Iterator[str]:
    """``lines`` sorted by subject (rdf:type first), each once, in bounded memory.

    Up to ``run_lines`` lines are sorted in memory; beyond that, sorted runs go to temporary
    files and are merged.
    """
    with ExitStack() as stack:
        runs = _Runs(stack, run_lines)
        runs.add(lines)
        yield from runs.merged()


def _readable(store: Dataset | Graph | ox.Store) -> ox.Store:
    """The store as pyoxigraph reads it, blank nodes given canonical labels when it has any."""
    local = _oxigraph(store)
    return _canonical(local) if _has_blank_nodes(local) else local


def _graph_lines(lines: list[str], name: str, run_lines: int) -> Iterator[str]:
    """One graph's N-Triples ``lines`` sorted, as N-Quads lines of graph ``name``."""
    suffix = f" {name} ." if name else " ."
    for line in sorted_unique(lines, run_lines=run_lines):
        yield line[:-2] + suffix


def iter_statements(store: Dataset | Graph | ox.Store, *, merge: bool,
                    run_lines: int = RUN_LINES) -> Iterator[str]:
    """Sorted statements of a store as canonical N-Triples (merge) or N-Quads lines, streamed.

    Memory is bounded by ``run_lines`` and the largest graph, except for a store with blank
    nodes: their canonical labels (RDFC-1.0) are computed on an in-memory copy.

    Args:
        merge: True for one graph (a triple read in several documents appears once).
    """
    local = _readable(store)
    if merge:
        with ExitStack() as stack:
            runs = _Runs(stack, run_lines)
            for name in _graphs(local):
                runs.add(_lines(local, name))
            yield from runs.merged()
        return
    for name in _graphs(local):
        yield from _graph_lines(_lines(local, name), name, run_lines)


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
    write_graphs(store, [(path, fmt)], run_lines=run_lines)


def write_graphs(store: Dataset | Graph | ox.Store, targets: Iterable[tuple[Path, str]], *,
                 run_lines: int = RUN_LINES) -> None:
    """Write the store to several files (``(path, fmt)`` pairs, as :func:`write_graph`) in one read of it.

    Each graph is read once for all the files: the merged formats gather its lines for one
    sort of the whole store, the dataset formats take its own sorted lines.

    Example:
        >>> write_graphs(store, [(Path("graph.ttl"), "ttl"), (Path("graph.trig"), "trig")])  # doctest: +SKIP
    """
    targets = [(Path(path), fmt) for path, fmt in targets]
    for _, fmt in targets:
        if fmt not in WRITTEN:
            raise KGError(f"unknown RDF format {fmt!r} (choose from {', '.join(WRITTEN)})")
    keeps_graphs = {WRITTEN[fmt].supports_datasets for _, fmt in targets}
    local = _readable(store)
    with ExitStack() as stack:
        # sorted lines for all the files: N-Triples of the merged graph, N-Quads graph by graph
        plain = {kind: stack.enter_context(tempfile.TemporaryFile()) for kind in keeps_graphs}
        merged, quads = plain.get(False), plain.get(True)
        runs = _Runs(stack, run_lines)
        for name in _graphs(local):
            lines = _lines(local, name)
            if merged is not None:
                runs.add(lines)
            if quads is not None:
                _write_lines(_graph_lines(lines, name, run_lines), quads)
        if merged is not None:
            _write_lines(runs.merged(), merged)
        for path, fmt in targets:
            rdf_format = WRITTEN[fmt]
            _serialise(plain[rdf_format.supports_datasets], rdf_format, path)


def _serialise(plain: BinaryIO, rdf_format: ox.RdfFormat, path: Path) -> None:
    """Sorted N-Triples or N-Quads lines in ``plain`` written to ``path`` in ``rdf_format``."""
    prefixes = STANDARD_PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    source = ox.RdfFormat.N_QUADS if rdf_format.supports_datasets else ox.RdfFormat.N_TRIPLES

    def write(out: BinaryIO) -> None:
        plain.seek(0)
        if rdf_format == source:
            shutil.copyfileobj(plain, out, 1 << 20)
            return
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
