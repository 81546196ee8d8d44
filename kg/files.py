"""Atomic file output: write to a temporary file beside the target, then rename it over."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from kg.errors import StoreError


def atomic_write(path: str | Path, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write(binary_file)`` on a temporary file next to ``path``, then rename it over.

    An interrupted run leaves the old file (or none), never a half-written one.

    Example:
        >>> atomic_write("out.txt", lambda fh: fh.write(b"done\\n"))  # doctest: +SKIP
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.time()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; outputs are meant to be shared
        os.replace(temporary, path)
        _remove_leftovers(path, started)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StoreError(f"{path}: cannot write: {exc}") from exc
        raise
    return path


def _remove_leftovers(path: Path, before: float) -> None:
    """Temporaries of this file left by a killed earlier run (older than this write)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if stale.stat().st_mtime < before:
                stale.unlink()
        except OSError:
            pass  # another writer's file, or already gone
