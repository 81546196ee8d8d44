"""Extraction throughput with 1 and N worker processes, as a ratio of a bare ``nlp.pipe``.

    python benchmarks/bench_extract.py [--docs 240] [--workers 2]

The documents are generated news items (two to four sentences of countries and leaders
acting on each other). The baseline is the same spaCy pipeline the Extractor loads, run as a
bare ``nlp.pipe`` over the same texts in this one process; the other figures time
``kg.parallel.extract_documents`` (what `kg extract` and `kg build` run), pool start-up and
the model load of every worker included, and again from the first result on (steady state).
On a shared machine only the ratios mean much.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date

from kg.parallel import default_workers, extract_documents, shared_extractor
from kg.types import Document

ACTORS = ["Brazil", "Argentina", "Kenya", "Ethiopia", "Indonesia", "Malaysia", "Sweden", "Finland",
          "Morocco", "Algeria", "Peru", "Colombia", "the African Union", "ASEAN"]
LEADERS = ["the prime minister", "the foreign minister", "the defence minister", "the president"]
TEMPLATES = [
    "{a} accused {b} of breaking the fishing accord on {day}.",
    "Speaking in the capital, {p} of {a} said {b} must release the detained sailors.",
    "{a} and {b} agreed on {day} to reopen their embassies after a two-year break.",
    "{b} rejected the proposal from {a}, calling it an attempt to interfere in its elections.",
    "{p} of {a} will visit {b} next month to sign a port deal, officials said.",
    "{a} imposed tariffs on steel from {b} in response to what it called dumping.",
    "Troops from {a} crossed into {b} overnight, according to local officials.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def documents(n: int, seed: int = 2) -> list[Document]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            a, b = rng.sample(ACTORS, 2)
            s = rng.choice(TEMPLATES).format(a=a, b=b, p=rng.choice(LEADERS), day=rng.choice(DAYS))
            sentences.append(s[0].upper() + s[1:])
        out.append(Document(f"bench-{i}", " ".join(sentences), published=date(2025, 5, 2)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=240)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    docs = documents(args.docs)
    words = sum(len(d.text.split()) for d in docs)

    nlp = shared_extractor().nlp
    list(nlp.pipe(d.text for d in docs[:20]))  # warm-up
    started = time.perf_counter()
    for _ in nlp.pipe((d.text for d in docs), batch_size=16):
        pass
    bare = time.perf_counter() - started
    print(f"{len(docs)} documents, {words} words; bare nlp.pipe: {len(docs) / bare:.1f} docs/s "
          f"({words / bare:,.0f} words/s)")

    for workers in sorted({1, args.workers}):
        started = time.perf_counter()
        first = None
        for n, _ in enumerate(extract_documents(docs, workers=workers), 1):
            if first is None:
                first = time.perf_counter()  # the workers have loaded the pipeline
        end = time.perf_counter()
        steady = (n - 1) / (end - first) if end > first else float("nan")
        print(f"kg extract, {workers} worker(s): {n / (end - started):.1f} docs/s = "
              f"{bare / (end - started):.2f}x bare nlp.pipe; after start-up {steady:.1f} docs/s = "
              f"{steady / (len(docs) / bare):.2f}x")


if __name__ == "__main__":
    main()
