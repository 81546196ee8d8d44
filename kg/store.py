"""Open the RDF store: in-memory or on-disk Oxigraph, or a remote SPARQL 1.1 endpoint.

Every store is returned as an rdflib ``Dataset`` whose default graph is the union of the
named graphs (one per document), so queries need no ``GRAPH`` clauses.
"""

from __future__ import annotations

import ctypes
import fcntl
import gc
import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.bulk import Part, bulk_load, check_safe, load_whole, parts
from kg.errors import InputError, StoreError
from kg.namespaces import ONTOLOGY_GRAPH, PREFIXES
from kg.resources import data_dir
from kg.syntaxes import READ_EXTENSIONS, rdf_file_format, rdf_format

#: prefix -> namespace IRI, declared in every store, query and Turtle export
STANDARD_PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "prov": str(PROV),
    **{prefix: str(ns) for prefix, ns in PREFIXES.items()},
}

# Below this size a file is loaded in one transaction (all or nothing on a parse error);
# above it the bulk loader streams it, which is faster but may leave a partial load.
BULK_THRESHOLD = 64 * 1024 * 1024


def _is_oxigraph_dir(path: Path) -> bool:
    # RocksDB writes CURRENT on creation; an empty directory is a store yet to be created.
    return (path / "CURRENT").is_file() or not any(path.iterdir())


def store_directory(path: Path) -> Path:
    """The store directory meant by ``path``: itself, or DIR/store for a `kg build --out DIR` folder."""
    path = Path(path)
    inner = path / "store"
    if path.is_dir() and not (path / "CURRENT").is_file() and inner.is_dir() and (inner / "CURRENT").is_file():
        return inner
    return path


def _open_oxigraph(path: Path, read_only: bool, create: bool) -> ox.Store:
    path = store_directory(path)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: is a file, not an Oxigraph store directory")
    if path.is_dir() and not _is_oxigraph_dir(path):
        raise StoreError(f"{path}: directory exists but is not an Oxigraph store")
    if not path.exists():
        if read_only or not create:
            raise StoreError(f"{path}: no such store directory or RDF file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create a store here: {exc.strerror or exc}") from exc
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError) as exc:  # RocksDB reports a damaged store as a RuntimeError
        if "LOCK" in str(exc):
            raise StoreError(f"{path}: {_IN_USE}") from exc
        raise StoreError(f"{path}: cannot open store: {' '.join(str(exc).split())[:300]}") from exc


_IN_USE = "in use by another process (a running build, import or server); try again when it ends"


def hold_store(path: Path) -> int:
    """Hold a store directory against writers (a shared lock on RocksDB's LOCK file); the fd to release.

    Another process that opens the store for writing (``kg build --store``, ``kg import``)
    is refused with one clear line while the lock is held; readers are not affected, and a
    store that is being written cannot be held.

    Example:
        >>> release_store(hold_store(path))  # doctest: +SKIP
    """
    lock = Path(path) / "LOCK"
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError as exc:
        raise StoreError(f"{path}: cannot lock the store: {exc.strerror or exc}") from exc
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        raise StoreError(f"{path}: {_IN_USE}") from exc
    return fd


