"""Event selection: which extracted relations are the coded events of a sentence, one per event.

Works on :class:`~kg.types.Event` records only (no parse), so the same selection runs inside an
:class:`~kg.extraction.extractor.Extractor` and after the fact on an Extraction from a worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from kg.extraction.events import STATEMENT_ROOT
from kg.extraction.nominal import MUTUAL_PATTERN
from kg.extraction.roles import actorness
from kg.extraction.vocab import PLACE_LABELS, PLACE_PREPS
from kg.extraction.words import DESCRIPTIVE_LEMMAS, INTENT_WORDS, STATEMENT_VERBS
from kg.types import Event, Evidence, Extraction, Mention

__all__ = ["report_content", "select_events", "only_events"]

# Codes of a bare intent or threat ("vowed", "threatened"): the intended act, when coded, is
# the more specific event ("vowed to wage war" is a threat of force, not a promise).
INTENT_ROOTS = frozenset({"03", "13"})


def _contains(outer: Mention | None, e: Event) -> bool:
    return (outer is not None and e.relation_start is not None
            and outer.start <= e.relation_start < outer.end)


def _overlaps(a: Mention | None, b: Mention | None) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def _statement(e: Event) -> bool:
    return (e.cameo or "").startswith(STATEMENT_ROOT)


def _addressed_to_nobody(e: Event) -> bool:
    """A statement about no one ("X said that people wanted peace", "X said in a statement"):
    words with no actor to address are not an event between actors."""
    return _statement(e) and actorness(e.object) < 2


def _reported(e: Event, coded: list[Event]) -> bool:
    """A statement whose content (object or clause after it) holds another coded event."""
    if not _statement(e) or e.lemma not in STATEMENT_VERBS:
        return False
    return any(o is not e and not _statement(o) and o.evidence == e.evidence
               and (_contains(e.object, o) or _overlaps(o.attributed_to, e.subject))
               for o in coded)


def _by_sentence(events: list[Event]) -> dict[Evidence, list[Event]]:
    """Events grouped by their evidence sentence, in order: rules that compare an event with the
    others of its sentence look at those only, so a long document costs in proportion to length."""
    groups: dict[Evidence, list[Event]] = {}
    for e in events:
        groups.setdefault(e.evidence, []).append(e)
    return groups


def report_content(events: list[Event]) -> list[Event]:
    """Default output: a statement that reports a coded event stays a plain relation.

    "Officials said X signed a deal": the deal is the event; "said" keeps its line (an
    open relation) without a CAMEO code, and its speaker becomes the deal's source.
    """
    coded = _by_sentence([e for e in events if e.cameo is not None])
    out = []
    for e in events:
        if _reported(e, coded.get(e.evidence, [])):
            e = replace(e, cameo=None, plover=None, goldstein=None)
        out.append(e)
    return out


def select_events(events: Iterable[Event], depth: Mapping[int, int] | None = None) -> list[Event]:
    """The coded events of a sentence list, one per event.

    Readings of one trigger are merged: the ones whose subject and object look most like actors
    win (then confidence); conjoined subjects or objects that are actors stay separate events.
    Statements whose content is a coded event are dropped (the content is the event), and so are
    hypothetical acts (conditions, "could", "might"). In each
    sentence the main event is kept (actor source and target, coded act rather than statement,
    earlier subject first), with the other readings of its trigger (conjoined or reciprocal
    actors); a sentence with no coded event keeps its best actor-to-actor relation, uncoded.

    Args:
        depth: clause depth of each trigger by its start offset (0 for the root verb), when the
            parse is at hand; among equally good readings the higher clause is the main event.
    """
    # the partner's side of a symmetric act ("Y met X" read from "X's meeting with Y") is the
    # same event: CAMEO codes the subject as its source
    events = dedupe([e for e in events if e.pattern != MUTUAL_PATTERN])
    uncoded = [e for e in events if e.cameo is None]
    # a hypothetical act ("if it is attacked", "unless Israel rescinds") has not happened and
    # is not promised: CAMEO codes no event for it
    events = [e for e in events if e.cameo is not None and e.modality != "hypothetical"]
    same = _by_sentence(events)
    events = [e for e in events if not _reported(e, same[e.evidence])]
    same = _by_sentence(events)
    events = [e for e in events if not _governed(e, same[e.evidence])]
    by_trigger: dict[tuple, list[Event]] = {}
    for e in events:
        by_trigger.setdefault((e.evidence.doc, e.evidence.sent, e.relation_start, e.lemma), []).append(e)
    merged: list[list[Event]] = []
    for group in by_trigger.values():
        if any(actorness(e.object) == 2 and not _place_reading(e) for e in group):
            # "beat up detainees on the West Bank": the place says where, the actor whom
            group = [e for e in group if not _place_reading(e)]
        rank = max(actorness(e.subject) + actorness(e.object) for e in group)
        best = [e for e in group if actorness(e.subject) + actorness(e.object) == rank]
        if rank < 4:
            best = _reciprocal(best) or [max(best, key=lambda e: e.confidence)]
        best += _conjoined(group, best) + _conjoined_objects(group, best)
        # after the partners of conjoined speakers are found ("X and Y reaffirmed their wish")
        best = [e for e in best if not _addressed_to_nobody(e)]
        seen: set[tuple] = set()
        kept = []
        for e in sorted(best, key=lambda e: -e.confidence):
            key = (e.subject.entity or e.subject.text, (e.object.entity or e.object.text) if e.object else None)
            if key not in seen and not any(_nested_subject(e, k) or _nested_object(e, k) for k in kept):
                seen.add(key)
                kept.append(e)
        # one trigger, one act: conjoined actors share its code ("violated the truce in A
        # and in B" is not two kinds of violation)
        if kept:
            merged.append([e for e in kept if e.cameo == kept[0].cameo])
    out = [e for group in _main_events(merged, depth or {}) for e in group]
    if FALLBACK_ACTORNESS:
        done = {(e.evidence.doc, e.evidence.sent) for e in out}
        spare: dict[tuple, Event] = {}
        for e in uncoded:
            key = (e.evidence.doc, e.evidence.sent)
            if (key in done or actorness(e.subject) < FALLBACK_ACTORNESS or actorness(e.object) < FALLBACK_ACTORNESS
                    or e.lemma in DESCRIPTIVE_LEMMAS or _overlaps(e.subject, e.object)):
                continue
            if key not in spare or _weight(e) > _weight(spare[key]):
                spare[key] = e
        out += spare.values()
    return sorted(out, key=lambda e: (e.evidence.sent, e.relation_start or 0))


def _weight(e: Event, depth: Mapping[int, int] | None = None) -> tuple:
    """How much a reading looks like the sentence's event: actors, then a coded act, then rank."""
    # the sentence reports its main clause's act ("condemned an attack by X" is a condemnation);
    # then the main clause's subject usually opens the sentence: an earlier subject breaks ties
    level = (depth or {}).get(e.relation_start or 0, 0)
    return (min(actorness(e.subject), 2) + min(actorness(e.object), 2) + (0 if _statement(e) else 2)
            + (level == 0 and not _statement(e)), -level, -e.subject.start, e.confidence)


