"""Batching and the in-process path of kg.parallel (no model, no worker processes)."""

from __future__ import annotations

from kg.parallel import BATCH, FIRST_BATCH, _batches, extract_documents
from kg.types import Document


class _Recorder:
    """Stands in for an Extractor: returns the documents and records each call."""

    def __init__(self):
        self.calls = 0

    def extract_many(self, documents):
        self.calls += 1
        yield from documents


def _docs(n: int) -> list[Document]:
    return [Document(f"d{i}", f"Text {i}.") for i in range(n)]


def test_batches_start_small_then_full():
    sizes = [len(b) for b in _batches(range(45), 16, first=4, n_first=2)]
    assert sizes == [4, 4, 16, 16, 5]
    assert [x for b in _batches(range(45), 16, first=4, n_first=2) for x in b] == list(range(45))


def test_batches_without_a_first_size_and_empty_input():
    assert [len(b) for b in _batches(range(5), 2)] == [2, 2, 1]
    assert list(_batches([], 16, first=4, n_first=2)) == []


def test_default_sizes():
    # parsing costs a quarter more per document in batches of 4 than of 16
    assert BATCH == 16 and FIRST_BATCH <= BATCH


def test_a_handful_of_documents_stays_in_this_process():
    docs = _docs(FIRST_BATCH)
    recorder = _Recorder()
    out = list(extract_documents(docs, workers=2, extractor=recorder))
    assert [d.id for d in out] == [d.id for d in docs] and recorder.calls == 1


def test_one_worker_streams_in_order():
    docs = _docs(40)
    recorder = _Recorder()
    assert [d.id for d in extract_documents(iter(docs), workers=1, extractor=recorder)] == \
        [d.id for d in docs]
