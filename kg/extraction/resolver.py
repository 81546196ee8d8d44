"""Argument spans -> Mentions with canonical entity ids; the entities a document refers to.

One :class:`EntityResolver` per document: it sees every sentence in order (``observe``), links
argument spans (``resolve``) through names, titles, demonyms, the gazetteer and rule-based
coreference, and finally lists the entities its mentions point to (``entities``). The rules
are its parts: :class:`~kg.extraction.registry.EntityRegistry` (what the document has named),
:class:`~kg.extraction.linking.Linker`, :class:`~kg.extraction.titles.TitleReader`,
:class:`~kg.extraction.groups.GroupLinker`, :class:`~kg.extraction.aliases.AliasReader` and
:class:`~kg.extraction.plurals.PluralDescriptions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Span

from kg.extraction import coref
from kg.extraction.aliases import AliasReader
from kg.extraction.entities import core_of, record_label
from kg.extraction.gazetteer import Gazetteer
from kg.extraction.groups import GroupLinker
from kg.extraction.linking import Linker
from kg.extraction.plurals import PluralDescriptions
from kg.extraction.registry import EntityRegistry
from kg.extraction.spans import ents_in, span_text
from kg.extraction.titles import TitleReader
from kg.extraction.vocab import ENTITY_LABELS, PLACE_PREPS
from kg.types import Entity, Event, Mention

__all__ = ["EntityResolver"]


class EntityResolver:
    """Per-document state: canonical entities seen so far and antecedents for coreference.

    Example:
        >>> resolver = EntityResolver(Gazetteer.load(), "doc-1")
        >>> for i, sent in enumerate(doc.sents):  # doc: a parsed spaCy Doc
        ...     resolver.observe(sent, i)
        ...     mention = resolver.resolve(sent[0:2], i)
    """

    def __init__(self, gazetteer: Gazetteer, doc_id: str):
        self.gaz = gazetteer
        self.doc_id = doc_id
        self._registry = EntityRegistry(gazetteer, doc_id)
        self._titles = TitleReader(self._registry)
        self._groups = GroupLinker(self._registry)
        self._linker = Linker(self._registry, self._titles, self._groups)
        self._aliases = AliasReader(self._registry, self._linker)
        self._plurals = PluralDescriptions(self._registry)

    def observe(self, sent: Span, sent_index: int) -> None:
        """Called once per sentence, in order, BEFORE resolve() is called for that sentence's args:
        registers its named entities (doc.ents inside it), titles and appositions as antecedents."""
        reg = self._registry
        self._aliases.nicknames(sent)
        for ent in ents_in(sent):
            if ent.label_ not in ENTITY_LABELS:
                continue
            root = ent.root
            if root.dep_ in ("amod", "compound") and ent.label_ != "PERSON":
                continue  # "US intelligence", "Russian drones": a modifier, not a referent
            if ent.label_ == "NORP" and root.pos_ == "ADJ":
                continue
            role = "place" if root.head.lower_ in PLACE_PREPS else "actor"
            if self._aliases.acronym_of(ent, sent_index):
                continue
            entity_id = None
            left = root.left_edge.i
            if left < ent.start and self.gaz.lookup(span_text(ent.doc, ent.start, ent.end)) is None:
                # "Russia's Defence Ministry": the phrase is a group, not an entity of its own
                np = ent.doc[left : ent.end]
                entity_id = self._groups.group(np, root, sent_index)
            entity_id = entity_id or self._linker.link_ent(ent, role)
            if entity_id is None:
                continue
            if ent.label_ == "PERSON" or reg.records[entity_id].entity.type == "Person":
                self._titles.note_titles(ent, entity_id)
            reg.add_antecedent(entity_id, ent, sent_index, reg.clean_name(ent))
            self._aliases.known_as(ent, entity_id)

    def resolve(self, span: Span, sent_index: int, role: str = "actor") -> Mention:
        """Argument span -> Mention (doc-level char offsets, text as written, label, entity id or None).
        role is "actor" (subject/agent/recipient: Washington/Moscow/the Kremlin -> the country) or
        "place" (target of a physical attack or a location: Moscow stays the city)."""
        reg = self._registry
        doc = span.doc
        base = dict(
            doc_id=self.doc_id, sent_index=sent_index, start=span.start_char,
            end=span.end_char, text=span_text(doc, span.start, span.end),
        )
        core = core_of(span)
        if core.start == core.end:
            return Mention(**base)
        pronoun = coref.pronoun_of(core)
        if pronoun is not None:
            antecedent = coref.resolve_pronoun(pronoun, sent_index, reg.recent(sent_index))
            if antecedent is None:
                return Mention(**base)
            reg.used.add(antecedent.entity)
            reg.add_antecedent(antecedent.entity, core, sent_index, antecedent.text)
            record = reg.records[antecedent.entity]
            return Mention(
                **base, label=record_label(record), entity=record.entity.id, resolved_from=antecedent.text
            )
        members = self._plurals.members(core, sent_index)
        if members:  # one event each, when the events are told (see fan_out)
            mention = Mention(**base, label=record_label(reg.records[members[0]]))
            self._plurals.remember(mention, members)
            return mention
        linked = self._linker.link(span, core, sent_index, role)
        if linked is None:
            return Mention(**base)
        entity_id, label, resolved_from = linked
        reg.used.add(entity_id)
        reg.add_antecedent(entity_id, core, sent_index,
                           resolved_from or span_text(doc, core.start, core.end))
        return Mention(**base, label=label, entity=entity_id, resolved_from=resolved_from)

    def fan_out(self, events: Iterable[Event]) -> Iterator[Event]:
        """One event per entity a plural description stands for ("the two presidents agreed"
        -> each president agreed); other events as they are."""
        return self._plurals.fan_out(events)

    def entities(self) -> tuple[Entity, ...]:
        """Every entity that some resolved Mention points to, sorted by id, with aliases seen."""
        return self._registry.entities()
