"""Plural descriptions: "the two presidents", "both governments", "the rival factions" stand for
entities named before, and an event told of them is told of each."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Span

from kg.extraction import coref
from kg.extraction.entities import is_plural, record_label
from kg.extraction.registry import EntityRegistry
from kg.extraction.spans import ents_in
from kg.extraction.vocab import DETERMINERS, ENTITY_LABELS, PLURAL_COUNTS
from kg.types import Event, Mention

__all__ = ["PluralDescriptions"]


class PluralDescriptions:
    """The members of each plural description of a document, and its events fanned out to them.

    Example:
        >>> plurals = PluralDescriptions(registry)  # registry: the document's EntityRegistry
        >>> plurals.members(core, 3)  # core: "the two presidents"  # doctest: +SKIP
        ('donald-trump', 'vladimir-putin')
    """

    def __init__(self, registry: EntityRegistry):
        self.reg = registry
        self._members: dict[tuple[int, int], tuple[str, ...]] = {}  # description -> entities

    def members(self, core: Span, sent_index: int) -> tuple[str, ...]:
        """The entities a plural description stands for, () for any other span."""
        reg = self.reg
        root, doc = core.root, core.doc
        if not is_plural(root) or any(e.label_ in ENTITY_LABELS for e in ents_in(core)):
            return ()
        before = [t.lower_ for t in doc[max(core.start - 1, 0) : root.i]]
        if not any(w in DETERMINERS or w in PLURAL_COUNTS for w in before):
            return ()  # "governments" alone is any governments
        count = next((PLURAL_COUNTS[w] for w in before if w in PLURAL_COUNTS), None)
        head = root.lemma_.lower()
        if head in coref.PLURAL_HEADS:
            types = coref.PLURAL_HEADS[head]
            fits = lambda a: a.type in types  # noqa: E731
        elif head in reg.gaz.titles:
            def fits(a):
                person = reg.people.get(a.entity) if a.type == "Person" else None
                return person is not None and person.body is None and (
                    person.leader if head == "leader" else head in person.titles)
        else:
            return ()
        found = coref.plural_members(count, fits, sent_index, core.start_char, reg.antecedents)
        return tuple(a.entity for a in found)

    def remember(self, mention: Mention, members: tuple[str, ...]) -> None:
        """Note that ``mention`` is a plural description of ``members``."""
        self._members[mention.start, mention.end] = members

    def fan_out(self, events: Iterable[Event]) -> Iterator[Event]:
        """One event per entity a plural description stands for ("the two presidents agreed"
        -> each president agreed); other events as they are."""
        for event in events:
            subjects = self._expand(event.subject)
            objects = self._expand(event.object) if event.object is not None else [None]
            if len(subjects) == 1 and len(objects) == 1:
                yield event
                continue
            for subject in subjects:
                for obj in objects:
                    if obj is None or subject.entity != obj.entity:
                        yield replace(event, subject=subject, object=obj)

    def _expand(self, mention: Mention) -> list[Mention]:
        members = self._members.get((mention.start, mention.end))
        if not members:
            return [mention]
        out = []
        for entity_id in members:
            record = self.reg.records[entity_id]
            self.reg.used.add(entity_id)
            out.append(replace(mention, label=record_label(record), entity=entity_id,
                               resolved_from=record.entity.name))
        return out
