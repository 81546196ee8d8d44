"""The shape of the code: imports inside kg/extraction run one way, along the pipeline, and no
function or class outgrows a screen or two (read with ast, nothing imported)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parents[2] / "kg"
EXTRACTION = KG / "extraction"

# The modules of kg/extraction in pipeline order, stage by stage (see Extractor.extract_doc):
# a module imports only modules listed before it, so no stage reaches into a later one.
STAGES: tuple[tuple[str, ...], ...] = (
    # grammar constants and word lists, then per-document caches and token helpers every rule reads
    ("vocab", "words", "context", "spans"),
    # lexicons loaded once: gazetteer and event types
    ("gazetteer", "events"),
    # entities, observed sentence by sentence before its frames are read
    ("coref", "entities", "registry", "titles", "groups", "linking", "aliases", "plurals", "resolver"),
    # frames from the parse, and the clause context of a trigger (negation, modality, source)
    ("stance", "clauses", "nominal", "arguments", "roles"),
    # the coded act and its actors
    ("coding", "actors"),
    # time
    ("timex",),
    # one Event per frame, with its confidence
    ("confidence", "assembly"),
    # which events are told, and mentions of one event merged
    ("select", "eventcoref"),
    # the face of the package
    ("extractor", "__init__"),
)
ORDER = {name: n for n, name in enumerate(m for stage in STAGES for m in stage)}

MAX_FUNCTION_LINES = 80
MAX_CLASS_LINES = 250


def _imports(path: Path) -> list[tuple[str, set[str], bool]]:
    """(kg.extraction module imported, names taken from it, whether inside a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    local = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
             for n in ast.walk(f) if n is not f}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: from . import x, from .x import y
                package = "kg.extraction" if node.level == 1 else "kg"
                module = f"{package}.{module}" if module else package
            names = {a.name for a in node.names}
            if module == "kg.extraction":  # from kg.extraction import coref
                out += [(name, set(), id(node) in local) for name in names]
            elif module.startswith("kg.extraction."):
                out.append((module.split(".")[2], names, id(node) in local))
        elif isinstance(node, ast.Import):
            out += [(a.name.split(".")[2], set(), id(node) in local) for a in node.names
                    if a.name.startswith("kg.extraction.")]
    return out


def _modules() -> dict[str, Path]:
    return {p.stem: p for p in sorted(EXTRACTION.glob("*.py"))}


def test_every_extraction_module_has_its_place_in_the_order():
    assert set(_modules()) == set(ORDER)
    assert len(ORDER) == sum(len(stage) for stage in STAGES)


@pytest.mark.parametrize("name", sorted(_modules()))
def test_imports_run_along_the_pipeline(name):
    for imported, names, inside_function in _imports(_modules()[name]):
        assert not inside_function, f"{name} imports {imported} inside a function"
        assert ORDER[imported] < ORDER[name], f"{name} imports {sorted(names)} from later {imported}"


def _oversized(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        lines = getattr(node, "end_lineno", 0) - getattr(node, "lineno", 0) + 1
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and lines > MAX_FUNCTION_LINES:
            out.append(f"function {node.name}: {lines} lines")
        elif isinstance(node, ast.ClassDef) and lines > MAX_CLASS_LINES:
            out.append(f"class {node.name}: {lines} lines")
    return out


@pytest.mark.parametrize("path", sorted(KG.rglob("*.py")), ids=lambda p: str(p.relative_to(KG)))
def test_functions_and_classes_fit_their_limits(path):
    assert _oversized(path) == []


def test_the_limit_check_sees_long_functions_and_classes(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))  # 81 lines with the def
    method = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES - 2))  # 79 lines
    source = tmp_path / "long.py"
    source.write_text(f"def long():\n{body}\n\nclass Big:\n" + "".join(
        f"    def m{i}(self):\n" + method.replace("    ", "        ")
        for i in range(MAX_CLASS_LINES // MAX_FUNCTION_LINES + 1)))
    found = _oversized(source)
    assert f"function long: {MAX_FUNCTION_LINES + 1} lines" in found
    assert any(line.startswith("class Big:") for line in found)
    assert not any(line.startswith("function m") for line in found)


def test_the_import_check_sees_function_local_and_package_imports(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("from kg.extraction import coref\n\ndef f():\n"
                      "    from kg.extraction.select import actorness\n")
    assert _imports(source) == [("coref", set(), False), ("select", {"actorness"}, True)]
