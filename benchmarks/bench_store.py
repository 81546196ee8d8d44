"""`kg import` throughput and query latency over about a million triples, Oxigraph against rdflib.

    python benchmarks/bench_store.py [--triples 1000000] [--repeats 5] [--rdflib-repeats 1]
                                     [--data FILE.nq] [--workers 1 2] [--import-only]

The data is what `kg build` writes: documents of generated events (actors, targets, CAMEO
codes, dates, evidence) turned into triples by ``kg.rdf.to_triples``, one named graph per
document, saved as N-Quads. The script then

1. loads the file with ``kg.store.import_files`` (what `kg import` runs) into a fresh
   directory store once per ``--workers`` count (bulk loader, the file being over 64 MiB, cut
   into that many pieces loaded on as many threads) and into a memory store (one
   transaction), and prints triples/s and the load average for each;
2. runs every named query of kg/queries plus a GROUP BY over all events (written as a star
   pattern and as hash-joined scans) against the directory
   store (median of ``--repeats`` runs) and against rdflib's in-memory Dataset holding the same
   quads (``--rdflib-repeats`` runs: rdflib is slow), and prints both and their ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from kg.parallel import default_workers
from kg.query import list_named_queries, named_query, sparql
from kg.rdf import document_iri, to_triples
from kg.store import (
    STANDARD_PREFIXES,
    close_store,
    import_files,
    open_store,
    to_pyoxigraph,
)
from kg.types import Document, Entity, Event, Evidence, Extraction, Mention, Sentence

GROUP_BY = """SELECT ?actor (COUNT(DISTINCT ?event) AS ?events) (AVG(?confidence) AS ?mean)
WHERE { ?event kg:actor ?actor ; kg:confidence ?confidence }
GROUP BY ?actor ORDER BY DESC(?events) LIMIT 20"""
# The same aggregate with each property read by its own scan and the scans hash-joined: Oxigraph
# otherwise looks kg:confidence up once per kg:actor row, which costs about 5x more.
GROUP_BY_SCANS = """SELECT ?actor (COUNT(DISTINCT ?event) AS ?events) (AVG(?confidence) AS ?mean)
WHERE {
  { SELECT ?event ?actor WHERE { ?event kg:actor ?actor } }
  { SELECT ?event ?confidence WHERE { ?event kg:confidence ?confidence } }
}
GROUP BY ?actor ORDER BY DESC(?events) LIMIT 20"""
CAMEO = ["010", "020", "036", "042", "043", "057", "111", "112", "130", "138", "163", "172", "190", "193"]
LEMMAS = ["say", "call", "meet", "accuse", "condemn", "sign", "threaten", "attack", "sanction", "visit"]


def _entities(n: int) -> list[Entity]:
    kinds = ["Country", "Person", "Organization", "Group"]
    return [Entity(f"actor-{i}", f"Actor {i}", kinds[i % 4], (f"A{i}",), f"Q{1000 + i}") for i in range(n)]


def synthetic_extraction(n: int, rng: random.Random, entities: list[Entity], events_per_doc: int = 12) -> Extraction:
    """One generated document with ``events_per_doc`` events between random entities."""
    doc_id = f"bench-{n:06d}"
    sentences, events, mentions, used = [], [], [], {}
    offset = 0
    for index in range(events_per_doc):
        a, b = rng.sample(entities, 2)
        lemma = rng.choice(LEMMAS)
        text = f"{a.name} {lemma}ed {b.name} in a statement on day {rng.randint(1, 28)}."
        subject = Mention(doc_id, index, offset, offset + len(a.name), a.name, "ORG", a.id)
        target = Mention(doc_id, index, offset + len(text) - 1 - len(b.name), offset + len(text) - 1, b.name,
                         "ORG", b.id)
        events.append(Event(subject, f"{lemma}ed", lemma, target, Evidence(doc_id, index, offset, offset + len(text)),
                            cameo=rng.choice(CAMEO), date=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                            date_source="text", confidence=round(rng.uniform(0.3, 0.95), 3),
                            modality=rng.choice(["asserted", "reported"]), pattern="svo"))
        sentences.append(Sentence(index, offset, offset + len(text), text))
        mentions += [subject, target]
        used[a.id], used[b.id] = a, b
        offset += len(text) + 1
    document = Document(doc_id, " ".join(s.text for s in sentences), published=date(2024, 12, 31),
                        source="Bench Wire", title=f"Bench {n}")
    return Extraction(document, tuple(sentences), tuple(mentions), tuple(used.values()), tuple(events))


def write_nquads(path: Path, target: int, seed: int = 1) -> int:
    """Write about ``target`` quads of generated documents; returns how many."""
    rng = random.Random(seed)
    entities = _entities(2000)
    written, n = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            extraction = synthetic_extraction(n, rng, entities)
            graph = document_iri(extraction.document.id).n3()
            triples = to_triples(extraction)
            out.write("".join(f"{s.n3()} {p.n3()} {o.n3()} {graph} .\n" for s, p, o in triples))
            written += len(triples)
            n += 1
    return written


def _time(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _queries() -> dict[str, str]:
    texts = {}
    for name, _ in list_named_queries():
        params = {"entity": "actor 17"} if name == "entity-facts" else {}
        texts[name] = named_query(name, params)
    texts["group-by-actor"] = GROUP_BY
    texts["group-by (scans)"] = GROUP_BY_SCANS
    return texts


def _ox_run(store, text: str) -> int:
    """Run a query on pyoxigraph and read every row: the store's latency, without DataFrames."""
    result = store.query(text, prefixes=STANDARD_PREFIXES, use_default_graph_as_union=True)
    return sum(1 for _ in result)


