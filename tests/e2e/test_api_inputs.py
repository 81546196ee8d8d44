"""build_graph takes texts, paths and Documents by name: a string is never guessed to be a file."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.errors import InputError, KGError
from kg.types import Document

pytestmark = pytest.mark.model

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "trump-putin-call.jsonl"
DOCS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a kg:Document } }"


def doc_ids(graph) -> list[str]:
    return sorted(str(iri).rsplit("/", 1)[-1] for iri in kg.sparql(graph, DOCS)["g"])


def test_readme_calls(monkeypatch):
    monkeypatch.chdir(SAMPLE.parents[2])
    g = kg.build_graph(["Russia invaded Ukraine on 24 February 2022."], published="2024-11-11")
    assert doc_ids(g) == ["text-1"]
    g2 = kg.build_graph(paths=["data/samples/trump-putin-call.jsonl"])
    assert doc_ids(g2) == ["trump-putin-call"]


def test_texts_paths_and_documents_together(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("France met China.", encoding="utf-8")
    g = kg.build_graph(texts="x.txt", paths="x.txt", documents=[Document("d", "Iran threatened \ud800 Israel.")])
    assert doc_ids(g) == ["d", "text-1", "x"]  # the text "x.txt" is a text, the path a file


def test_a_missing_path_and_a_path_given_as_text_are_errors(tmp_path):
    with pytest.raises(InputError, match="missing.jsonl: no such file"):
        kg.build_graph(paths=[tmp_path / "missing.jsonl"])
    with pytest.raises(KGError, match="texts must be strings, got PosixPath"):
        kg.build_graph([SAMPLE])
