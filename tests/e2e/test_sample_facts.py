"""The sample article's facts between named actors, as an analyst would list them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.types import Document

pytestmark = pytest.mark.model

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "trump-putin-call.txt"
PUBLISHED = date(2024, 11, 11)
TRUMP, PUTIN, ZELENSKY = "Donald Trump", "Vladimir Putin", "Volodymyr Zelensky"
TALK = {"call", "talk", "speak", "discuss", "meet"}

# (subject, acceptable lemmas, object, date the event must carry or None, symmetric)
EXPECTED = [
    (TRUMP, TALK, PUTIN, None, True),
    (TRUMP, {"urge", "advise"}, PUTIN, None, False),
    (TRUMP, {"remind"}, PUTIN, None, False),
    ("Russia", {"fight"}, "Ukraine", None, True),
    ("United States", {"deploy"}, "Europe", None, False),
    (TRUMP, {"support"}, "Israel", None, False),
    (TRUMP, {"urge"}, "Israel", None, False),
    ("Israel", {"fight", "attack"}, "Gaza", None, False),
    ("United States", {"support", "aid"}, "Ukraine", None, False),
    (TRUMP, TALK | {"engage"}, "Russia", None, True),
    (TRUMP, TALK, ZELENSKY, None, True),
    ("Russia", {"invade"}, "Ukraine", "2022-02-24", False),
    ("Russia", {"annex"}, "Crimea", "2014", False),
    ("Ukraine", {"resist"}, "Russia", None, False),
    ("Ukraine", {"attack", "launch"}, "Moscow", None, False),
    ("Russian military", {"intercept"}, "Ukrainian military", None, False),
    ("North Korean military", {"deploy"}, "Kursk", None, False),
    ({"North Korea", "North Korean military"}, {"deploy"}, "Belgorod", None, False),
    ("the West", {"back", "support"}, "Ukraine", None, False),
]

# Further facts an analyst would accept if emitted, beyond the ones required above.
ALSO_ACCEPTABLE = [
    (TRUMP, {"tell"}, PUTIN, None, False),
    (TRUMP, {"tell", "say"}, "Fox News", None, False),
    (TRUMP, {"talk", "speak", "interview"}, "NBC", None, True),
    ("Ukraine", {"attack", "launch"}, "Russia", None, False),
    ("Russia", {"support"}, "Ukraine", None, False),
]


def _names(value) -> set[str]:
    return {value} if isinstance(value, str) else set(value)


def _matches(fact, row) -> bool:
    subj, lemma, obj, when = fact
    e_subj, lemmas, e_obj, e_date, symmetric = row
    pairs = {(s, o) for s in _names(e_subj) for o in _names(e_obj)}
    if symmetric:
        pairs |= {(o, s) for s, o in pairs}
    if (subj, obj) not in pairs or lemma not in lemmas:
        return False
    return e_date is None or (when or "").startswith(e_date)


@pytest.fixture(scope="module")
def facts(extractor):
    """(subject entity, lemma, object entity, date) for every fact between two named actors."""
    text = SAMPLE.read_text(encoding="utf-8")
    extraction = extractor.extract(Document("sample", text, published=PUBLISHED))
    names = {e.id: e.name for e in extraction.entities}
    return [
        (names[e.subject.entity], e.lemma, names[e.object.entity], e.date)
        for e in extraction.events
        if e.subject.entity and e.object is not None and e.object.entity and not e.negated
    ]


def test_recall_of_the_analyst_table(facts):
    missing = [row for row in EXPECTED if not any(_matches(f, row) for f in facts)]
    found = len(EXPECTED) - len(missing)
    assert found / len(EXPECTED) >= 0.9, f"missing: {missing}"


def test_precision_of_entity_facts(facts):
    assert facts, "no facts between named actors"
    accepted = EXPECTED + ALSO_ACCEPTABLE
    wrong = [f for f in facts if not any(_matches(f, row) for row in accepted)]
    assert 1 - len(wrong) / len(facts) >= 0.8, f"not acceptable: {wrong}"


def test_invasion_is_dated_to_its_day(facts):
    dates = {f[3] for f in facts if f[:3] == ("Russia", "invade", "Ukraine")}
    assert dates == {"2022-02-24"}
