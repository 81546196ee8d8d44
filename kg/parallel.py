"""Run extraction on every core (a process pool) or on a Dask cluster, streaming in input order."""

from __future__ import annotations

import gc
import itertools
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator

from kg.errors import KGError
from kg.types import Document, Extraction

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
    from kg.nlp import resolve_model

    key = (resolve_model(model), events_only)  # the default follows KG_MODEL
    if key not in _SHARED:
        from kg.extraction.extractor import Extractor

        _SHARED[key] = Extractor(model, events_only=events_only)
    return _SHARED[key]


def _init_worker(model: str | None, events_only: bool = False) -> None:
    global _WORKER
    from kg.extraction.extractor import Extractor

    _WORKER = Extractor(model, events_only=events_only)
    # the pipeline and lexicons live as long as the worker: keep the collector from
    # traversing their objects again in every full collection
    gc.freeze()


def _extract_batch(documents: list[Document]) -> list[Extraction]:
    return list(_WORKER.extract_many(documents))


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
                      extractor=None, batch: int = BATCH, events_only: bool = False) -> Iterator[Extraction]:
    """Yield one Extraction per document, in input order (``workers`` 0: one per core).

    With ``workers > 1`` each worker process loads its own pipeline and parses batches of
    ``batch`` whole documents (``nlp.pipe`` is faster on several texts; each worker's first
    batch is smaller so all of them start early); at most a few batches per worker are in
    flight, so memory stays flat on long streams. ``events_only`` gives every worker an
    events-only Extractor (one line per coded event), the same as one process.

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
        yield from chosen.extract_many(itertools.chain(head, documents))
        return
    documents = itertools.chain(head, documents)
    from kg.nlp import check_model

    # a model that cannot be found fails here, once: a worker whose initializer fails is
    # replaced by the pool for ever
    model = check_model(model)
    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    window = workers * 3
    # the workers load their pipelines while this process reads the input for the window
    with ctx.Pool(workers, initializer=_init_worker, initargs=(model, events_only)) as pool:
        # a bounded window of batches in flight (Pool.imap would read the whole input ahead)
        pending: deque = deque()
        for chunk in _batches(documents, batch, first=first, n_first=workers):
            pending.append(pool.apply_async(_extract_batch, (chunk,)))
            if len(pending) >= window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def extract_on_dask(documents: Iterable[Document], scheduler: str, *, model: str | None = None,
                    window: int | None = None, timeout: float = 10.0) -> Iterator[Extraction]:
    """Extract on a Dask cluster, yielding Extractions in input order.

    Every Dask worker loads the pipeline once (then keeps it for later tasks and later
    builds); at most ``window`` documents are in flight, so memory stays flat on long inputs.
    Every failure surfaces as one KGError line: an unreachable scheduler, a worker without
    kg or the model, a document that fails to extract.

    Args:
        scheduler: the scheduler address, e.g. ``tcp://host:8786``.
        window: documents in flight; default four per worker thread of the cluster.
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
        if window is None:
            threads = sum(client.nthreads().values()) or 1
            window = 4 * threads
        for document in documents:
            future = client.submit(_dask_extract, document, model, pure=False)
            pending.append((document.id, future))
            if len(pending) >= window:
                yield _dask_result(*pending.popleft())
        while pending:
            yield _dask_result(*pending.popleft())
    finally:
        for _, future in pending:  # an interrupted build leaves no work behind on the cluster
            future.cancel()
        client.close()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _dask_result(doc_id: str, future) -> Extraction:
    try:
        return future.result()
    except KGError as exc:
        raise KGError(f"dask: document {doc_id}: {exc}") from exc
    except Exception as exc:  # whatever the worker raised, pickled back to us
        raise KGError(f"dask: document {doc_id}: {_one_line(exc)}") from exc


def _dask_extract(document: Document, model: str | None) -> Extraction:
    # runs on a Dask worker: the process keeps one pipeline per model across tasks
    return shared_extractor(model).extract(document)
