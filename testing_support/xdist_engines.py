"""pytest-xdist scheduling for the suite: the tests that start model engines run as one unit on one worker.

Tests under `tests/vllm_e2e/` start vLLM (in process, `vllm serve`, `run_batch`, a held `thinkmill generate`) and
those under `tests/ray/` a local Ray with vLLM in a Ray worker; their session fixtures start each once per test
process. Under `make test` (two xdist workers) they run as one unit of work on one worker, so each starts once per
run (five engines and two Rays at once took a 24 GB machine to 21 GB), while the other worker runs the rest test
by test. Tests that time themselves run last in that unit (`AFTER_ENGINES`). xdist's own
`--dist loadgroup` marks cannot do this under pytest 9.2 (it no longer reads the node id xdist rewrites to carry
the group), so tests/conftest.py returns `EngineGroupScheduling` from `pytest_xdist_make_scheduler`.
"""

from __future__ import annotations

from typing import Any

ENGINE_GROUP = "engines"
ENGINE_DIRS = ("vllm_e2e", "ray")
# Run last in the same unit, never beside the engines' start (four engines loading take both cores): tests that
# time themselves against the product's own limits. The browser test's *Materialize all* (limit 30 s) measured 31 s
# beside the start, ~16 s after it; the shared-db test's `thinkmill db info` answers within 5 s (a CLI start).
# `make test` runs the browser test on its own after the suite (beside the other worker it still measured 32-40 s);
# a plain `pytest -n 2` runs it here.
AFTER_ENGINES = ("tests/ops/test_ops_browser.py", "tests/reliability/test_reliability_shared_db.py")


def engine_test(nodeid: str) -> bool:
    """Whether a test (by node id, `tests/<dir>/...::name`) runs in the engine unit: it starts engines, or it
    times itself and must not run beside their start (`AFTER_ENGINES`)."""
    path = nodeid.split("::", 1)[0]
    parts = path.split("/")
    return (len(parts) > 2 and parts[0] == "tests" and parts[1] in ENGINE_DIRS) or path in AFTER_ENGINES


def make_scheduler(config: Any, log: Any) -> Any:
    """xdist's `--dist load` (the default of `-n`) with the engine tests as one unit; None for another `--dist`.
    xdist hands out the largest unit first, so the engines load while the other worker runs the rest."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class EngineGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return ENGINE_GROUP if engine_test(nodeid) else nodeid

    return EngineGroupScheduling(config, log)


def engine_order(nodeid: str) -> int:
    """Sort key of the collected tests under xdist: vLLM's engine tests, then Ray's, then `AFTER_ENGINES`, then
    the rest (collection order within each). The vLLM fixtures start their subprocess engines at the first vLLM
    test, and those load while the in-process engine does."""
    if not engine_test(nodeid):
        return 3
    if nodeid.startswith("tests/vllm_e2e/"):
        return 0
    return 1 if nodeid.startswith("tests/ray/") else 2
