"""Extraction throughput with 1 and N worker processes, as a ratio of a bare ``nlp.pipe``.

    python benchmarks/bench_extract.py [--docs 240] [--workers 2] [--repeat 1]

The documents are generated news items (two to four sentences of countries and leaders
acting on each other). The baseline is the same spaCy pipeline the Extractor loads, run as a
bare ``nlp.pipe`` over the same texts in this one process; the other figures time
``kg.parallel.extract_documents`` (what `kg extract` and `kg build` run), pool start-up and
the model load of every worker included, and again from the first result on (steady state).
On a shared machine only the ratios mean much: every figure is printed with the load average,
and ``--repeat`` alternates rounds of all runs and ends with the best of each.
"""

from __future__ import annotations

import argparse
import os
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


def _load() -> str:
    """The 1-minute load average: other jobs on the machine move every figure."""
    return f"load {os.getloadavg()[0]:.1f}"


def time_bare(nlp, docs: list[Document]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of a bare ``nlp.pipe`` over the documents' texts."""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe((d.text for d in docs), batch_size=16):
        pass
    return time.perf_counter() - started, time.process_time() - cpu


def time_extract(docs: list[Document], workers: int) -> tuple[float, float, float]:
    """Seconds of ``extract_documents`` in all and from the first result on (steady state),
    and the CPU seconds of this process (all of the work with one worker)."""
    started, cpu = time.perf_counter(), time.process_time()
    first = None
    for _ in extract_documents(docs, workers=workers):
        if first is None:
            first = time.perf_counter()  # the workers have loaded the pipeline
    end = time.perf_counter()
    return end - started, end - first, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=240)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of all runs, alternating; the summary takes the best of each")
    args = parser.parse_args()
    docs = documents(args.docs)
    words = sum(len(d.text.split()) for d in docs)
    nlp = shared_extractor().nlp
    list(nlp.pipe(d.text for d in docs[:20]))  # warm-up
    counts = sorted({1, args.workers})
    best_bare = float("inf")
    best: dict[int, tuple[float, float]] = {}
    for round_ in range(1, args.repeat + 1):
        bare, bare_cpu = time_bare(nlp, docs)
        best_bare = min(best_bare, bare)
        print(f"[{round_}] {len(docs)} documents, {words} words; bare nlp.pipe: "
              f"{len(docs) / bare:.1f} docs/s ({words / bare:,.0f} words/s); {_load()}")
        for workers in counts:
            total, steady, cpu = time_extract(docs, workers)
            old = best.get(workers, (float("inf"), float("inf")))
            best[workers] = (min(old[0], total), min(old[1], steady))
            # one worker runs in this process: its CPU seconds, unlike wall time, hardly
            # depend on what else the machine runs
            in_cpu = f" (CPU {bare_cpu / cpu:.2f}x)" if workers == 1 else ""
            print(f"[{round_}] kg extract, {workers} worker(s): {len(docs) / total:.1f} docs/s = "
                  f"{bare / total:.2f}x bare nlp.pipe{in_cpu}; after start-up "
                  f"{(len(docs) - 1) / steady:.1f} docs/s = {bare * (len(docs) - 1) / len(docs) / steady:.2f}x; "
                  f"{_load()}")
    if args.repeat > 1:
        for workers in counts:
            total, steady = best[workers]
            print(f"best of {args.repeat}: {workers} worker(s) {best_bare / total:.2f}x bare nlp.pipe, "
                  f"{best_bare * (len(docs) - 1) / len(docs) / steady:.2f}x after start-up")


if __name__ == "__main__":
    main()
