"""A confidence that ranks facts: pattern reliability times the quality of each argument."""

from __future__ import annotations

from kg.extract.clauses import Frame
from kg.types import Mention

PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "we", "i",
            "you", "this", "that", "these", "those", "who", "which"}


def argument_quality(mention: Mention | None, n_tokens: int) -> float:
    """1.0 for a named entity read directly; less for coreference, bare pronouns and long phrases."""
    if mention is None:
        return 0.8
    if mention.entity is not None:
        return 0.85 if mention.resolved_from is not None else 1.0
    if mention.text.lower() in PRONOUNS:
        return 0.55
    if n_tokens <= 4:
        return 0.85
    return max(0.5, 0.85 - 0.025 * (n_tokens - 4))


def score(frame: Frame, subject: Mention, obj: Mention | None, *, typed: bool) -> float:
    """Confidence in [0, 1], rounded to 3 places so outputs are stable."""
    value = frame.reliability
    value *= argument_quality(subject, len(frame.subject))
    value *= argument_quality(obj, len(frame.object) if frame.object is not None else 0)
    if typed:
        value = min(1.0, value + 0.05)
    if frame.extra:
        value *= 0.97
    return round(max(0.01, min(1.0, value)), 3)
