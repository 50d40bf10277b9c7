"""`python -m bench <name> [args]`: run one benchmark module of this folder (`bench/<name>_bench.py`)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    names = sorted(
        m.name[: -len("_bench")]
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.endswith("_bench")
    )
    if len(sys.argv) < 2:
        print(f"usage: python -m bench {{{','.join(names)}}} [args]   (python -m bench NAME --help for its options)")
        return
    if sys.argv[1] not in names:
        print(f"unknown benchmark {sys.argv[1]!r}; one of: {', '.join(names)}", file=sys.stderr)
        sys.exit(2)
    mod = importlib.import_module(f"bench.{sys.argv[1]}_bench")
    mod.main(sys.argv[2:])


if __name__ == "__main__":
    main()
