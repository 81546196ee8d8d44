"""Run extraction on every core (a process pool) or on a Dask cluster, streaming in input order."""

from __future__ import annotations

import gc
import itertools
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator

from kg.documents import ErrorHandler
from kg.errors import KGError
from kg.types import Document, Extraction, Failure, Rendered

#: what reading one document gives: its Extraction, its rendered graph, or the stage it failed at
Outcome = Extraction | Rendered | Failure

_WORKER = None
# Documents per task: a worker parses each task's documents as one ``nlp.pipe`` batch, and
# smaller batches cost more per document (about a quarter more CPU at 4 than at 16).
BATCH = 16
# The first task of each worker, and the fewest documents worth starting processes for: small,
# so every worker has work as soon as its pipeline is loaded and results start early.
FIRST_BATCH = 4


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int | None) -> int:
    """The processes a ``workers`` argument asks for: 0 and None both mean one per core."""
    if not workers:
        return default_workers()
    if workers < 0:
        raise KGError(f"workers must be 0 (one per core) or a positive number, got {workers}")
    return workers


_SHARED: dict = {}


def shared_extractor(model: str | None = None, *, events_only: bool = False):
    """One loaded Extractor per model (and mode) in this process: loading a pipeline takes seconds."""
    from kg.models import resolve_model

    key = (resolve_model(model), events_only)  # the default follows KG_MODEL
    if key not in _SHARED:
        from kg.extraction.extractor import Extractor

        _SHARED[key] = Extractor(model, events_only=events_only)
    return _SHARED[key]


def _pool_context():
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    # the imports and set-ups every worker needs, done once in the fork server (kg.prefork)
    ctx.set_forkserver_preload(["__main__", "kg.prefork"])
    return ctx


def _init_worker(model: str | None, events_only: bool = False) -> None:
    global _WORKER
    from kg.extraction.extractor import Extractor

    _WORKER = Extractor(model, events_only=events_only)
    # the pipeline and lexicons live as long as the worker: keep the collector from
    # traversing their objects again in every full collection
    gc.freeze()


def _pool_batch(documents: list[Document], render: bool) -> list[Outcome]:
    return read_batch(_WORKER, documents, render=render)


def read_batch(extractor, documents: list[Document], *, render: bool = False) -> list[Outcome]:
    """Read a batch of documents: one ``nlp.pipe`` for all, then each one's extraction (and,
    with ``render``, its RDF graph as N-Triples); a document that fails at any stage gives a
    Failure naming the stage instead, and the others are read as usual.

    Example:
        >>> [type(x).__name__ for x in read_batch(shared_extractor(), docs, render=True)]  # doctest: +SKIP
        ['Rendered', 'Failure', 'Rendered']
    """
    from kg.nlp import parse_many

    try:
        # a text longer than a piece is parsed in pieces: no E088, no parser memory for all of it
        docs = [doc for doc, _ in parse_many(extractor.nlp, ((d.text, None) for d in documents),
                                              batch_size=max(1, len(documents)))]
    except Exception:  # one document broke the batch: parse them one by one to name it
        docs = [None] * len(documents)
    return [_read_one(extractor, document, doc, render) for document, doc in zip(documents, docs)]


def _read_one(extractor, document: Document, doc, render: bool) -> Outcome:
    stage = "parse"
    try:
        if doc is None:
            from kg.nlp import parse

            doc = parse(extractor.nlp, document.text)
        stage = "extraction"
        extraction = extractor.extract_doc(document, doc)
        if not render:
            return extraction
        stage = "rdf"
        from kg.rdf import to_ntriples

        return Rendered(document.id, len(extraction.sentences), len(extraction.events),
                        tuple(e.id for e in extraction.entities), to_ntriples(extraction), document.meta)
    except Exception as exc:  # whatever a stage raised: this document fails, the batch goes on
        return Failure(document.id, stage, _one_line(exc))


def _delivered(outcomes: Iterable[Outcome], on_error: ErrorHandler | None) -> Iterator:
    """The outcomes that are not failures; each failure goes to ``on_error`` (raised without one)."""
    for outcome in outcomes:
        if isinstance(outcome, Failure):
            error = KGError(str(outcome))
            if on_error is None:
                raise error
            on_error(error)
        else:
            yield outcome


def _batches(documents: Iterable[Document], size: int, *, first: int | None = None,
             n_first: int = 0) -> Iterator[list[Document]]:
    """Consecutive lists of ``size`` documents (the last one shorter); the first ``n_first``
    lists have ``first`` documents instead."""
    sizes = itertools.chain(itertools.repeat(first or size, n_first), itertools.repeat(size))
    want = next(sizes)
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= want:
            yield batch
            batch = []
            want = next(sizes)
    if batch:
        yield batch


