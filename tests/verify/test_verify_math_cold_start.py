"""The first math check of a fresh process imports math-verify (sympy, its LaTeX grammar): that cost was inside the
check's time limit (`verify.math_timeout_s`), so on a loaded machine a fresh worker's first right answer failed
`math:timeout` and, the import cut short, its next reference `math:unparsable_reference`. Local runs preload
math-verify in their forkserver; Ray workers do not, and a CI run saw Ray's verdicts differ from the local ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
from pipeline.verify.config import VerifyConfig
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.math import verify_math
cfg = VerifyConfig(math_timeout_s=0.3)
for answer, ref in [("\\\\boxed{2}", "2"), ("\\\\boxed{0.7}", "0.75"), ("\\\\boxed{3/4}", "0.75")]:
    r = verify_math(answer, TaskSpec("t", "math", ref, prompt="Q?"), cfg)
    print(r.passed, r.detail)
"""


def test_a_fresh_processs_first_math_check_is_not_timed_with_the_import() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, check=True, timeout=120
    ).stdout.split("\n")
    assert out[:3] == ["True None", "False mismatch", "True None"]
