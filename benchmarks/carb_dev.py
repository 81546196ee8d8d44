"""CaRB dev figures of `kg extract --sentences -`: a regression guard, not a test.

    python benchmarks/carb_dev.py [--min-f1 0.50] [--min-auc 0.30] [--keep out.jsonl]

Runs the shared scorer (shared/eval/carb-dev.sh, 641 dev sentences, about a minute), prints
its report and exits 1 when F1 or AUC falls below the floors.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT_CANDIDATES = (ROOT.parent / "shared" / "eval" / "carb-dev.sh", Path("/work/shared/eval/carb-dev.sh"))
FIGURES = re.compile(r"F1=(?P<f1>[0-9.]+) AUC=(?P<auc>[0-9.]+) P=(?P<p>[0-9.]+) R=(?P<r>[0-9.]+)")


def find_script() -> Path:
    """The scorer script: $CARB_DEV_SCRIPT, else the shared eval directory next to the repository."""
    if os.environ.get("CARB_DEV_SCRIPT"):
        return Path(os.environ["CARB_DEV_SCRIPT"])
    for path in SCRIPT_CANDIDATES:
        if path.exists():
            return path
    sys.exit("carb-dev.sh not found: set CARB_DEV_SCRIPT")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-f1", type=float, default=0.50)
    parser.add_argument("--min-auc", type=float, default=0.30)
    parser.add_argument("--keep", help="keep the extractor's JSON lines in this file")
    args = parser.parse_args(argv)

    env = dict(os.environ, PYTHON=os.environ.get("PYTHON", sys.executable))
    if args.keep:
        env["KEEP_JSONL"] = args.keep
    done = subprocess.run(["bash", str(find_script())], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False)
    sys.stderr.write(done.stderr)
    print(done.stdout.rstrip())
    found = FIGURES.search(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "")
    if done.returncode != 0 or found is None:
        print("carb-dev: the scorer failed", file=sys.stderr)
        return 2
    f1, auc = float(found["f1"]), float(found["auc"])
    ok = f1 >= args.min_f1 and auc >= args.min_auc
    print(f"F1 {f1:.3f} (floor {args.min_f1})  AUC {auc:.3f} (floor {args.min_auc})  {'ok' if ok else 'REGRESSION'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
