"""Write the JSON Schema files downstream users validate against."""

from __future__ import annotations

import json
from pathlib import Path

from schemas.contracts import TABLES


def json_schema_text(name: str) -> str:
    return json.dumps(TABLES[name].json_schema(), indent=2, sort_keys=False) + "\n"


def write_json_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in TABLES:
        p = out / f"{name}.json"
        p.write_text(json_schema_text(name), encoding="utf-8")
        paths.append(p)
    return paths
