"""Time expressions: find dates in a Doc and resolve them against the publication date.

Values are ISO 8601: a day ``2024-11-07``, a month ``2024-09``, a year ``2014``, an interval
``2024-11-04/2024-11-10`` or an open interval ``2014/..`` ("since 2014").  News reads relative
dates backwards: "on Thursday" is the most recent Thursday on or before publication, "in
September" the most recent September not after it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from kg.extraction.context import AlignedDates, doc_context
from kg.extraction.spans import doc_ents, doc_table, sentence_bounds
from kg.extraction.stance import clause_head, in_clause
from kg.extraction.vocab import BOUND_PREPS, NOUN_ADJUNCT_DEPS

__all__ = ["TimeExpr", "find_dates", "date_for", "resolve"]

_MONTHS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], 1) for name in names}
_WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
            "a couple of": 2, "a few": 3, "several": 3}

_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|" \
         r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_LONG_MONTH = r"(?:january|february|march|april|june|july|august|september|october|november|" \
              r"december)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" \
       r"a couple of|a few|several)"
_UNIT = r"(?:day|week|month|year|decade)s?"

# Words without which a pattern cannot match (any one of each group must occur in the
# lower-cased text): most documents lack most of them, and a substring test is far cheaper
# than running a case-insensitive alternation at every offset.
_YEARS = ("18", "19", "20")
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LONG_MONTHS = ("january", "february", "march", "april", "june", "july", "august", "september",
                "october", "november", "december")
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Patterns that find expressions spaCy's NER misses; the core group is what is kept.
_PATTERNS = [(re.compile(p, re.I), needs) for p, needs in (
    (rf"(?P<core>{_MONTH} {_DAY},? {_YEAR})", (_YEARS, _MONTH_STEMS)),
    (rf"(?P<core>{_DAY} {_MONTH},? {_YEAR})", (_YEARS, _MONTH_STEMS)),
    (r"(?P<core>\d{4}-\d{2}-\d{2})", ()),
    (rf"(?P<core>{_MONTH},? {_YEAR})", (_YEARS, _MONTH_STEMS)),
    (rf"(?P<core>{_LONG_MONTH} (?:this|last|next) year)", (_LONG_MONTHS, ("year",))),
    (rf"(?P<core>{_LONG_MONTH} {_DAY})\b", (_LONG_MONTHS,)),
    (rf"\b(?:in|since|during|until|from|by|last|early|late|mid-?)\s+(?P<core>{_MONTH})\b",
     (_MONTH_STEMS,)),
    (rf"(?P<core>(?:(?:last|this|next|this past) )?{_WEEKDAY})", (_WEEKDAY_NAMES,)),
    (r"(?P<core>yesterday|today|tomorrow|tonight|(?:this|yesterday) (?:morning|afternoon|evening))",
     (("yesterday", "today", "tomorrow", "tonight", "morning", "afternoon", "evening"),)),
    (r"(?P<core>(?:(?:earlier|later|early|late) )?(?:last|this|next|past|previous|coming) "
     r"(?:week|weekend|month|year))", (("week", "month", "year"),)),
    (rf"(?P<core>(?:(?:over|more than|about|nearly|almost|some|around) )?{_NUM} {_UNIT} ago)",
     (("ago",),)),
    (rf"\b(?:in|since|during|until|from|by|before|after)\s+(?P<core>{_YEAR})\b", (_YEARS,)),
    (r"(?P<core>the (?:1[89]|20)\d0s)", (_YEARS,)),
)]
# Characters other than ASCII letters that a case-insensitive pattern matches to an ASCII
# letter (İ ı ſ and the Kelvin sign): str.lower() does not map them, so a text holding one
# runs every pattern.
_CASE_ODDITIES = "\u0130\u0131\u017f\u212a"
_LEADING_PREP = re.compile(r"(?:on|in|during|since|from) ", re.I)
_LEADING_WORD = re.compile(r"^(?:on|in|the|during|since) ")
_DURATION = re.compile(rf"^(?:the )?(?:(?:over|more than|about|nearly|almost|some|around|within|"
                       rf"for|up to) )?{_NUM} (?:hour|minute|second|day|week|month|year|decade)s?$",
                       re.I)


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A date expression: character span in the Doc, text as written and its ISO value.

    ``value`` is "" for a relative expression when the publication date is unknown.
    """

    start: int
    end: int
    text: str
    value: str


