"""The source distribution holds everything a wheel is built from: data, ontologies, licences."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sdist_names(tmp_path_factory):
    """Member names of a freshly built sdist, relative to its top folder."""
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the installed setuptools builds it, no download
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    (archive,) = out.glob("kg-*.tar.gz")
    with tarfile.open(archive) as tar:
        return {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}


def _shipped(folder: str) -> set[str]:
    return {str(p.relative_to(ROOT)) for p in (ROOT / folder).iterdir() if p.is_file()}


def test_the_sdist_has_every_ontology_and_lexicon_file(sdist_names):
    for folder in ("ontologies", "data/lexicon"):
        files = _shipped(folder)
        assert files, folder
        assert files <= sdist_names, sorted(files - sdist_names)


def test_the_sdist_has_the_licences_and_the_build_script(sdist_names):
    assert {"LICENSE", "LICENSES/CC-BY-SA-4.0.txt", "setup.py", "pyproject.toml"} <= sdist_names


def test_the_sample_article_is_not_distributed(sdist_names):
    # a third-party news text: in the repository as example input, not in any package
    assert not any(name.startswith("data/samples/") for name in sdist_names)
