"""One loaded Extractor for the whole end-to-end session (loading the pipeline takes seconds)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def extractor():
    from kg.extraction.extractor import Extractor

    return Extractor()
