"""Bulk loading of large RDF files into an embedded Oxigraph store, on several threads.

pyoxigraph's bulk loader keeps about one core busy; N-Triples and N-Quads files, one statement
per line, are cut at line boundaries into pieces loaded side by side (pyoxigraph releases the
GIL while it loads), and several large files load side by side too.
"""

from __future__ import annotations

import io
import mmap
import os
import re
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from kg.errors import InputError, KGError, StoreError

__all__ = ["Part", "bulk_load", "check_safe", "load_whole", "parts"]

# One statement per line: these files can be cut at any newline and the pieces loaded apart.
_LINE_FORMATS = frozenset({ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS})
# what pyoxigraph raises for a bad file (SyntaxError), a statement over its 16 MiB buffer
# (MemoryError) or a failed read or write
_LOAD_ERRORS = (SyntaxError, MemoryError, OSError, ValueError)
# an RDF/XML document type declaring entities: pyoxigraph expands them, and a few hundred bytes
# of nested entities ("billion laughs") expand to gigabytes
_ENTITY = re.compile(rb"<!ENTITY", re.I)


class Part(NamedTuple):
    """Bytes [start, end) of one file for one bulk_load call; end None is the whole file."""

    path: Path
    fmt: ox.RdfFormat
    graph: str | None
    start: int = 0
    end: int | None = None


def _target(fmt: ox.RdfFormat, graph: str | None) -> dict:
    if fmt.supports_datasets:
        return {}
    return {"to_graph": ox.NamedNode(graph) if graph else ox.DefaultGraph()}


def check_safe(path: Path, fmt: ox.RdfFormat) -> None:
    """InputError for an RDF/XML file that declares XML entities, before any parser expands them.

    RDF/XML needs no entities of its own; refusing them is expansion turned off, which
    pyoxigraph's parser has no switch for. (``<!ENTITY`` can stand raw only in a DTD or a
    CDATA section; the rare CDATA one is refused too.)
    """
    if fmt != ox.RdfFormat.RDF_XML:
        return
    tail = b""
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if _ENTITY.search(tail + chunk):
                raise InputError(str(path), "RDF/XML that declares XML entities is refused "
                                            "(entity expansion is off: it could expand to gigabytes)")
            tail = chunk[-8:]


def load_whole(local: ox.Store, path: Path, fmt: ox.RdfFormat, graph: str | None) -> None:
    """Load one file in one transaction: a parse error leaves nothing of it behind."""
    check_safe(path, fmt)
    try:
        local.load(path=str(path), format=fmt, **_target(fmt, graph))
    except _LOAD_ERRORS as exc:
        raise _load_error(Part(path, fmt, graph), exc) from exc


def parts(path: Path, fmt: ox.RdfFormat, graph: str | None, workers: int) -> list[Part]:
    """The pieces a bulk load of ``path`` is cut into: several only where that is exact."""
    whole = [Part(path, fmt, graph)]
    if workers <= 1 or fmt not in _LINE_FORMATS or path.stat().st_size == 0:
        return whole
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
        # each bulk_load call renames blank nodes apart, so `_:a` in two pieces would become two
        # nodes; the scan may also hit `_:` inside an IRI or literal, which only costs the split
        if view.find(b"_:") != -1:
            return whole
        size, cuts = len(view), [0]
        for index in range(1, workers):
            newline = view.find(b"\n", max(size * index // workers, cuts[-1]))
            if newline == -1 or newline + 1 >= size:
                break
            cuts.append(newline + 1)
    cuts.append(size)
    return [Part(path, fmt, graph, start, end) for start, end in pairwise(cuts)]


class _FileRange(io.RawIOBase):
    """Bytes [start, end) of a file as a stream, for a bulk_load that must stop at ``end``."""

    def __init__(self, path: Path, start: int, end: int):
        super().__init__()
        self._fd = os.open(path, os.O_RDONLY)
        self._pos, self._end = start, end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = os.pread(self._fd, max(0, min(len(buffer), self._end - self._pos)), self._pos)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()


def _bulk_load_part(local: ox.Store, part: Part) -> None:
    # lenient: IRI validation costs the bulk loader about a third of its time, and files this
    # large are machine-written exports (kg build, other triple stores)
    options = {"format": part.fmt, "lenient": True, **_target(part.fmt, part.graph)}
    if part.end is None:
        local.bulk_load(path=str(part.path), **options)
        return
    # pyoxigraph reads a Python stream 2 KiB at a time: a large buffer saves a syscall each
    with io.BufferedReader(_FileRange(part.path, part.start, part.end), 1 << 20) as stream:
        local.bulk_load(stream, **options)


def bulk_load(local: ox.Store, parts: list[Part], workers: int) -> None:
    """Bulk-load parts on up to ``workers`` threads (pyoxigraph releases the GIL meanwhile).

    After a failure no further part starts, the running ones finish (a bulk load cannot be
    stopped), and the first failure in file order is raised, counting any others.
    """
    if not parts:
        return
    for part in {(p.path, p.fmt) for p in parts}:
        check_safe(*part)
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(parts))), thread_name_prefix="kg-load")
    try:
        futures = [pool.submit(_bulk_load_part, local, part) for part in parts]
        wait(futures, return_when=FIRST_EXCEPTION)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    failed = [(part, f.exception()) for part, f in zip(parts, futures) if not f.cancelled() and f.exception()]
    if failed:
        part, exc = failed[0]
        if not isinstance(exc, _LOAD_ERRORS):
            raise exc  # a bug, not a bad file: keep its own type and traceback
        raise _load_error(part, exc, others=len(failed) - 1) from exc


def _load_error(part: Part, exc: Exception, others: int = 0) -> KGError:
    """The one-line error for a failed load of ``part`` (a parse error names file and line)."""
    also = f" ({others} more part(s) of the load failed too)" if others else ""
    if isinstance(exc, SyntaxError):
        if part.end is not None:  # a piece read as a stream: pyoxigraph knows neither file nor offset
            exc = _shift_lines(exc, part)
        return InputError(str(part.path), f"not valid {part.fmt.name}: {exc}{also}")
    if isinstance(exc, MemoryError):
        return InputError(str(part.path), f"too large to read: one statement is over the parser's limit ({exc}){also}")
    return StoreError(f"{part.path}: cannot load: {exc}{also}")


def _shift_lines(exc: SyntaxError, part: Part) -> SyntaxError:
    """The parse error of a piece, with line numbers counted from the start of its file."""
    lines = 0
    with part.path.open("rb") as fh:  # only on failure: count the newlines before the piece
        for offset in range(0, part.start, 1 << 24):
            lines += fh.read(min(1 << 24, part.start - offset)).count(b"\n")
    message = re.sub(r"\bline (\d+)", lambda m: f"line {int(m[1]) + lines}", exc.msg or "")
    moved = [line + lines if line else line for line in (exc.lineno, exc.end_lineno)]
    return SyntaxError(message, (str(part.path), moved[0], exc.offset, None, moved[1], exc.end_offset))
