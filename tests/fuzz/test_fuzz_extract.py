"""Hostile text through the extractor: no exception escapes and every record stays valid JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings

from kg.records import to_records
from kg.types import Document, Extraction

from .conftest import EXAMPLES, HOSTILE_TEXT

pytestmark = pytest.mark.model
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


def check_extraction(x: Extraction) -> None:
    """Offsets point into the text and the records survive a JSON Lines round trip."""
    text = x.document.text
    for s in x.sentences:
        assert 0 <= s.start <= s.end <= len(text) and text[s.start:s.end] == s.text
    for m in x.mentions:
        assert 0 <= m.start <= m.end <= len(text) and text[m.start:m.end] == m.text
    for e in x.events:
        assert 0 <= e.evidence.start <= e.evidence.end <= len(text)
        assert 0.0 <= e.confidence <= 1.0
    line = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in to_records(x))
    parsed = [json.loads(row) for row in line.split("\n") if row]
    assert len(parsed) == len(x.events)
    assert all(p["doc"] == x.document.id for p in parsed)


@given(text=HOSTILE_TEXT)
@FUZZ
@example(text=EXAMPLES[0])
@example(text=EXAMPLES[1])
@example(text=EXAMPLES[2])
@example(text=EXAMPLES[3])
@example(text=EXAMPLES[4])
@example(text=EXAMPLES[5])
@example(text=EXAMPLES[6])
@example(text=EXAMPLES[7])
def test_hostile_text_extracts_to_valid_records(extractor, text):
    check_extraction(extractor.extract(Document("fuzz", text)))


def test_many_documents_in_one_batch_keep_their_order(extractor):
    docs = [Document(f"d{i}", text) for i, text in enumerate(EXAMPLES * 3)]
    out = list(extractor.extract_many(docs))
    assert [x.document.id for x in out] == [d.id for d in docs]
    for x in out:
        check_extraction(x)


def test_long_sentence_of_real_words_extracts(extractor):
    text = " ".join(["Putin"] + ["and Xi"] * 300) + " met in Moscow."
    check_extraction(extractor.extract(Document("conj", text)))


LONG_INPUTS = """
import sys, time
from kg.parallel import shared_extractor
from kg.types import Document
ex = shared_extractor()
cases = [
    " ".join(["word"] * 10_000),
    " ".join(["Russia", "attacked", "Ukraine", "and"] * 2_500),
    " ".join(f"Russia attacked Ukraine and France met Germany in city {i}." for i in range(1_200)),
]
for text in cases:
    started = time.monotonic()
    x = ex.extract(Document("long", text))
    print(len(x.sentences), len(x.events), round(time.monotonic() - started, 1), flush=True)
"""


@pytest.mark.slow
def test_ten_thousand_token_sentences_and_long_articles_finish():
    # a subprocess, because a hang inside spaCy's compiled code ignores signals
    done = subprocess.run([sys.executable, "-c", LONG_INPUTS], capture_output=True, text=True,
                          timeout=45)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(done.stdout.splitlines()) == 3
