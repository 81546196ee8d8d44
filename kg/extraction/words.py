"""The word lists the extraction rules consult, each under one name.

The words are data (``data/lexicon/words.tsv``, one ``set``/``word`` row per word), read and
validated once on import: an unknown or misspelt set, a duplicate word, an upper-case word or a
word with spaces stops with the file, line and set. Adding a word to a list needs no Python.
The lists are the shipped ones whatever lexicon folder an ``Extractor`` is given: they are
grammar-level knowledge the rules are written against, not a corpus's own vocabulary.
Grammatical constants (dependency labels, entity labels, tags, function words) live in
:mod:`kg.extraction.vocab`.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import DataError
from kg.resources import data_dir, read_tsv

WORD_COLUMNS = ("set", "word")
_SET_NAME = re.compile(r"^[a-z]+(?:-[a-z]+)*$")


def read_word_sets(path: Path) -> dict[str, tuple[int, frozenset[str]]]:
    """Every set of a word-list file: name -> (line of its first row, its words).

    Example:
        >>> sets = read_word_sets(data_dir("lexicon") / "words.tsv")
        >>> "launch" in sets["light-verbs"][1]
        True
    """
    found: dict[str, tuple[int, set[str]]] = {}
    for line, row in read_tsv(path, WORD_COLUMNS):
        name, word = row["set"], row["word"]
        if not _SET_NAME.match(name):
            raise DataError(str(path), f"set name {name!r} is not lower-case words joined by '-'",
                            line, name or None)
        if not word or word != word.lower() or any(c.isspace() for c in word):
            raise DataError(str(path), f"word {word!r} is not one lower-case word", line, name)
        first, words = found.setdefault(name, (line, set()))
        if word in words:
            raise DataError(str(path), f"duplicate word {word!r}", line, name)
        words.add(word)
    return {name: (first, frozenset(words)) for name, (first, words) in found.items()}


_PATH = data_dir("lexicon") / "words.tsv"
_SETS = read_word_sets(_PATH)
_USED: set[str] = set()


def _words(name: str) -> frozenset[str]:
    if name not in _SETS:
        raise DataError(str(_PATH), f"no rows for the word set {name!r}")
    _USED.add(name)
    return _SETS[name][1]


# nouns
AGENT_NOUNS = _words("agent-nouns")
CROWD_NOUNS = _words("crowd-nouns")
HAZARD_NOUNS = _words("hazard-nouns")
COUNTRY_NOUNS = _words("country-nouns")
COUNTRY_PLURAL_HEADS = _words("country-plural-heads")
BODY_PLURAL_HEADS = _words("body-plural-heads")
QUANTITY_NOUNS = _words("quantity-nouns")
CARRIER_NOUNS = _words("carrier-nouns")
REPORT_NOUNS = _words("report-nouns")
SOURCE_NOUNS = _words("source-nouns")
INTENT_NOUNS = _words("intent-nouns")
REQUEST_NOUNS = _words("request-nouns")
STANCE_NOUNS = _words("stance-nouns")
NOT_CURRENCIES = _words("not-currencies")
CURRENCY_WORDS = _words("currency-words")
# verbs
LIGHT_VERBS = _words("light-verbs")
ENTRY_VERBS = _words("entry-verbs")
OBJECT_CONTROL_VERBS = _words("object-control-verbs")
STATEMENT_VERBS = _words("statement-verbs")
SPEECH_VERBS = _words("speech-verbs")
PASSIVE_REPORT_VERBS = SPEECH_VERBS | _words("passive-report-verbs")
INTENT_WORDS = _words("intent-words")
REQUEST_VERBS = _words("request-verbs")
REQUEST_CLAUSE_VERBS = _words("request-clause-verbs")
REQUEST_PREP_VERBS = _words("request-prep-verbs")
DEMAND_VERBS = _words("demand-verbs")
NEGATING_VERBS = _words("negating-verbs")
ATTRIBUTION_PARTICIPLES = _words("attribution-participles")
DONE_TO_LEMMAS = _words("done-to-lemmas")
# adjectives, adverbs and the rest
RAISING_ADJECTIVES = _words("raising-adjectives")
REPORTED_ADVERBS = _words("reported-adverbs")
TIME_WORDS = _words("time-words")
DESCRIPTIVE_LEMMAS = _words("descriptive-lemmas")
FORMS_OF_ADDRESS = _words("forms-of-address")
NAME_HONORIFICS = _words("name-honorifics")
TITLE_MODIFIERS = _words("title-modifiers")
NAME_PARTICLES = _words("name-particles")



def check_all_named(path: Path, sets: dict[str, tuple[int, frozenset[str]]], named: set[str]) -> None:
    """A set in the file that no name here reads is a misspelling or a leftover: an error."""
    for name, (line, _) in sorted(sets.items(), key=lambda item: item[1][0]):
        if name not in named:
            raise DataError(str(path), f"unknown word set {name!r}", line, name)


check_all_named(_PATH, _SETS, _USED)
