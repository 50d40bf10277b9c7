"""Custom verifiers used by the runner tests (loaded as `module:function` from config, also in worker processes)."""

from __future__ import annotations

import os
import signal
import time

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
