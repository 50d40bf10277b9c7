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
from tests.verify.verifier_plugins import short_enough

PLUGINS = "tests.verify.verifier_plugins"


def _cfg(**kw) -> VerifyConfig:
    base = {
        "workers": 2,
        "inline_below": 0,
        "verifiers": {
            "shout": f"{PLUGINS}:shout",
            "graded": f"{PLUGINS}:graded",
            "hang": f"{PLUGINS}:hang_on_hang",
            "broken": f"{PLUGINS}:broken",
        },
    }
    return VerifyConfig.model_validate({**base, **kw})


def test_builtins_are_registered() -> None:
    assert {"math", "mcq", "exact", "regex", "numeric", "json_schema", "code", "ifeval"} <= set(Registry().names())


def test_unknown_verifier_fails_before_any_work() -> None:
    with pytest.raises(UnknownVerifierError, match="'nope'"):
        verify_items([Item(TaskSpec("t", "nope", "x"), "x")], VerifyConfig())


def test_bad_spec_is_a_clear_error() -> None:
    with pytest.raises(VerifyError, match=r"verify\.verifiers\.bad"):
        Registry(VerifyConfig(verifiers={"bad": "no_such_module_xyz:f"}))


def test_a_plugin_reading_the_config_carries_its_config_version() -> None:
    """A verifier plugin that takes the verify config (a third argument) and says which of it decides its verdicts
    (`config_version`, as the built-ins do) gets that in its version: its stored verdicts are judged again when that
    setting changes (before, only built-ins were bound, and such a plugin's verdicts stayed as the old setting
    judged them)."""
    spec = {"short": f"{PLUGINS}:short_enough"}
    default = Registry(VerifyConfig(verifiers=spec)).get("short")
    changed_cfg = VerifyConfig(verifiers=spec, math_timeout_s=2.0)
    changed = Registry(changed_cfg).get("short")
    assert default.version == "3"
    assert changed.version == "3.t2"
    # an entry registered in code is bound the same way
    reg = Registry(changed_cfg)
    reg.register("mine", short_enough)
    assert reg.get("mine").version == "3.t2"
    got = verify_items(
        [Item(TaskSpec("t", "short", None), "abc", "no_think")], changed_cfg.model_copy(update={"inline_below": 16})
    )
    assert got[0].passed is False and got[0].verifier_version.startswith("short/3.t2")


def test_a_pool_stores_the_version_an_inline_run_stores() -> None:
    """The worker pool (batches of `inline_below` or more: every real run) bound the parent's already bound verifiers
    again, so a verifier with a config tag was stored as `judge-v3.18faa2ae.18faa2ae`: `thinkmill build` then refused
    every trace as judged under other verify settings, and `verify` judged them again into the same version, forever
    (the LLM judge; code under non-default sandbox limits; reasoning_gym with min_score)."""
    spec = {"short": f"{PLUGINS}:short_enough"}
    cfg = VerifyConfig(verifiers=spec, math_timeout_s=2.0, workers=2)
    items = [Item(TaskSpec(f"t{i}", "short", None), "abc" * i, "no_think") for i in range(4)]
    inline = verify_items(items, cfg.model_copy(update={"inline_below": 100}))
    pooled = verify_items(items, cfg.model_copy(update={"inline_below": 0}))
    assert {v.verifier_version for v in pooled} == {v.verifier_version for v in inline}
    assert all(v.verifier_version.startswith("short/3.t2+") for v in pooled), [v.verifier_version for v in pooled]


def test_config_declared_verifiers_and_versions_in_a_pool() -> None:
    cfg = _cfg()
    items = [
        Item(TaskSpec(f"t{i}", "shout" if i % 2 else "graded", "yes"), "YES" if i % 3 else "yes", "no_think")
        for i in range(40)
    ]
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
    items = [
        Item(TaskSpec("bad1", "regex", None, {"pattern": "("}), "x", "no_think"),
        Item(TaskSpec("ok1", "regex", None, {"pattern": "x"}), "x", "no_think"),
    ]
    verdicts = verify_items(items, VerifyConfig())
    assert verdicts[0].reason == "regex:bad_args" and "bad1" in (verdicts[0].error or "")
    assert verdicts[1].passed


def test_math_soft_timeout_gives_a_reason() -> None:
    cfg = VerifyConfig(math_timeout_s=1e-6)
    v = verify_items([Item(TaskSpec("m", "math", r"\frac{17}{19}"), r"\boxed{\frac{34}{38}}", "no_think")], cfg)[0]
    assert v.reason == "math:timeout"


def test_math_in_a_worker_pool() -> None:
    cfg = _cfg()
    items = [
        Item(TaskSpec(f"m{i}", "math", "3/4"), r"\boxed{0.75}" if i % 2 else r"\boxed{0.7}", "no_think")
        for i in range(24)
    ]
    assert [v.passed for v in verify_items(items, cfg)] == [bool(i % 2) for i in range(24)]


