"""The word lists: one data file, validated on load, and no word set defined anywhere else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kg.errors import DataError
from kg.extraction import vocab, words
from kg.extraction.words import check_all_named, read_word_sets

EXTRACTION = Path(words.__file__).parent


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "words.tsv"
    path.write_text("# a comment\nset\tword\n" + body, encoding="utf-8")
    return path


def test_sets_are_read_with_their_first_line(tmp_path):
    path = _write(tmp_path, "light-verbs\tlaunch\nlight-verbs\thold\n# next\nentry-verbs\tgo\n")
    assert read_word_sets(path) == {"light-verbs": (3, frozenset({"launch", "hold"})),
                                    "entry-verbs": (6, frozenset({"go"}))}


@pytest.mark.parametrize("body, problem", [
    ("light-verbs\tlaunch\nlight-verbs\tlaunch\n", r"words.tsv:4 \[light-verbs\]: duplicate word 'launch'"),
    ("light-verbs\tLaunch\n", r"words.tsv:3 \[light-verbs\]: word 'Launch' is not one lower-case word"),
    ("light-verbs\tcarry out\n", r"words.tsv:3 \[light-verbs\]: word 'carry out' is not one"),
    ("light-verbs\t\n", r"words.tsv:3 \[light-verbs\]: word '' is not one"),
    ("Light_Verbs\tlaunch\n", r"words.tsv:3 \[Light_Verbs\]: set name 'Light_Verbs'"),
    ("light-verbs\tlaunch\textra\n", r"words.tsv:3 \[light-verbs\]: 3 fields, header has 2"),
])
def test_bad_rows_name_file_line_and_set(tmp_path, body, problem):
    with pytest.raises(DataError, match=problem):
        read_word_sets(_write(tmp_path, body))


def test_a_missing_column_is_an_error(tmp_path):
    path = tmp_path / "words.tsv"
    path.write_text("set\tlemma\nlight-verbs\tlaunch\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"words.tsv:1: missing column\(s\) word"):
        read_word_sets(path)


def test_a_set_no_name_reads_is_an_error(tmp_path):
    path = _write(tmp_path, "light-verbs\tlaunch\nligth-verbs\thold\n")
    with pytest.raises(DataError, match=r"words.tsv:4 \[ligth-verbs\]: unknown word set"):
        check_all_named(path, read_word_sets(path), {"light-verbs"})


def test_the_shipped_sets_are_the_names():
    shipped = read_word_sets(words._PATH)
    assert words.LIGHT_VERBS == shipped["light-verbs"][1]
    assert "launch" in words.LIGHT_VERBS and "say" in words.SPEECH_VERBS
    # the passive reports extend the speech verbs ("is said to", "is believed to")
    assert words.SPEECH_VERBS < words.PASSIVE_REPORT_VERBS and "believe" in words.PASSIVE_REPORT_VERBS


def _word_sets_defined_in(path: Path) -> list[str]:
    """Module-level sets, frozensets and str -> str dicts of words defined in a module."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") in ("set", "frozenset") and value.args:
            value = value.args[0]
        if isinstance(value, ast.Set):
            elements = value.elts
        elif isinstance(value, ast.Dict) and all(isinstance(v, ast.Constant) and isinstance(v.value, str)
                                                 for v in value.values):
            elements = value.keys
        else:
            continue
        if any(isinstance(e, ast.Constant) and isinstance(e.value, str) and any(c.isalpha() for c in e.value)
               for e in elements):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            found.append(f"{path.name}:{node.lineno} {getattr(target, 'id', '?')}")
    return found


def test_no_word_set_is_defined_outside_its_home():
    """Words live in data/lexicon/words.tsv (kg.extraction.words), grammar in kg.extraction.vocab."""
    scattered = [hit for path in sorted(EXTRACTION.glob("*.py")) if path.name != "vocab.py"
                 for hit in _word_sets_defined_in(path)]
    assert scattered == []
    assert _word_sets_defined_in(Path(vocab.__file__))  # the check does see a word set


def test_grammar_names_are_defined_once():
    names = [n for n in vars(vocab) if n.isupper()]
    for path in sorted(EXTRACTION.glob("*.py")):
        if path.name == "vocab.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                assert not any(getattr(t, "id", None) in names for t in node.targets), path.name
