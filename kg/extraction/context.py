"""What the rules read once per document: one :class:`DocContext` per spaCy Doc.

spaCy rebuilds ``Doc.ents`` on every call, ``doc[i]`` builds a new Token each time and
``Token.sent`` walks the parse; the rules ask these for every argument of every event, so a long
document would cost in proportion to its length squared. The context keeps one document's
answers: computed on first use, typed, and attached to the Doc it reads (in ``doc.user_data``
under the :class:`DocContext` class itself, as spaCy keeps its own ``Doc._`` extensions, which
cost some microseconds per access), so it goes with the Doc.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from spacy.tokens import Doc, Span

__all__ = ["AlignedDates", "DocContext", "DocTable", "attach_context", "doc_context"]


class DocTable(NamedTuple):
    """Token attributes of a Doc as plain lists, indexed by token position."""

    text: str
    starts: list[int]  # character offset of each token
    ends: list[int]  # character offset after each token
    lowers: list[str]
    puncts: list[bool]


@dataclass(frozen=True, slots=True)
class AlignedDates:
    """A document's dates with their token spans, sorted by first token (every event of a
    document looks up the dates of its own sentence only)."""

    dates: list[Any]  # the TimeExpr list (kg.extraction.timex) these were aligned from
    spans: list[tuple[int, Any, Span]]  # (position in dates, date, span)
    starts: list[int]


@dataclass(slots=True, eq=False)
class DocContext:
    """Per-document caches of the extraction rules.

    ``ents``, ``ent_starts``, ``table`` and ``sent_starts`` are computed on first use;
    ``quotes`` and ``dates`` are filled by the modules that compute them
    (:func:`kg.extraction.stance.quote_spans`, :mod:`kg.extraction.timex`).

    Example:
        >>> context = attach_context(doc)  # doc: "Russia invaded Ukraine."  # doctest: +SKIP
        >>> context.table.lowers[:2], [e.text for e in context.ents]
        (['russia', 'invaded'], ['Russia', 'Ukraine'])
    """

    doc: Doc
    quotes: list[tuple[int, int]] | None = None  # token bounds of direct quotations
    dates: AlignedDates | None = None
    _ents: list[Span] | None = field(default=None, init=False, repr=False)
    _ent_starts: list[int] | None = field(default=None, init=False, repr=False)
    _table: DocTable | None = field(default=None, init=False, repr=False)
    _sent_starts: list[int] | None = field(default=None, init=False, repr=False)

    @property
    def ents(self) -> list[Span]:
        """The document's named entities, as ``doc.ents``."""
        if self._ents is None:
            self._read_ents()
        return self._ents

    @property
    def ent_starts(self) -> list[int]:
        """The first token of each of :attr:`ents`, in order."""
        if self._ent_starts is None:
            self._read_ents()
        return self._ent_starts

    def _read_ents(self) -> None:
        self._ents = list(self.doc.ents)
        self._ent_starts = [e.start for e in self._ents]

    @property
    def table(self) -> DocTable:
        """The Doc's text and token attributes as lists."""
        if self._table is None:
            starts, ends, lowers, puncts = [], [], [], []
            for tok in self.doc:
                starts.append(tok.idx)
                ends.append(tok.idx + len(tok.text))
                lowers.append(tok.lower_)
                puncts.append(tok.is_punct)
            self._table = DocTable(self.doc.text, starts, ends, lowers, puncts)
        return self._table

    @property
    def sent_starts(self) -> list[int]:
        """The first token of each sentence, in order."""
        if self._sent_starts is None:
            self._sent_starts = [sent.start for sent in self.doc.sents]
        return self._sent_starts


def attach_context(doc: Doc) -> DocContext:
    """A new context for ``doc``, replacing any earlier one: made once per document read."""
    context = doc.user_data[DocContext] = DocContext(doc)
    return context


def doc_context(doc: Doc) -> DocContext:
    """The context attached to ``doc``, attached on first ask (a rule used on its own)."""
    try:  # the rules ask for every token they look at: the common case first
        return doc.user_data[DocContext]
    except KeyError:
        return attach_context(doc)