def find_dates(doc: Doc, published: date | None) -> list[TimeExpr]:
    """Date expressions of ``doc`` resolved against ``published``, in text order.

    Candidates are spaCy DATE entities and the patterns above; overlapping candidates keep
    the longest.  Expressions that are durations ("24 hours") or cannot be resolved are left
    out; relative ones keep value "" when ``published`` is None.

    Example:
        >>> # "Russia attacked on Thursday." published 2024-11-11 -> [TimeExpr(.., "Thursday",
        >>> #   "2024-11-07")]
    """
    text = doc_table(doc).text
    candidates: list[tuple[int, int, bool]] = [
        (ent.start_char, ent.end_char, True) for ent in doc_ents(doc) if ent.label_ == "DATE"]
    for pattern in _patterns_for(text):
        for m in pattern.finditer(text):
            candidates.append((m.start("core"), m.end("core"), False))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    out: list[TimeExpr] = []
    for start, end, from_ner in _longest_first(candidates):
        start, end = _trim(text, start, end)
        expr = text[start:end]
        value = resolve(expr, published, use_parser=from_ner)
        if value is None:
            continue
        before = text[max(0, start - 6):start].lower()
        if before.endswith("since "):
            start -= 6
            expr = text[start:end]
            value = value.split("/")[0] + "/.." if value else value
        out.append(TimeExpr(start, end, expr, value))
    return out


