"""Whole `kg extract` and `kg build` processes against a bare single-process ``nlp.pipe``.

    python benchmarks/bench_pipeline.py [--bytes 1000000] [--repeat 1] [--runs bare,extract1,extract2,build2]

The input is generated news (benchmarks/news.py) in one JSON Lines file of ``--bytes`` of
text. Every figure is a whole process, start-up included, timed from outside: the baseline
loads the same spaCy model and runs ``nlp.pipe`` over the texts; the others run the `kg`
command (`kg build` into a new on-disk store, no HTML). Each run prints its wall time, its
ratio to the baseline, the CPU seconds of all its processes and the load average (the
machine is shared: the ratios move with the load). ``--repeat`` alternates rounds and ends
with the best of each.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

BARE = """
import json, sys, spacy
from kg.models import resolve_model
nlp = spacy.load(resolve_model())
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
for _ in nlp.pipe(texts):
    pass
"""


def commands(data: Path, scratch: Path) -> dict[str, list[str]]:
    kg = [sys.executable, "-m", "kg"]
    return {
        "bare": [sys.executable, "-c", BARE, str(data)],
        "extract1": kg + ["extract", str(data), "--workers", "1", "--out", str(scratch / "x1.jsonl")],
        "extract2": kg + ["extract", str(data), "--workers", "2", "--out", str(scratch / "x2.jsonl")],
        "build2": kg + ["build", str(data), "--store", str(scratch / "store"), "--no-html", "--workers", "2"],
    }


def timed(command: list[str], scratch: Path) -> dict:
    """Wall seconds and CPU seconds of the process and its children."""
    shutil.rmtree(scratch / "store", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "load": os.getloadavg()[0]}


def main() -> None:
    from news import write_jsonl

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bytes", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--runs", default="bare,extract1,extract2,build2")
    args = parser.parse_args()
    runs = args.runs.split(",")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        scratch = Path(tmp)
        data = scratch / "news.jsonl"
        count, words = write_jsonl(str(data), target_bytes=args.bytes)
        print(f"{count} documents, {words} words, {data.stat().st_size / 1e6:.2f} MB of JSON Lines")
        todo = commands(data, scratch)
        best: dict[str, float] = {}
        for round_ in range(1, args.repeat + 1):
            for name in runs:
                row = timed(todo[name], scratch)
                best[name] = min(best.get(name, float("inf")), row["wall"])
                ratio = f" = {best_ratio(row['wall'], best)}" if name != "bare" and "bare" in best else ""
                print(f"[{round_}] {name:9} {row['wall']:7.1f} s{ratio}  {words / row['wall']:6.0f} words/s  "
                      f"CPU {row['cpu']:6.1f} s  load {row['load']:.1f}",
                      flush=True)
        if args.repeat > 1 and "bare" in best:
            print("best: " + ", ".join(f"{name} {best['bare'] / best[name]:.2f}x" for name in runs if name != "bare"))
        print(f"load average {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")


def best_ratio(wall: float, best: dict[str, float]) -> str:
    return f"{best['bare'] / wall:.2f}x bare"


if __name__ == "__main__":
    main()