# ------------------------------------------------------- no usable bubblewrap: refuse, or (demo) fail code verdicts
CODE_TRACE = "<think>\nadd one\n</think>\n```python\ndef f(x):\n    return x + 1\n```"


def _no_sandbox_items() -> list[Item]:
    return [
        Item(TaskSpec("c", "code", None, {"tests": "assert f(1) == 2"}), CODE_TRACE, "think"),
        Item(TaskSpec("e", "exact", "42"), "<think>\nsix sevens\n</think>\n42", "think"),
        Item(TaskSpec("c2", "code", None, {"tests": "assert f(1) == 2"}), "<think>\nhm", "think"),
    ]


@pytest.fixture
def fresh_probe():  # type: ignore[no-untyped-def]
    from pipeline.verify import sandbox

    sandbox._probe.cache_clear()
    yield
    sandbox._probe.cache_clear()


def _unusable_bwrap(tmp_path) -> str:  # type: ignore[no-untyped-def]
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(0o755)
    return str(fake)


@pytest.mark.parametrize("which", ["missing", "unusable"])
def test_without_a_usable_sandbox_code_is_refused_with_one_line(fresh_probe, tmp_path, which: str) -> None:
    from pipeline.verify.errors import SandboxUnavailableError

    bwrap = str(tmp_path / "nope" / "bwrap") if which == "missing" else _unusable_bwrap(tmp_path)
    cfg = VerifyConfig.model_validate({"inline_below": 100, "code": {"bwrap": bwrap}})
    with pytest.raises(SandboxUnavailableError) as exc:
        verify_items(_no_sandbox_items(), cfg)
    msg = str(exc.value)
    assert "\n" not in msg and "apt-get install bubblewrap" in msg
    assert ("not found" in msg) if which == "missing" else ("Permission denied" in msg)


@pytest.mark.parametrize("which", ["missing", "unusable"])
def test_demo_mode_fails_code_verdicts_sandbox_unavailable_and_judges_the_rest(
    fresh_probe, tmp_path, which: str
) -> None:
    bwrap = str(tmp_path / "nope" / "bwrap") if which == "missing" else _unusable_bwrap(tmp_path)
    cfg = VerifyConfig.model_validate({"inline_below": 100, "code": {"bwrap": bwrap}})
    told: list[str] = []
    code_ok, other, code_bad = verify_items(_no_sandbox_items(), cfg, on_sandbox_unavailable=told.append)
    assert (code_ok.passed, code_ok.reason, code_ok.verifier_reason) == (
        False,
        "code:sandbox_unavailable",
        "code:sandbox_unavailable",
    )
    assert (code_bad.passed, code_bad.reason, code_bad.verifier_reason) == (
        False,
        "lint:unclosed_think",
        "code:sandbox_unavailable",
    )
    assert other.passed  # other verifiers are judged as usual
    # marked so that a later run with a working sandbox judges them again
    assert code_ok.verifier_version.endswith("+sandbox_unavailable")
    assert not other.verifier_version.endswith("+sandbox_unavailable")
    assert len(told) == 1 and "apt-get install bubblewrap" in told[0] and "\n" not in told[0]


def test_database_rejudges_sandbox_unavailable_verdicts_once_a_sandbox_exists(fresh_probe, tmp_path) -> None:
    import polars as pl

    from pipeline.store import Store
    from pipeline.verify.db import pending, verify_database

    cfg = VerifyConfig.model_validate({"inline_below": 100, "code": {"bwrap": str(tmp_path / "nope")}})
    with Store.open(tmp_path / "t.duckdb") as store:
        store.insert(
            "tasks",
            pl.DataFrame(
                [
                    {
                        "task_id": it.task.task_id,
                        "source": "s",
                        "domain": "d",
                        "prompt": "p",
                        "answer": it.task.answer,
                        "verifier": it.task.verifier,
                        "verifier_args": it.task.verifier_args,
                        "metadata": {},
                    }
                    for it in _no_sandbox_items()
                ]
            ),
        )
        store.insert(
            "generations",
            pl.DataFrame(
                [
                    {
                        "key": f"k{i}",
                        "task_id": it.task.task_id,
                        "mode": "think",
                        "sample_index": 0,
                        "backend": "batch",
                        "model": "m",
                        "template_version": "1",
                        "messages": [],
                        "sampling_params": {},
                        "raw_text": it.text,
                    }
                    for i, it in enumerate(_no_sandbox_items())
                ]
            ),
        )
        with pytest.raises(VerifyError, match="bubblewrap"):
            verify_database(store, cfg)
        assert store.count("verdicts") == 0
        summary = verify_database(store, cfg, sandbox_optional=True)
        m = summary.metadata
        assert m["judged"] == 3 and m["sandbox_unavailable"] and "apt-get" in m["sandbox_unavailable"]
        assert set(pending(store, Registry(cfg)).get_column("key").to_list()) == {"k0", "k2"}
