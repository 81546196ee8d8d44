"""A long single document should cost in proportion to its length.

    python benchmarks/bench_long.py [--kb 100 400] [--build]

Each size is one document of generated news (benchmarks/news.py articles joined by blank
lines, like a long report or transcript), parsed as kg parses it (``kg.nlp.parse``: pieces of at
most 100,000 characters joined into one Doc). For each it prints the seconds of the parse, of
extraction and of the RDF graph (N-Triples), wall and CPU, and the ratio of each size's total
to the first size's, next to the ratio of their lengths. CPU seconds move less than wall time
when the machine is shared; the load average is printed with every row.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def long_text(kb: int) -> str:
    from news import article

    parts, size, index = [], 0, 0
    while size < kb * 1000:
        text = article(index, seed=5)["text"]
        parts.append(text)
        size += len(text) + 2
        index += 1
    return "\n\n".join(parts)


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    from kg.nlp import parse
    from kg.parallel import shared_extractor
    from kg.rdf import to_ntriples
    from kg.types import Document

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, nargs="+", default=[100, 400])
    args = parser.parse_args()
    extractor = shared_extractor()
    first = None
    for kb in args.kb:
        text = long_text(kb)
        document = Document(f"long-{kb}", text, published=date(2025, 5, 2))
        doc, parse_wall, parse_cpu = timed(lambda: parse(extractor.nlp, text))
        extraction, ext_wall, ext_cpu = timed(lambda: extractor.extract_doc(document, doc))
        _, rdf_wall, rdf_cpu = timed(lambda: to_ntriples(extraction))
        total_wall, total_cpu = parse_wall + ext_wall + rdf_wall, parse_cpu + ext_cpu + rdf_cpu
        first = first or (kb, total_wall, total_cpu)
        print(f"{kb:5d} kB: parse {parse_wall:6.1f} s (CPU {parse_cpu:6.1f}), extraction {ext_wall:6.1f} s "
              f"(CPU {ext_cpu:6.1f}), rdf {rdf_wall:5.1f} s (CPU {rdf_cpu:5.1f}); {len(extraction.events)} facts; "
              f"total {total_wall / first[1]:.2f}x wall, {total_cpu / first[2]:.2f}x CPU for {kb / first[0]:.1f}x "
              f"the text; load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
