"""`thinkmill demo`: materialise the whole asset graph on the bundled sample data.

The orchestration itself lives in the Dagster layer (`assets.demo`); this module only imports it when the
command runs, so the domain core never imports Dagster.
"""

from __future__ import annotations

import importlib
from pathlib import Path


def run_demo(db: Path, config_path: Path | None = None) -> str:
    demo = importlib.import_module("assets.demo")
    return demo.run_demo(db, config_path)
