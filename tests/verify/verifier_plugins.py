"""Custom verifiers used by the runner tests (loaded as `module:function` from config, also in worker processes)."""

from __future__ import annotations

import os
import signal
import time

from pipeline.verify.config import VerifyConfig
from pipeline.verify.result import CheckResult, TaskSpec


def shout(answer: str, task: TaskSpec) -> bool:
    """Passes when the answer is upper-case."""
    return answer.isupper()


shout.version = "7"  # type: ignore[attr-defined]


def graded(answer: str, task: TaskSpec) -> CheckResult:
    return CheckResult.ok(0.9) if answer == task.answer else CheckResult.fail("wrong_word", 0.1)


def hang_on_hang(answer: str, task: TaskSpec) -> bool:
    """Blocks forever (ignoring SIGALRM) when the answer says 'hang'; kills its process on 'die'."""
    if answer == "hang":
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        while True:
            time.sleep(1)
    if answer == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    return True


def broken(answer: str, task: TaskSpec) -> bool:
    raise RuntimeError("bug in a user verifier")


def short_enough(answer: str, task: TaskSpec, cfg: VerifyConfig) -> bool:
    """A plugin that reads the verify config (a third argument): passes answers within the math step timeout's
    number of characters (any setting would do; this one is a plain number)."""
    return len(answer) <= cfg.math_timeout_s


short_enough.version = "3"  # type: ignore[attr-defined]
short_enough.config_version = lambda cfg: "" if cfg.math_timeout_s == 5.0 else f"t{cfg.math_timeout_s:g}"  # type: ignore[attr-defined]
