"""The one error hierarchy of kg; the CLI turns any KGError into one line and an exit code."""

from __future__ import annotations


class KGError(Exception):
    """Base of every error kg raises on purpose. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class InputError(KGError):
    """A document that cannot be read: names the file (and line) and the problem."""

    def __init__(self, path: str, problem: str, line: int | None = None):
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")


class DataError(KGError):
    """A lexicon, query or ontology file that fails validation (file, line, id)."""

    def __init__(self, path: str, problem: str, line: int | None = None, id: str | None = None):
        where = f"{path}:{line}" if line is not None else str(path)
        if id:
            where += f" [{id}]"
        super().__init__(f"{where}: {problem}")


class ModelError(KGError):
    """No usable spaCy model."""


class StoreError(KGError):
    """A store that cannot be opened, read or written."""

    exit_code = 2


class QueryError(KGError):
    """A SPARQL query that does not parse or fails."""

    exit_code = 2
