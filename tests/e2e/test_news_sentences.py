"""News grammar -> facts between named actors, through the whole Extractor.

Each row is a short text (one sentence, or two when a pronoun reaches back) and the facts an
analyst reads from it: (subject entity, relation lemma, object entity, negated).
"""

from __future__ import annotations

from datetime import date

import pytest

from kg.types import Document

pytestmark = pytest.mark.model

CASES = [
    # active clauses
    ("China criticised Japan over the disputed islands.", [("China", "criticise", "Japan", False)]),
    ("Israel struck Hezbollah on Tuesday.", [("Israel", "strike", "Hezbollah", False)]),
    ("Russia invaded Ukraine in February 2022.", [("Russia", "invade", "Ukraine", False)]),
    ("Turkey has threatened Syria with a new offensive.", [("Turkey", "threaten", "Syria", False)]),
    ("Poland expelled two Russian diplomats and accused Russia of espionage.",
     [("Poland", "accuse", "Russia", False)]),
    ("Emmanuel Macron visited India last month.", [("Emmanuel Macron", "visit", "India", False)]),
    ("Xi Jinping welcomed Vladimir Putin in Beijing.", [("Xi Jinping", "welcome", "Vladimir Putin", False)]),
    ("Iran will attack Israel if provoked, officials warned.", [("Iran", "attack", "Israel", False)]),
    ("Japan is sending aid to the Philippines.", [("Japan", "aid", "Philippines", False)]),
    # passives
    ("Kyiv was shelled by Russia overnight.", [("Russia", "shell", "Kyiv", False)]),
    ("Ukraine has been supported by Poland since the start of the war.", [("Poland", "support", "Ukraine", False)]),
    ("Qatar, backed by Egypt, mediated between Israel and Hamas.", [("Egypt", "back", "Qatar", False)]),
    ("Iran was sanctioned by the European Union.", [("European Union", "sanction", "Iran", False)]),
    ("Armenia, backed by France, rejected the proposal.", [("France", "back", "Armenia", False)]),
    ("Benjamin Netanyahu was criticised by Joe Biden for the strike.",
     [("Joe Biden", "criticise", "Benjamin Netanyahu", False)]),
    # relative clauses
    ("Vladimir Putin, who met Kim Jong Un in June, praised North Korea.",
     [("Vladimir Putin", "meet", "Kim Jong Un", False), ("Vladimir Putin", "praise", "North Korea", False)]),
    ("Russia condemned Finland, which joined NATO last year.",
     [("Russia", "condemn", "Finland", False), ("Finland", "join", "NATO", False)]),
    ("Iran, which supplies drones to Russia, denied the report.", [("Iran", "supply", "Russia", False)]),
    ("Germany, whose troops are stationed in Lithuania, reassured Lithuania.",
     [("Germany", "reassure", "Lithuania", False)]),
    # reported speech
    ("Volodymyr Zelensky said that Russia had attacked Kharkiv.", [("Russia", "attack", "Kharkiv", False)]),
    ("According to officials, Pakistan bombed Afghanistan on Monday.",
     [("Pakistan", "bomb", "Afghanistan", False)]),
    ("India accused Pakistan of shelling Kashmir, the ministry said.", [("India", "accuse", "Pakistan", False)]),
    ("Sergei Lavrov told reporters that Moscow would not negotiate with Kyiv.",
     [("Russia", "negotiate", "Ukraine", True)]),
    # negation
    ("China did not condemn Russia.", [("China", "condemn", "Russia", True)]),
    ("Hungary has never recognised Kosovo.", [("Hungary", "recognise", "Kosovo", True)]),
    ("Turkey refused to sanction Russia.", [("Turkey", "sanction", "Russia", True)]),
    ("Brazil did not criticise Russia.", [("Brazil", "criticise", "Russia", True)]),
    ("Israel denied attacking Lebanon.", [("Israel", "attack", "Lebanon", True)]),
    ("Egypt will not allow Israel to use its airspace.", [("Egypt", "allow", "Israel", True)]),
    # coordination
    ("France and Germany condemned Russia.",
     [("France", "condemn", "Russia", False), ("Germany", "condemn", "Russia", False)]),
    ("Israel struck Gaza and Lebanon.", [("Israel", "strike", "Gaza", False), ("Israel", "strike", "Lebanon", False)]),
    ("Russia attacked Kharkiv and shelled Odesa.",
     [("Russia", "attack", "Kharkiv", False), ("Russia", "shell", "Odesa", False)]),
    ("The United States and Japan warned China.",
     [("United States", "warn", "China", False), ("Japan", "warn", "China", False)]),
    ("Joe Biden met Xi Jinping and urged China to restrain North Korea.",
     [("Joe Biden", "meet", "Xi Jinping", False), ("Joe Biden", "urge", "China", False),
      ("China", "restrain", "North Korea", False)]),
    # control and infinitives
    ("Joe Biden urged Benjamin Netanyahu not to invade Rafah.",
     [("Joe Biden", "urge", "Benjamin Netanyahu", False), ("Benjamin Netanyahu", "invade", "Rafah", True)]),
    ("Olaf Scholz asked China to pressure Russia.",
     [("Olaf Scholz", "ask", "China", False), ("China", "pressure", "Russia", False)]),
    ("Iran threatened to attack Israel.", [("Iran", "attack", "Israel", False)]),
    ("Ukraine promised to defend Kharkiv.", [("Ukraine", "defend", "Kharkiv", False)]),
    # nominal events and light verbs
    ("Russia's annexation of Crimea was condemned by the United Nations.",
     [("Russia", "annex", "Crimea", False)]),
    ("Iran launched a missile attack on Israel.", [("Iran", "attack", "Israel", False)]),
    ("There was a phone call between Joe Biden and Xi Jinping.", [("Joe Biden", "call", "Xi Jinping", False)]),
    ("Vladimir Putin held talks with Recep Tayyip Erdogan in Sochi.",
     [("Vladimir Putin", "talk", "Recep Tayyip Erdogan", False)]),
    ("China's support for Russia worried NATO.", [("China", "support", "Russia", False)]),
    ("The invasion of Ukraine by Russia shocked Europe.", [("Russia", "invade", "Ukraine", False)]),
    ("Israel carried out airstrikes on Syria.", [("Israel", "strike", "Syria", False)]),
    ("Germany provided military aid to Ukraine.", [("Germany", "aid", "Ukraine", False)]),
    ("Poland welcomed the deployment of American troops in Poland.",
     [("American military", "deploy", "Poland", False)]),
    ("Egypt hosted negotiations between Israel and Hamas.", [("Israel", "negotiate", "Hamas", False)]),
    ("Moldova condemned Russia's interference.", [("Moldova", "condemn", "Russia", False)]),
    ("Ukraine resisted Russia's advances near Kharkiv.", [("Ukraine", "resist", "Russia", False)]),
    # prepositional relations
    ("Narendra Modi spoke with Vladimir Putin on Monday.", [("Narendra Modi", "speak", "Vladimir Putin", False)]),
    ("Hamas fired rockets at Israel.", [("Hamas", "fire", "Israel", False)]),
    ("Azerbaijan went to war with Armenia.", [("Azerbaijan", "fight", "Armenia", False)]),
    ("Kim Jong Un met with Vladimir Putin in Vladivostok.", [("Kim Jong Un", "meet", "Vladimir Putin", False)]),
    # pronouns across two sentences
    ("Vladimir Putin arrived in Beijing. He met Xi Jinping on Thursday.",
     [("Vladimir Putin", "meet", "Xi Jinping", False)]),
    ("Emmanuel Macron flew to Kyiv. He promised to support Ukraine.",
     [("Emmanuel Macron", "support", "Ukraine", False)]),
    ("Iran fired missiles overnight. It targeted Israel.", [("Iran", "target", "Israel", False)]),
    ("Giorgia Meloni travelled to Tunisia. She praised Tunisia for its cooperation.",
     [("Giorgia Meloni", "praise", "Tunisia", False)]),
    # titles and appositions
    ("Russian President Vladimir Putin called Chinese President Xi Jinping.",
     [("Vladimir Putin", "call", "Xi Jinping", False)]),
    ("Prime Minister Benjamin Netanyahu thanked President Joe Biden.",
     [("Benjamin Netanyahu", "thank", "Joe Biden", False)]),
    ("Sergei Lavrov, Russia's foreign minister, met Wang Yi in Laos.",
     [("Sergei Lavrov", "meet", "Wang Yi", False)]),
    ("Ukrainian President Volodymyr Zelensky thanked Poland.",
     [("Volodymyr Zelensky", "thank", "Poland", False)]),
    # groups led by a demonym
    ("Ukrainian forces attacked Russia's Kursk region.", [("Ukrainian military", "attack", "Kursk", False)]),
    ("Russian troops captured Avdiivka.", [("Russian military", "capture", "Avdiivka", False)]),
    ("Israeli jets struck Beirut.", [("Israeli military", "strike", "Beirut", False)]),
]
# Readings that would be wrong: a negated fact read as asserted, a passive read backwards, a
# reported fact credited to the speaker, a pronoun resolved to the wrong actor.
WRONG = [
    ("China did not condemn Russia.", ("China", "condemn", "Russia", False)),
    ("Kyiv was shelled by Russia overnight.", ("Kyiv", "shell", "Russia", False)),
    ("Benjamin Netanyahu was criticised by Joe Biden for the strike.",
     ("Benjamin Netanyahu", "criticise", "Joe Biden", False)),
    ("Volodymyr Zelensky said that Russia had attacked Kharkiv.",
     ("Volodymyr Zelensky", "attack", "Kharkiv", False)),
    ("Joe Biden urged Benjamin Netanyahu not to invade Rafah.", ("Joe Biden", "invade", "Rafah", True)),
    ("Vladimir Putin arrived in Beijing. He met Xi Jinping on Thursday.",
     ("Xi Jinping", "meet", "Xi Jinping", False)),
    ("Sergei Lavrov, Russia's foreign minister, met Wang Yi in Laos.", ("Russia", "meet", "Wang Yi", False)),
]


def _facts(extractor, text: str) -> set[tuple[str, str, str, bool]]:
    extraction = extractor.extract(Document("case", text, published=date(2024, 11, 11)))
    names = {e.id: e.name for e in extraction.entities}
    return {
        (names[e.subject.entity], e.lemma, names[e.object.entity], e.negated)
        for e in extraction.events
        if e.subject.entity and e.object is not None and e.object.entity
    }


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_news_sentence(extractor, text, expected):
    facts = _facts(extractor, text)
    missing = [f for f in expected if f not in facts]
    assert not missing, f"missing {missing}; read {sorted(facts)}"


@pytest.mark.parametrize(("text", "wrong"), WRONG, ids=[c[0][:40] for c in WRONG])
def test_no_wrong_reading(extractor, text, wrong):
    assert wrong not in _facts(extractor, text)
