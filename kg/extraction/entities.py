"""Argument spans -> Mentions with canonical entity ids; the entities a document refers to.

One :class:`EntityResolver` per document: it sees every sentence in order (``observe``), links
argument spans (``resolve``) through names, titles, demonyms, the gazetteer and rule-based
coreference, and finally lists the entities its mentions point to (``entities``). Entity ids
are slugs of canonical names ("donald-trump"), the same in every document and process.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from spacy.tokens import Span, Token

from kg.extraction import coref
from kg.extraction.coref import Antecedent, Person
from kg.extraction.spans import doc_table, ents_in, sentence_bounds, span_text
from kg.extraction.gazetteer import (
    GazEntry,
    Gazetteer,
    name_key,
    slugify,
    strip_possessive,
    titles_in,
)
from kg.extraction.vocab import (
    DETERMINERS,
    ENTITY_LABELS,
    LABEL_TYPES,
    PLACE_PREPS,
    PLURAL_COUNTS,
    QUOTE_CHARS,
    SPACY_LABELS,
)
from kg.extraction.words import COUNTRY_NOUNS, NAME_HONORIFICS, TITLE_MODIFIERS
from kg.types import Entity, Event, Mention

__all__ = ["EntityResolver", "Gazetteer", "GazEntry"]

_MAX_NGRAM = 4
_MAX_ACRONYM = 6
# Two spellings of one name ("Tiani" / "Tchiani", "Abdourahamane" / "Abdourahmane").
_SPELLING_RATIO = 0.75


@dataclass(slots=True)
class _Record:
    """A canonical entity as the document knows it so far (aliases grow as mentions come)."""

    id: str
    name: str
    type: str
    wikidata: str | None = None
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    gender: str | None = None
    aliases: set[str] = field(default_factory=set)


def _label(record: _Record) -> str | None:
    label = SPACY_LABELS.get(record.type)
    return None if label == "MISC" else label


def _core(span: Span) -> Span:
    """The span without leading determiners/punctuation and trailing punctuation."""
    doc = span.doc
    start, end = _core_bounds(doc, span.start, span.end)
    return doc[start:end]


def _core_bounds(doc, start: int, end: int) -> tuple[int, int]:
    """Token bounds of :func:`_core` of ``doc[start:end]``."""
    table = doc_table(doc)
    lowers, puncts = table.lowers, table.puncts
    while start < end and (lowers[start] in DETERMINERS or puncts[start]):
        start += 1
    while end > start and puncts[end - 1]:
        end -= 1
    return start, end


def _abbreviates(acronym: str, words: list[str]) -> bool:
    """Whether the acronym's letters are initials of the words, in order, from the first
    ("RSF" / "Rapid Support Forces", "ECOWAS" / "Economic Community of West African States")."""
    initials = [w[0].upper() for w in words if w[:1].isalpha()]
    if not initials or initials[0] != acronym[0]:
        return False
    it = iter(initials)
    return all(letter in it for letter in acronym)


def _is_plural(token: Token) -> bool:
    return token.tag_ in ("NNS", "NNPS")


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
        self._records: dict[str, _Record] = {}
        self._used: set[str] = set()
        self._aliases: dict[str, str] = {}  # name key -> entity id, this document only
        self._antecedents: list[Antecedent] = []
        self._antecedent_sents: list[int] = []  # their sentence indices, in the same order
        self._in_order = True  # whether those indices never decrease
        self._spans: set[tuple[int, int]] = set()
        self._people: dict[str, Person] = {}
        self._doc_roles: set[str] = set()
        self._title_words = gazetteer.title_words | TITLE_MODIFIERS
        self._members: dict[tuple[int, int], tuple[str, ...]] = {}  # plural description -> entities

    # ------------------------------------------------------------------ public API
    def observe(self, sent: Span, sent_index: int) -> None:
        """Called once per sentence, in order, BEFORE resolve() is called for that sentence's args:
        registers its named entities (doc.ents inside it), titles and appositions as antecedents."""
        self._nicknames(sent)
        for ent in ents_in(sent):
            if ent.label_ not in ENTITY_LABELS:
                continue
            root = ent.root
            if root.dep_ in ("amod", "compound") and ent.label_ != "PERSON":
                continue  # "US intelligence", "Russian drones": a modifier, not a referent
            if ent.label_ == "NORP" and root.pos_ == "ADJ":
                continue
            role = "place" if root.head.lower_ in PLACE_PREPS else "actor"
            if self._acronym_of(ent, sent_index):
                continue
            entity_id = None
            left = root.left_edge.i
            if left < ent.start and self.gaz.lookup(span_text(ent.doc, ent.start, ent.end)) is None:
                # "Russia's Defence Ministry": the phrase is a group, not an entity of its own
                np = ent.doc[left : ent.end]
                entity_id = self._group(np, root, sent_index)
            entity_id = entity_id or self._link_ent(ent, role)
            if entity_id is None:
                continue
            if ent.label_ == "PERSON" or self._records[entity_id].type == "Person":
                self._note_titles(ent, entity_id)
            self._add_antecedent(entity_id, ent, sent_index, self._clean_name(ent))
            self._known_as(ent, entity_id)

    def resolve(self, span: Span, sent_index: int, role: str = "actor") -> Mention:
        """Argument span -> Mention (doc-level char offsets, text as written, label, entity id or None).
        role is "actor" (subject/agent/recipient: Washington/Moscow/the Kremlin -> the country) or
        "place" (target of a physical attack or a location: Moscow stays the city)."""
        doc = span.doc
        base = dict(
            doc_id=self.doc_id, sent_index=sent_index, start=span.start_char,
            end=span.end_char, text=span_text(doc, span.start, span.end),
        )
        core = _core(span)
        if core.start == core.end:
            return Mention(**base)
        pronoun = coref.pronoun_of(core)
        if pronoun is not None:
            antecedent = coref.resolve_pronoun(pronoun, sent_index, self._recent(sent_index))
            if antecedent is None:
                return Mention(**base)
            self._used.add(antecedent.entity)
            self._add_antecedent(antecedent.entity, core, sent_index, antecedent.text)
            record = self._records[antecedent.entity]
            return Mention(
                **base, label=_label(record), entity=record.id, resolved_from=antecedent.text
            )
        members = self._plural(core, sent_index)
        if members:  # one event each, when the events are told (see fan_out)
            self._members[base["start"], base["end"]] = members
            return Mention(**base, label=_label(self._records[members[0]]))
        linked = self._link(span, core, sent_index, role)
        if linked is None:
            return Mention(**base)
        entity_id, label, resolved_from = linked
        self._used.add(entity_id)
        self._add_antecedent(entity_id, core, sent_index,
                             resolved_from or span_text(doc, core.start, core.end))
        return Mention(**base, label=label, entity=entity_id, resolved_from=resolved_from)

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
            record = self._records[entity_id]
            self._used.add(entity_id)
            out.append(replace(mention, label=_label(record), entity=entity_id, resolved_from=record.name))
        return out

    def entities(self) -> tuple[Entity, ...]:
        """Every entity that some resolved Mention points to, sorted by id, with aliases seen."""
        out = []
        for entity_id in sorted(self._used):
            r = self._records[entity_id]
            aliases = tuple(sorted(a for a in r.aliases if a != r.name))
            out.append(
                Entity(
                    id=r.id, name=r.name, type=r.type, aliases=aliases, wikidata=r.wikidata,
                    country=r.country, sector=r.sector, role=r.role,
                )
            )
        return tuple(out)

    # ------------------------------------------------------------------ linking
    def _link(self, span: Span, core: Span, sent_index: int, role: str):
        """(entity id, label, resolved_from) for a non-pronoun span, or None."""
        root = core.root
        doc = core.doc
        has_det = doc_table(doc).lowers[span.start] in DETERMINERS
        if has_det and len(core) == 1 and root.lemma_.lower() in COUNTRY_NOUNS:
            ant = coref.resolve_country_noun(sent_index, span.start_char, self._recent(sent_index))
            return (ant.entity, "GPE", ant.text) if ant else None
        title = coref.title_at_end(core, self.gaz.titles)
        if title is not None and not _is_plural(root) and (has_det or title[1] < len(core)):
            if not any(e.label_ == "PERSON" for e in ents_in(core)):
                found = self._describe(core, *title)
                return (found, "PERSON", self._records[found].name) if found else None
        hit = self._lookup_phrase(core, root, self._gaz_alias)
        if hit is None:
            group = self._group(core, root, sent_index)
            if group is not None:
                return group, "NORP", None
            hit = self._lookup_phrase(core, root, self._doc_alias)
        if hit is not None:
            entity_id = self._represented(hit, role)
            return entity_id, _label(self._records[entity_id]), None
        if len(core) == 1 and root.pos_ == "PROPN" and not root.ent_type_:
            given = self._spelled_like(root.text)  # "Tarek", untagged, after "Tarek Halabi"
            if given is not None:
                return given, "PERSON", self._records[given].name
        demonym = self.gaz.demonym(span_text(doc, core.start, core.end))
        if demonym is not None and root.pos_ in ("PROPN", "NOUN", "ADJ"):
            entity_id = self._represented(self._from_entry(demonym), role)
            return entity_id, "GPE", None
        ent = self._head_ent(core, root)
        if ent is not None:
            entity_id = self._link_ent(ent, role)
            if entity_id is not None:
                if ent.label_ == "PERSON":
                    self._note_titles(ent, entity_id)
                return entity_id, ent.label_, None
        return None

    def _represented(self, entity_id: str, role: str) -> str:
        """Moscow/the Kremlin -> russia when acting; the city itself as a place."""
        entry = self.gaz.get(entity_id)
        if role == "actor" and entry is not None and entry.represents:
            return self._from_entry(self.gaz.entries[entry.represents])
        return entity_id

    def _gaz_alias(self, text: str) -> str | None:
        # a surname this document gave its own bearer ("General Michel Aoun ... Aoun") is theirs
        entry = self.gaz.lookup(text, weak=name_key(text) not in self._aliases)
        return self._from_entry(entry) if entry is not None else None

    def _doc_alias(self, text: str) -> str | None:
        return self._aliases.get(name_key(text))

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
                self._records[entity_id].aliases.add(strip_possessive(text))
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
        if root.lower_ in self.gaz.title_heads or root.lower_ in TITLE_MODIFIERS:
            return next((e for e in ents if e.label_ == "PERSON"), None)
        return None

    def _group(self, core: Span, root: Token, sent_index: int) -> str | None:
        """"Ukrainian forces" / "Russia's Defence Ministry" -> the country's sector group."""
        doc, groups = core.doc, self.gaz.groups
        head_start, sector = None, None
        for n in range(min(_MAX_NGRAM, root.i - core.start + 1), 0, -1):
            key = name_key(span_text(doc, root.i - n + 1, root.i + 1))
            if key in groups:
                head_start, sector = root.i - n + 1, groups[key]
                break
        at_root = sector is not None
        for c in reversed([c for c in root.lefts if c.dep_ == "compound"] if sector is None else []):
            for first in (c.left_edge.i, c.i):
                key = name_key(span_text(doc, first, c.i + 1))
                if key in groups:
                    head_start, sector = first, groups[key]
                    break
            if sector is not None:
                break
        if sector is None:
            return None
        # "M23 rebels": the group noun heads the phrase ("Hamas official Basem Naim" is a person)
        named = self._named_group(core, head_start) if at_root else None
        if named is not None:
            return named
        found = self.gaz.country_in(doc, core.start, head_start)
        country, alias_start = found if found else (self._owner_country(core, head_start, sent_index), None)
        if country is None:
            return None
        group_id = f"{country.id}-{sector}"
        if group_id not in self._records:
            self._records[group_id] = _Record(
                id=group_id, name=f"{self.gaz.primary_demonym(country)} {sector}", type="Group",
                country=self._from_entry(country), sector=sector,
            )
        if alias_start is not None:  # "its troops" is no name of the group
            self._records[group_id].aliases.add(span_text(doc, alias_start, root.i + 1))
        return group_id

    def _named_group(self, core: Span, head_start: int) -> str | None:
        """"M23 rebels", "Houthi fighters", "RSF troops": the armed group or body the modifier
        names, not its country's rebels."""
        doc = core.doc
        for start in range(core.start, head_start):
            for end in range(head_start, start, -1):
                if doc[end].pos_ == "ADJ" or doc[end].ent_type_ == "NORP":
                    continue  # "West" of "West German activists" is part of an adjective
                text = span_text(doc, start, end)
                entry = self.gaz.lookup(text) if text[:1].isupper() else None
                if entry is not None and entry.type in ("Group", "Organization"):
                    return self._from_entry(entry)
        return None

    def _acronym_of(self, ent: Span, sent_index: int) -> bool:
        """"the Sudanese Armed Forces (SAF)": the text itself says the acronym names the phrase
        before it; the acronym becomes that entity's name in this document."""
        doc = ent.doc
        text = span_text(doc, ent.start, ent.end)
        if not (len(ent) == 1 and text.isupper() and 1 < len(text) <= _MAX_ACRONYM and ent.start >= 2
                and ent.end < len(doc) and doc[ent.start - 1].text == "(" and doc[ent.end].text == ")"):
            return False
        head = doc[ent.start - 2]
        if head.pos_ not in ("PROPN", "NOUN"):
            return False
        phrase = doc[head.left_edge.i : head.i + 1]
        core = _core(phrase)
        if core.start == core.end:
            return False
        known = self.gaz.lookup(text)
        if known is not None and known.type in ("Group", "Organization") \
                and self.gaz.lookup(span_text(doc, core.start, core.end)) is None:
            # "the National Liberation Army (ELN)": the listed ELN, whatever the long name says
            entity_id = self._from_entry(known)
            self._aliases[name_key(span_text(doc, core.start, core.end))] = entity_id
            self._records[entity_id].aliases.add(span_text(doc, core.start, core.end))
            return False
        if not _abbreviates(text, [t.text for t in core]):
            return False
        linked = self._link(phrase, core, sent_index, "actor")
        if linked is None:
            return False
        self._aliases[name_key(text)] = linked[0]
        self._records[linked[0]].aliases.add(text)
        return True

    def _nicknames(self, sent: Span) -> None:
        """'Mohamed Hamdan "Hemedti" Dagalo': the name around the quotes is the person's, the
        nickname inside and the name's first part are names of the same person."""
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
            entry = self.gaz.lookup(full)
            entity_id = self._from_entry(entry) if entry else self._new_record(full, "Person")
            for alias in (" ".join(left), inner.text, full):
                self._aliases[name_key(alias)] = entity_id
                self._records[entity_id].aliases.add(alias)

    def _name_run(self, doc, i: int, step: int, stop: int) -> list[str]:
        """The capitalised proper-noun words from token i on (step -1: leftwards), no titles."""
        words: list[str] = []
        while (i - stop) * step <= 0 and doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper() \
                and doc[i].lower_ not in self._title_words and len(words) < 3:
            words.append(doc[i].text)
            i += step
        return words[::-1] if step < 0 else words

    def _known_as(self, ent: Span, entity_id: str) -> None:
        """"Mohamed Hamdan Dagalo, known as Hemedti" / "the Houthi movement, also known as Ansar
        Allah": the text says both names are one entity; the listed one wins. A name that many
        share ("collectively known as the Three Brotherhood Alliance") is another entity."""
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
        name = self._clean_name(other)
        listed = self.gaz.lookup(name)
        if listed is not None and self.gaz.get(entity_id) is None:
            self._aliases[name_key(self._clean_name(ent))] = self._from_entry(listed)
            return
        self._aliases[name_key(name)] = entity_id
        self._records[entity_id].aliases.add(name)

    def _owner_country(self, core: Span, head_start: int, sent_index: int) -> GazEntry | None:
        """The country behind a possessive pronoun ("its air defence systems", "their troops")."""
        for tok in core.doc[core.start : head_start]:
            if tok.lower_ in ("its", "their"):
                ant = coref.resolve_pronoun(tok, sent_index, self._recent(sent_index))
                if ant is None:
                    return None
                record = self._records[ant.entity]
                owner = ant.entity if record.type == "Country" else record.country
                entry = self.gaz.get(owner) if owner else None
                return entry if entry is not None and entry.type == "Country" else None
        return None

    def _plural(self, core: Span, sent_index: int) -> tuple[str, ...]:
        """The entities a plural description stands for ("the two presidents", "both
        governments", "the rival factions"), () for any other span."""
        root, doc = core.root, core.doc
        if not _is_plural(root) or any(e.label_ in ENTITY_LABELS for e in ents_in(core)):
            return ()
        before = [t.lower_ for t in doc[max(core.start - 1, 0) : root.i]]
        if not any(w in DETERMINERS or w in PLURAL_COUNTS for w in before):
            return ()  # "governments" alone is any governments
        count = next((PLURAL_COUNTS[w] for w in before if w in PLURAL_COUNTS), None)
        head = root.lemma_.lower()
        if head in coref.PLURAL_HEADS:
            types = coref.PLURAL_HEADS[head]
            fits = lambda a: a.type in types  # noqa: E731
        elif head in self.gaz.titles:
            def fits(a):
                person = self._people.get(a.entity) if a.type == "Person" else None
                return person is not None and person.body is None and (
                    person.leader if head == "leader" else head in person.titles)
        else:
            return ()
        found = coref.plural_members(count, fits, sent_index, core.start_char, self._antecedents)
        return tuple(a.entity for a in found)

    # ------------------------------------------------------------------ people and titles
    def _describe(self, core: Span, title: str, title_len: int) -> str | None:
        """"the President-elect", "the Kremlin leader" -> the matching person's id."""
        doc, title_start = core.doc, core.end - title_len
        body = self._body_in(doc, core.start, title_start)
        found = self.gaz.country_in(doc, core.start, title_start) if body is None else None
        country_id = self._from_entry(found[0]) if found else None
        if body is None and country_id is None and any(
                t.pos_ == "NOUN" and t.lower_ not in self._title_words
                for t in doc[core.start : title_start]):
            return None  # "the rebels' leader" is no head of state, whoever was named last
        person = coref.match_person(title, title == "leader", country_id, self._people, body)
        if person is not None:
            return person.entity
        holder = self.gaz.current_holder(title, country_id) if country_id and body is None else None
        return self._from_entry(holder) if holder is not None else None

    def _body_in(self, doc, start: int, end: int) -> str | None:
        """The party, group or organisation named between tokens start and end whose office a
        title is ("LSK president", "Hamas leader"); seats of power (the Kremlin) are countries."""
        for ent in ents_in(doc[start:end]):
            if ent.label_ != "ORG":
                continue
            name = self._clean_name(ent)
            entry = self.gaz.lookup(name)
            if entry is not None and (entry.represents or entry.type not in ("Group", "Organization")):
                continue
            return self._aliases.get(name_key(name)) or (entry.id if entry else name_key(name))
        return None

    def _note_titles(self, ent: Span, entity_id: str) -> None:
        """Record the titles written before or in apposition to a person's name."""
        doc, titles = ent.doc, self.gaz.titles
        person = self._person(entity_id)
        person.last_seen = max(person.last_seen, ent.start_char)
        start, first = ent.start, sentence_bounds(doc, ent.start)[0]
        lowers = doc_table(doc).lowers
        while start > first and (
            lowers[start - 1] in self._title_words or doc[start - 1].ent_type_ in ("GPE", "NORP")
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
            person.body = self._body_in(doc, first, start)
        person.titles |= found
        person.leader = person.body is None and any(titles.get(t) for t in person.titles)
        record = self._records[entity_id]
        if entity_id not in self._doc_roles:
            record.role = _core(role_span).text  # the document's own words beat the gazetteer's
            self._doc_roles.add(entity_id)
        country = self.gaz.country_in(doc, role_span.start, role_span.end)
        if country is not None and person.country is None:
            person.country = record.country = self._from_entry(country[0])

    # ------------------------------------------------------------------ records
    def _clean_name(self, ent: Span) -> str:
        """An entity's name as written, without determiner, possessive or leading titles."""
        doc = ent.doc
        lowers = doc_table(doc).lowers
        start, end = _core_bounds(doc, ent.start, ent.end)
        if ent.label_ == "PERSON":
            while end - start > 1 and lowers[start] in self._title_words:
                start += 1
        while end - start > 1 and lowers[start] in NAME_HONORIFICS:
            start += 1  # "Mr Ruto", whatever the tagger called it
        while end > start and lowers[end - 1] in ("'s", "\u2019s", "'"):
            end -= 1
        if start == end:
            return span_text(doc, ent.start, ent.end)
        return strip_possessive(span_text(doc, start, end))

    def _link_ent(self, ent: Span, role: str) -> str | None:
        """A named entity -> canonical id (document alias, gazetteer, surname, or new slug)."""
        name = self._clean_name(ent)
        key = name_key(name)
        if not key:
            return None
        entity_id = self._aliases.get(key)
        if entity_id is None:
            entry = self.gaz.lookup(name)
            if entry is None and ent.label_ == "NORP":
                entry = self.gaz.demonym(name)
            if entry is not None:
                entity_id = self._from_entry(entry)
            else:
                entity_id = (self._spelled_like(name) if ent.label_ == "PERSON" else None) or \
                    self._new_record(name, LABEL_TYPES.get(ent.label_, "OtherEntity"))
        self._aliases.setdefault(key, entity_id)
        self._records[entity_id].aliases.add(name)
        return self._represented(entity_id, role)

    def _spelled_like(self, name: str) -> str | None:
        """A person of this document whose full name is another spelling of ``name``, word by
        word ("Abdourahmane Tiani" / "Abdourahamane Tchiani"), or whose given name ``name`` is;
        None when none or several."""
        words = name_key(name).split()
        if len(words) == 1:
            # "Shehbaz" after "Shehbaz Sharif": a given name alone, when one person bears it here
            found = {r.id for r in self._records.values()
                     if r.type == "Person" and len(r.name.split()) > 1
                     and name_key(r.name).split()[0] == words[0]}
            return found.pop() if len(found) == 1 else None
        found = {
            r.id for r in self._records.values()
            if r.type == "Person" and len(name_key(r.name).split()) == len(words)
            and all(SequenceMatcher(None, a, b).ratio() >= _SPELLING_RATIO
                    for a, b in zip(words, name_key(r.name).split()))
        }
        return found.pop() if len(found) == 1 else None

    def _new_record(self, name: str, type_: str) -> str:
        entity_id = slugify(name)
        if entity_id not in self._records:
            self._records[entity_id] = _Record(id=entity_id, name=name, type=type_)
            self._register_names(entity_id, name, type_)
        return entity_id

    def _from_entry(self, entry: GazEntry) -> str:
        """Make (once) the document record of a gazetteer entry; returns its id."""
        if entry.id not in self._records:
            self._records[entry.id] = _Record(
                id=entry.id, name=entry.name, type=entry.type, wikidata=entry.wikidata,
                country=entry.country, role=entry.role, gender=entry.gender,
            )
            self._register_names(entry.id, entry.name, entry.type)
        return entry.id

    def _register_names(self, entity_id: str, name: str, type_: str) -> None:
        """Short forms later mentions in this document may use: a person's surname, the last
        word of a publication ("The Washington Post" -> "the Post")."""
        self._aliases.setdefault(name_key(name), entity_id)
        words = name.split()
        if type_ == "Person" and len(words) > 1:
            self._aliases.setdefault(name_key(words[-1]), entity_id)
        elif type_ == "Organization" and len(words) > 2 and words[0] == "The":
            self._aliases.setdefault(name_key(words[-1]), entity_id)

    def _add_antecedent(self, entity_id: str, span: Span, sent_index: int, text: str) -> None:
        if (span.start_char, span.end_char) in self._spans:
            return
        self._spans.add((span.start_char, span.end_char))
        record = self._records[entity_id]
        root = span.root
        if self._antecedent_sents and sent_index < self._antecedent_sents[-1]:
            self._in_order = False
        self._antecedent_sents.append(sent_index)
        self._antecedents.append(
            Antecedent(
                entity=entity_id, type=record.type, text=text, sent_index=sent_index,
                start=span.start_char, end=span.end_char, subject=coref.is_subject(root),
                plural=_is_plural(root),
                gender=record.gender,
            )
        )
        if record.type == "Person":
            person = self._person(entity_id)
            person.last_seen = max(person.last_seen, span.start_char)

    def _recent(self, sent_index: int) -> list[Antecedent]:
        """The antecedents coreference may pick for a sentence: those of the last
        ``coref.WINDOW`` sentences and later ones, in the order seen (all of them when
        sentences came out of order), so a long document costs in proportion to length."""
        if not self._in_order:
            return self._antecedents
        return self._antecedents[bisect_left(self._antecedent_sents, sent_index - coref.WINDOW):]

    def _person(self, entity_id: str) -> Person:
        """The title/country record of a person, started from the gazetteer's current role."""
        if entity_id not in self._people:
            entry = self.gaz.get(entity_id)
            self._people[entity_id] = coref.new_person(
                entity_id, self._records[entity_id].country, entry.role if entry else None,
                self.gaz.titles,
            )
        return self._people[entity_id]
