"""Event mode on news grammar: who acts on whom, which clauses are events, dates and codes.

One table per kind of error an analyst meets in real news (the sentences are written for these
tests). Each row is a sentence and what the coded events of ``--events`` must (or must not) say,
as (source entity, CAMEO prefix, target entity) triples; None stands for "no entity".
"""

from __future__ import annotations

from datetime import date

import pytest

from kg.types import Document

pytestmark = pytest.mark.model

PUBLISHED = date(2024, 6, 12)  # a Wednesday


@pytest.fixture(scope="module")
def events_extractor(extractor):
    from kg.extraction.extractor import Extractor

    return Extractor(nlp=extractor.nlp, events_only=True)


def events(extractor, text):
    return extractor.extract(Document("t", text, published=PUBLISHED)).events


def triples(extractor, text):
    """(source, code, target) of each event, actors by their canonical names."""
    x = extractor.extract(Document("t", text, published=PUBLISHED))
    name = {entity.id: entity.name for entity in x.entities}
    return [(name.get(e.subject.entity), e.cameo, name.get(e.object.entity) if e.object else None)
            for e in x.events]


def has(found, source, prefix, target):
    return any(s == source and (c or "").startswith(prefix) and t == target for s, c, t in found)


# 1. A place inside a place phrase, a name, an apposition or a title is not an actor there; a
#    capital acting as subject stands for its government.
PLACES = [
    ("Leaders met at a summit in the Egyptian capital, Cairo, on Tuesday.", "Egypt"),
    ("Oleg Petrov, secretary general of the Collective Security Treaty Organization, called "
     "for an immediate ceasefire.", "Collective Security Treaty Organization"),
    ("The United Nations and several other nations recognised Karimov as Uzbekistan's new "
     "leader and urged Tashkent to hold elections.", "Uzbekistan"),
    ("Negotiators met in Geneva to discuss the Minsk accords.", "Belarus"),
    ("Negotiators met in Geneva to discuss the Minsk accords.", "Switzerland"),
    ("A newspaper based in Beirut criticised Hezbollah.", "Lebanon"),
    ("The envoy, speaking in Oslo, said the talks would resume.", "Norway"),
]


@pytest.mark.parametrize(("text", "place"), PLACES, ids=[f"{c[0][:30]}-{c[1]}" for c in PLACES])
def test_place_in_a_phrase_is_no_actor(events_extractor, text, place):
    for source, _, target in triples(events_extractor, text):
        assert place not in (source, target)


def test_capital_as_subject_acts_for_its_state(events_extractor):
    assert has(triples(events_extractor, "Moscow warned Kyiv against joining the alliance."),
               "Russia", "13", "Ukraine")


# 2. The agent behind a noun: the act criticised, the shelling by X, the decision of X.
AGENTS = [
    ("Poland criticised the Russian gas deal with Hungary.", ("Poland", "11", "Russia")),
    ("Ghana condemned an ambush by militants tied to Burkina Faso on a patrol of Togo.",
     ("Ghana", "11", "Burkina Faso")),
    ("Armenia denounced the shelling by Azerbaijan of Stepanakert.", ("Armenia", "11", "Azerbaijan")),
    ("Iraq condemned the raid by Turkish jets on Sinjar.", ("Iraq", "11", "Turkey")),
    ("Canada welcomed Mexico's decision to expel the envoy.", ("Canada", "05", "Mexico")),
    ("Nigeria praised Ghana's handling of the crisis.", ("Nigeria", "05", "Ghana")),
    ("Four farmers were killed in shelling by Ethiopian troops near the border.",
     ("Ethiopia", "19", None)),
    ("One man was killed by shelling from Eritrean forces in the town.", ("Eritrea", "19", None)),
    ("Lebanon complained to the United Nations over two Israeli air raids.", ("Lebanon", "11", "Israel")),
    # the asker of an act asks it of the act's agent
    ("Turkey demanded the withdrawal of Russian troops from Syria.", ("Turkey", "", "Russian military")),
]


@pytest.mark.parametrize(("text", "expected"), AGENTS, ids=[c[0][:40] for c in AGENTS])
def test_agent_behind_a_noun(events_extractor, text, expected):
    assert has(triples(events_extractor, text), *expected)


def test_acronym_behind_a_noun(events_extractor):
    found = events(events_extractor, "Peru welcomed ECOWAS's decision.")
    assert [(e.cameo[:2], e.object.text) for e in found] == [("05", "ECOWAS")]