def _main_events(groups: list[list[Event]], depth: Mapping[int, int]) -> list[list[Event]]:
    """Per sentence, the trigger group of the main event (see :func:`select_events`)."""
    by_sent: dict[tuple, list[list[Event]]] = {}
    for g in groups:
        by_sent.setdefault((g[0].evidence.doc, g[0].evidence.sent), []).append(g)
    out = []
    for sent_groups in by_sent.values():
        ranked = sorted(sent_groups, key=lambda g: max(_weight(e, depth) for e in g), reverse=True)
        # one event a sentence: further coded triggers cost more precision than they add, but
        # for coordinated main verbs of one subject ("X condemned A and promised B")
        main = ranked[0]
        out.append(main)
        out.extend(g for g in ranked[1:] if _coordinated(g[0], main[0], depth))
    return out


# A sentence with no coded event keeps its best plain relation when both arguments are at
# least capitalised phrases (actorness 1): the dyad is still what an event-coding user asks for.
FALLBACK_ACTORNESS = 1


def _coordinated(e: Event, main: Event, depth: Mapping[int, int]) -> bool:
    """Another main-clause act of the main event's own subject (a coordinated predicate)."""
    return (bool(depth) and not _statement(e) and not _statement(main)
            and depth.get(e.relation_start or 0, 1) == 0 == depth.get(main.relation_start or 0, 1)
            and e.relation_start != main.relation_start
            and (e.subject.start, e.subject.end) == (main.subject.start, main.subject.end)
            # "killed X and wounded others": a second act on the same target is one event
            and e.object is not None and not _overlaps(e.object, main.object))