def _rdflib_timed(dataset, text: str, repeats: int, budget: float) -> float | None:
    """Median seconds of rdflib's query engine, or None when one run exceeds ``budget``.

    Each run happens in a forked child that shares the loaded Dataset, so a query that would
    take hours can be stopped.
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    times = []
    for _ in range(repeats):
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=lambda: send.send(_time(lambda: len(list(dataset.query(text))))))
        child.start()
        ready = receive.poll(budget)
        if not ready:
            child.kill()
            child.join()
            return None
        times.append(receive.recv())
        child.join()
    return statistics.median(times)


def _rdflib_dataset(path: Path):
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    for prefix, namespace in STANDARD_PREFIXES.items():
        dataset.bind(prefix, namespace)
    dataset.parse(str(path), format="nquads")
    return dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rdflib-repeats", type=int, default=1)
    parser.add_argument("--rdflib-budget", type=float, default=120.0,
                        help="seconds after which an rdflib query is stopped and reported as '>budget'")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--data", type=Path, help="an N-Quads file to use instead of generating one")
    parser.add_argument("--workers", type=int, nargs="+", default=sorted({1, default_workers()}),
                        help="loading threads of each directory-store import (default: 1 and one per core)")
    parser.add_argument("--import-only", action="store_true", help="stop after the import figures")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        data = args.data or Path(tmp) / "data.nq"
        if args.data is None:
            started = time.perf_counter()
            count = write_nquads(data, args.triples)
            print(f"generated {count:,} quads ({data.stat().st_size / 1e6:.0f} MB) in "
                  f"{time.perf_counter() - started:.0f}s")
        print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

        runs = [(f"disk, {n} worker(s)", Path(tmp) / f"store-{n}", n) for n in args.workers]
        for label, spec, workers in runs + [("memory", "memory", 1)]:
            started, cpu = time.perf_counter(), time.process_time()
            added = import_files(spec, [data], workers=workers)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            # CPU seconds over wall seconds: the cores the import kept busy, which other jobs on a
            # shared machine take away from the wall-clock figure
            print(f"import ({label:18}): {added:,} triples in {seconds:.1f}s = {added / seconds:,.0f} triples/s, "
                  f"{cpu:.1f} CPU s = {cpu / seconds:.2f} cores  (load average {os.getloadavg()[0]:.2f})")
        if args.import_only:
            return

        store = open_store(runs[-1][1], read_only=True)
        local = to_pyoxigraph(store)
        queries = _queries()
        ox_times: dict[str, float] = {}
        frame_times: dict[str, float] = {}
        rows: dict[str, int] = {}
        for name, text in queries.items():
            rows[name] = _ox_run(local, text)  # warm the caches once, as a running server would be
            ox_times[name] = statistics.median(_time(lambda: _ox_run(local, text)) for _ in range(args.repeats))
            frame_times[name] = statistics.median(_time(lambda: sparql(store, text)) for _ in range(args.repeats))
        local = None  # the last reference must go before close_store() can release the lock
        close_store(store)

        rdflib_times: dict[str, float] = {}
        if not args.skip_rdflib:
            started = time.perf_counter()
            dataset = _rdflib_dataset(data)
            print(f"rdflib parse of the same file: {time.perf_counter() - started:.0f}s")
            for name, text in queries.items():
                rdflib_times[name] = _rdflib_timed(dataset, text, args.rdflib_repeats, args.rdflib_budget)

        print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        print(f"\n{'query':20} {'rows':>7} {'oxigraph s':>11} {'+DataFrame s':>13} {'rdflib s':>10} {'speed-up':>9}")
        for name in queries:
            ox = ox_times[name]
            if args.skip_rdflib:
                rl_text, ratio = "-", "-"
            elif rdflib_times[name] is None:
                rl_text, ratio = f">{args.rdflib_budget:.0f}", f">{args.rdflib_budget / ox:.0f}x"
            else:
                rl_text, ratio = f"{rdflib_times[name]:.2f}", f"{rdflib_times[name] / ox:.0f}x"
            print(f"{name:20} {rows[name]:7} {ox:11.3f} {frame_times[name]:13.3f} {rl_text:>10} {ratio:>9}")


if __name__ == "__main__":
    main()
