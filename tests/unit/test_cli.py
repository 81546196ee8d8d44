"""The `kg` command's error handling, without a model: one line per error, a traceback on request,
one convention for "every core", and inputs that must be named."""

from __future__ import annotations

import pytest

from kg.errors import KGError
from kg.parallel import default_workers, resolve_workers
from tests.e2e.test_cli import run


@pytest.fixture
def broken_query(monkeypatch):
    """`kg query` fails the way a bug would: an exception kg did not raise on purpose."""
    def boom(*_args, **_kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("kg.query.run_query", boom)
    monkeypatch.delenv("KG_DEBUG", raising=False)


def test_an_unexpected_error_is_one_line_that_points_to_debug(capsys, monkeypatch, broken_query):
    code, out, err = run(capsys, monkeypatch, "query", "somewhere", "SELECT * {}")
    assert code == 70 and out == ""
    assert err == "kg: internal error: RuntimeError: boom (--debug or KG_DEBUG=1 shows the traceback)\n"


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_prints_the_traceback_then_the_line(capsys, monkeypatch, broken_query, how):
    if how == "env":
        monkeypatch.setenv("KG_DEBUG", "1")
        args = ("query", "somewhere", "SELECT * {}")
    else:
        args = ("--debug", "query", "somewhere", "SELECT * {}")
    code, _, err = run(capsys, monkeypatch, *args)
    assert code == 70
    assert err.startswith("Traceback (most recent call last):")
    assert "in boom" in err and "RuntimeError: boom" in err
    assert err.splitlines()[-1] == "kg: internal error: RuntimeError: boom"


def test_debug_is_off_again_in_the_next_run_and_with_kg_debug_0(capsys, monkeypatch, broken_query):
    run(capsys, monkeypatch, "--debug", "query", "somewhere", "SELECT * {}")
    monkeypatch.setenv("KG_DEBUG", "0")
    _, _, err = run(capsys, monkeypatch, "query", "somewhere", "SELECT * {}")
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_debug_shows_the_traceback_of_a_kg_error_too(capsys, monkeypatch, tmp_path):
    code, _, err = run(capsys, monkeypatch, "--debug", "query", tmp_path / "nowhere", "SELECT * {}")
    assert code == 2
    assert "Traceback" in err and err.splitlines()[-1].startswith("kg: error: ")


def test_zero_and_none_mean_every_core_and_negative_is_an_error():
    assert resolve_workers(0) == resolve_workers(None) == default_workers()
    assert resolve_workers(3) == 3
    with pytest.raises(KGError, match="workers must be 0 .one per core. or a positive number, got -2"):
        resolve_workers(-2)


def test_negative_workers_is_one_line(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "extract", "--workers", "-1", "--text", "Russia invaded Ukraine.")
    assert code == 1
    assert err == "kg: error: workers must be 0 (one per core) or a positive number, got -1\n"


@pytest.mark.parametrize("args,message", [
    (("extract",), "give at least one path (or - for stdin) or --text"),
    (("build", "--out", "o"), "give at least one path (or - for stdin) or --text"),
    (("extract", "--sentences", "--text", "A."), "--sentences reads lines of files or stdin"),
])
def test_inputs_must_be_given(capsys, monkeypatch, tmp_path, args, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, monkeypatch, *args)
    assert code == 1 and err.startswith(f"kg: error: {message}") and len(err.splitlines()) == 1