def _governed(e: Event, events: list[Event]) -> bool:
    """One of two nested readings that code the same act: "refused to meet X" keeps the coded
    meeting (125), "urged X to withdraw" keeps the appeal, not the requested withdrawal."""
    for o in events:
        if o is e or o.evidence != e.evidence:
            continue
        if _contains(e.object, o) and o.subject.text == e.subject.text and not _statement(o):
            return True  # e governs o, the act it qualifies: o carries the code
        if _contains(o.object, e) and e.modality == "requested" and o.subject.text != e.subject.text:
            return True  # e is what o asks for: o is the event
        if (e.lemma in INTENT_WORDS and (e.cameo or "")[:2] in INTENT_ROOTS
                and o.modality == "intended" and o.subject.text == e.subject.text
                and (o.relation_start or 0) > (e.relation_start or 0)):
            # "vowed on Thursday to wage war": the intended act, coded as intended, is the
            # event even when the parse gives the intent verb another object
            return True
    return False


def _place_reading(e: Event) -> bool:
    """A reading whose object is a place after a place preposition ("beat up on | the West Bank")."""
    words = e.relation.split()
    return (e.object is not None and e.object.label in PLACE_LABELS and bool(words)
            and words[-1].lower() in PLACE_PREPS)


def _conjoined(group: list[Event], best: list[Event]) -> list[Event]:
    """Readings of the same trigger whose subject is another actor with the same object as a
    kept reading: conjoined subjects ("Fornost and Gondor welcomed X") share the event even
    when only one of them is a recognised entity."""
    kept = {(e.subject.start, e.subject.end) for e in best}
    out = []
    for e in group:
        span = (e.subject.start, e.subject.end)
        if span in kept or actorness(e.subject) < 1:
            continue
        if any(_same_object(e, b) and not _overlaps(e.subject, b.subject) for b in best):
            kept.add(span)
            out.append(e)
    return out


def _conjoined_objects(group: list[Event], best: list[Event]) -> list[Event]:
    """Readings of the same trigger and subject whose object is another actor: conjoined
    objects ("warned both Serbia and Kosovo") are one event each, whoever the subject is."""
    kept = [(e.subject.start, e.subject.end) for e in best]
    return [e for e in group if e not in best and (e.subject.start, e.subject.end) in kept
            and actorness(e.object) == 2 and not any(_overlaps(e.object, b.object) for b in best)
            and any(e.cameo == b.cameo for b in best)]


def _nested_subject(a: Event, b: Event) -> bool:
    """Two readings of one act whose sources are one phrase and a word of it ("Israeli
    helicopters" and "Israeli") and whose targets are the same: one actor, one event."""
    if a.object is None or b.object is None or (a.object.entity or a.object.text) != (b.object.entity or b.object.text):
        return False
    return _overlaps(a.subject, b.subject)


def _nested_object(a: Event, b: Event) -> bool:
    """Two readings of one act by one source whose targets are a phrase and a word of it
    ("Nigerian President X" and "Nigerian"): the title's nation is not a second target."""
    return ((a.subject.entity or a.subject.text) == (b.subject.entity or b.subject.text)
            and _overlaps(a.object, b.object))


def _same_object(a: Event, b: Event) -> bool:
    if a.object is None or b.object is None:
        return a.object is b.object
    return (a.object.start, a.object.end) == (b.object.start, b.object.end)


def _reciprocal(readings: list[Event]) -> list[Event]:
    """Conjoined actors of a trigger with no actor object: each is the other's partner
    ("India and China held talks" -> India-China and China-India), as CAMEO's coders
    distribute compound actors."""
    actors = [e for e in readings if actorness(e.subject) and actorness(e.object) < 2]
    subjects = {e.subject.text: e for e in actors}
    if len(subjects) < 2:
        return []
    out = []
    for text, e in subjects.items():
        other = next(o for t, o in subjects.items() if t != text)
        out.append(replace(e, object=other.subject))
    return out


def only_events(extraction: Extraction) -> Extraction:
    """An Extraction with only its coded events, one per event (see :func:`select_events`)."""
    return replace(extraction, events=tuple(select_events(extraction.events)))


def dedupe(events: list[Event]) -> list[Event]:
    """Drop repeated readings of one fact (same sentence, subject, lemma, object): keep the best.

    A fact whose two sides resolve to one entity ("Lavrov, the minister" read as Lavrov be Lavrov)
    says nothing and is dropped too.
    """
    best: dict[tuple, Event] = {}
    order: list[tuple] = []
    for e in events:
        if e.object is not None and e.subject.entity is not None and e.subject.entity == e.object.entity:
            continue
        key = (e.evidence.sent, e.subject.start, e.subject.end, e.lemma,
               (e.object.start, e.object.end) if e.object else None)
        if key not in best:
            order.append(key)
            best[key] = e
        elif e.confidence > best[key].confidence:
            best[key] = e
    return [best[k] for k in order]
