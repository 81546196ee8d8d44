"""Hand-built spaCy Docs for rule tests: no statistical model is loaded."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc


@pytest.fixture(scope="session")
def vocab():
    return spacy.blank("en").vocab


def parse_table(vocab, table: str) -> Doc:
    """A Doc from rows of `word lemma POS TAG head-offset dep ent` (offset 0 = root).

    The rows read like CoNLL; offsets keep the tables short and easy to edit by hand.
    """
    rows = [line.split() for line in table.strip().splitlines() if line.strip()]
    words = [r[0] for r in rows]
    spaces = [i + 1 < len(rows) and rows[i + 1][3] not in {".", ",", "POS", ":"} and rows[i + 1][0] not in {"'s", "n't"}
              for i in range(len(rows))]
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        lemmas=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        tags=[r[3] for r in rows],
        heads=[i + int(r[4]) for i, r in enumerate(rows)],
        deps=[r[5] for r in rows],
        ents=[r[6] for r in rows],
    )


@pytest.fixture()
def table_doc(vocab):
    return lambda table: parse_table(vocab, table)
