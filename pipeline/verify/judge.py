"""Judge one response: parse the trace, run the lints and the task's verifier, and combine them into a verdict."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.trace import count_tokens, parse_trace, think_tags
from pipeline.verify.config import LintConfig, VerifyConfig, settings_tag
from pipeline.verify.errors import SandboxUnavailableError, VerifierArgsError
from pipeline.verify.extract import strip_math, think_concluded_number, think_conclusion
from pipeline.verify.lints import (
    ANSWER_FORMAT,
    FORMAT_FLAGS,
    LINT_FAMILIES,
    LINTS_VERSION,
    THINK_DISAGREES,
    run_lints,
)
from pipeline.verify.registry import Registry, Verifier
from pipeline.verify.result import CheckResult, TaskSpec
from pipeline.verify.timeouts import CheckTimeout

JudgeMode = str  # "think", "no_think" or "auto"


@dataclass(frozen=True)
class Item:
    """One response to judge."""

    task: TaskSpec
    text: str | None  # None: a reasoning parser returned no content (the think block never closed)
    mode: JudgeMode = "auto"
    reasoning_content: str | None = None
    finish_reason: str | None = None  # "length": cut by max_tokens, fails lint:truncated
    # the user turn as sent (the stored request's, with generation's suffix "Put your final answer within \boxed{}."):
    # the answer must take the form it asks for (`lint:answer_format`); None: the task's prompt is what was asked
    request: str | None = None


@dataclass
class Verdict:
    mode: str
    verifier: str
    passed: bool
    reason: str | None
    score: float | None
    lint_flags: list[str] = field(default_factory=list)
    verifier_passed: bool = False
    verifier_reason: str | None = None
    think_tokens: int = 0
    answer_tokens: int = 0
    verifier_version: str = ""
    error: str | None = None  # why a check could not run (bad verifier_args, a crashing custom verifier)
    details: dict[str, Any] | None = None  # what the verifier saw (the LLM judge: its score and reasoning)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def resolve_mode(text: str | None, mode: JudgeMode, reasoning_content: str | None = None) -> str:
    if mode in ("think", "no_think"):
        return mode
    if mode != "auto":
        raise ValueError(f"mode must be think, no_think or auto, not {mode!r}")
    # a blank reasoning field is no reasoning (`join_reasoning`)
    # a think tag as the trace parser reads them (`think_tags`): in the answer's code it is text, not a tag
    return "think" if (reasoning_content or "").strip() or any(think_tags(text or "")) else "no_think"


def version_of(v: Verifier, lints: LintConfig | None = None) -> str:
    """A verdict's version: the verifier's (with its config tag, `Registry`) and the lints' with a tag of the lint
    settings when they are not the defaults (`settings_tag`); a stored verdict of another version is judged again."""
    tag = settings_tag(lints) if lints is not None else ""
    return f"{v.name}/{v.version}+lints/{LINTS_VERSION}" + (f".{tag}" if tag else "")


def check(verifier: Verifier, answer: str, task: TaskSpec, cfg: VerifyConfig) -> tuple[CheckResult, str | None]:
    """Run a verifier; failures to run become failed checks with a reason, never a crash of the batch."""
    if not answer.strip():
        return CheckResult.fail("no_answer"), None
    try:
        return verifier.check(answer, task, cfg), None
    except CheckTimeout:
        return CheckResult.fail("timeout"), None
    except SandboxUnavailableError:
        raise
    except VerifierArgsError as exc:
        return CheckResult.fail("bad_args"), str(exc)
    except Exception as exc:  # a user verifier's bug must not sink the other verdicts
        return CheckResult.fail(
            "error"
        ), f"task {task.task_id}: verifier {verifier.name!r} raised {type(exc).__name__}: {exc}"


def judge(item: Item, registry: Registry, cfg: VerifyConfig) -> Verdict:
    return _combine(item, registry.get(item.task.verifier), cfg, None)


def failed_verdict(item: Item, verifier: Verifier, detail: str, cfg: VerifyConfig) -> Verdict:
    """The verdict of a response whose check was killed (hard timeout or a crashed worker)."""
    return _combine(item, verifier, cfg, CheckResult.fail(detail))


def _combine(item: Item, verifier: Verifier, cfg: VerifyConfig, forced: CheckResult | None) -> Verdict:
    mode = resolve_mode(item.text, item.mode, item.reasoning_content)
    parsed = parse_trace(item.text, mode, item.reasoning_content, item.finish_reason)  # type: ignore[arg-type]
    think_tokens, answer_tokens = count_tokens(parsed.think), count_tokens(parsed.answer)
    flags = run_lints(
        parsed,
        item.task.prompt,
        think_tokens,
        answer_tokens,
        cfg.lints,
        item.task.answer,
        system=item.task.system,
        language_checked=_checks_language(item.task),
        request=item.request,
    )
    result, error = (forced, None) if forced else check(verifier, parsed.answer, item.task, cfg)
    if result.passed and parsed.think and _think_disagrees(verifier, parsed.think, item.task, cfg):
        flags = [*flags, THINK_DISAGREES]
    v_reason = None if result.passed else f"{verifier.name}:{result.detail or 'failed'}"
    fmt = [f for f in flags if f in FORMAT_FLAGS]
    if not fmt and ANSWER_FORMAT in flags and result.detail == "not_judged":
        fmt = [ANSWER_FORMAT]  # the LLM judge was not asked because of it (`judge_pass._judged_text`): the lint is why
    other = [f for f in flags if f not in fmt]
    reason = f"lint:{fmt[0]}" if fmt else v_reason or (f"lint:{other[0]}" if other else None)
    return Verdict(
        mode=mode,
        verifier=verifier.name,
        passed=reason is None,
        reason=reason,
        score=result.score,
        lint_flags=flags,
        verifier_passed=result.passed,
        verifier_reason=v_reason,
        think_tokens=think_tokens,
        answer_tokens=answer_tokens,
        verifier_version=version_of(verifier, cfg.lints),
        error=error,
        details=result.details,
    )


# The verifiers that compare one final value with the reference, and the think conclusions each judges: a plain number
# for math and numeric (not "nine" or "x = 9, y = 2", which a number reference fails for their form), a short text
# without a comma for exact (not "Paris, the capital of France"); any for mcq (it reads an option's letter or text).
_PLAIN_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:\s*/\s*\d+)?|-?\\d?frac\{\d+\}\{\d+\}")
_CONCLUDED = {
    "math": lambda v: _PLAIN_NUMBER.fullmatch(v) is not None,
    "numeric": lambda v: _PLAIN_NUMBER.fullmatch(v) is not None,
    "exact": lambda v: "," not in v and len(v.split()) <= 4,
    "mcq": lambda v: True,
}


_COUNTS = ("math", "numeric")
_NUMBER_WORDS = re.compile(r"(-?\d+(?:\.\d+)?(?:\s*/\s*\d+)?)(?:\s+([a-z]+)(?:\s+[a-z]+){0,2})?")
_HOW_MANY = re.compile(r"\bhow\s+many\s+([a-z]+)", re.IGNORECASE)


def _counted(value: str, prompt: str) -> str | None:
    """The number of a concluded value for a math or numeric task: the value itself when it is a plain number, its
    number when the words after it name what the prompt counts ("14 apples in total" for "How many apples ...?"),
    else None ("30 minutes" against an answer in hours, "12 dozen" against a count of eggs: not compared)."""
    m = _NUMBER_WORDS.fullmatch(value.strip().rstrip(".!"))
    if m is None:
        return value if _PLAIN_NUMBER.fullmatch(value) else None
    if m.group(2) is None:
        return m.group(1)
    asked = _HOW_MANY.search(prompt)
    return m.group(1) if asked and asked.group(1).lower().rstrip("s") == m.group(2).lower().rstrip("s") else None


def _think_disagrees(verifier: Verifier, think: str, task: TaskSpec, cfg: VerifyConfig) -> bool:
    """Whether the think block concludes a value the verifier fails as a `mismatch` (lints 7, family `consistency`):
    "... so the answer is 14.</think> \\boxed{12}" passed for 12 and trained reasoning that ends on another value.
    Only a conclusion that ends the block (`extract.think_conclusion`) and that the verifier reads as a value of the
    reference's kind (`_CONCLUDED`); a hedge or no answer there is no disagreement."""
    plain = _CONCLUDED.get(verifier.name)
    if plain is None or "consistency" not in set(cfg.lints.enabled or LINT_FAMILIES):
        return False
    value = think_conclusion(think)
    if value is None and verifier.name in _COUNTS:  # lints 9: "so Tom has 14 apples.", "So the total is 14."
        value = think_concluded_number(think)
    if value is None:
        return False
    value = strip_math(value)
    if verifier.name in _COUNTS:
        value = _counted(value, task.prompt or "") or ""
    if not plain(value):
        return False
    result, _error = check(verifier, f"Answer: {value}", task, cfg)
    return not result.passed and result.detail == "mismatch"


def _checks_language(task: TaskSpec) -> bool:
    """The task's verifier checks the response's language itself: an IFEval `language:response_language`
    constraint, in IFEval's row shape or as `constraints` (the ifeval verifier detects the language; the lint
    would fail every response that obeys it)."""
    args = task.verifier_args if isinstance(task.verifier_args, dict) else {}
    ids = args.get("instruction_id_list")
    kinds = list(ids) if isinstance(ids, list) else []
    constraints = args.get("constraints")
    if isinstance(constraints, list):
        kinds += [c.get("type") for c in constraints if isinstance(c, dict)]
    return "language:response_language" in kinds
