"""The entities one document has named so far: their records, the names that point to them and
the antecedents coreference may pick.

One :class:`EntityRegistry` per document, shared by the entity rules
(:class:`~kg.extraction.resolver.EntityResolver` and its parts). Entity ids are slugs of
canonical names ("donald-trump"), the same in every document and process.
"""

from __future__ import annotations

from bisect import bisect_left
from difflib import SequenceMatcher

from spacy.tokens import Span

from kg.extraction import coref
from kg.extraction.coref import Antecedent, Person
from kg.extraction.entities import (
    _SPELLING_RATIO,
    EntityRecord,
    core_bounds,
    is_plural,
)
from kg.extraction.gazetteer import (
    GazEntry,
    Gazetteer,
    name_key,
    slugify,
    strip_possessive,
)
from kg.extraction.spans import doc_table, span_text
from kg.extraction.words import NAME_HONORIFICS, TITLE_MODIFIERS
from kg.types import Entity

__all__ = ["EntityRegistry"]


class EntityRegistry:
    """Per-document records, aliases, antecedents and people.

    Example:
        >>> registry = EntityRegistry(Gazetteer.load(), "doc-1")
        >>> registry.records[registry.new_record("Acme Corp", "Organization")].entity.name
        'Acme Corp'
    """

    def __init__(self, gazetteer: Gazetteer, doc_id: str):
        self.gaz = gazetteer
        self.doc_id = doc_id
        self.records: dict[str, EntityRecord] = {}
        self.used: set[str] = set()  # entities some Mention points to
        self.aliases: dict[str, str] = {}  # name key -> entity id, this document only
        self.antecedents: list[Antecedent] = []
        self.people: dict[str, Person] = {}
        self.title_words = gazetteer.title_words | TITLE_MODIFIERS
        self._antecedent_sents: list[int] = []  # their sentence indices, in the same order
        self._in_order = True  # whether those indices never decrease
        self._spans: set[tuple[int, int]] = set()

    def entities(self) -> tuple[Entity, ...]:
        """Every entity that some resolved Mention points to, sorted by id, with aliases seen."""
        return tuple(self.records[entity_id].to_entity() for entity_id in sorted(self.used))

    # ------------------------------------------------------------------ names
    def clean_name(self, ent: Span) -> str:
        """An entity's name as written, without determiner, possessive or leading titles."""
        doc = ent.doc
        lowers = doc_table(doc).lowers
        start, end = core_bounds(doc, ent.start, ent.end)
        if ent.label_ == "PERSON":
            while end - start > 1 and lowers[start] in self.title_words:
                start += 1
        while end - start > 1 and lowers[start] in NAME_HONORIFICS:
            start += 1  # "Mr Ruto", whatever the tagger called it
        while end > start and lowers[end - 1] in ("'s", "\u2019s", "'"):
            end -= 1
        if start == end:
            return span_text(doc, ent.start, ent.end)
        return strip_possessive(span_text(doc, start, end))

    def spelled_like(self, name: str) -> str | None:
        """A person of this document whose full name is another spelling of ``name``, word by
        word ("Abdourahmane Tiani" / "Abdourahamane Tchiani"), or whose given name ``name`` is;
        None when none or several."""
        words = name_key(name).split()
        if len(words) == 1:
            # "Shehbaz" after "Shehbaz Sharif": a given name alone, when one person bears it here
            found = {e.id for e in self._people()
                     if len(e.name.split()) > 1 and name_key(e.name).split()[0] == words[0]}
            return found.pop() if len(found) == 1 else None
        found = {
            e.id for e in self._people()
            if len(name_key(e.name).split()) == len(words)
            and all(SequenceMatcher(None, a, b).ratio() >= _SPELLING_RATIO
                    for a, b in zip(words, name_key(e.name).split()))
        }
        return found.pop() if len(found) == 1 else None

    def _people(self) -> list[Entity]:
        """The people of this document's records."""
        return [r.entity for r in self.records.values() if r.entity.type == "Person"]

    def represented(self, entity_id: str, role: str) -> str:
        """Moscow/the Kremlin -> russia when acting; the city itself as a place."""
        entry = self.gaz.get(entity_id)
        if role == "actor" and entry is not None and entry.represents:
            return self.from_entry(self.gaz.entries[entry.represents])
        return entity_id

    # ------------------------------------------------------------------ records
    def new_record(self, name: str, type_: str) -> str:
        entity_id = slugify(name)
        if entity_id not in self.records:
            self.records[entity_id] = EntityRecord(Entity(id=entity_id, name=name, type=type_))
            self._register_names(entity_id, name, type_)
        return entity_id

    def from_entry(self, entry: GazEntry) -> str:
        """Make (once) the document record of a gazetteer entry; returns its id."""
        if entry.id not in self.records:
            self.records[entry.id] = EntityRecord(entry.entity(), gender=entry.gender)
            self._register_names(entry.id, entry.name, entry.type)
        return entry.id

    def _register_names(self, entity_id: str, name: str, type_: str) -> None:
        """Short forms later mentions in this document may use: a person's surname, the last
        word of a publication ("The Washington Post" -> "the Post")."""
        self.aliases.setdefault(name_key(name), entity_id)
        words = name.split()
        if type_ == "Person" and len(words) > 1:
            self.aliases.setdefault(name_key(words[-1]), entity_id)
        elif type_ == "Organization" and len(words) > 2 and words[0] == "The":
            self.aliases.setdefault(name_key(words[-1]), entity_id)

    # ------------------------------------------------------------------ antecedents and people
    def add_antecedent(self, entity_id: str, span: Span, sent_index: int, text: str) -> None:
        if (span.start_char, span.end_char) in self._spans:
            return
        self._spans.add((span.start_char, span.end_char))
        record = self.records[entity_id]
        entity_type = record.entity.type
        root = span.root
        if self._antecedent_sents and sent_index < self._antecedent_sents[-1]:
            self._in_order = False
        self._antecedent_sents.append(sent_index)
        self.antecedents.append(
            Antecedent(
                entity=entity_id, type=entity_type, text=text, sent_index=sent_index,
                start=span.start_char, end=span.end_char, subject=coref.is_subject(root),
                plural=is_plural(root),
                gender=record.gender,
            )
        )
        if entity_type == "Person":
            person = self.person(entity_id)
            person.last_seen = max(person.last_seen, span.start_char)

    def recent(self, sent_index: int) -> list[Antecedent]:
        """The antecedents coreference may pick for a sentence: those of the last
        ``coref.WINDOW`` sentences and later ones, in the order seen (all of them when
        sentences came out of order), so a long document costs in proportion to length."""
        if not self._in_order:
            return self.antecedents
        return self.antecedents[bisect_left(self._antecedent_sents, sent_index - coref.WINDOW):]

    def person(self, entity_id: str) -> Person:
        """The title/country record of a person, started from the gazetteer's current role."""
        if entity_id not in self.people:
            entry = self.gaz.get(entity_id)
            self.people[entity_id] = coref.new_person(
                entity_id, self.records[entity_id].entity.country, entry.role if entry else None,
                self.gaz.titles,
            )
        return self.people[entity_id]
