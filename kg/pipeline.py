"""The pipeline, chained: documents -> extract -> RDF store -> files. No stage logic lives here."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.documents import read_documents, text_documents
from kg.errors import KGError, StoreError
from kg.types import Document, Extraction, Failure, Rendered


# N-Triples bytes written between two flushes of the store: RocksDB's memory tables would
# otherwise grow to about 2 GB on a long build (measured: flat at ~160 MB flushing every 100
# news articles, ~10 MB)
FLUSH_BYTES = 16 * 2**20

# flushes between two reopenings of the store (256 MB of N-Triples, ~1,500 news articles):
# the readers RocksDB keeps of the files it wrote would otherwise grow with the store (~1 MB
# per 1,000 articles; reopening takes ~0.1 s)
FLUSHES_PER_REOPEN = 16


@dataclass(slots=True)
class Summary:
    """What a build did."""

    documents: int = 0
    sentences: int = 0
    entities: int = 0
    facts: int = 0
    failed: int = 0
    seconds: float = 0.0
    outputs: dict[str, str] = field(default_factory=dict)
    entity_ids: set[str] = field(default_factory=set, repr=False)

    def add(self, document: Rendered) -> None:
        self.documents += 1
        self.sentences += document.sentences
        self.facts += document.facts
        self.entity_ids.update(document.entities)
        self.entities = len(self.entity_ids)


def as_documents(inputs: Iterable[str | Path | Document], *, published=None,
                 on_error: Callable[[KGError], None] | None = None) -> Iterator[Document]:
    """Documents from Document objects and paths (a string is a path, never text)."""
    return read_documents(inputs, published=published, on_error=on_error)


def extractions(inputs, *, published=None, workers: int | None = 1, model: str | None = None,
                dask: str | None = None, on_error=None, render: bool = False) -> Iterator[Extraction]:
    """Extract every input document (in order), on a pool (0 or None: one process per core)
    or a Dask cluster.

    With ``render`` the workers also turn each extraction into its graph: Rendered documents
    come out instead. A document that fails goes to ``on_error`` (raised without one).
    """
    from kg.parallel import extract_documents, extract_on_dask, resolve_workers

    workers = resolve_workers(workers)
    documents = as_documents(inputs, published=published, on_error=on_error)
    if dask:
        return extract_on_dask(documents, dask, model=model, render=render, on_error=on_error)
    return extract_documents(documents, workers=workers, model=model, render=render, on_error=on_error)


def build_graph(texts: Iterable[str] = (), *, paths: Iterable[str | Path] = (),
                documents: Iterable[Document] = (), published=None, store="memory", workers: int = 1,
                model: str | None = None):
    """Build an RDF graph (an rdflib Dataset on Oxigraph) from texts, files and Documents.

    Args:
        texts: article texts, ids ``text-1``, ``text-2``...: a string here is always text.
        paths: files and directories, read as ``kg build`` reads them: a missing one is an error.
        documents: Document objects.
        workers: extraction processes (0 or None: one per core).

    Example:
        >>> g = build_graph(["Russia invaded Ukraine on 24 February 2022."], published="2024-11-11")
        >>> len(g) > 0
        True
    """
    from kg.rdf import add_extraction
    from kg.store import load_ontology, open_store

    graph = open_store(store)
    load_ontology(graph)
    texts, paths = ([x] if isinstance(x, (str, Path)) else x for x in (texts, paths))
    inputs = itertools.chain(paths, documents, text_documents(texts, published=published))
    for extraction in extractions(inputs, published=published, workers=workers, model=model):
        add_extraction(graph, extraction)
    return graph


def build(inputs, out_dir: str | Path | None = None, *, store: str | Path | None = None, published=None,
          workers: int | None = None, model: str | None = None, dask: str | None = None,
          on_error: Callable[[KGError], None] | None = None,
          progress: Callable[[Rendered], None] | None = None, html: bool = True) -> Summary:
    """Extract ``inputs`` into a persistent store and write graph.ttl, graph.trig and graph.html.

    The workers parse, extract and turn each document into its RDF graph; this process only
    writes each graph to the store, in one transaction per document. A document that fails at
    any stage (parse, extraction, rdf, store) is reported to ``on_error`` in one line naming it
    and the stage, nothing of it is stored, and the build goes on; ``summary.failed`` counts
    such documents and the unreadable inputs.

    Args:
        out_dir: where the files go (and the store, as out_dir/store, unless ``store`` is given).
        store: a store directory or endpoint URL to add to (incremental builds): a document
            already there is replaced, the others stay.
        workers: extraction processes; None for one per core.
        dask: a Dask scheduler address: extract on that cluster instead.
        on_error: called with each problem (raise in it to stop at the first, as ``--strict``).
        progress: called with each document stored.
    """
    from kg.rdf import write_document
    from kg.store import check_store, close_store, flush_store, load_ontology, open_store, reopen

    started = time.monotonic()
    unflushed = flushes = 0
    summary = Summary()
    out = Path(out_dir) if out_dir is not None else None
    target = store if store is not None else (out / "store" if out is not None else "memory")
    errors = 0

    def count_error(err: KGError) -> None:
        nonlocal errors
        errors += 1
        if on_error is not None:
            on_error(err)

    # the store is opened (and an endpoint asked) before anything is written or extracted
    graph = open_store(target)
    try:
        check_store(graph)
        load_ontology(graph)
        if out is not None:
            try:
                out.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{out}: cannot create the output directory: {exc.strerror or exc}") from exc
        # every document is committed alone (one transaction), so an interrupted build keeps
        # every document it finished and none half-written
        for document in extractions(inputs, published=published, workers=workers, model=model,
                                    dask=dask, on_error=count_error, render=True):
            try:
                write_document(graph, document.doc_id, document.ntriples)
            except KGError as exc:  # the transaction rolled back: nothing of it is stored
                count_error(KGError(str(Failure(document.doc_id, "store", str(exc)))))
                continue
            summary.add(document)
            unflushed += len(document.ntriples)
            if unflushed > FLUSH_BYTES:
                flush_store(graph)
                unflushed, flushes = 0, flushes + 1
                if flushes % FLUSHES_PER_REOPEN == 0:
                    graph = reopen(graph, target)
            if progress is not None:
                progress(document)
        if out is not None:
            graph = reopen(graph, target, read_only=True)
            summary.outputs.update(_write_files(graph, out, html))
            summary.outputs["store"] = str(target)
    finally:
        close_store(graph)
    summary.failed = errors
    summary.seconds = time.monotonic() - started
    return summary


def _write_files(graph, out: Path, html: bool) -> dict[str, str]:
    """graph.ttl and graph.trig (one read of the store), and graph.html: format -> path."""
    from kg.export.formats import write_graphs
    from kg.export.html import write_html

    files = [(out / "graph.ttl", "ttl"), (out / "graph.trig", "trig")]
    write_graphs(graph, files)
    if html:
        write_html(graph, out / "graph.html")
        files.append((out / "graph.html", "html"))
    return {fmt: str(path) for path, fmt in files}


def remove(doc_ids: Iterable[str], store: str | Path) -> dict[str, int]:
    """Take documents out of an existing store: each one's named graph, in its own transaction.

    Events other documents also report keep those documents' evidence.

    Returns:
        Triples removed per document id (0 for an id the store does not hold).

    Example:
        >>> remove(["trump-putin-call"], "out/store")  # doctest: +SKIP
        {'trump-putin-call': 412}
    """
    from kg.rdf import remove_document
    from kg.store import check_store, close_store, open_store

    graph = open_store(store, create=False)
    try:
        check_store(graph)
        return {doc_id: remove_document(graph, doc_id) for doc_id in doc_ids}
    finally:
        close_store(graph)
