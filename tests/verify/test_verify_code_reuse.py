"""Code already run is not run again: a task's samples, and its think and no-think answers, often end in the same
code (the sample data: 35 distinct solutions in 75 code answers). The verdicts stay those of a fresh run."""

from __future__ import annotations

import shutil

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.judge import Item
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from pipeline.verify.runner import HEAVY_CHUNK, _chunks, verify_items
from pipeline.verify.verifiers import code as code_verifier

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")

ASSERTS = "assert f(1) == 2\nassert f(5) == 6"
RIGHT = "def f(x):\n    return x + 1"
WRONG = "def f(x):\n    return 2"


def answer(prose: str, body: str) -> str:
    return f"{prose}\n```python\n{body}\n```\n"


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The solutions the sandbox ran, in order."""
    seen: list[str] = []
    real = code_verifier._run_once

    def counted(payload, python, wall_s, cfg):  # type: ignore[no-untyped-def]
        seen.append(payload["solution"].strip())
        return real(payload, python, wall_s, cfg)

    monkeypatch.setattr(code_verifier, "_run_once", counted)
    return seen


def _judge(items: list[Item], cfg: VerifyConfig) -> list[tuple[bool, str | None]]:
    return [(v.passed, v.verifier_reason) for v in verify_items(items, cfg, Registry(cfg))]


def test_the_same_code_of_a_task_runs_once_with_the_same_verdicts(runs: list[str]) -> None:
    cfg = VerifyConfig(inline_below=100)  # judged in this process, where `runs` counts
    task = TaskSpec("t", "code", None, {"tests": ASSERTS})
    items = [
        Item(task, answer("Here is my solution.", RIGHT), "no_think"),
        Item(task, "<think>add one</think>\n" + answer("Adding one:", RIGHT), "think"),
        Item(task, answer("Another attempt.", RIGHT), "no_think"),
        Item(task, answer("Hmm.", WRONG), "no_think"),
        Item(task, answer("Again.", WRONG), "no_think"),
    ]
    got = _judge(items, cfg)
    assert [passed for passed, _ in got] == [True, True, True, False, False]
    assert got[3][1] == got[4][1] == "code:tests_failed"
    assert runs == [RIGHT, WRONG]
    # the same code against other tests is another run
    other = TaskSpec("u", "code", None, {"tests": "assert f(1) == 3"})
    assert _judge([Item(other, answer("Here is my solution.", RIGHT), "no_think")], cfg) == [
        (False, "code:tests_failed")
    ]
    assert runs == [RIGHT, WRONG, RIGHT]


def test_another_sandbox_setting_runs_the_code_again(runs: list[str]) -> None:
    task = TaskSpec("t", "code", None, {"tests": ASSERTS})
    item = Item(task, answer("Here is my solution.", RIGHT), "no_think")
    for cfg in (
        VerifyConfig(inline_below=100),
        VerifyConfig.model_validate({"inline_below": 100, "code": {"memory_mb": 768}}),
    ):
        assert _judge([item], cfg) == [(True, None)]
    assert runs == [RIGHT, RIGHT]


def test_a_result_at_a_limit_is_never_reused(runs: list[str]) -> None:
    """A timeout on a loaded machine says little of the code: each copy runs again."""
    cfg = VerifyConfig.model_validate({"inline_below": 100, "code": {"timeout_s": 1}})
    slow = "import time\ntime.sleep(30)\ndef f(x):\n    return x + 1"
    task = TaskSpec("t", "code", None, {"tests": ASSERTS})
    items = [Item(task, answer(p, slow), "no_think") for p in ("First.", "Second.")]
    assert _judge(items, cfg) == [(False, "code:timeout")] * 2
    assert runs == [slow, slow]


def test_a_reused_result_is_a_copy() -> None:
    cfg = VerifyConfig()
    task = TaskSpec("t", "code", None, {"tests": "import missing_module_xyz\n" + ASSERTS})
    registry = Registry(cfg)
    first = registry.get("code").check(answer("One.", RIGHT), task, cfg)
    assert first.details is not None
    first.details["module"] = "changed"
    again = registry.get("code").check(answer("Two.", RIGHT), task, cfg)
    assert again.details is not None and again.details["module"] != "changed"


def test_a_tasks_sandboxed_responses_are_judged_together() -> None:
    """The pool hands a worker a task's sandboxed responses in one chunk (up to HEAVY_CHUNK), where the same code
    then runs once; the other responses are chunked as before."""
    cfg = VerifyConfig()
    registry = Registry(cfg)
    verifiers = {name: registry.get(name) for name in ("code", "exact")}
    items = [
        Item(TaskSpec("a", "code", None, {"tests": ASSERTS}), "x", "no_think"),
        Item(TaskSpec("b", "code", None, {"tests": ASSERTS}), "x", "no_think"),
        Item(TaskSpec("e", "exact", "1"), "1", "no_think"),
        *[Item(TaskSpec("a", "code", None, {"tests": ASSERTS}), "y", "think") for _ in range(HEAVY_CHUNK)],
        Item(TaskSpec("b", "code", None, {"tests": ASSERTS}), "x", "think"),
    ]
    chunks = _chunks(items, verifiers, n_workers=2)
    a = [0, *range(3, 3 + HEAVY_CHUNK)]
    assert chunks == [a[:HEAVY_CHUNK], a[HEAVY_CHUNK:], [1, len(items) - 1], [2]]


def test_the_pool_gives_the_same_verdicts_as_judging_in_process() -> None:
    task = TaskSpec("t", "code", None, {"tests": ASSERTS})
    other = TaskSpec("u", "code", None, {"tests": "assert f(2) == 3"})
    items = [
        Item(t, answer(p, body), "no_think")
        for t in (task, other)
        for p in ("One.", "Two.", "Three.")
        for body in (RIGHT, WRONG)
    ]
    pooled = _judge(items, VerifyConfig(inline_below=0, workers=2))
    code_verifier._RESULTS.clear()
    inline = _judge(items, VerifyConfig(inline_below=100))
    assert pooled == inline == [(True, None), (False, "code:tests_failed")] * 6
