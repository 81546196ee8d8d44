"""Text -> Extraction: :class:`~kg.extraction.extractor.Extractor` and
:func:`~kg.extraction.extractor.extract`; the rules live in one module each beside them."""

from __future__ import annotations

from kg.extraction.extractor import Extractor, extract

__all__ = ["Extractor", "extract"]