def extract_documents(documents: Iterable[Document], *, workers: int = 1, model: str | None = None,
                      extractor=None, batch: int = BATCH, events_only: bool = False,
                      render: bool = False, on_error: ErrorHandler | None = None) -> Iterator:
    """Yield one Extraction per document (with ``render``: one Rendered), in input order
    (``workers`` 0: one per core).

    With ``workers > 1`` each worker process loads its own pipeline and parses batches of
    ``batch`` whole documents (``nlp.pipe`` is faster on several texts; each worker's first
    batch is smaller so all of them start early); at most a few batches per worker are in
    flight, so memory stays flat on long streams. ``events_only`` gives every worker an
    events-only Extractor (one line per coded event), the same as one process. ``render``
    also turns each extraction into its RDF graph in the worker (N-Triples bytes), so that
    work overlaps parsing instead of following it.

    A document that fails (parse, extraction, RDF) is reported to ``on_error`` as one
    KGError naming it and the stage, and the others go on; without ``on_error`` the error is
    raised.

    Example:
        >>> [x.document.id for x in extract_documents(docs, workers=2)]  # doctest: +SKIP
        ['a', 'b', 'c']
    """
    workers = resolve_workers(workers)
    documents = iter(documents)
    first = min(batch, FIRST_BATCH)
    head = list(itertools.islice(documents, first + 1))
    if workers <= 1 or len(head) <= first:
        # a handful of documents is not worth starting processes that each load the pipeline
        chosen = extractor or shared_extractor(model, events_only=events_only)
        for chunk in _batches(itertools.chain(head, documents), batch):
            yield from _delivered(read_batch(chosen, chunk, render=render), on_error)
        return
    documents = itertools.chain(head, documents)
    from kg.models import check_model

    # a model that cannot be found fails here, once: a worker whose initializer fails is
    # replaced by the pool for ever
    model = check_model(model)
    ctx = _pool_context()
    window = workers * 3
    # the workers load their pipelines while this process reads the input for the window
    with ctx.Pool(workers, initializer=_init_worker, initargs=(model, events_only)) as pool:
        # a bounded window of batches in flight (Pool.imap would read the whole input ahead)
        pending: deque = deque()
        for chunk in _batches(documents, batch, first=first, n_first=workers):
            pending.append(pool.apply_async(_pool_batch, (chunk, render)))
            if len(pending) >= window:
                yield from _delivered(pending.popleft().get(), on_error)
        while pending:
            yield from _delivered(pending.popleft().get(), on_error)


def extract_on_dask(documents: Iterable[Document], scheduler: str, *, model: str | None = None,
                    window: int | None = None, timeout: float = 10.0, batch: int = BATCH,
                    render: bool = False, on_error: ErrorHandler | None = None) -> Iterator:
    """Extract on a Dask cluster, yielding Extractions (with ``render``: Rendered) in input order.

    Documents go to the cluster in batches of ``batch`` (one ``nlp.pipe`` each, as in the
    process pool); every Dask worker loads the pipeline once (then keeps it for later tasks
    and later builds); at most ``window`` batches are in flight, so memory stays flat on long
    inputs. Every failure surfaces as one KGError line: an unreachable scheduler, a worker
    without kg or the model; a document that fails goes to ``on_error`` as in
    :func:`extract_documents`.

    Args:
        scheduler: the scheduler address, e.g. ``tcp://host:8786``.
        window: batches in flight; default three per worker thread of the cluster.
        timeout: seconds to wait for the scheduler.

    Example:
        >>> list(extract_on_dask(docs, "tcp://127.0.0.1:8786"))  # doctest: +SKIP
    """
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise KGError("--dask needs dask.distributed: pip install 'kg[dask]'") from exc
    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise KGError(f"dask scheduler {scheduler}: cannot connect: {_one_line(exc)}") from exc
    pending: deque = deque()
    try:
        threads = sum(client.nthreads().values()) or 1
        window = window or 3 * threads
        for chunk in _batches(documents, batch, first=min(batch, FIRST_BATCH), n_first=threads):
            future = client.submit(_dask_batch, chunk, model, render, pure=False)
            pending.append((chunk[0].id, future))
            if len(pending) >= window:
                yield from _delivered(_dask_result(*pending.popleft()), on_error)
        while pending:
            yield from _delivered(_dask_result(*pending.popleft()), on_error)
    finally:
        for _, future in pending:  # an interrupted build leaves no work behind on the cluster
            future.cancel()
        client.close()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _dask_result(first_id: str, future) -> list[Outcome]:
    try:
        return future.result()
    except KGError as exc:
        raise KGError(f"dask: document {first_id} (and its batch): {exc}") from exc
    except Exception as exc:  # whatever the worker raised, pickled back to us
        raise KGError(f"dask: document {first_id} (and its batch): {_one_line(exc)}") from exc


def _dask_batch(documents: list[Document], model: str | None, render: bool) -> list[Outcome]:
    # runs on a Dask worker: the process keeps one pipeline per model across tasks
    return read_batch(shared_extractor(model), documents, render=render)