def release_store(fd: int) -> None:
    """Let go of a lock taken by :func:`hold_store`."""
    os.close(fd)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A remote SPARQL 1.1 endpoint: the URL queries go to and the one updates go to."""

    query_url: str
    update_url: str


def _endpoint(spec: str) -> Endpoint:
    if "|" in spec:
        query_url, update_url = (part.strip() for part in spec.split("|", 1))
        return Endpoint(query_url, update_url)
    if spec.rstrip("/").endswith("/query"):
        return Endpoint(spec, spec.rstrip("/")[: -len("query")] + "update")
    # endpoints such as Virtuoso's /sparql accept queries and updates on one URL
    return Endpoint(spec, spec)


def open_target(spec: str | Path = "memory", *, read_only: bool = False, create: bool = True) -> ox.Store | Endpoint:
    """What ``spec`` names, opened without rdflib: the one place that tells a store, a file and an endpoint apart.

    Args:
        spec: ``"memory"`` (a new in-memory store); an ``http(s)://`` endpoint (see
            :func:`open_store`); an RDF file by its extension (loaded into memory; read-only);
            or a store directory (``kg build --out`` folders lead to their ``store/``).
        read_only, create: as :func:`open_store`.

    Returns:
        A pyoxigraph Store, or the :class:`Endpoint` to send queries and updates to.

    Example:
        >>> open_target("http://localhost:7878/query")
        Endpoint(query_url='http://localhost:7878/query', update_url='http://localhost:7878/update')
    """
    kind = _target_kind(spec)
    if kind == "endpoint":
        return _endpoint(str(spec))
    if kind == "memory":
        return ox.Store()
    path = Path(spec)
    if kind == "file":
        return _rdf_file(path, path.is_file(), read_only)
    return _open_oxigraph(path, read_only, create)


def _target_kind(spec: str | Path) -> str:
    """What ``spec`` names: "endpoint", "memory", "file" (an RDF file, there or to be) or "directory"."""
    text = str(spec)
    if text.startswith(("http://", "https://")):
        return "endpoint"
    if text == "memory":
        return "memory"
    path = Path(spec)
    try:
        is_file = path.is_file()
    except OSError as exc:  # a name too long, a loop of links
        raise StoreError(f"{text[:80]}…: cannot read: {exc.strerror or exc}") from None
    return "file" if is_file or (not path.exists() and rdf_format(path.suffix) is not None) else "directory"


def _rdf_file(path: Path, exists: bool, read_only: bool) -> ox.Store:
    """An RDF file read into a new in-memory store; refused where a store is to be written to."""
    if exists and rdf_format(path.suffix) is None:
        raise StoreError(f"{path}: neither a store directory nor an RDF file (.{', .'.join(READ_EXTENSIONS)}) "
                         "nor an endpoint URL")
    if not read_only:
        raise StoreError(f"{path}: is a file: an RDF file opens read-only (read into memory); "
                         "give a store directory to write to")
    if not exists:
        raise StoreError(f"{path}: no such RDF file")
    local = ox.Store()
    _load_local(local, path, None, None, workers=1)
    return local


def open_store(spec: str | Path = "memory", *, read_only: bool = False, create: bool = True) -> Dataset:
    """Open a store, an RDF file or an endpoint as an rdflib Dataset whose default graph is the union.

    Args:
        spec: ``"memory"``; a directory (persistent embedded Oxigraph; a `kg build --out`
            folder opens its store); an RDF file (.ttl, .trig, .nt, .nq, .jsonld, .rdf: loaded
            into memory, with ``read_only=True`` only); an ``http(s)://`` SPARQL endpoint
            (updates go to ``…/update`` when the URL ends in ``/query``, or give both as
            ``"QUERY_URL|UPDATE_URL"``). A remote endpoint must itself treat its default graph
            as the union (``oxigraph serve --union-default-graph``).
        read_only: open without write access (several readers may share a directory).
        create: create the directory store when it does not exist.

    Example:
        >>> store = open_store()
        >>> len(store)
        0
    """
    # oxrdflib and rdflib's SPARQL machinery load here, not on import: `kg query` never needs them
    from oxrdflib import OxigraphStore
    from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore

    target = open_target(spec, read_only=read_only, create=create)
    if isinstance(target, Endpoint):
        if read_only:
            backend = SPARQLStore(target.query_url, returnFormat="json")
        else:
            backend = SPARQLUpdateStore(target.query_url, target.update_url, returnFormat="json")
    else:
        backend = OxigraphStore(store=target)
    dataset = Dataset(store=backend, default_union=True)
    for prefix, namespace in STANDARD_PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    return dataset


def check_store(store: Dataset, *, timeout: float = 10.0) -> None:
    """Fail early with a StoreError when a remote endpoint does not answer a query.

    Local stores were checked when they were opened; an endpoint is only contacted on first
    use, which for a build would be after the first document was extracted.
    """
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    backend = getattr(store, "store", None)
    endpoint = getattr(backend, "query_endpoint", None)
    if not isinstance(backend, SPARQLStore) or not endpoint:
        return
    import urllib.error
    import urllib.parse
    import urllib.request

    url = endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise StoreError(f"{endpoint}: the endpoint answered HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"{endpoint}: endpoint unreachable: {reason}") from exc


def to_pyoxigraph(store: Dataset | Graph | ox.Store) -> ox.Store | None:
    """The pyoxigraph Store behind a local store, or None for remote and plain rdflib ones."""
    if isinstance(store, ox.Store):
        return store
    from oxrdflib import OxigraphStore

    backend = getattr(store, "store", None)
    if isinstance(backend, OxigraphStore):
        # oxrdflib has no public accessor; close() deletes ``_store``, ``_inner`` creates it lazily
        if not hasattr(backend, "_store"):
            raise StoreError("the store is closed")
        return backend._inner
    return None


def load_file(store: Dataset, path: Path, *, graph: str | None = None, bulk: bool | None = None,
              workers: int = 1) -> int:
    """Load an RDF file (ttl, nt, nq, trig, jsonld, rdf) into the store.

    Args:
        graph: IRI of the named graph for the triples of a triple-only file; default graph
            when None. Quads of TriG/N-Quads files keep their own graphs.
        bulk: use pyoxigraph's bulk loader (fast, streams, skips IRI validation, but not
            one transaction: a parse error may leave part of the file loaded); by default
            only for files over 64 MiB. Smaller files load in one transaction, all or nothing.
        workers: threads for a bulk load; an N-Triples/N-Quads file without blank nodes is
            cut into this many pieces at line boundaries, loaded side by side.

    Returns:
        How many new triples the store holds afterwards.

    Example:
        >>> load_file(open_store(), "graph.trig")  # doctest: +SKIP
        1234
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such file")
    rdf_file_format(path)
    local = to_pyoxigraph(store)
    if local is None:
        return _load_with_rdflib(store, path, graph)
    before = len(local)
    _load_local(local, path, graph, bulk, workers)
    return len(local) - before