def _longest_first(candidates: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """The candidates (sorted longest first) that overlap no longer or earlier one, in text order."""
    if any(c[0] >= c[1] for c in candidates):  # empty spans break the ordering used below
        taken: list[tuple[int, int, bool]] = []
        for cand in candidates:
            if not any(cand[0] < t[1] and t[0] < cand[1] for t in taken):
                taken.append(cand)
        return sorted(taken)
    # the spans kept never overlap, so sorted by start they are sorted by end too: a candidate
    # overlaps one of them exactly when it overlaps the last one starting before it ends
    kept: list[tuple[int, int, bool]] = []
    for cand in candidates:
        n = bisect_left(kept, (cand[1],))
        if n == 0 or kept[n - 1][1] <= cand[0]:
            kept.insert(n, cand)
    return kept


def _patterns_for(text: str) -> list[re.Pattern]:
    """The patterns that can match ``text``: those whose required words all occur in it."""
    if any(c in text for c in _CASE_ODDITIES):
        return [pattern for pattern, _ in _PATTERNS]
    low = text.lower()
    return [pattern for pattern, needs in _PATTERNS
            if all(any(word in low for word in group) for group in needs)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "on"/"in"/"the" an entity may carry and surrounding spaces."""
    m = _LEADING_PREP.match(text, start, end)
    if m:
        start = m.end()  # matched in place: the end is an offset into ``text``
    while end > start and text[end - 1] in " ,.;":
        end -= 1
    return start, end


@lru_cache(maxsize=8192)  # the same phrases ("on Monday", "last week") recur in every document
def resolve(expr: str, published: date | None, *, use_parser: bool = True) -> str | None:
    """ISO value of one expression; "" when relative and ``published`` is None; None if unknown.

    Example:
        >>> resolve("last week", date(2024, 11, 11))
        '2024-11-04/2024-11-10'
    """
    s = " ".join(expr.lower().replace(",", " ").split())
    s = _LEADING_WORD.sub("", s)
    if _DURATION.match(s):
        return None
    absolute = _absolute(s)
    if absolute is not None:
        return absolute
    if published is None:
        return "" if _relative(s, date(2000, 1, 1)) is not None else None
    relative = _relative(s, published)
    if relative is not None:
        return relative
    if use_parser:
        return _with_dateparser(expr, published)
    return None


def _month(word: str) -> int | None:
    return _MONTHS.get(word.rstrip("."))


def _absolute(s: str) -> str | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        return s
    m = re.fullmatch(r"([a-z]+\.?) (\d{1,2})(?:st|nd|rd|th)? (\d{4})", s) or None
    if m and _month(m.group(1)):
        return _iso(int(m.group(3)), _month(m.group(1)), int(m.group(2)))
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+\.?) (\d{4})", s)
    if m and _month(m.group(2)):
        return _iso(int(m.group(3)), _month(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"(?:early |late |mid-?)?([a-z]+\.?) (\d{4})", s)
    if m and _month(m.group(1)):
        return f"{m.group(2)}-{_month(m.group(1)):02d}"
    m = re.fullmatch(r"(?:early |late |mid-?)?(\d{4})", s)
    if m and 1800 <= int(m.group(1)) <= 2099:
        return m.group(1)
    m = re.fullmatch(r"(\d{3})0s", s)
    if m:
        return f"{m.group(1)}0/{m.group(1)}9"
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _week(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _interval(a: date, b: date) -> str:
    return f"{a.isoformat()}/{b.isoformat()}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _relative(s: str, pub: date) -> str | None:
    """Expressions read against the publication date (None when ``s`` is not one)."""
    simple = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
              "this evening": 0, "yesterday": -1, "yesterday morning": -1,
              "yesterday afternoon": -1, "yesterday evening": -1, "last night": -1,
              "tomorrow": 1}
    if s in simple:
        return (pub + timedelta(days=simple[s])).isoformat()
    m = re.fullmatch(r"(?:(last|this|next|this past|past) )?([a-z]+)", s)
    if m and m.group(2) in _WEEKDAYS:
        back = (pub.weekday() - _WEEKDAYS[m.group(2)]) % 7
        if m.group(1) == "next":
            return (pub + timedelta(days=(7 - back) or 7)).isoformat()
        if m.group(1) == "last" and back == 0:
            back = 7
        return (pub - timedelta(days=back)).isoformat()
    m = re.fullmatch(r"(?:(earlier|later|early|late) )?(last|this|next|past|previous|coming) "
                     r"(week|weekend|month|year)", s)
    if m:
        return _period(pub, m.group(2), m.group(3))
    m = re.fullmatch(r"(?:(last|this|next|early|late|mid-?) )?([a-z]+\.?)"
                     r"(?: (this|last|next) year)?", s)
    if m and _month(m.group(2)) and (m.group(2) != "may" or m.group(1) or m.group(3)):
        month = _month(m.group(2))
        year = pub.year if month <= pub.month else pub.year - 1
        if m.group(3):
            year = pub.year + {"this": 0, "last": -1, "next": 1}[m.group(3)]
        elif m.group(1) == "last" and month == pub.month:
            year -= 1
        elif m.group(1) == "next":
            year = pub.year if month > pub.month else pub.year + 1
        return f"{year}-{month:02d}"
    m = re.fullmatch(r"([a-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?", s) or None
    if m and _month(m.group(1)):
        month, day = _month(m.group(1)), int(m.group(2))
        year = pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1
        return _iso(year, month, day)
    m = re.fullmatch(rf"(?:(?:over|more than|about|nearly|almost|some|around) )?({_NUM}) "
                     rf"(day|week|month|year|decade)s? ago", s)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1)]
        unit = m.group(2)
        if unit == "day":
            return (pub - timedelta(days=n)).isoformat()
        if unit == "week":
            return (pub - timedelta(weeks=n)).isoformat()
        if unit == "month":
            year, month = _shift_month(pub.year, pub.month, -n)
            return f"{year}-{month:02d}"
        return str(pub.year - n * (10 if unit == "decade" else 1))
    return None


def _period(pub: date, which: str, unit: str) -> str:
    offset = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[which]
    if unit == "week":
        monday, sunday = _week(pub + timedelta(weeks=offset))
        return _interval(monday, sunday)
    if unit == "weekend":
        monday, _ = _week(pub + timedelta(weeks=offset))
        saturday = monday + timedelta(days=5)
        return _interval(saturday, saturday + timedelta(days=1))
    if unit == "month":
        year, month = _shift_month(pub.year, pub.month, offset)
        return f"{year}-{month:02d}"
    return str(pub.year + offset)


@lru_cache(maxsize=8192)  # a parser per call is slow, and news repeats its date phrases
def _with_dateparser(expr: str, pub: date) -> str | None:
    """Last resort for expressions the rules above do not know; dateparser gives a period."""
    from dateparser.date import DateDataParser

    parser = DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime(pub.year, pub.month, pub.day),
        "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False})
    data = parser.get_date_data(expr)
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "year":
        return str(day.year)
    if data.period == "month":
        return f"{day.year}-{day.month:02d}"
    if data.period == "week":
        return _interval(*_week(day))
    return day.isoformat()


def date_for(trigger: Token, dates: list[TimeExpr]) -> TimeExpr | None:
    """The date expression of the trigger's clause (same clause preferred, then same sentence).

    A nominal trigger's own modifiers come first ("Russia's 2014 annexation", "the attack on
    Sunday"); a date that premodifies another noun, or sits in a clause that neither is nor
    governs the trigger's clause, is not the trigger's.
    """
    if not dates:
        return None
    first, last = sentence_bounds(trigger.doc, trigger.i)
    located = _spans_within(trigger.doc, dates, first, last)
    if not located:
        return None  # most sentences have no date: skip the clause analysis
    head = clause_head(trigger)
    ancestors = None
    nominal = trigger.pos_ not in ("VERB", "AUX")
    own, clause, sentence = [], [], []
    for d, span in located:
        owner = _owner(span.root)
        if nominal and any(t.lower_ in BOUND_PREPS for t in (*span, span.root.head)):
            continue  # "the first visit since 2016" was not in 2016: a noun's act is a point
        if nominal and (owner.i == trigger.i or (
                owner.dep_ in ("relcl", "acl") and owner.head.i == trigger.i)):
            own.append(d)  # "the attack on Sunday", "a call that took place last week"
        elif owner.pos_ in ("NOUN", "PROPN") and owner.i != trigger.i and (
                span.end <= owner.i or owner.dep_ in NOUN_ADJUNCT_DEPS):
            continue  # "Russia's 2014 annexation", "since his election in May" date those acts
        elif any(in_clause(t, head) for t in span):
            clause.append(d)
        else:
            if ancestors is None:
                ancestors = _governing(head)
            if clause_head(owner).i in ancestors:
                sentence.append(d)
    where = trigger.idx
    for group in (own, clause, sentence):
        if group:
            return min(group, key=lambda d: min(abs(d.start - where), abs(d.end - where)))
    return None


def _governing(head: Token) -> set[int]:
    """The clause heads over ``head`` whose dates reach it: up to a coordinated clause with a
    subject of its own ("fighting stopped in 2019, but X still shells Y": 2019 is not Y's)."""
    out, node = {head.i}, head
    while node.head.i != node.i:
        if node.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in node.children):
            break
        node = node.head
        out.add(node.i)
    return out


def _spans_within(doc: Doc, dates: list[TimeExpr], first: int, last: int) -> list[tuple[TimeExpr, Span]]:
    """The dates whose token span lies within tokens ``first``..``last``, in the order given."""
    aligned = _aligned(doc, dates)
    lo = bisect_left(aligned.starts, first)
    hi = bisect_right(aligned.starts, last)
    found = [aligned.spans[k] for k in range(lo, hi) if aligned.spans[k][2].end <= last]
    return [(d, span) for _, d, span in sorted(found, key=lambda item: item[0])]


def _aligned(doc: Doc, dates: list[TimeExpr]) -> AlignedDates:
    """The dates with their token spans, aligned once per Doc and list of dates."""
    context = doc_context(doc)
    if context.dates is not None and context.dates.dates is dates:
        return context.dates
    spans = []
    for n, d in enumerate(dates):
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is not None:
            spans.append((n, d, span))
    spans.sort(key=lambda item: (item[2].start, item[0]))
    context.dates = AlignedDates(dates, spans, [item[2].start for item in spans])
    return context.dates


def _owner(root: Token) -> Token:
    """The word a date attaches to, looking through its preposition ("on Thursday")."""
    head = root.head
    if head.pos_ == "ADP" and head.head.i != head.i:
        head = head.head
    return head
