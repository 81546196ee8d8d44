"""Run extraction on every core (a process pool) or on a Dask cluster, streaming in input order."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator

from kg.types import Document, Extraction

_WORKER = None


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_SHARED: dict = {}


def shared_extractor(model: str | None = None):
    """One loaded Extractor per model in this process (loading a pipeline takes seconds)."""
    if model not in _SHARED:
        from kg.extract.extractor import Extractor

        _SHARED[model] = Extractor(model)
    return _SHARED[model]


def _init_worker(model: str | None) -> None:
    global _WORKER
    from kg.extract.extractor import Extractor

    _WORKER = Extractor(model)


def _extract_one(document: Document) -> Extraction:
    return _WORKER.extract(document)


def extract_documents(documents: Iterable[Document], *, workers: int = 1, model: str | None = None,
                      extractor=None) -> Iterator[Extraction]:
    """Yield one Extraction per document, in input order.

    With ``workers > 1`` each worker process loads its own pipeline and reads whole documents;
    at most a few documents per worker are in flight, so memory stays flat on long streams.
    """
    if workers <= 1:
        yield from (extractor or shared_extractor(model)).extract_many(documents)
        return
    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    window = workers * 4
    with ctx.Pool(workers, initializer=_init_worker, initargs=(model,)) as pool:
        # a bounded window of documents in flight (Pool.imap would read the whole input ahead)
        pending: deque = deque()
        for document in documents:
            pending.append(pool.apply_async(_extract_one, (document,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def extract_on_dask(documents: Iterable[Document], scheduler: str, *, model: str | None = None,
                    batch: int = 64) -> Iterator[Extraction]:
    """Extract on a Dask cluster: workers return Extractions, the caller merges them in order."""
    from dask.distributed import Client

    client = Client(scheduler)
    try:
        pending: list = []
        for document in documents:
            pending.append(client.submit(_dask_extract, document, model, pure=False))
            if len(pending) >= batch:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
    finally:
        client.close()


def _dask_extract(document: Document, model: str | None) -> Extraction:
    global _WORKER
    if _WORKER is None:
        _init_worker(model)
    return _WORKER.extract(document)
