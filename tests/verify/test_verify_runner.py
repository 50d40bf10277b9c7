"""The registry and the parallel runner: order, custom verifiers, hard timeouts, crashes."""

from __future__ import annotations

import time

import pytest

from pipeline.verify.config import VerifyConfig
from pipeline.verify.errors import UnknownVerifierError, VerifyError
from pipeline.verify.judge import Item
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from pipeline.verify.runner import verify_items

PLUGINS = "tests.verify.verifier_plugins"


def _cfg(**kw) -> VerifyConfig:
    base = {"workers": 2, "inline_below": 0,
            "verifiers": {"shout": f"{PLUGINS}:shout", "graded": f"{PLUGINS}:graded",
                          "hang": f"{PLUGINS}:hang_on_hang", "broken": f"{PLUGINS}:broken"}}
    return VerifyConfig.model_validate({**base, **kw})


def test_builtins_are_registered() -> None:
    assert {"math", "mcq", "exact", "regex", "numeric", "json_schema", "code", "ifeval"} <= set(Registry().names())


def test_unknown_verifier_fails_before_any_work() -> None:
    with pytest.raises(UnknownVerifierError, match="'nope'"):
        verify_items([Item(TaskSpec("t", "nope", "x"), "x")], VerifyConfig())


def test_bad_spec_is_a_clear_error() -> None:
    with pytest.raises(VerifyError, match=r"verify\.verifiers\.bad"):
        Registry(VerifyConfig(verifiers={"bad": "no_such_module_xyz:f"}))


def test_config_declared_verifiers_and_versions_in_a_pool() -> None:
    cfg = _cfg()
    items = [Item(TaskSpec(f"t{i}", "shout" if i % 2 else "graded", "yes"), "YES" if i % 3 else "yes", "no_think")
             for i in range(40)]
    verdicts = verify_items(items, cfg)
    assert len(verdicts) == 40
    for i, v in enumerate(verdicts):  # input order is kept
        answer = "YES" if i % 3 else "yes"
        if i % 2:
            assert v.verifier == "shout" and v.passed is answer.isupper()
            assert v.verifier_version.startswith("shout/7+")
        else:
            assert v.verifier == "graded" and v.passed is (answer == "yes")
            assert v.score == (0.9 if v.passed else 0.1)
            assert v.reason in (None, "graded:wrong_word")


def test_runtime_registration_runs_inline_or_in_workers() -> None:
    reg = Registry(VerifyConfig())
    reg.register("len3", lambda answer, task: len(answer) == 3)  # a lambda cannot go to workers: runs inline
    items = [Item(TaskSpec("t", "len3", None), "abc" if i % 2 else "ab", "no_think") for i in range(20)]
    assert [v.passed for v in verify_items(items, _cfg(), reg)] == [bool(i % 2) for i in range(20)]


@pytest.mark.slow
def test_a_hanging_check_is_killed_and_the_rest_still_judged() -> None:
    cfg = _cfg(check_timeout_s=1.0)
    answers = ["ok"] * 6 + ["hang"] + ["ok"] * 6 + ["die"] + ["ok"] * 3
    items = [Item(TaskSpec(f"t{i}", "hang", None), a, "no_think") for i, a in enumerate(answers)]
    start = time.monotonic()
    verdicts = verify_items(items, cfg)
    assert time.monotonic() - start < 60
    reasons = [v.reason for v in verdicts]
    assert reasons[6] == "hang:timeout"
    assert reasons[13] == "hang:crash"
    assert all(r is None for i, r in enumerate(reasons) if i not in (6, 13))


def test_a_crashing_verifier_becomes_an_error_reason_not_a_crash() -> None:
    v = verify_items([Item(TaskSpec("t9", "broken", None), "x", "no_think")], _cfg(inline_below=16))[0]
    assert (v.passed, v.reason) == (False, "broken:error")
    assert "t9" in (v.error or "") and "RuntimeError" in (v.error or "")


def test_bad_verifier_args_fail_one_verdict_with_a_message() -> None:
    items = [Item(TaskSpec("bad1", "regex", None, {"pattern": "("}), "x", "no_think"),
             Item(TaskSpec("ok1", "regex", None, {"pattern": "x"}), "x", "no_think")]
    verdicts = verify_items(items, VerifyConfig())
    assert verdicts[0].reason == "regex:bad_args" and "bad1" in (verdicts[0].error or "")
    assert verdicts[1].passed


def test_math_soft_timeout_gives_a_reason() -> None:
    cfg = VerifyConfig(math_timeout_s=1e-6)
    v = verify_items([Item(TaskSpec("m", "math", r"\frac{17}{19}"), r"\boxed{\frac{34}{38}}", "no_think")], cfg)[0]
    assert v.reason == "math:timeout"


def test_math_in_a_worker_pool() -> None:
    cfg = _cfg()
    items = [Item(TaskSpec(f"m{i}", "math", "3/4"), r"\boxed{0.75}" if i % 2 else r"\boxed{0.7}", "no_think")
             for i in range(24)]
    assert [v.passed for v in verify_items(items, cfg)] == [bool(i % 2) for i in range(24)]
