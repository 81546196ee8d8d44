"""Who is who across a document, through the whole Extractor: plural descriptions (one event
each), titles and pronouns resolved right or left alone, one entity per real-world thing, and
one event node per event however many sentences tell of it."""

from __future__ import annotations

from datetime import date

import pytest

from kg.rdf import event_iri
from kg.types import Document

pytestmark = pytest.mark.model


def _extract(extractor, text: str):
    return extractor.extract(Document("case", text, published=date(2024, 11, 11)))


def _who(extractor, text: str, phrase: str) -> set[str | None]:
    """The entities the subject or object mentions written ``phrase`` resolve to."""
    extraction = _extract(extractor, text)
    names = {e.id: e.name for e in extraction.entities}
    found = set()
    for event in extraction.events:
        for mention in (event.subject, event.object):
            if mention is not None and mention.text == phrase:
                found.add(names.get(mention.entity))
    assert found, f"no argument reads {phrase!r}"
    return found


# ---------------------------------------------------------------- 4. plural descriptions

PLURALS = [
    ("Emmanuel Macron met Keir Starmer in Paris. The two leaders agreed to raise defence spending.",
     "The two leaders", {"Emmanuel Macron", "Keir Starmer"}),
    ("Emmanuel Macron called Xi Jinping on Tuesday. The two presidents discussed trade.",
     "The two presidents", {"Emmanuel Macron", "Xi Jinping"}),
    ("Armenia and Azerbaijan traded accusations at the border. Both governments blamed the other side.",
     "Both governments", {"Armenia", "Azerbaijan"}),
    ("Hamas accused Hezbollah of stalling the talks. The rival factions met in Cairo on Friday.",
     "The rival factions", {"Hamas", "Hezbollah"}),
    ("Ethiopia rejected Eritrea's claims about the border. The neighbours have clashed before.",
     "The neighbours", {"Ethiopia", "Eritrea"}),
    ("India and Pakistan exchanged fire along the frontier. The two countries blamed each other.",
     "The two countries", {"India", "Pakistan"}),
]


@pytest.mark.parametrize("text, phrase, expected", PLURALS)
def test_a_plural_description_gives_one_event_per_entity_named_before(extractor, text, phrase, expected):
    assert _who(extractor, text, phrase) == expected


@pytest.mark.parametrize(
    "text, phrase",
    [
        # no two fitting entities named before: better unresolved than wrong
        ("Emmanuel Macron visited Berlin. The two presidents discussed trade.", "The two presidents"),
        ("Governments condemned the coup in Niger.", "Governments"),
        # three presidents named together, the description counts two: which two is unknown
        ("Emmanuel Macron, Xi Jinping and Vladimir Putin spoke at the summit. The two presidents argued.",
         "The two presidents"),
    ],
)
def test_a_plural_description_without_its_entities_stays_unresolved(extractor, text, phrase):
    assert _who(extractor, text, phrase) == {None}


# ---------------------------------------------------------------- 9. titles and pronouns

TITLES = [
    # a title of a body is not the country's office
    ("President William Ruto spoke in Nairobi. LSK president Peter Kamau criticised the courts. "
     "The president defended the judges.", "The president", {"William Ruto"}),
    ("Bar association president Jane Wanjiru joined the protest. Kenya's president criticised the judges.",
     "Kenya's president", {"William Ruto"}),
    # a leader of rebels is no foreign head of state named before
    ("Rwandan President Paul Kagame condemned the attack. The rebels' leader vowed to march on Goma.",
     "The rebels' leader", {None}),
    ("Rwandan President Paul Kagame condemned the attack. The rebel leader vowed to march on Goma.",
     "The rebel leader", {None}),
    ("President Felix Tshisekedi visited Goma. The Northern Front leader rejected the ceasefire.",
     "The Northern Front leader", {None}),
    # a title of a country goes to the person who holds it there
    ("Paul Kagame met Felix Tshisekedi in Luanda. The Rwandan president promised to withdraw.",
     "The Rwandan president", {"Paul Kagame"}),
    ("Hamas leader Ismail Haniyeh met Mahmoud Abbas. The Palestinian president urged unity.",
     "The Palestinian president", {"Mahmoud Abbas"}),
]


@pytest.mark.parametrize("text, phrase, expected", TITLES)
def test_a_title_resolves_to_its_holder_or_stays_the_title(extractor, text, phrase, expected):
    assert _who(extractor, text, phrase) == expected


def test_a_pronoun_reaches_no_further_than_its_window(extractor):
    text = ("Abiy Ahmed visited Asmara. The talks lasted two days. Officials praised the visit. "
            "The border reopened. Trade resumed slowly. He criticised Egypt.")
    assert _who(extractor, text, "He") == {None}


# ---------------------------------------------------------------- 10. one entity, one node

