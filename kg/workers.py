"""Worker processes that answer the endpoint's queries, updates and explorer pages.

Oxigraph cannot stop a query once started, and a few queries end the process that evaluates
them (a parser stack overflow, an engine panic). So the endpoint hands every query, update and
explorer page to a worker process that reads the store read-only: one past its deadline is
killed, one that crashes costs only itself, and either is replaced at once. Workers are forked
from a small server process that has already imported pyoxigraph and the SPARQL parser, so a
replacement costs milliseconds of CPU, not a Python start-up.

Slots: ``size`` workers. All but one take any request for the full timeout; the last one, the
fast lane, takes a request only when the others are busy and gives it a short deadline, so a
small query finds a worker within that time however many large ones run. When no slot fits the
answer comes within half a second (:class:`Busy`, with the seconds until the next deadline):
a request waits that long at most, for a slot that comes free as a job ends.
"""

from __future__ import annotations

import math
import multiprocessing
import sys
import threading
import time
import types
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KGError
from kg.worker import Settings, worker_main

RECYCLE_RSS = 512 * 1024 * 1024  # a worker grown past this after a job is replaced
FAST_LANE = 2.0  # seconds a query gets in the fast lane
_LAUNCH = threading.Lock()
QUEUE_WAIT = 0.5  # seconds a request may wait for a slot to come free before it is told 503


class Busy(Exception):
    """Every slot is taken: try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int, message: str = "server busy: every query slot is taken, try again later"):
        super().__init__(message)
        self.retry_after = retry_after


class Stopped(Exception):
    """The job missed its deadline (its worker was killed) or its worker died."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _context():
    context = multiprocessing.get_context("forkserver")
    # imported once in the fork server: a new worker starts in milliseconds, ready for any job
    context.set_forkserver_preload(["kg.worker", "rdflib.plugins.sparql.parser", "oxrdflib", "kg.graph",
                                    "kg.export.html"])
    return context


@dataclass(eq=False)
class Worker:
    """One worker process and the server's end of its pipe."""

    process: Any
    conn: Any
    lane: str = ""
    deadline: float = 0.0
    limit: float = 0.0


