"""Peak memory of `kg build` for 1x, 4x and 16x a corpus: it should stay flat.

    python benchmarks/bench_memory.py [--docs 50] [--workers 1]

The corpus is the sample article plus generated news items (``--docs`` documents in all),
repeated under new ids. Each size is built in a fresh process (``kg.pipeline.build`` into a
new directory store, no HTML) that reports its own peak resident set size (``ru_maxrss``) and
the largest of its worker processes'.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def corpus(n_docs: int, times: int):
    """The sample article and generated items, ``times`` over, each copy with its own ids."""
    from bench_extract import documents

    from kg.documents import read_documents

    base = list(read_documents([ROOT / "data" / "samples" / "trump-putin-call.jsonl"]))
    base += documents(n_docs - len(base), seed=9)
    for copy in range(times):
        for document in base:
            yield replace(document, id=f"{document.id}-{copy}")


def child(times: int, n_docs: int, workers: int) -> None:
    import tracemalloc

    from kg.pipeline import build

    shared = __import__("kg.parallel", fromlist=["shared_extractor"]).shared_extractor()  # load before tracing
    del shared
    tracemalloc.start()
    with tempfile.TemporaryDirectory(prefix="kg-mem-") as tmp:
        started = time.perf_counter()
        summary = build(corpus(n_docs, times), None, store=Path(tmp) / "store", workers=workers, html=False)
        seconds = time.perf_counter() - started
    print(json.dumps({
        "documents": summary.documents,
        "seconds": seconds,
        "python_peak_mb": tracemalloc.get_traced_memory()[1] / 2**20,
        "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.docs, args.workers)
        return
    print(f"{'corpus':>7} {'documents':>10} {'docs/s':>7} {'peak RSS MB':>12} {'Python heap peak MB':>20} "
          f"{'worker peak MB':>15}")
    for times in (1, 4, 16):
        out = subprocess.run([sys.executable, __file__, "--child", str(times), "--docs", str(args.docs),
                              "--workers", str(args.workers)], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{times:>6}x {row['documents']:>10} {row['documents'] / row['seconds']:7.1f} "
              f"{row['self_mb']:12.0f} {row['python_peak_mb']:20.1f} {row['children_mb']:15.0f}")


if __name__ == "__main__":
    main()
