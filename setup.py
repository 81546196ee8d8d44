"""Copies ontologies/ and data/lexicon/ into the wheel as kg/_data (config is in pyproject.toml).

MANIFEST.in puts both folders in the source distribution, so a wheel built from it has them too.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
SHIPPED = {"ontologies": ROOT / "ontologies", "lexicon": ROOT / "data" / "lexicon"}


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "kg" / "_data"
        for name, src in SHIPPED.items():
            shutil.copytree(src, target / name, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithData})
