"""A confidence that ranks facts: pattern reliability times the quality of each argument."""

from __future__ import annotations

from kg.extraction.clauses import Frame
from kg.extraction.vocab import PRO_FORMS
from kg.types import Mention

# A long subject is usually a clause the parser mis-attached; a long object is often just a
# full noun phrase with its modifiers, so objects are penalised much later.
SUBJECT_LENGTH_FREE = 5
OBJECT_LENGTH_FREE = 16
# the factor for a clause with a subject only
BARE_CLAUSE = 0.3


def argument_quality(mention: Mention | None, n_tokens: int, *, free: int = SUBJECT_LENGTH_FREE) -> float:
    """1.0 for a named entity read directly; less for coreference, bare pronouns and long phrases.

    Args:
        free: how many tokens a phrase may have before its length lowers the quality.
    """
    if mention is None:
        return 0.8
    if mention.entity is not None:
        return 0.85 if mention.resolved_from is not None else 1.0
    if mention.text.lower() in PRO_FORMS:
        return 0.6
    if n_tokens <= free:
        return 0.85
    return max(0.5, 0.85 - 0.04 * (n_tokens - free))


def score(frame: Frame, subject: Mention, obj: Mention | None, *, typed: bool) -> float:
    """Confidence in [0, 1], rounded to 3 places so outputs are stable."""
    value = frame.reliability
    value *= argument_quality(subject, len(frame.subject))
    if frame.object is not None:
        value *= argument_quality(obj, len(frame.object), free=OBJECT_LENGTH_FREE)
    else:
        # a clause with neither object nor further argument says little ("the plan was
        # dropped"): it ranks below every fact that has a second argument
        value *= 0.8 if frame.extra else BARE_CLAUSE
    if typed:
        value = min(1.0, value + 0.05)
    return round(max(0.01, min(1.0, value)), 3)
