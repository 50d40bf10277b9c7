"""`math`: the final answer compared with the reference by math-verify, each step under a time limit."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from pipeline.verify.config import VerifyConfig
from pipeline.verify.extract import final_answer, strip_math
from pipeline.verify.registry import builtin
from pipeline.verify.result import CheckResult, TaskSpec
from pipeline.verify.timeouts import CheckTimeout, time_limit

# math-verify warns once that its own (signal-based) timeout is off: thinkmill applies its own.
logging.getLogger("math_verify").setLevel(logging.ERROR)


@lru_cache(maxsize=1)
def _configs() -> list[Any]:
    from math_verify import ExprExtractionConfig, LatexExtractionConfig

    return [LatexExtractionConfig(), ExprExtractionConfig()]


def _wrap(s: str) -> str:
    return s if ("$" in s or "\\boxed" in s or "\\(" in s or "\\[" in s) else f"${s}$"


@lru_cache(maxsize=4096)
def _parse_cached(s: str) -> Any:
    from math_verify import parse

    return parse(_wrap(s), extraction_config=_configs(), parsing_timeout=None)


@builtin("math", version="1")
def verify_math(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    from math_verify import verify

    if task.answer is None or not str(task.answer).strip():
        return CheckResult.fail("no_reference")
    pred = final_answer(answer)
    if pred is None:
        return CheckResult.fail("no_answer")
    limit = cfg.math_timeout_s
    try:
        with time_limit(limit):
            gold = _parse_cached(strip_math(str(task.answer)))
        if not gold:
            return CheckResult.fail("unparsable_reference")
        with time_limit(limit):
            parsed = _parse_cached(pred)
        if not parsed:
            return CheckResult.fail("unparsable_answer")
        with time_limit(limit):
            ok = verify(gold, parsed, timeout_seconds=None)
    except CheckTimeout:
        return CheckResult.fail("timeout")
    except Exception:  # math-verify/sympy raise many types on odd input; a crash is not a pass
        return CheckResult.fail("error")
    return CheckResult.ok() if ok else CheckResult.fail("mismatch")