def test_patient_of_a_passive_is_the_target(events_extractor):
    found = events(events_extractor, "Two soldiers were wounded in an attack by Taliban fighters.")
    assert any(e.subject.text == "Taliban" and e.object is not None
               and e.object.text == "Two soldiers" for e in found)


# 3. Coordination: each conjunct its event.
COORDINATION = [
    ("Peru met Chile and Bolivia on Friday.", [("Peru", "04", "Chile"), ("Peru", "04", "Bolivia")]),
    ("Sweden phoned Finland, and later Norway.", [("Sweden", "04", "Finland"), ("Sweden", "04", "Norway")]),
    ("Moldova warned both Serbia and Kosovo against escalation.",
     [("Moldova", "13", "Serbia"), ("Moldova", "13", "Kosovo")]),
    ("The president of Chile spoke by telephone with officials in Kyrgyzstan and Tajikistan.",
     [(None, "04", "Kyrgyzstan"), (None, "04", "Tajikistan")]),
    ("China condemned Japan and warned Tokyo against interference.",
     [("China", "11", "Japan"), ("China", "13", "Japan")]),
    ("Algeria recalled its ambassador and suspended flights to Morocco.",
     [("Algeria", "16", "Morocco")]),
    ("Ghana called for a ceasefire between Mali and Niger.", [("Ghana", "02", "Mali"), ("Ghana", "02", "Niger")]),
]


@pytest.mark.parametrize(("text", "expected"), COORDINATION, ids=[c[0][:40] for c in COORDINATION])
def test_each_conjunct_its_event(events_extractor, text, expected):
    found = triples(events_extractor, text)
    for triple in expected:
        assert has(found, *triple), found


def test_coordinated_acts_each_coded(events_extractor):
    found = events(events_extractor, "Lithuania closed the border and expelled the Belarusian diplomats.")
    assert {e.cameo[:2] for e in found} >= {"19", "16"}


# 5. Headline grammar: present-tense verbs without an article before their object.
HEADLINES = [
    ("Japan protests Chinese incursion", ("Japan", "14", "China")),
    ("India condemns Pakistan shelling", ("India", "11", "Pakistan")),
    ("Brazil sends aid to flood-hit Bolivia", ("Brazil", "07", "Bolivia")),
    ("Seoul slams Pyongyang missile launch", ("South Korea", "11", "North Korea")),
    ("Ghana recalls envoy from Nigeria", ("Ghana", "16", "Nigeria")),
    ("Kenya hails Ethiopia peace deal", ("Kenya", "05", "Ethiopia")),
    ("Russia fires missiles at Kyiv", ("Russia", "19", "Kyiv")),
]


@pytest.mark.parametrize(("text", "expected"), HEADLINES, ids=[c[0] for c in HEADLINES])
def test_headline(events_extractor, text, expected):
    assert has(triples(events_extractor, text), *expected)


@pytest.mark.parametrize("text", ["Tear gas fired as Hong Kong protest turns violent",
                                  "Rockets fired from Gaza at Israel"])
def test_headline_passive_names_no_agent(events_extractor, text):
    # "X fired" with what was fired as its subject: who fired it is not said
    assert not any(e.cameo for e in events(events_extractor, text))


# 6. Not every clause is an asserted event: questions, generic conditions, asides.
NOT_ASSERTED = [
    "What did Macron tell Putin?",
    "Did Iran attack the tanker?",
    "Will Turkey block Sweden's membership?",
    "Whoever breaks the truce will face consequences.",
    "Anyone who attacks Israel will regret it.",
]


@pytest.mark.parametrize("text", NOT_ASSERTED)
def test_no_asserted_event(events_extractor, text):
    assert events(events_extractor, text) == ()


def test_speaker_is_not_the_target_of_what_is_said(events_extractor):
    found = triples(events_extractor, "Nigerian President Bola Tinubu denounced the coup, saying "
                                      "the regional bloc rejects any interruption of order.")
    assert not any(t == "Nigeria" for _, _, t in found)


def test_participial_aside_is_no_meeting(events_extractor):
    found = events(events_extractor, "The envoy, speaking in Oslo, said the talks would resume.")
    assert not any((e.cameo or "").startswith("04") for e in found)