SAME = [
    ("Sudan's Rapid Support Forces (RSF) attacked El Fasher. The RSF later shelled the city.",
     {"Rapid Support Forces"}),
    ("The Sudanese Armed Forces (SAF) repelled the assault. The SAF said it had regained the town.",
     {"Sudanese military"}),
    ("Mohamed Hamdan Dagalo threatened the army. Hemedti later accused the army of sabotage.",
     {"Mohamed Hamdan Dagalo"}),
    ("General Abdourahamane Tiani addressed Niger's soldiers. Abdourahamane Tchiani later criticised ECOWAS.",
     {"Abdourahamane Tchiani"}),
    ("The March 23 Movement seized Goma. M23 rebels then attacked Bukavu.", {"M23"}),
    ("The Economic Community of West African States (ECOWAS) met in Abuja. ECOWAS threatened Niger.",
     {"Economic Community of West African States"}),
    # "known as": the text's own word that two names are one
    ("Militia leader Omar Basri, known as Abu Layth, seized the town. Abu Layth later attacked the army.",
     {"Omar Basri"}),
    ("The Western Liberation Movement, also known as Tanzim Gharbi, attacked the port. "
     "Tanzim Gharbi later shelled the base.", {"Western Liberation Movement"}),
    # a nickname in quotes inside the name
    ('Militia chief Omar "Abu Layth" Basri seized the town. Abu Layth later attacked the army. '
     'Omar Basri denied the killings.', {"Omar Basri"}),
    # the listed acronym wins over a long name the gazetteer does not know
    ("The National Liberation Army (ELN) attacked a base in Arauca. The ELN later killed two soldiers.",
     {"National Liberation Army of Colombia"}),
]


@pytest.mark.parametrize("text, expected", SAME)
def test_the_text_own_evidence_makes_one_entity(extractor, text, expected):
    extraction = _extract(extractor, text)
    subjects = {e.subject.entity for e in extraction.events if e.subject.entity}
    names = {e.id: e.name for e in extraction.entities}
    assert {names[s] for s in subjects} == expected


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        # a given name alone, when one person of the article bears it
        ("Prime Minister Tarek Halabi met the army chief. Tarek later criticised the opposition.",
         "Tarek", {"Tarek Halabi"}),
        ("Shehbaz Sharif visited the air base. Shehbaz praised the pilots.", "Shehbaz", {"Shehbaz Sharif"}),
        # two people bear it: which one is unknown
        ("Tarek Halabi met Tarek Mansour. Tarek later criticised the opposition.", "Tarek", {None}),
    ],
)
def test_a_given_name_alone_names_its_only_bearer(extractor, text, phrase, expected):
    assert _who(extractor, text, phrase) == expected


@pytest.mark.parametrize(
    "text, name, other",
    [
        # a surname inside another full name is not the famous bearer of that surname
        ("Abdul Rahim Dagalo led the assault on El Fasher.", "Abdul Rahim Dagalo", "Mohamed Hamdan Dagalo"),
        # a month is no surname
        ("The army has besieged the city since May.", None, "Theresa May"),
        # a city is not a person: it stands for its country when it acts
        ("Kinshasa accused Kigali of backing the rebels.", "Democratic Republic of the Congo", "Kinshasa"),
    ],
)
def test_names_that_look_alike_stay_apart(extractor, text, name, other):
    extraction = _extract(extractor, text)
    names = {e.name for e in extraction.entities}
    assert other not in names
    if name is not None:
        assert name in names


@pytest.mark.parametrize(
    "text, name, qid",
    [
        ("Senegal recalled its ambassador from Mali.", "Senegal", "Q1041"),
        ("Burkina Faso expelled French diplomats.", "Burkina Faso", "Q965"),
        ("Ghana hosted talks on the crisis.", "Ghana", "Q117"),
        ("Zimbabwe condemned the sanctions.", "Zimbabwe", "Q954"),
        ("Cameroon deployed troops to the border.", "Cameroon", "Q1009"),
    ],
)
def test_countries_carry_their_wikidata_id(extractor, text, name, qid):
    extraction = _extract(extractor, text)
    assert {e.name: e.wikidata for e in extraction.entities}.get(name) == qid


# ---------------------------------------------------------------- 11. one event, many mentions

MENTIONS = [
    ("Joe Biden spoke to Xi Jinping last week. Joe Biden called Xi Jinping on Thursday.", 1),
    ("Emmanuel Macron met Olaf Scholz this month. Emmanuel Macron met Olaf Scholz on 5 November.", 1),
    ("Joe Biden called Xi Jinping on Thursday. Later, Joe Biden called Xi Jinping again.", 1),
    # two different days are two calls
    ("Joe Biden called Xi Jinping on Monday. Joe Biden called Xi Jinping on Thursday.", 2),
    # an event long past is not the one an undated sentence tells of
    ("Russia invaded Ukraine on 24 February 2022. Russia attacked Ukraine again.", 2),
]


@pytest.mark.parametrize("text, nodes", MENTIONS)
def test_mentions_of_one_event_are_one_event_node(extractor, text, nodes):
    extraction = _extract(extractor, text)
    coded = [e for e in extraction.events if e.cameo and e.subject.entity and e.object and e.object.entity]
    assert len(coded) >= 2
    assert len({event_iri(e) for e in coded}) == nodes
