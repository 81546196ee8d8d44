"""What the single store writer of `kg build` sustains, and whether its memory stays flat.

    python benchmarks/bench_writer.py [--docs 10000 100000] [--sentences 1 2]

`kg build` parses, extracts and renders RDF in worker processes; its own process only writes
each document's N-Triples to the store (one transaction each, a flush every few MB). This
script runs that writer alone, as fast as it can go: a few generated articles are read once,
then their graphs are written again and again under new document ids into a new on-disk
store. For each run it prints documents/s and triples/s of the writer (wall and CPU), its
peak resident memory, and the store's size, with the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def rendered_samples(n: int, sentences: tuple[int, int]):
    from news import article

    from kg.parallel import read_batch, shared_extractor
    from kg.types import Document

    records = [article(i, seed=3, sentences=sentences) for i in range(n)]
    documents = [Document(r["id"], r["text"], published=date.fromisoformat(r["published"]), title=r["title"])
                 for r in records]
    return read_batch(shared_extractor(), documents, render=True)


def child(docs: int, sentences: tuple[int, int]) -> None:
    from kg.pipeline import FLUSH_BYTES, Summary
    from kg.rdf import document_iri, write_document
    from kg.store import close_store, flush_store, open_store

    samples = rendered_samples(20, sentences)
    with tempfile.TemporaryDirectory(prefix="kg-writer-") as tmp:
        store = open_store(Path(tmp) / "store")
        summary, unflushed, triples = Summary(), 0, 0
        wall, cpu = time.perf_counter(), time.process_time()
        for n in range(docs):
            sample = samples[n % len(samples)]
            doc_id = f"{sample.doc_id}-{n}"
            old, new = str(document_iri(sample.doc_id)).encode(), str(document_iri(doc_id)).encode()
            ntriples = sample.ntriples.replace(old, new)
            write_document(store, doc_id, ntriples)
            summary.add(sample)
            triples += ntriples.count(b"\n")
            unflushed += len(ntriples)
            if unflushed > FLUSH_BYTES:
                flush_store(store)
                unflushed = 0
        close_store(store)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = sum(f.stat().st_size for f in (Path(tmp) / "store").rglob("*") if f.is_file()) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{docs:7d} documents, {triples:9d} triples: {docs / wall:6.0f} docs/s, {triples / wall:7.0f} triples/s "
          f"({docs / cpu:6.0f} docs/s, {triples / cpu:7.0f} triples/s of CPU); peak RSS {peak:5.0f} MB; "
          f"store {size:5.0f} MB; load {os.getloadavg()[0]:.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--sentences", type=int, nargs=2, default=(1, 2), metavar=("MIN", "MAX"))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, tuple(args.sentences))
        return
    for docs in args.docs:  # each size in a fresh process, so each peak is its own
        subprocess.run([sys.executable, __file__, "--child", str(docs), "--sentences", *map(str, args.sentences)],
                       check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


if __name__ == "__main__":
    main()
