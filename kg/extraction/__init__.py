"""Text -> Extraction. ``Extractor`` and ``extract`` live in kg.extraction.extractor (loaded on use,
so the rule modules can be imported and tested on their own)."""

from __future__ import annotations

__all__ = ["Extractor", "extract"]


def __getattr__(name: str):
    if name in __all__:
        from kg.extraction import extractor

        return getattr(extractor, name)
    raise AttributeError(f"module 'kg.extraction' has no attribute {name!r}")
