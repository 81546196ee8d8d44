"""Event typing: trigger lemmas to CAMEO codes, PLOVER types and Goldstein scores.

The rules are data (``data/lexicon/events*.tsv``): ``events.tsv`` lists the triggers,
``events-cameo.tsv`` the CAMEO codebook (label, Goldstein score, PLOVER types) and
``events-negation.tsv`` which negated cooperative codes CAMEO codes as a rejection and
``events-modality.tsv`` how intended and requested acts are coded (intents, threats, appeals).

Negation policy: "refused to meet", "did not agree to talks", "will not sign" are coded as
CAMEO's rejection of the cooperative act (036 -> 125, 057 -> 127, 07x -> 122x, ...) as the
codebook does; :attr:`EventType.from_negation` tells that the code already carries the
negation.  Other negated events ("did not oppose", "never attacked") keep their positive
code and the caller flags the event ``negated=True``.

Negation, modality, attribution, quotes and location live in :mod:`kg.extraction.stance`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import DataError
from kg.extraction.words import CURRENCY_WORDS, NOT_CURRENCIES
from kg.resources import data_dir, read_tsv

__all__ = ["EventType", "EventLexicon", "Codebook", "currency_words", "STATEMENT_ROOT"]

# Statements ("said", "told", "noted"): when their content is a coded event they report it
# rather than being one (CAMEO codes the reported act, the speaker is its source).
STATEMENT_ROOT = "01"

EVENT_COLUMNS = ("id", "lemma", "particle", "prep", "object", "nominal", "cameo", "plover",
                 "goldstein", "label")
CODEBOOK_COLUMNS = ("code", "label", "goldstein", "plover")
NEGATION_COLUMNS = ("id", "cameo", "negated")
MODALITY_COLUMNS = ("id", "cameo", "modality", "negated", "code")
_SHIFTED = ("intended", "requested")
# CAMEO's appeals (02) and demands (10) run in parallel: 021/101 cooperation, ..., 025/105 yield
APPEAL_ROOT, DEMAND_ROOT = "02", "10"
_CODE = re.compile(r"^(0[1-9]|1[0-9]|20)\d{0,2}$")
# Weights of the narrowing columns: an object pattern says most about the event
# ("strike a deal" vs "strike"), then particle and preposition.
_WEIGHTS = {"object": 4, "particle": 2, "prep": 2}


@dataclass(frozen=True, slots=True)
class EventType:
    """The type of an event: lexicon row id, CAMEO code, PLOVER type, Goldstein score, label."""

    id: str
    cameo: str
    plover: str | None
    goldstein: float
    label: str

    @property
    def from_negation(self) -> bool:
        """True when the code is CAMEO's rejection of a negated cooperative act."""
        return self.id.startswith("neg-")


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One CAMEO code of the codebook."""

    code: str
    label: str
    goldstein: float
    plover: tuple[str, ...]

    @property
    def root(self) -> str:
        return self.code[:2]


@dataclass(frozen=True, slots=True)
class _Row:
    id: str
    lemma: str
    particle: str
    prep: str
    object: str
    nominal: bool
    type: EventType
    line: int


def _score(path: Path, value: str, line: int, id: str) -> float:
    try:
        score = float(value)
    except ValueError:
        raise DataError(str(path), f"Goldstein score {value!r} is not a number", line, id) from None
    if not -10.0 <= score <= 10.0:
        raise DataError(str(path), f"Goldstein score {score} outside [-10, 10]", line, id)
    return score


class Codebook:
    """The CAMEO codes: label, Goldstein score and PLOVER types per code."""

    def __init__(self, codes: dict[str, CodeInfo], path: Path):
        self.codes = codes
        self.path = path

    @classmethod
    def load(cls, path: Path | None = None) -> Codebook:
        """Read and validate ``events-cameo.tsv`` (default: the shipped one)."""
        path = Path(path) if path else data_dir("lexicon") / "events-cameo.tsv"
        codes: dict[str, CodeInfo] = {}
        for n, row in read_tsv(path, CODEBOOK_COLUMNS):
            code = row["code"]
            if not _CODE.match(code):
                raise DataError(str(path), f"not a CAMEO code: {code!r}", n, code)
            if code in codes:
                raise DataError(str(path), "duplicate code", n, code)
            if len(code) > 2 and code[:-1] not in codes and code[:2] not in codes:
                raise DataError(str(path), "code listed before its parent", n, code)
            if not row["label"]:
                raise DataError(str(path), "empty label", n, code)
            plover = tuple(p for p in row["plover"].split("|") if p)
            codes[code] = CodeInfo(code, row["label"], _score(path, row["goldstein"], n, code),
                                   plover)
        roots = {c for c in codes if len(c) == 2}
        if len(roots) != 20:
            raise DataError(str(path), f"{len(roots)} CAMEO roots, expected 20")
        return cls(codes, path)

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def __getitem__(self, code: str) -> CodeInfo:
        return self.codes[code]


class EventLexicon:
    """Loaded trigger rows: classify a trigger (lemma and its pattern) into an :class:`EventType`.

    Example:
        >>> lex = EventLexicon.load()
        >>> lex.classify("invade").cameo
        '190'
        >>> lex.classify("strike", object_lemma="deal").plover
        'SUPPORT'
    """

    def __init__(self, rows: list[_Row], codebook: Codebook, negation: dict[str, EventType],
                 path: Path, modality: dict[tuple[str, bool], dict[str, EventType]] | None = None):
        self.rows = rows
        self.codebook = codebook
        self.path = path
        self._negation = negation
        self._modality = modality or {}
        self._by_lemma: dict[tuple[str, bool], list[_Row]] = {}
        for row in rows:
            self._by_lemma.setdefault((row.lemma, row.nominal), []).append(row)

    @classmethod
    def load(cls, path: Path | None = None, *, codebook: Path | None = None,
             negation: Path | None = None, modality: Path | None = None) -> EventLexicon:
        """Read and validate the trigger lexicon (default ``data_dir("lexicon")/"events.tsv"``).

        The codebook and negation rules are read next to ``path`` when present there, else
        from the shipped lexicon folder.

        Raises:
            DataError: naming file, line and row id, for an unknown CAMEO code, a PLOVER type
                that is not the code's, a Goldstein score outside [-10, 10], a duplicate id or
                a duplicate (lemma, particle, prep, object, nominal) key.
        """
        path = Path(path) if path else data_dir("lexicon") / "events.tsv"
        # a lexicon folder of one's own may carry its own codebook and negation rules
        codebook = codebook or _sibling(path, "events-cameo.tsv")
        negation = negation or _sibling(path, "events-negation.tsv")
        modality = modality or _sibling(path, "events-modality.tsv")
        book = Codebook.load(codebook)
        rows: list[_Row] = []
        ids: dict[str, int] = {}
        keys: dict[tuple, str] = {}
        for n, r in read_tsv(path, EVENT_COLUMNS):
            rid = r["id"]
            if not rid:
                raise DataError(str(path), "empty id", n)
            if rid in ids:
                raise DataError(str(path), f"duplicate id (first on line {ids[rid]})", n, rid)
            ids[rid] = n
            lemma = r["lemma"].lower()
            if not lemma:
                raise DataError(str(path), "empty lemma", n, rid)
            if r["nominal"] not in ("yes", "no"):
                raise DataError(str(path), f"nominal must be yes or no, not {r['nominal']!r}", n,
                                rid)
            code = r["cameo"]
            if code not in book:
                raise DataError(str(path), f"unknown CAMEO code {code!r}", n, rid)
            info = book[code]
            plover = r["plover"] or None
            if (plover not in info.plover) if info.plover else plover is not None:
                expected = "|".join(info.plover) or "empty"
                raise DataError(str(path), f"PLOVER {plover or 'empty'!s} does not match CAMEO "
                                f"{code} ({expected})", n, rid)
            score = _score(path, r["goldstein"], n, rid) if r["goldstein"] else info.goldstein
            key = (lemma, r["particle"].lower(), r["prep"].lower(), r["object"].lower(),
                   r["nominal"] == "yes")
            if key in keys:
                raise DataError(str(path), f"duplicate trigger key (same as {keys[key]})", n, rid)
            keys[key] = rid
            etype = EventType(rid, code, plover, score, r["label"] or info.label)
            rows.append(_Row(rid, *key, etype, n))
        return cls(rows, book, _load_negation(negation, book), path,
                   _load_modality(modality, book))

    def classify(self, lemma: str, *, particle: str | None = None, prep: str | None = None,
                 object_lemma: str | None = None, nominal: bool = False,
                 negated: bool = False, modality: str | None = None) -> EventType | None:
        """The event type of a trigger, or None when the lemma is not an event trigger.

        Args:
            lemma: trigger lemma ("invade", "attack", "shoot down" also works).
            particle, prep: verb particle ("down") and governed preposition ("on").
            object_lemma: lemma of the head of the object ("deal" in "strike a deal").
            nominal: the trigger is a noun ("the attack on ...").
            negated: the clause is negated; cooperative codes become CAMEO rejections.
            modality: from :func:`stance`; an intended or requested act takes CAMEO's code
                for the intent, threat or appeal ("vowed to attack" -> 138).
        """
        lemma = " ".join(lemma.lower().split())
        if " " in lemma:
            # the frame lemma may already carry its particle ("shoot down" with particle "down")
            lemma, _, rest = lemma.partition(" ")
            particle = particle or rest
        best = None
        for variant in _variants(lemma, nominal):
            best = self._match(variant, nominal, _norm(particle), _norm(prep), _norm(object_lemma))
            if best:
                break
        if best is None:
            return None
        if modality in _SHIFTED:
            shifted = _longest(self._modality.get((modality, negated), {}), best.type.cameo)
            if shifted is not None:
                return shifted
        if negated:
            return _longest(self._negation, best.type.cameo) or best.type
        return best.type

    def as_demand(self, etype: EventType) -> EventType:
        """An appeal's code as CAMEO's parallel demand (02x -> 10x: "demanded the withdrawal" is
        1056 where "urged the withdrawal" is 0256), when the codebook has it."""
        code = etype.cameo
        if not code.startswith(APPEAL_ROOT):
            return etype
        demand = DEMAND_ROOT + code[2:]
        return _type_of(self.codebook, etype.id, demand) if demand in self.codebook else etype

    def triggers(self) -> frozenset[str]:
        """All nominal trigger lemmas ("attack", "call", "talks", "invasion", ...)."""
        return frozenset(row.lemma for row in self.rows if row.nominal)

    def verbs(self) -> frozenset[str]:
        """All verbal trigger lemmas, light verbs with object patterns ("launch") included."""
        return frozenset(row.lemma for row in self.rows if not row.nominal)

    def takes_object(self, lemma: str, obj: str) -> bool:
        """Whether a verb row names ``obj`` as its object ("fire" takes "gas", "send" "aid")."""
        return any(row.object in (obj, _singular(obj)) for row in self._by_lemma.get((lemma, False), ())
                   if row.object)

    def _match(self, lemma: str, nominal: bool, particle: str, prep: str, obj: str) -> _Row | None:
        best, best_score = None, -1
        for row in self._by_lemma.get((lemma, nominal), ()):
            score = 0
            if row.particle:
                if row.particle not in (particle, prep):
                    continue
                score += _WEIGHTS["particle"]
            if row.prep:
                # the parser tags "on" in "call on" as prep or particle: accept either
                if row.prep not in (prep, particle):
                    continue
                score += _WEIGHTS["prep"]
            if row.object:
                if not obj or row.object not in (obj, _singular(obj)):
                    continue
                score += _WEIGHTS["object"]
            if score > best_score:
                best, best_score = row, score
        return best


def _longest(rules: dict[str, EventType], code: str) -> EventType | None:
    """The rule for the longest prefix of ``code``."""
    for n in range(len(code), 1, -1):
        rule = rules.get(code[:n])
        if rule is not None:
            return rule
    return None


def _type_of(book: Codebook, rid: str, code: str) -> EventType:
    info = book[code]
    return EventType(rid, code, info.plover[0] if info.plover else None, info.goldstein,
                     info.label)


def _load_negation(path: Path | None, book: Codebook) -> dict[str, EventType]:
    path = Path(path) if path else data_dir("lexicon") / "events-negation.tsv"
    rules: dict[str, EventType] = {}
    for n, r in read_tsv(path, NEGATION_COLUMNS):
        rid, code, neg = r["id"], r["cameo"], r["negated"]
        for c in (code, neg):
            if c not in book:
                raise DataError(str(path), f"unknown CAMEO code {c!r}", n, rid)
        if code in rules:
            raise DataError(str(path), f"duplicate rule for {code}", n, rid)
        rules[code] = _type_of(book, rid, neg)
    return rules


def _load_modality(path: Path | None, book: Codebook) -> dict[tuple[str, bool],
                                                               dict[str, EventType]]:
    path = Path(path) if path else data_dir("lexicon") / "events-modality.tsv"
    rules: dict[tuple[str, bool], dict[str, EventType]] = {}
    for n, r in read_tsv(path, MODALITY_COLUMNS):
        rid, code, target = r["id"], r["cameo"], r["code"]
        for c in (code, target):
            if c not in book:
                raise DataError(str(path), f"unknown CAMEO code {c!r}", n, rid)
        if r["modality"] not in _SHIFTED or r["negated"] not in ("yes", "no"):
            raise DataError(str(path), "modality must be intended or requested, negated yes or no",
                            n, rid)
        table = rules.setdefault((r["modality"], r["negated"] == "yes"), {})
        if code in table:
            raise DataError(str(path), f"duplicate rule for {code}", n, rid)
        table[code] = _type_of(book, rid, target)
    return rules


def _sibling(path: Path, name: str) -> Path | None:
    candidate = path.with_name(name)
    return candidate if candidate.is_file() else None


def _norm(value: str | None) -> str:
    return (value or "").strip().lower()


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


@functools.lru_cache(maxsize=1)
def currency_words() -> frozenset[str]:
    """Lower-case currency unit words ("rupee", "euro", "krone", "yuan"), from ISO 4217 names."""
    import pycountry

    words = {c.name.split()[-1].lower() for c in pycountry.currencies}
    words = {w for w in words if w.isalpha() and w not in NOT_CURRENCIES}
    return frozenset(words | CURRENCY_WORDS)


def _variants(lemma: str, nominal: bool):
    """The lemma, then spelling variants (British -ise/-our, plural nouns) and the act a
    "re-" verb repeats as fallbacks."""
    yield lemma
    for a, b in (("ise", "ize"), ("ize", "ise"), ("isation", "ization"), ("ization", "isation"),
                 ("our", "or"), ("ence", "ense"), ("ense", "ence")):
        if lemma.endswith(a):
            yield lemma[: -len(a)] + b
    if nominal and _singular(lemma) != lemma:
        yield _singular(lemma)
    if not nominal and not lemma.endswith("e"):
        yield lemma + "e"  # the lemmatizer's lost final e: "staged" -> "stag"
    if lemma.startswith("re") and len(lemma) >= 6 and lemma[2] != "-":
        # a repeated act is the act: "reimposed a blockade", "redeployed troops"
        yield from _variants(lemma[2:], nominal)
    elif lemma.startswith("re-") and len(lemma) >= 7:
        yield from _variants(lemma[3:], nominal)
