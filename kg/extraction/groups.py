"""Groups of a country: "Ukrainian forces", "Russia's Defence Ministry", "its troops" are the
country's sector group; "M23 rebels" is the armed group the modifier names."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extraction import coref
from kg.extraction.entities import _MAX_NGRAM, EntityRecord
from kg.extraction.gazetteer import GazEntry, name_key
from kg.extraction.registry import EntityRegistry
from kg.extraction.spans import span_text
from kg.types import Entity

__all__ = ["GroupLinker"]


class GroupLinker:
    """Links group phrases to the document's group records (made on first mention).

    Example:
        >>> groups = GroupLinker(registry)  # registry: the document's EntityRegistry
        >>> groups.group(core, core.root, 0)  # core: "Ukrainian forces"  # doctest: +SKIP
        'ukraine-military'
    """

    def __init__(self, registry: EntityRegistry):
        self.reg = registry

    def group(self, core: Span, root: Token, sent_index: int) -> str | None:
        """"Ukrainian forces" / "Russia's Defence Ministry" -> the country's sector group."""
        reg = self.reg
        doc = core.doc
        head_start, sector = self._sector(core, root)
        if sector is None:
            return None
        # "M23 rebels": the group noun heads the phrase ("Hamas official Basem Naim" is a person)
        named = self._named_group(core, head_start) if sector[1] else None
        if named is not None:
            return named
        found = reg.gaz.country_in(doc, core.start, head_start)
        country, alias_start = found if found else (self._owner_country(core, head_start, sent_index), None)
        if country is None:
            return None
        group_id = f"{country.id}-{sector[0]}"
        if group_id not in reg.records:
            name = f"{reg.gaz.primary_demonym(country)} {sector[0]}"
            reg.records[group_id] = EntityRecord(Entity(
                id=group_id, name=name, type="Group", country=reg.from_entry(country), sector=sector[0],
            ))
        if alias_start is not None:  # "its troops" is no name of the group
            reg.records[group_id].aliases.add(span_text(doc, alias_start, root.i + 1))
        return group_id

    def _sector(self, core: Span, root: Token) -> tuple[int | None, tuple[str, bool] | None]:
        """Where the group noun starts and (its sector, whether it is the phrase's head): the
        longest group noun ending at the head ("armed forces"), else a compound before it."""
        doc, groups = core.doc, self.reg.gaz.groups
        for n in range(min(_MAX_NGRAM, root.i - core.start + 1), 0, -1):
            key = name_key(span_text(doc, root.i - n + 1, root.i + 1))
            if key in groups:
                return root.i - n + 1, (groups[key], True)
        for c in reversed([c for c in root.lefts if c.dep_ == "compound"]):
            for first in (c.left_edge.i, c.i):
                key = name_key(span_text(doc, first, c.i + 1))
                if key in groups:
                    return first, (groups[key], False)
        return None, None

    def _named_group(self, core: Span, head_start: int) -> str | None:
        """"M23 rebels", "Houthi fighters", "RSF troops": the armed group or body the modifier
        names, not its country's rebels."""
        doc = core.doc
        for start in range(core.start, head_start):
            for end in range(head_start, start, -1):
                if doc[end].pos_ == "ADJ" or doc[end].ent_type_ == "NORP":
                    continue  # "West" of "West German activists" is part of an adjective
                text = span_text(doc, start, end)
                entry = self.reg.gaz.lookup(text) if text[:1].isupper() else None
                if entry is not None and entry.type in ("Group", "Organization"):
                    return self.reg.from_entry(entry)
        return None

    def _owner_country(self, core: Span, head_start: int, sent_index: int) -> GazEntry | None:
        """The country behind a possessive pronoun ("its air defence systems", "their troops")."""
        reg = self.reg
        for tok in core.doc[core.start : head_start]:
            if tok.lower_ in ("its", "their"):
                ant = coref.resolve_pronoun(tok, sent_index, reg.recent(sent_index))
                if ant is None:
                    return None
                entity = reg.records[ant.entity].entity
                owner = ant.entity if entity.type == "Country" else entity.country
                entry = reg.gaz.get(owner) if owner else None
                return entry if entry is not None and entry.type == "Country" else None
        return None
