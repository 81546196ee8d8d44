"""People and their titles: "President-elect Donald Trump" holds a title, "the President-elect"
names the person who holds it."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extraction import coref
from kg.extraction.entities import core_of
from kg.extraction.gazetteer import name_key, titles_in
from kg.extraction.registry import EntityRegistry
from kg.extraction.spans import doc_table, ents_in, sentence_bounds, span_text

__all__ = ["TitleReader"]


class TitleReader:
    """Notes the titles of the people a document names and finds the person a title describes.

    Example:
        >>> titles = TitleReader(registry)  # registry: the document's EntityRegistry
        >>> titles.note_titles(ent, "vladimir-putin")  # ent: "President Vladimir Putin"  # doctest: +SKIP
        >>> titles.describe(core, "president", 1)  # core: "the president"  # doctest: +SKIP
        'vladimir-putin'
    """

    def __init__(self, registry: EntityRegistry):
        self.reg = registry
        self._doc_roles: set[str] = set()  # people whose role the document's words gave

    def describe(self, core: Span, title: str, title_len: int) -> str | None:
        """"the President-elect", "the Kremlin leader" -> the matching person's id."""
        reg = self.reg
        doc, title_start = core.doc, core.end - title_len
        body = self.body_in(doc, core.start, title_start)
        found = reg.gaz.country_in(doc, core.start, title_start) if body is None else None
        country_id = reg.from_entry(found[0]) if found else None
        if body is None and country_id is None and any(
                t.pos_ == "NOUN" and t.lower_ not in reg.title_words
                for t in doc[core.start : title_start]):
            return None  # "the rebels' leader" is no head of state, whoever was named last
        person = coref.match_person(title, title == "leader", country_id, reg.people, body)
        if person is not None:
            return person.entity
        holder = reg.gaz.current_holder(title, country_id) if country_id and body is None else None
        return reg.from_entry(holder) if holder is not None else None

    def body_in(self, doc: Doc, start: int, end: int) -> str | None:
        """The party, group or organisation named between tokens start and end whose office a
        title is ("LSK president", "Hamas leader"); seats of power (the Kremlin) are countries."""
        for ent in ents_in(doc[start:end]):
            if ent.label_ != "ORG":
                continue
            name = self.reg.clean_name(ent)
            entry = self.reg.gaz.lookup(name)
            if entry is not None and (entry.represents or entry.type not in ("Group", "Organization")):
                continue
            return self.reg.aliases.get(name_key(name)) or (entry.id if entry else name_key(name))
        return None

    def note_titles(self, ent: Span, entity_id: str) -> None:
        """Record the titles written before or in apposition to a person's name."""
        reg = self.reg
        doc, titles = ent.doc, reg.gaz.titles
        person = reg.person(entity_id)
        person.last_seen = max(person.last_seen, ent.start_char)
        start, first = ent.start, sentence_bounds(doc, ent.start)[0]
        lowers = doc_table(doc).lowers
        while start > first and (
            lowers[start - 1] in reg.title_words or doc[start - 1].ent_type_ in ("GPE", "NORP")
        ):
            start -= 1
        role_span = doc[start : ent.start]
        found = titles_in(span_text(doc, role_span.start, role_span.end), titles)
        if not found:
            appos = [c for c in ent.root.children if c.dep_ == "appos" and not c.ent_type_]
            role_span = doc[appos[0].left_edge.i : appos[0].right_edge.i + 1] if appos else doc[0:0]
            found = titles_in(span_text(doc, role_span.start, role_span.end), titles)
        if not found:
            return
        if start > 0 and doc[start - 1].ent_type_ == "ORG":
            first = start - 1
            while first > 0 and doc[first].ent_iob_ == "I":
                first -= 1
            # "LSK president Eric Theuri" presides over the LSK, not over Kenya
            person.body = self.body_in(doc, first, start)
        person.titles |= found
        person.leader = person.body is None and any(titles.get(t) for t in person.titles)
        record = reg.records[entity_id]
        if entity_id not in self._doc_roles:
            record.learn(role=core_of(role_span).text)  # the document's own words beat the gazetteer's
            self._doc_roles.add(entity_id)
        country = reg.gaz.country_in(doc, role_span.start, role_span.end)
        if country is not None and person.country is None:
            person.country = reg.from_entry(country[0])
            record.learn(country=person.country)
