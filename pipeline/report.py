"""`StageReport`: what every stage's `run(store, cfg, ...)` returns.

One shape for every stage, as datatrove gives every step one stats object: counts in and out, drops by
machine-readable reason, timings, and a metadata mapping of plain JSON values (the stage's own numbers). The CLI
prints it (`render`, or `to_dict` for `--json`); the Dagster assets turn it into asset metadata
(`assets.metadata.report_metadata`). No stage has a summary class of its own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


def plain(value: Any) -> Any:
    """`value` as plain JSON values (dict, list, str, int, float, bool, None); anything else becomes its str."""
    return json.loads(json.dumps(value, default=str))


@dataclass
class StageReport:
    """The outcome of one stage run.

    `rows_in` / `rows_out`: rows the stage read and rows it wrote or kept; `drops`: rows it set aside, by
    reason (`dedup:exact`, `math:mismatch`, ...); `timings`: seconds per phase; `metadata`: the stage's own
    numbers (plain JSON, keyed as the asset metadata shows them); `summary`: the stage's headline lines for a
    person reading the CLI.
    """

    stage: str
    rows_in: int = 0
    rows_out: int = 0
    drops: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.metadata = plain(self.metadata)
        self.drops = {str(k): int(v) for k, v in self.drops.items()}

    def set(self, **values: Any) -> StageReport:
        """Add metadata entries (made plain JSON); returns the report."""
        self.metadata.update(plain(values))
        return self

    def add_drops(self, counts: Mapping[str, int]) -> None:
        for reason, n in counts.items():
            if n:
                self.drops[str(reason)] = self.drops.get(str(reason), 0) + int(n)

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        """Time a phase: `with report.timed("commit"): ...` adds its seconds to `timings[phase]`."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[phase] = round(self.timings.get(phase, 0.0) + time.perf_counter() - t0, 4)

    @property
    def dropped(self) -> int:
        return sum(self.drops.values())

    def to_dict(self) -> dict[str, Any]:
        """The report as one JSON object (what `--json` prints)."""
        return {
            "stage": self.stage,
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "drops": dict(self.drops),
            "timings": dict(self.timings),
            "metadata": plain(self.metadata),
            "summary": list(self.summary),
        }

    def render(self) -> str:
        """The report for a person: the stage's headline lines, then drops by reason. (Timings are in `to_dict`
        and the asset metadata; the text keeps the lines scripts read, e.g. one written path per line.)"""
        lines = list(self.summary) or [f"{self.stage}: {self.rows_in:,} in, {self.rows_out:,} out"]
        if self.drops:
            lines.append(f"dropped by reason ({self.dropped:,}):")
            lines += [
                f"  {reason:<36} {n:>8,}" for reason, n in sorted(self.drops.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
        return "\n".join(lines)
