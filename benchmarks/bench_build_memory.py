"""Peak memory of a whole `kg build` for a small-document corpus and ten times as many.

    python benchmarks/bench_build_memory.py --docs 10000 --docs 100000 [--workers 2]

Each size is written as one-to-three-sentence news items (``benchmarks/news.py``) to JSONL and
built by ``kg build --no-html --out DIR --workers N`` under ``/usr/bin/time -f %M`` (the peak
resident set of the parent process). The process tree is also polled every half second (psutil)
for the parent's and the largest worker's resident set; each poll is appended to
``progress.log`` in the work directory, so a run cut short still tells its peak so far. The
last line printed is the ratio of the largest corpus's parent peak to the smallest's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def measure(documents: Path, out: Path, workers: int, log: Path) -> dict:
    """Build ``documents`` into ``out``; peaks in MB and seconds."""
    command = ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "kg", "build", "--no-html",
               "--out", str(out), "--workers", str(workers), str(documents)]
    started = time.monotonic()
    timer = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    parent_peak = worker_peak = 0.0
    with log.open("a", encoding="utf-8") as progress:
        while timer.poll() is None:
            parent, workers_mb = _tree_rss(timer.pid)
            parent_peak, worker_peak = max(parent_peak, parent), max(worker_peak, workers_mb)
            progress.write(f"{time.monotonic() - started:8.1f}s parent {parent:8.0f} MB "
                           f"worker {workers_mb:8.0f} MB (peaks {parent_peak:.0f} / {worker_peak:.0f})\n")
            progress.flush()
            time.sleep(0.5)
    stderr = timer.stderr.read()
    if timer.returncode:
        raise SystemExit(f"{documents}: kg build failed: {stderr.strip()[-500:]}")
    return {"documents": documents.name, "seconds": round(time.monotonic() - started, 1),
            "time_max_rss_mb": round(int(stderr.strip().splitlines()[-1]) / 1024),
            "polled_parent_peak_mb": round(parent_peak), "polled_worker_peak_mb": round(worker_peak),
            "command": " ".join(command)}


def _tree_rss(pid: int) -> tuple[float, float]:
    """RSS in MB of the build process (the child of ``time``) and of its largest worker."""
    try:
        timer = psutil.Process(pid)
        builds = timer.children()
        if not builds:
            return 0.0, 0.0
        build = builds[0]
        parent = build.memory_info().rss / 2**20
        workers = [child.memory_info().rss / 2**20 for child in build.children(recursive=True)]
    except psutil.Error:  # a process ended between listing and reading
        return 0.0, 0.0
    return parent, max(workers, default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, action="append", help="corpus sizes (repeatable)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dir", type=Path, help="work directory (kept; default: a temporary one)")
    args = parser.parse_args()
    sizes = sorted(args.docs or [10_000, 100_000])
    work = args.dir or Path(tempfile.mkdtemp(prefix="kg-build-mem-"))
    work.mkdir(parents=True, exist_ok=True)
    from news import write_jsonl

    rows = []
    for size in sizes:
        documents = work / f"docs-{size}.jsonl"
        if not documents.exists():
            write_jsonl(str(documents), size, sentences=(1, 3))
        row = measure(documents, work / f"out-{size}", args.workers, work / f"progress-{size}.log")
        rows.append(row)
        print(json.dumps(row), flush=True)
    if len(rows) > 1:
        print(f"peak ratio {sizes[-1]} / {sizes[0]} documents: "
              f"{rows[-1]['time_max_rss_mb'] / rows[0]['time_max_rss_mb']:.2f}")


if __name__ == "__main__":
    main()
