"""Names the text itself declares for an entity: an acronym in brackets ("the Sudanese Armed
Forces (SAF)"), a nickname in quotes ('Mohamed Hamdan "Hemedti" Dagalo'), "known as"."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extraction.entities import _MAX_ACRONYM, abbreviates, core_of
from kg.extraction.gazetteer import name_key
from kg.extraction.linking import Linker
from kg.extraction.registry import EntityRegistry
from kg.extraction.spans import ents_in, span_text
from kg.extraction.vocab import ENTITY_LABELS, QUOTE_CHARS

__all__ = ["AliasReader"]


class AliasReader:
    """Adds the aliases a sentence declares to the document's registry.

    Example:
        >>> aliases = AliasReader(registry, linker)  # the document's EntityRegistry and Linker
        >>> aliases.nicknames(sent)  # sent: 'Mohamed Hamdan "Hemedti" Dagalo arrived.'
        >>> registry.aliases["hemedti"] == registry.aliases["mohamed hamdan dagalo"]  # doctest: +SKIP
        True
    """

    def __init__(self, registry: EntityRegistry, linker: Linker):
        self.reg = registry
        self.linker = linker

    def acronym_of(self, ent: Span, sent_index: int) -> bool:
        """"the Sudanese Armed Forces (SAF)": the text itself says the acronym names the phrase
        before it; the acronym becomes that entity's name in this document."""
        reg = self.reg
        doc = ent.doc
        text = span_text(doc, ent.start, ent.end)
        if not (len(ent) == 1 and text.isupper() and 1 < len(text) <= _MAX_ACRONYM and ent.start >= 2
                and ent.end < len(doc) and doc[ent.start - 1].text == "(" and doc[ent.end].text == ")"):
            return False
        head = doc[ent.start - 2]
        if head.pos_ not in ("PROPN", "NOUN"):
            return False
        phrase = doc[head.left_edge.i : head.i + 1]
        core = core_of(phrase)
        if core.start == core.end:
            return False
        known = reg.gaz.lookup(text)
        if known is not None and known.type in ("Group", "Organization") \
                and reg.gaz.lookup(span_text(doc, core.start, core.end)) is None:
            # "the National Liberation Army (ELN)": the listed ELN, whatever the long name says
            entity_id = reg.from_entry(known)
            reg.aliases[name_key(span_text(doc, core.start, core.end))] = entity_id
            reg.records[entity_id].aliases.add(span_text(doc, core.start, core.end))
            return False
        if not abbreviates(text, [t.text for t in core]):
            return False
        linked = self.linker.link(phrase, core, sent_index, "actor")
        if linked is None:
            return False
        reg.aliases[name_key(text)] = linked[0]
        reg.records[linked[0]].aliases.add(text)
        return True

    def nicknames(self, sent: Span) -> None:
        """'Mohamed Hamdan "Hemedti" Dagalo': the name around the quotes is the person's, the
        nickname inside and the name's first part are names of the same person."""
        reg = self.reg
        doc = sent.doc
        quotes = [t.i for t in sent if t.text in QUOTE_CHARS]
        for open_, close in zip(quotes, quotes[1:]):
            inner = doc[open_ + 1 : close]
            if not 1 <= len(inner) <= 3 or not all(t.text[:1].isupper() for t in inner):
                continue
            left = self._name_run(doc, open_ - 1, -1, sent.start)
            right = self._name_run(doc, close + 1, 1, sent.end - 1)
            if not left or not right:
                continue
            full = " ".join([*left, *right])
            entry = reg.gaz.lookup(full)
            entity_id = reg.from_entry(entry) if entry else reg.new_record(full, "Person")
            for alias in (" ".join(left), inner.text, full):
                reg.aliases[name_key(alias)] = entity_id
                reg.records[entity_id].aliases.add(alias)

    def _name_run(self, doc: Doc, i: int, step: int, stop: int) -> list[str]:
        """The capitalised proper-noun words from token i on (step -1: leftwards), no titles."""
        words: list[str] = []
        while (i - stop) * step <= 0 and doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper() \
                and doc[i].lower_ not in self.reg.title_words and len(words) < 3:
            words.append(doc[i].text)
            i += step
        return words[::-1] if step < 0 else words

    def known_as(self, ent: Span, entity_id: str) -> None:
        """"Mohamed Hamdan Dagalo, known as Hemedti" / "the Houthi movement, also known as Ansar
        Allah": the text says both names are one entity; the listed one wins. A name that many
        share ("collectively known as the Three Brotherhood Alliance") is another entity."""
        reg = self.reg
        doc = ent.doc
        i = ent.end + (ent.end < len(doc) and doc[ent.end].text in (",", "("))
        if i < len(doc) and doc[i].lower_ in ("also", "better", "widely", "commonly"):
            i += 1
        if i + 2 >= len(doc) or doc[i].lower_ != "known" or doc[i + 1].lower_ != "as":
            return
        other = next((e for e in ents_in(doc[i + 2 : min(i + 8, len(doc))])
                      if e.start in (i + 2, i + 3) and e.label_ in ENTITY_LABELS), None)
        if other is None:
            return
        name = reg.clean_name(other)
        listed = reg.gaz.lookup(name)
        if listed is not None and reg.gaz.get(entity_id) is None:
            reg.aliases[name_key(reg.clean_name(ent))] = reg.from_entry(listed)
            return
        reg.aliases[name_key(name)] = entity_id
        reg.records[entity_id].aliases.add(name)
