"""Argument spans -> canonical entity ids: through the gazetteer and the document's own names,
titles, groups, demonyms and named entities."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extraction import coref
from kg.extraction.entities import (
    is_plural,
    record_label,
)
from kg.extraction.gazetteer import name_key, strip_possessive
from kg.extraction.groups import GroupLinker
from kg.extraction.registry import EntityRegistry
from kg.extraction.spans import doc_table, ents_in, span_text
from kg.extraction.titles import TitleReader
from kg.extraction.vocab import DETERMINERS, ENTITY_LABELS, LABEL_TYPES
from kg.extraction.words import COUNTRY_NOUNS, TITLE_MODIFIERS

__all__ = ["Linker"]


class Linker:
    """Links a span that is no pronoun or plural description to an entity of the document.

    Example:
        >>> linker = Linker(registry, TitleReader(registry), GroupLinker(registry))
        >>> linker.link(span, core_of(span), 0, "actor")  # span: "the Kremlin"  # doctest: +SKIP
        ('russia', 'GPE', None)
    """

    def __init__(self, registry: EntityRegistry, titles: TitleReader, groups: GroupLinker):
        self.reg = registry
        self.titles = titles
        self.groups = groups

    def link(self, span: Span, core: Span, sent_index: int, role: str):
        """(entity id, label, resolved_from) for a non-pronoun span, or None."""
        reg = self.reg
        root = core.root
        doc = core.doc
        has_det = doc_table(doc).lowers[span.start] in DETERMINERS
        if has_det and len(core) == 1 and root.lemma_.lower() in COUNTRY_NOUNS:
            ant = coref.resolve_country_noun(sent_index, span.start_char, reg.recent(sent_index))
            return (ant.entity, "GPE", ant.text) if ant else None
        title = coref.title_at_end(core, reg.gaz.titles)
        if title is not None and not is_plural(root) and (has_det or title[1] < len(core)):
            if not any(e.label_ == "PERSON" for e in ents_in(core)):
                found = self.titles.describe(core, *title)
                return (found, "PERSON", reg.records[found].entity.name) if found else None
        hit = self._lookup_phrase(core, root, self._gaz_alias)
        if hit is None:
            group = self.groups.group(core, root, sent_index)
            if group is not None:
                return group, "NORP", None
            hit = self._lookup_phrase(core, root, self._doc_alias)
        if hit is not None:
            entity_id = reg.represented(hit, role)
            return entity_id, record_label(reg.records[entity_id]), None
        return self._link_name(core, root, role)

    def _link_name(self, core: Span, root: Token, role: str):
        """:meth:`link` for a span the gazetteer and the document's aliases do not know as a
        phrase: a given name, a demonym or the named entity that heads it."""
        reg = self.reg
        if len(core) == 1 and root.pos_ == "PROPN" and not root.ent_type_:
            given = reg.spelled_like(root.text)  # "Tarek", untagged, after "Tarek Halabi"
            if given is not None:
                return given, "PERSON", reg.records[given].entity.name
        demonym = reg.gaz.demonym(span_text(core.doc, core.start, core.end))
        if demonym is not None and root.pos_ in ("PROPN", "NOUN", "ADJ"):
            entity_id = reg.represented(reg.from_entry(demonym), role)
            return entity_id, "GPE", None
        ent = self._head_ent(core, root)
        if ent is not None:
            entity_id = self.link_ent(ent, role)
            if entity_id is not None:
                if ent.label_ == "PERSON":
                    self.titles.note_titles(ent, entity_id)
                return entity_id, ent.label_, None
        return None

    def link_ent(self, ent: Span, role: str) -> str | None:
        """A named entity -> canonical id (document alias, gazetteer, surname, or new slug)."""
        reg = self.reg
        name = reg.clean_name(ent)
        key = name_key(name)
        if not key:
            return None
        entity_id = reg.aliases.get(key)
        if entity_id is None:
            entry = reg.gaz.lookup(name)
            if entry is None and ent.label_ == "NORP":
                entry = reg.gaz.demonym(name)
            if entry is not None:
                entity_id = reg.from_entry(entry)
            else:
                entity_id = (reg.spelled_like(name) if ent.label_ == "PERSON" else None) or \
                    reg.new_record(name, LABEL_TYPES.get(ent.label_, "OtherEntity"))
        reg.aliases.setdefault(key, entity_id)
        reg.records[entity_id].aliases.add(name)
        return reg.represented(entity_id, role)

    def _gaz_alias(self, text: str) -> str | None:
        # a surname this document gave its own bearer ("General Michel Aoun ... Aoun") is theirs
        entry = self.reg.gaz.lookup(text, weak=name_key(text) not in self.reg.aliases)
        return self.reg.from_entry(entry) if entry is not None else None

    def _doc_alias(self, text: str) -> str | None:
        return self.reg.aliases.get(name_key(text))

    def _lookup_phrase(self, core: Span, root: Token, find) -> str | None:
        """A name ending at the span's head ("the US State Department", "Russian President
        Vladimir Putin" -> its longest suffix that ``find`` knows)."""
        doc = core.doc
        end = root.i + 1
        while end < core.end and doc[end].dep_ in ("flat", "compound") and doc[end].head == root:
            end += 1
        for start in range(core.start, end):
            text = span_text(doc, start, end)
            if not text[:1].isupper():
                continue  # names start with a capital; "officials", "response" are no names
            if start > core.start and doc[start].ent_iob_ == "I" and doc[start].ent_type_ == "PERSON":
                continue  # "Dagalo" of "Abdul Rahim Dagalo" is not another Dagalo
            entity_id = find(text)
            if entity_id is not None:
                self.reg.records[entity_id].aliases.add(strip_possessive(text))
                return entity_id
        return None

    def _head_ent(self, core: Span, root: Token) -> Span | None:
        """The named entity that is the argument: contains the head, is its apposition, or
        follows a title head ("President-elect Donald Trump")."""
        ents = [e for e in ents_in(core) if e.label_ in ENTITY_LABELS]
        for ent in ents:
            if ent.start <= root.i < ent.end:
                return ent
        for child in root.children:
            if child.dep_ == "appos":
                for ent in ents:
                    if ent.start <= child.i < ent.end:
                        return ent
        if root.lower_ in self.reg.gaz.title_heads or root.lower_ in TITLE_MODIFIERS:
            return next((e for e in ents if e.label_ == "PERSON"), None)
        return None
