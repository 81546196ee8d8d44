"""Batching and the in-process path of kg.parallel (no model, no worker processes)."""

from __future__ import annotations

import pytest

from kg.errors import KGError
from kg.parallel import BATCH, FIRST_BATCH, _batches, extract_documents, read_batch
from kg.rdf import document_iri
from kg.types import Document, Extraction, Failure, Rendered


class _Pipe:
    """Stands in for a spaCy pipeline: a text holding BAD cannot be parsed."""

    def __init__(self):
        self.batches = 0

    def __call__(self, text):
        if "BAD" in text:
            raise ValueError("cannot parse\nsecond line")
        return text

    def pipe(self, texts, batch_size=1, as_tuples=False):
        self.batches += 1
        if as_tuples:
            return [(self(t), context) for t, context in texts]
        return [self(t) for t in texts]


class _Recorder:
    """Stands in for an Extractor: extracts nothing (BOOM fails), records parse batches."""

    def __init__(self):
        self.nlp = _Pipe()

    @property
    def calls(self):
        return self.nlp.batches

    def extract_doc(self, document, doc):
        if "BOOM" in doc:
            raise KeyError("boom")
        return Extraction(document, (), (), (), ())


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
    assert [x.document.id for x in out] == [d.id for d in docs] and recorder.calls == 1


def test_one_worker_streams_in_order():
    docs = _docs(40)
    recorder = _Recorder()
    assert [x.document.id for x in extract_documents(iter(docs), workers=1, extractor=recorder)] == \
        [d.id for d in docs]


def test_a_failing_document_is_named_with_its_stage_and_the_batch_goes_on():
    docs = _docs(6)
    docs[2] = Document("d2", "Some BAD text.")
    docs[4] = Document("d4", "BOOM.")
    problems: list[str] = []
    out = list(extract_documents(docs, workers=1, extractor=_Recorder(), on_error=lambda e: problems.append(str(e))))
    assert [x.document.id for x in out] == ["d0", "d1", "d3", "d5"]
    assert problems == ["document d2: parse failed: ValueError: cannot parse",
                        "document d4: extraction failed: KeyError: 'boom'"]


def test_a_failing_document_raises_without_an_error_handler():
    with pytest.raises(KGError, match="document d1: parse failed"):
        list(extract_documents([Document("d0", "Fine."), Document("d1", "BAD")], workers=1, extractor=_Recorder()))


def test_rendered_documents_carry_their_graph_and_rdf_failures_are_named():
    out = read_batch(_Recorder(), [Document("d0", "Fine."), Document("", "No id.")], render=True)
    assert isinstance(out[0], Rendered) and out[0].doc_id == "d0" and (out[0].sentences, out[0].facts) == (0, 0)
    assert str(document_iri("d0")).encode() in out[0].ntriples
    assert isinstance(out[1], Failure) and out[1].stage == "rdf"


_INHERITED = """
import sys
from kg.parallel import _pool_context

def loaded(_):
    import sys
    return sorted(name for name in ("spacy", "kg.extraction.extractor", "kg.rdf") if name in sys.modules)

if __name__ == "__main__":
    with _pool_context().Pool(1) as pool:
        print(" ".join(pool.map(loaded, [0])[0]))
"""


def test_workers_start_with_spacy_and_the_rules_already_imported(tmp_path):
    # the fork server imports them once (kg.prefork): a worker starts without paying for them
    import subprocess
    import sys

    script = tmp_path / "inherited.py"
    script.write_text(_INHERITED)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=300)
    assert out.stdout.split() == ["kg.extraction.extractor", "kg.rdf", "spacy"]
