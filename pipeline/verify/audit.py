"""Verifier audit: a second, independent check on a sample of verdicts; disagreements are stored with both reasons.

Second opinions (each looks at the same answer text the verifier saw):
- `math`: the final answer and the reference compared as numbers (fractions, decimals, percentages, thousands
  separators) with a relative tolerance of 1e-9, instead of math-verify's symbolic comparison. Answers that are not
  plain numbers on both sides, or that commit to more than one value (`extract.committed_values`), are not audited.
- `mcq`: the option whose text the answer states (exactly one option's text, normalised, in the answer's last
  line or its boxed value), instead of letter extraction. Answers that state no option text are not audited.
- `reasoning_gym`: the dataset's scorer on the last `\\boxed{}` value, instead of the `<answer>` block. Only
  answers that have both are audited.

The sample is deterministic: a generation is audited when the xxh64 of its key, as a fraction of 2^64, is below
`verify.audit.sample_rate`, so re-runs audit the same generations. A disagreement is a row in
`verifier_disagreements`; the rate per verifier is disagreements / audited.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import xxhash

from pipeline.verify.config import VerifyConfig
from pipeline.verify.extract import boxed_contents, committed_values, final_answer
from pipeline.verify.result import TaskSpec

AUDITED_VERIFIERS = ("math", "mcq", "reasoning_gym")


@dataclass(frozen=True)
class Opinion:
    check: str  # e.g. "math:numeric"
    passed: bool
    reason: str | None  # `<check>:<detail>` when it fails


def in_sample(generation_key: str, rate: float) -> bool:
    if rate <= 0:
        return False
    return xxhash.xxh64_intdigest(generation_key.encode("utf-8")) / 2**64 < rate


def _math(answer: str, task: TaskSpec) -> Opinion | None:
    from pipeline.verify.verifiers.simple import parse_number

    pred = final_answer(answer)
    if pred is None or task.answer is None:
        return None
    if len(set(committed_values(answer))) > 1:  # `math:multiple_answers` by design; this opinion reads one value
        return None
    if not _plain_number(pred) or not _plain_number(str(task.answer)):
        return None
    a, b = parse_number(pred), parse_number(str(task.answer))
    if a is None or b is None:
        return None
    ok = math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return Opinion("math:numeric", ok, None if ok else "math:numeric_mismatch")


_PLAIN_NUMBER = re.compile(
    r"\s*\$?\s*-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:\\?%)?\s*\$?\s*|"
    r"\s*\$?-?\\d?frac\{\d+\}\{\d+\}\$?\s*|\s*-?\d+\s*/\s*\d+\s*"
)


def _plain_number(s: str) -> bool:
    return _PLAIN_NUMBER.fullmatch(s.strip().rstrip(".")) is not None


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.casefold()).split())


def _mcq(answer: str, task: TaskSpec) -> Opinion | None:
    choices = task.verifier_args.get("choices")
    if not isinstance(choices, dict) or task.answer is None or task.verifier_args.get("multiple"):
        return None  # a multi-select MCQ: this opinion reads one option
    lines = [ln for ln in answer.strip().splitlines() if ln.strip()]
    where = [*boxed_contents(answer)[-1:], *(lines[-1:] if lines else [])]
    hits = {
        str(k).upper()
        for k, v in choices.items()
        for w in where
        if _norm(str(v)) and re.search(rf"(?<!\w){re.escape(_norm(str(v)))}(?!\w)", _norm(w))
    }
    if len(hits) != 1:
        return None
    ok = hits == {str(task.answer).strip().upper()}
    return Opinion("mcq:option_text", ok, None if ok else "mcq:option_text_mismatch")


def _reasoning_gym(answer: str, task: TaskSpec, cfg: VerifyConfig) -> Opinion | None:
    from pipeline import rgym

    boxed = boxed_contents(answer)
    if not boxed or "<answer>" not in answer.lower():
        return None
    try:
        recipe = rgym.Recipe.from_args(task.verifier_args, task.task_id)
        entry = rgym.scoring_entry(
            recipe, task.verifier_args.get("entry"), task.prompt, task.verifier_args.get("question_hash")
        )
        if isinstance(entry, str):
            return None
        value = rgym.score(recipe, boxed[-1], entry)
    except rgym.UnsafeAnswer:
        return Opinion("reasoning_gym:boxed", False, "reasoning_gym:boxed_unsafe_answer")
    except Exception:
        return Opinion("reasoning_gym:boxed", False, "reasoning_gym:boxed_invalid_answer")
    ok = value >= cfg.reasoning_gym.min_score
    return Opinion("reasoning_gym:boxed", ok, None if ok else "reasoning_gym:boxed_mismatch")


def second_opinion(answer: str, task: TaskSpec, cfg: VerifyConfig) -> Opinion | None:
    """The independent check of a verifier's verdict on `answer`, or None when none applies."""
    if task.verifier == "math":
        return _math(answer, task)
    if task.verifier == "mcq":
        return _mcq(answer, task)
    if task.verifier == "reasoning_gym":
        return _reasoning_gym(answer, task, cfg)
    return None


def disagreement_row(
    generation_key: str, task: TaskSpec, verifier_passed: bool, verifier_reason: str | None, opinion: Opinion
) -> dict[str, Any] | None:
    """A `verifier_disagreements` row when the two checks disagree, else None."""
    if opinion.passed == verifier_passed:
        return None
    return {
        "generation_key": generation_key,
        "task_id": task.task_id,
        "verifier": task.verifier,
        "verifier_passed": verifier_passed,
        "verifier_reason": verifier_reason,
        "audit_check": opinion.check,
        "audit_passed": opinion.passed,
        "audit_reason": opinion.reason,
    }
