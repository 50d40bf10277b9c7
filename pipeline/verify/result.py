"""What a verifier returns, and the task fields it may look at."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TaskSpec:
    """The parts of a task a verifier needs (a plain, picklable view of a `tasks` row)."""

    task_id: str
    verifier: str
    answer: str | None = None
    verifier_args: dict[str, Any] = field(default_factory=dict)
    prompt: str = ""
    domain: str = ""


@dataclass(frozen=True)
class CheckResult:
    """One verifier's judgement: `detail` names why it failed (becomes `<verifier>:<detail>`)."""

    passed: bool
    detail: str | None = None
    score: float | None = None

    @classmethod
    def ok(cls, score: float = 1.0) -> CheckResult:
        return cls(True, None, score)

    @classmethod
    def fail(cls, detail: str, score: float = 0.0) -> CheckResult:
        return cls(False, detail, score)