def _load_local(local: ox.Store, path: Path, graph: str | None, bulk: bool | None, workers: int) -> None:
    """Load an RDF file into a pyoxigraph store: in one transaction, or bulk (see :func:`load_file`)."""
    fmt = rdf_file_format(path)
    if bulk or (bulk is None and path.stat().st_size > BULK_THRESHOLD):
        bulk_load(local, parts(path, fmt, graph, workers), workers)
    else:
        load_whole(local, path, fmt, graph)


def _load_with_rdflib(store: Dataset, path: Path, graph: str | None) -> int:
    syntax = rdf_file_format(path)
    check_safe(path, syntax)
    fmt = syntax.media_type  # rdflib names its parsers by media type too
    scratch = Dataset()
    try:
        scratch.parse(str(path), format=fmt)
    except Exception as exc:  # rdflib parsers raise many unrelated types
        raise InputError(str(path), f"not valid {fmt}: {exc}") from exc
    quads = [
        (s, p, o, Graph(store=store.store, identifier=(ctx if ctx is not None else graph)))
        if (ctx is not None or graph)
        else (s, p, o, store.default_graph)
        for s, p, o, ctx in scratch.quads((None, None, None, None))
    ]
    try:
        store.addN(quads)
    except Exception as exc:  # network or endpoint errors
        raise StoreError(f"{path}: cannot load: {exc}") from exc
    return len(quads)


def import_files(spec: str | Path, paths, *, graph: str | None = None, workers: int | None = None) -> int:
    """Load RDF files into a store (created when missing); the `kg import` command.

    Files over BULK_THRESHOLD go through pyoxigraph's bulk loader into a directory store, on
    ``workers`` threads: consecutive large files load side by side, and an N-Triples/N-Quads
    file without blank nodes is cut at line boundaries into pieces loaded side by side.
    Smaller files, and every file into a memory store, load in one transaction each. The
    ontology graph is (re)loaded first (see :func:`load_ontology`).

    Args:
        spec: a store directory, ``"memory"`` or an endpoint URL (see :func:`open_store`).
        paths: ttl, nt, nq, trig or jsonld files, loaded in order.
        graph: named graph for the triples of triple-only files (default graph when None).
        workers: loading threads; 0 or None (the default): one per core.

    Returns:
        How many triples the store gained.

    Example:
        >>> import_files("/tmp/kg-store", ["graph.trig"])  # doctest: +SKIP
        1234
    """
    paths = [Path(p) for p in paths]
    for path in paths:  # every file is checked before the store is touched
        if not path.is_file():
            raise InputError(str(path), "no such file")
        rdf_file_format(path)
    from kg.parallel import resolve_workers

    workers = resolve_workers(workers)
    store = open_store(spec)
    try:
        check_store(store)
        load_ontology(store)
        local = to_pyoxigraph(store)
        if local is None or str(spec) == "memory":
            # A memory store gains nothing from the bulk loader (Store.load is faster there and
            # is one transaction); endpoints get the triples through rdflib
            return sum(load_file(store, path, graph=graph, bulk=False) for path in paths)
        before = len(local)
        _import_local(local, paths, graph, workers)
        return len(local) - before
    finally:
        local = None  # the last reference must go before close_store() can release the lock
        close_store(store)


