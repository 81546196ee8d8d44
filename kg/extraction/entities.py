"""What the entity rules share: the labels and words they read, a phrase's core, the record of
a canonical entity.

The rules themselves live beside this module, one job each: :mod:`~kg.extraction.registry`
(records, aliases and antecedents of one document), :mod:`~kg.extraction.titles` (people and
their titles), :mod:`~kg.extraction.groups` (armed forces and bodies of a country),
:mod:`~kg.extraction.linking` (spans to gazetteer or document entities),
:mod:`~kg.extraction.aliases` (names the text declares), :mod:`~kg.extraction.plurals`
("the two presidents") and :mod:`~kg.extraction.resolver`, whose
:class:`~kg.extraction.resolver.EntityResolver` joins them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from kg.extraction.spans import doc_table
from kg.extraction.vocab import DETERMINERS, SPACY_LABELS
from kg.types import Entity

__all__ = ["EntityRecord", "abbreviates", "core_bounds", "core_of", "is_plural", "record_label"]

_MAX_NGRAM = 4
_MAX_ACRONYM = 6
# Two spellings of one name ("Tiani" / "Tchiani", "Abdourahamane" / "Abdourahmane").
_SPELLING_RATIO = 0.75


@dataclass(slots=True)
class EntityRecord:
    """A canonical entity as the document knows it so far.

    ``entity`` holds the facts (replaced whole when the document gives a role or a country; its
    own ``aliases`` stay empty), ``aliases`` the names the document has used for it (they grow
    as mentions come) and ``gender`` the gazetteer's, for pronouns.
    """

    entity: Entity
    gender: str | None = None
    aliases: set[str] = field(default_factory=set)

    def learn(self, **facts: str | None) -> None:
        """Take what the document says of the entity ("President-elect", its country)."""
        self.entity = replace(self.entity, **facts)

    def to_entity(self) -> Entity:
        """The entity with the names the document used for it besides its own, sorted."""
        name = self.entity.name
        return replace(self.entity, aliases=tuple(sorted(a for a in self.aliases if a != name)))


def record_label(record: EntityRecord) -> str | None:
    """The spaCy entity label of a record's type (None for types spaCy has no label for)."""
    label = SPACY_LABELS.get(record.entity.type)
    return None if label == "MISC" else label


def core_of(span: Span) -> Span:
    """The span without leading determiners/punctuation and trailing punctuation."""
    doc = span.doc
    start, end = core_bounds(doc, span.start, span.end)
    return doc[start:end]


def core_bounds(doc, start: int, end: int) -> tuple[int, int]:
    """Token bounds of :func:`core_of` of ``doc[start:end]``."""
    table = doc_table(doc)
    lowers, puncts = table.lowers, table.puncts
    while start < end and (lowers[start] in DETERMINERS or puncts[start]):
        start += 1
    while end > start and puncts[end - 1]:
        end -= 1
    return start, end


def abbreviates(acronym: str, words: list[str]) -> bool:
    """Whether the acronym's letters are initials of the words, in order, from the first
    ("RSF" / "Rapid Support Forces", "ECOWAS" / "Economic Community of West African States")."""
    initials = [w[0].upper() for w in words if w[:1].isalpha()]
    if not initials or initials[0] != acronym[0]:
        return False
    it = iter(initials)
    return all(letter in it for letter in acronym)


def is_plural(token: Token) -> bool:
    """A plural noun ("presidents", "Houthis")."""
    return token.tag_ in ("NNS", "NNPS")