# 7. A date belongs to its clause.
DATES = [
    ("Fighting between Armenia and Azerbaijan stopped in 2020, but Azerbaijan still shells Armenia.",
     "shell", "2024-06-12"),
    ("Since his election in May, the president of Peru has repeatedly criticised Chile.",
     "criticise", "2024-06-12"),
    ("It was the first visit to Iran by a Saudi minister since 2016, when ties were cut.",
     "visit", "2024-06-12"),
    ("The army, which seized power in 2021, attacked the rebels on Monday.", "attack", "2024-06-10"),
    ("Mali expelled France's ambassador, who had arrived in 2019.", "expel", "2024-06-12"),
    ("Troops withdrew in March, and Ethiopia accused Eritrea on Friday.", "accuse", "2024-06-07"),
]


@pytest.mark.parametrize(("text", "lemma", "when"), DATES, ids=[c[0][:40] for c in DATES])
def test_date_of_its_clause(extractor, text, lemma, when):
    found = [e for e in extractor.extract(Document("t", text, published=PUBLISHED)).events
             if e.lemma == lemma]
    assert found and all(e.date == when for e in found), [(e.lemma, e.date) for e in found]


# 8. Sense before code.
SENSES = [
    ("Venezuela's leader called Duque a dictator.", "111"),
    ("Serbia called Kosovo's move a provocation.", "111"),
    ("Hungary called Poland a close ally.", "051"),
    ("Iran vowed retaliation against Israel.", "138"),
    ("Police fired tear gas at protesters in Nairobi.", "175"),
    ("Security forces opened fire on demonstrators in Khartoum.", "175"),
    ("Police used tear gas on marchers in Dhaka.", "175"),
    ("Lithuania closed its border with Belarus.", "191"),
    ("The United States provided intelligence to Ukraine.", "064"),   # sharing, not asking
    ("The Kenyan vice-president declined to resign.", "124"),          # refusing to yield
    ("Nigeria's teachers called off their strike on Monday.", "082"),  # easing dissent, not a strike
    ("Israel denied access to UN investigators.", "120"),              # a refusal, not a denial
    ("Israel is opposed to French mediation in talks with Syria.", "126"),
]


@pytest.mark.parametrize(("text", "cameo"), SENSES, ids=[c[0][:40] for c in SENSES])
def test_sense_before_code(events_extractor, text, cameo):
    assert [e.cameo for e in events(events_extractor, text)][:1] == [cameo]


NOT_SENSES = [
    ("Venezuela's leader called Duque a dictator.", "04"),
    ("Iran vowed retaliation against Israel.", "03"),
    ("Both sides showed restraint on Sunday.", "14"),
    ("Police fired tear gas at protesters in Nairobi.", "19"),
]


@pytest.mark.parametrize(("text", "root"), NOT_SENSES, ids=[c[0][:40] for c in NOT_SENSES])
def test_not_this_code(events_extractor, text, root):
    assert not any((e.cameo or "").startswith(root) for e in events(events_extractor, text))


NATURAL = [
    "A cyclone hit Bangladesh on Monday.",
    "Floods struck Pakistan in August.",
    "Rescue teams flew to the earthquake hit Nepal.",
]


@pytest.mark.parametrize("text", NATURAL)
def test_a_hazard_attacks_nobody(events_extractor, text):
    assert not any((e.cameo or "").startswith("19") for e in events(events_extractor, text))


# (sentence, lemma, whether an event is told): a harm in the passive with no doer named is no
# event at all (its patient would stand as the source); an act nobody did is a negated event
NEGATED = [
    ("No one was shot during the protest.", "shoot", False),
    ("Nobody attacked the embassy.", "attack", True),
]


@pytest.mark.parametrize(("text", "lemma", "told"), NEGATED, ids=[c[0] for c in NEGATED])
def test_nobody_did_it(events_extractor, text, lemma, told):
    found = [e for e in events(events_extractor, text) if e.lemma == lemma]
    assert not any(not e.negated for e in found)  # never an asserted shooting or attack
    assert bool(found) == told


def test_neither_confirmed_nor_denied(extractor):
    found = extractor.extract(Document(
        "t", "The ministry neither confirmed nor denied that Chad attacked Sudan.",
        published=PUBLISHED)).events
    attack = [e for e in found if e.lemma == "attack"]
    assert attack and not any(e.negated for e in attack)
    assert not any(e.lemma in {"deny", "confirm"} and e.cameo and not e.negated for e in found)
