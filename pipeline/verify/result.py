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
    rubric: str | None = None  # the LLM judge's rubric (task field `rubric`); config `verify.judge.rubric` else
    system: str | None = None  # the task's own system prompt (shown to the LLM judge with the prompt)
    # Set per response by the verify runner's judge pre-pass (verifier `judge` only): the judge's parsed answer.
    judgement: Judgement | None = None


@dataclass(frozen=True)
class Judgement:
    """What the LLM judge said about one response, or why it said nothing usable.

    `failure`: None when `score` and `reasoning` were read; else `malformed` (no readable answer after every
    retry), `request_failed` (transport error after the backend's retries) or `unreachable` (judge server down).
    """

    score: int | None = None
    reasoning: str | None = None
    failure: str | None = None
    detail: str | None = None
    model: str = ""
    request_key: str | None = None
    attempts: int = 0
    rubric_source: str = ""  # task or config


@dataclass(frozen=True)
class CheckResult:
    """One verifier's judgement: `detail` names why it failed (becomes `<verifier>:<detail>`)."""

    passed: bool
    detail: str | None = None
    score: float | None = None
    details: dict[str, Any] | None = None  # stored in verdicts.details (e.g. the LLM judge's reasoning)

    @classmethod
    def ok(cls, score: float = 1.0) -> CheckResult:
        return cls(True, None, score)

    @classmethod
    def fail(cls, detail: str, score: float | None = 0.0, details: dict[str, Any] | None = None) -> CheckResult:
        return cls(False, detail, score, details)


# Check details that say the response was never judged: the check could not run (no sandbox, a verifier that raised,
# a worker that crashed, a module the sandbox lacks), the task's own arguments or tests are unusable, or the LLM judge
# gave no readable answer.
# Such a failed verdict says nothing of the response (a preference pair must not reject it).
NOT_JUDGED = frozenset(
    (
        "sandbox_unavailable",
        "bad_args",
        "error",
        "crash",
        "tests_setup_error",
        "bad_tests",
        "no_tests",
        "unreachable",
        "request_failed",
        "malformed",
        "not_judged",
        # the sandbox's Python lacks a module the code imports (numpy): the code never ran as its author meant; a
        # module the model made up fails so too, and is left out of pass rates and preference pairs all the same
        "missing_module",
    )
)


def not_judged_sql(reason: str = "reason") -> str:
    """A DuckDB condition that holds for a verdict whose `reason` column says it never judged the response."""
    details = ", ".join(f"'{d}'" for d in sorted(NOT_JUDGED))
    return (
        f"({reason} IS NOT NULL AND NOT starts_with({reason}, 'lint:') AND split_part({reason}, ':', 2) IN ({details}))"
    )


def judged(reason: str | None) -> bool:
    """Whether a verdict's reason (`verifier:detail`, `lint:flag` or none) comes from judging the response."""
    if reason is None or reason.startswith("lint:"):
        return True
    return reason.partition(":")[2] not in NOT_JUDGED
