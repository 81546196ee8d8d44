"""Imported once by the worker pool's fork server (:mod:`kg.parallel`) before it forks any
worker: the imports and one-time set-ups that every worker would otherwise pay for itself
(about 2 s of CPU each) are paid here once, and the workers inherit them.
"""

from __future__ import annotations

from datetime import date

import kg.extraction.extractor  # noqa: F401  spaCy, thinc and kg's rules
import kg.rdf  # noqa: F401  rdflib and pyoxigraph
from kg.extraction.timex import resolve

# dateparser compiles its time-zone and English regular expressions on its first call
# (0.3-0.8 s of CPU); every worker meets a phrase only dateparser reads within its first batches
resolve("early March", date(2000, 1, 1))
