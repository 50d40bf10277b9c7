"""`reasoning_gym`: the task's reasoning-gym dataset scores the extracted answer with its own `score_answer`.

The answer is the last `<answer>...</answer>` block (reasoning-gym's convention, which the request suffix asks
for), else the last `\\boxed{}`. Pass when the score reaches `verify.reasoning_gym.min_score` (default 1.0); the
score is stored in the verdict either way. Reasons: `no_answer`, `mismatch` (score below the threshold),
`invalid_answer` (the scorer raised on the answer), `unsafe_answer` (the dataset's scorer would eval() it as
code: see `pipeline.rgym.unsafe_answer`), `entry_mismatch` (the recipe no longer regenerates the stored
question and the stored copy cannot stand in), `generation_error` (the recipe cannot be regenerated at all),
`ambiguous_prompt` (the prompt reads two ways with different answers: `pipeline.rgym.ambiguous_prompt`).
See `pipeline.rgym.scoring_entry` for which entry is scored.
"""

from __future__ import annotations

import re

from pipeline import rgym
from pipeline.verify.config import VerifyConfig, settings_tag
from pipeline.verify.errors import VerifierArgsError
from pipeline.verify.extract import boxed_contents
from pipeline.verify.registry import builtin
from pipeline.verify.result import CheckResult, TaskSpec

_ANSWER_TAG = re.compile(r"<answer>(.*?)</answer>", re.DOTALL | re.IGNORECASE)


def answer_values(text: str) -> list[str]:
    """Every `<answer>` block's content, in order (empty is an answer: `ab`'s gold can be the empty program); without
    a block, every non-empty `\\boxed{}`'s."""
    tagged = [m.group(1).strip() for m in _ANSWER_TAG.finditer(text)]
    return tagged or [b for b in boxed_contents(text) if b]


def extract_answer(text: str) -> str | None:
    """The last `<answer>` block's content, else the last `\\boxed{}`'s; None when there is neither."""
    values = answer_values(text)
    return values[-1] if values else None


@builtin("reasoning_gym", version="12", args_probe=True)
def verify_reasoning_gym(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    try:
        recipe = rgym.Recipe.from_args(task.verifier_args, f"task {task.task_id}")
    except rgym.ReasoningGymError as exc:
        raise VerifierArgsError(str(exc)) from exc
    values = answer_values(answer)
    if not values:
        return CheckResult.fail("no_answer")
    if len(set(values)) > 1:  # a hedge or a changed answer (version 2; version 1 scored the last one)
        return CheckResult.fail("multiple_answers")
    pred = values[-1]
    try:
        entry = rgym.scoring_entry(
            recipe, task.verifier_args.get("entry"), task.prompt, task.verifier_args.get("question_hash")
        )
    except rgym.ReasoningGymError as exc:
        raise VerifierArgsError(f"task {task.task_id}: {exc}") from exc
    if isinstance(entry, str):
        return CheckResult.fail(entry)
    if rgym.ambiguous_prompt(entry) is not None:  # stored before ingest quarantined such items (version 7)
        return CheckResult.fail("ambiguous_prompt")
    try:
        value = rgym.score(recipe, pred, entry)
    except rgym.UnsafeAnswer:  # the scorer would have eval()'d it: never handed over
        return CheckResult.fail("unsafe_answer", 0.0)
    except Exception:  # e.g. prime_factorization's int() on a non-number: the answer is not a valid one
        return CheckResult.fail("invalid_answer", 0.0)
    if value >= cfg.reasoning_gym.min_score:
        return CheckResult.ok(value)
    return CheckResult.fail("mismatch", value)


def config_version(cfg: VerifyConfig) -> str:
    """`verify.reasoning_gym` (its `min_score`) in a verdict's version: another pass score judges stored ones again."""
    return settings_tag(cfg.reasoning_gym)


verify_reasoning_gym.config_version = config_version  # type: ignore[attr-defined]  (see Registry)
