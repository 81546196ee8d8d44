"""A day of news: generated articles streamed through `kg build --no-html` into an on-disk store,
with a local process pool and then on a local Dask cluster of single-thread workers.

    python benchmarks/day_of_news.py [--docs 20000] [--workers 2] [--modes pool,dask]

For each mode it prints documents/s and words/s (whole process, start-up included), the peak
resident memory of every process (the build, each of its workers or each Dask worker) in the
first and the second half of the run (flat memory: the second half is no higher), the store's
size on disk, and the median latency of every named query on the finished store. Every line
carries the load average: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def load() -> str:
    return "load " + "/".join(f"{x:.1f}" for x in os.getloadavg())


class Sampler(threading.Thread):
    """Samples the resident memory of processes every ``every`` seconds: peak per process and half."""

    def __init__(self, processes, every: float = 1.0):
        super().__init__(daemon=True)
        self.processes = processes  # callable -> {name: psutil.Process}
        self.every = every
        self.samples: list[tuple[float, dict[str, float]]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            row = {}
            for name, proc in self.processes().items():
                try:
                    row[name] = proc.memory_info().rss / 2**20
                except psutil.Error:
                    pass
            self.samples.append((time.perf_counter(), row))
            self.done.wait(self.every)

    def peaks(self) -> dict[str, tuple[float, float]]:
        """Per process: peak MB in the first half and in the second half of the run."""
        if not self.samples:
            return {}
        start, end = self.samples[0][0], self.samples[-1][0]
        middle = (start + end) / 2
        out: dict[str, list[float]] = {}
        for at, row in self.samples:
            for name, mb in row.items():
                halves = out.setdefault(name, [0.0, 0.0])
                halves[at > middle] = max(halves[at > middle], mb)
        return {name: (a, b) for name, (a, b) in out.items()}


def build_children(build: psutil.Process) -> dict[str, psutil.Process]:
    out = {"kg build": build}
    try:
        workers = [c for c in build.children(recursive=True) if c.memory_info().rss > 100 * 2**20]
    except psutil.Error:
        workers = []
    for n, child in enumerate(sorted(workers, key=lambda c: c.pid)):
        out[f"worker {n + 1}"] = child
    return out


def run_build(data: Path, store: Path, extra: list[str], others=dict) -> tuple[float, str, dict]:
    command = [sys.executable, "-m", "kg", "build", str(data), "--store", str(store), "--no-html", *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    build = psutil.Process(proc.pid)
    sampler = Sampler(lambda: {**build_children(build), **others()})
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    if proc.returncode != 0:
        print(err.strip()[-2000:], file=sys.stderr)
    return seconds, out.strip().splitlines()[0] if out.strip() else err.strip(), sampler.peaks()


def store_size(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def query_latency(store: Path, repeat: int = 3) -> dict[str, float]:
    """Median seconds of each named query (reading every row) on the store."""
    from kg.query import list_named_queries, named_query, named_query_params, sparql
    from kg.store import close_store, open_store

    graph = open_store(store, read_only=True)
    out = {}
    try:
        for name, _ in list_named_queries():
            params = {p: "Russia" for p in named_query_params(name)}
            text = named_query(name, params)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                result = sparql(graph, text)
                len(result) if hasattr(result, "__len__") else None
                times.append(time.perf_counter() - started)
            out[name] = statistics.median(times)
    finally:
        close_store(graph)
    return out


def report(mode: str, docs: int, words: int, seconds: float, summary: str, peaks: dict, store: Path) -> None:
    print(f"== {mode}: {docs} documents in {seconds:.0f} s: {docs / seconds:.1f} docs/s, "
          f"{words / seconds:,.0f} words/s; {load()}")
    print(f"   summary: {summary}")
    for name, (first, second) in sorted(peaks.items()):
        print(f"   peak RSS {name:12} first half {first:6.0f} MB, second half {second:6.0f} MB")
    print(f"   store {store_size(store):.0f} MB on disk")
    for name, latency in query_latency(store).items():
        print(f"   query {name:20} {latency * 1000:7.0f} ms (median of 3)")
    sys.stdout.flush()


def main() -> None:
    from news import write_jsonl

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--modes", default="pool,dask")
    parser.add_argument("--dir", help="work directory (default: a temporary one, removed at the end)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-day-", dir=args.dir) as tmp:
        tmp = Path(tmp)
        data = tmp / "day.jsonl"
        docs, words = write_jsonl(str(data), args.docs)
        print(f"{docs} articles, {words:,} words ({words / docs:.0f} a document), "
              f"{data.stat().st_size / 2**20:.0f} MB of JSON Lines; {load()}", flush=True)
        if "pool" in args.modes:
            seconds, summary, peaks = run_build(data, tmp / "pool-store", ["--workers", str(args.workers)])
            report(f"--workers {args.workers}", docs, words, seconds, summary, peaks, tmp / "pool-store")
        if "dask" in args.modes:
            from dask.distributed import LocalCluster

            with LocalCluster(n_workers=args.workers, processes=True, threads_per_worker=1,
                              dashboard_address=None) as cluster:
                def dask_workers():
                    me = psutil.Process()
                    kids = [c for c in me.children() if "kg" not in " ".join(c.cmdline()[:3])]
                    return {f"dask proc {n + 1}": c for n, c in enumerate(sorted(kids, key=lambda c: c.pid))}

                seconds, summary, peaks = run_build(data, tmp / "dask-store", ["--dask", cluster.scheduler_address],
                                                    others=dask_workers)
            report(f"--dask (LocalCluster, {args.workers} single-thread workers)", docs, words, seconds, summary,
                   peaks, tmp / "dask-store")


if __name__ == "__main__":
    main()
