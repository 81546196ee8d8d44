"""Extraction on a Dask cluster: same graph as a local build, input order, one-line errors."""

from __future__ import annotations

import pytest

from kg.errors import KGError
from kg.parallel import extract_on_dask
from tests.e2e.test_growth import quads, run, small_documents, write_jsonl

pytestmark = [pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def scheduler():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_a_dask_build_equals_a_local_build(capsys, monkeypatch, tmp_path, scheduler):
    inputs = write_jsonl(small_documents(12, seed=5), tmp_path / "in.jsonl")
    code, _, err = run(capsys, monkeypatch, "build", inputs, "--store", tmp_path / "cluster", "--dask", scheduler)
    assert code == 0, err
    assert run(capsys, monkeypatch, "build", inputs, "--store", tmp_path / "local", "--workers", 1)[0] == 0
    assert quads(tmp_path / "cluster") == quads(tmp_path / "local")


def test_results_come_back_in_input_order(scheduler):
    documents = small_documents(9, seed=8)
    # a window smaller than the input makes the merge wait for the oldest document each time
    ids = [x.document.id for x in extract_on_dask(documents, scheduler, window=2)]
    assert ids == [d.id for d in documents]


def test_a_failing_worker_is_one_line(capsys, monkeypatch, tmp_path, scheduler):
    inputs = write_jsonl(small_documents(2), tmp_path / "in.jsonl")
    code, _, err = run(capsys, monkeypatch, "build", inputs, "--store", tmp_path / "s", "--dask", scheduler,
                       "--model", "no-such-model")
    assert code != 0
    assert len(err.strip().splitlines()) == 1, err
    assert "dask: document item-000" in err and "no-such-model" in err


def test_an_unreachable_scheduler_is_one_error():
    with pytest.raises(KGError, match="dask scheduler tcp://127.0.0.1:9: cannot connect"):
        list(extract_on_dask(small_documents(1), "tcp://127.0.0.1:9", timeout=1))