def _import_local(local: ox.Store, paths: list[Path], graph: str | None, workers: int) -> None:
    """Load files in order; a run of consecutive large files is bulk-loaded as one batch.

    Files under BULK_THRESHOLD load in one transaction each, so a parse error leaves nothing
    of them behind; the files before a failing one stay loaded, those after it are not read.
    """
    batch: list[Part] = []
    for path in paths:
        fmt = rdf_file_format(path)
        if path.stat().st_size > BULK_THRESHOLD:
            batch += parts(path, fmt, graph, workers)
            continue
        bulk_load(local, batch, workers)
        batch = []
        load_whole(local, path, fmt, graph)
    bulk_load(local, batch, workers)


def load_ontology(store: Dataset) -> int:
    """Load the ontology (geo-events.ttl: classes, their hierarchy, properties) into its own graph.

    Named ONTOLOGY_GRAPH, it lets SPARQL follow the class hierarchy over the store
    (``?x a/rdfs:subClassOf* kg:Entity``). Loading again replaces the graph, so the store holds
    one copy whatever the number of builds and imports.

    Returns:
        Triples in the ontology graph.
    """
    from kg.rdf import replace_graph

    ontology = Graph().parse(data_dir("ontologies") / "geo-events.ttl", format="turtle")
    # one update: a reader (or a remote endpoint, where DROP of a missing graph fails) never
    # sees the store without its ontology graph
    replace_graph(store, URIRef(ONTOLOGY_GRAPH), ontology)
    return len(ontology)


def flush_store(store) -> None:
    """Write a local store's in-memory write buffers to disk (a no-op for other stores).

    RocksDB keeps recent writes in memory tables of several column families until they are
    flushed; a long build that flushes every few megabytes keeps its memory flat (measured:
    writing 3,000 news items into a store of 10,000 or of 100,000 adds the same ~25 MB).
    """
    local = to_pyoxigraph(store)
    if local is not None:
        try:
            local.flush()
        except (OSError, RuntimeError):
            return  # read-only and in-memory stores have nothing to flush
        # the memory tables just written out were freed: give the pages back, or the process
        # grows by ~1 MB per 1,000 news articles stored (glibc keeps freed memory fragmented)
        _return_freed_memory()


def close_store(store) -> None:
    """Flush and close a store so its directory can be reopened (also by another process)."""
    try:
        flush_store(store)
        local = to_pyoxigraph(store)
    except StoreError:
        return  # already closed
    backend = getattr(store, "store", None)
    if backend is not None:
        try:
            backend.close()
        except AttributeError:
            pass  # already closed
    del local
    # RocksDB releases its lock only when the last reference to the store is collected
    gc.collect()
    _return_freed_memory()


def _return_freed_memory() -> None:
    """Give the heap's free pages back to the system (glibc keeps what a closed store freed)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do


def reopen(store: Dataset, spec: str | Path, *, read_only: bool = False) -> Dataset:
    """``store``, opened at ``spec``, closed and opened again when it is a store directory.

    A process that writes a store keeps a reader (index and filter blocks) of every file
    RocksDB wrote or merged since it opened it, about 1 MB per 1,000 news articles stored; the
    same store opened again reads only what it is asked for. A long build reopens its store
    now and then, and reopens it read-only before reading all of it for the graph files.
    Other stores (in memory, read from an RDF file, remote) are returned as they are.
    """
    if to_pyoxigraph(store) is None or _target_kind(spec) != "directory":
        return store
    close_store(store)
    return open_store(spec, read_only=read_only)