@dataclass
class WorkerPool:
    """``size`` workers over the store at ``settings.path``; see the module for how slots are shared."""

    settings: Settings
    size: int
    timeout: float
    on_update: Any = None  # called as on_update(True) before and on_update(False) after an update
    _idle: list = field(default_factory=list)
    _running: list = field(default_factory=list)
    _starting: int = 0
    _generation: int = 0
    _updating: bool = False
    _closed: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self._free = threading.Condition(self._lock)
        self._context = _context()
        started = [self._launch() for _ in range(self.size)]
        for worker in started:
            self._idle.append(self._await_ready(worker))

    @property
    def generation(self) -> int:
        return self._generation

    def _launch(self) -> Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=worker_main, args=(theirs, self.settings), daemon=True,
                                        name="kg-worker")
        with _LAUNCH:
            # multiprocessing would run the parent's main script again in the worker (a user's
            # script without a __main__ guard would serve twice): it is hidden while a worker starts
            main = sys.modules["__main__"]
            sys.modules["__main__"] = types.ModuleType("__main__")
            try:
                process.start()
            finally:
                sys.modules["__main__"] = main
        theirs.close()
        return Worker(process, ours)

    def _await_ready(self, worker: Worker) -> Worker:
        if not worker.conn.poll(60):
            self._kill(worker)
            raise KGError(f"{self.settings.path}: a query worker did not start within 60 s")
        try:
            reply = worker.conn.recv()
        except (EOFError, OSError):
            reply = ("error", 500, f"a query worker exited with code {worker.process.exitcode}", 0)
        if reply[0] != "ready":
            self._kill(worker)
            raise KGError(f"{self.settings.path}: {reply[2]}")
        return worker

    def _replace(self) -> None:
        """Start a worker in the background to take the place of one that was killed."""
        def start():
            try:
                worker = self._await_ready(self._launch())
            except Exception:
                worker = None
            with self._lock:
                self._starting -= 1
                if worker is not None and not self._closed:
                    self._idle.append(worker)
                    self._free.notify()
                    return
            if worker is not None:
                self._kill(worker)

        with self._lock:
            if self._closed:
                return
            self._starting += 1
        threading.Thread(target=start, name="kg-worker-start", daemon=True).start()

    @staticmethod
    def _kill(worker: Worker) -> None:
        try:
            worker.process.kill()
            worker.process.join(5)
        except (OSError, ValueError, AssertionError):
            pass
        worker.conn.close()

    def _retry_after(self, now: float) -> int:
        deadlines = [w.deadline for w in self._running]
        return max(1, math.ceil(min(deadlines) - now)) if deadlines else 1

    def _take(self) -> Worker:
        """A worker for a new job: waits at most QUEUE_WAIT for one to come free, then Busy."""
        now = time.monotonic()
        give_up = now + min(QUEUE_WAIT, self.timeout)
        with self._free:
            while True:
                normal = sum(1 for w in self._running if w.lane == "normal")
                fast = any(w.lane == "fast" for w in self._running)
                if self._idle and not self._updating and (normal < self.size - 1 or not fast):
                    break
                if now >= give_up:
                    if self._updating:
                        raise Busy(1, "server busy: an update is running, try again in a moment")
                    raise Busy(self._retry_after(now))
                self._free.wait(give_up - now)
                now = time.monotonic()
            worker = self._idle.pop()
            worker.lane = "normal" if normal < self.size - 1 else "fast"
            worker.limit = self.timeout if worker.lane == "normal" else min(self.timeout, FAST_LANE)
            worker.deadline = now + worker.limit
            self._running.append(worker)
            return worker

    def _give_back(self, worker: Worker, healthy: bool) -> None:
        with self._lock:
            self._running.remove(worker)
            if healthy and not self._closed:
                self._idle.append(worker)
                self._free.notify()
                return
        self._kill(worker)
        self._replace()

    def _replies(self, worker: Worker, kind: str, args: tuple, outcome: dict):
        worker.conn.send((kind, self._generation, *args))
        while True:
            remaining = worker.deadline - time.monotonic()
            if remaining <= 0 or not worker.conn.poll(remaining):
                what = "update" if kind == "update" else "query" if kind == "query" else "page"
                busy = " (all other slots were busy)" if worker.lane == "fast" else ""
                raise Stopped(f"{what} timed out after {worker.limit:g} s{busy}", 503)
            try:
                reply = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join(1)
                raise Stopped(f"query failed: the query engine stopped (exit code {worker.process.exitcode}); "
                              "the server goes on", 500) from None
            if reply[0] in ("end", "error"):
                outcome["healthy"] = reply[-1] < RECYCLE_RSS
                yield reply
                return
            yield reply

    @contextmanager
    def job(self, kind: str, *args):
        """A slot for one job; yields the iterator of the worker's replies (Busy when none is free).

        Replies are ``("head", status, media_type, truncated, length)``, ``("data", bytes)``
        and ``("end", rss)``, or one ``("error", status, message, rss)``. A job past its
        deadline raises Stopped, and its worker is killed and replaced.
        """
        worker, outcome = self._take(), {"healthy": False}
        try:
            yield self._replies(worker, kind, args, outcome)
        finally:
            self._give_back(worker, outcome["healthy"])

    @contextmanager
    def update(self, text: str):
        """Like :meth:`job` for an update, which runs alone: no query reads while the store is written.

        The update is one transaction in a worker that opens the store for writing; killed at
        its deadline, it leaves the store as it was. Every worker reopens the store afterwards.
        """
        now = time.monotonic()
        with self._lock:
            if self._updating or self._running or not self._idle:
                raise Busy(self._retry_after(now), "server busy: an update waits for running queries, try again later")
            self._updating = True
            worker = self._idle.pop()
            worker.lane, worker.limit, worker.deadline = "update", self.timeout, now + self.timeout
            self._running.append(worker)
        outcome = {"healthy": False}
        try:
            if self.on_update:
                self.on_update(True)
            yield self._replies(worker, "update", (text,), outcome)
        finally:
            with self._lock:
                self._generation += 1
                self._updating = False
                self._free.notify_all()
            self._give_back(worker, outcome["healthy"])
            if self.on_update:
                self.on_update(False)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._idle = self._idle + self._running, []
        for worker in workers:
            self._kill(worker)
