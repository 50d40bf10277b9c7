"""`make test` runs the suite on two pytest-xdist workers; the tests that start model engines (tests/vllm_e2e/,
tests/ray/) must run as one unit on one worker, vLLM's first, or each worker starts its own engines and Ray
(five engines and two Rays at once took a 24 GB machine to 21 GB). Checked here on a small tree run by the
suite's own tests/conftest.py under `pytest -n 2`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testing_support.xdist_engines import engine_test

ROOT = Path(__file__).resolve().parents[2]

RECORD = """
import os, time
from pathlib import Path

def record(name):
    time.sleep(0.1)
    with Path(os.environ["RECORD_TO"]).open("a") as f:
        f.write(f"{os.environ['PYTEST_XDIST_WORKER']} {name}\\n")
"""


def _module(prefix: str, n: int) -> str:
    tests = "".join(f"\ndef test_{prefix}{i}():\n    record('{prefix}{i}')\n" for i in range(n))
    return "from recorder import record\n" + tests


def test_engine_tests_run_as_one_unit_on_one_worker_vllm_first_browser_last(tmp_path: Path) -> None:
    pytest.importorskip("xdist")
    tree = tmp_path / "suite"
    (tree / "tests").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "conftest.py", tree / "tests" / "conftest.py")  # the suite's own hooks
    (tree / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    (tree / "recorder.py").write_text(RECORD)
    # collected in this order: ops, ray, another folder, vllm_e2e: the order seen is the conftest's
    for folder, name, prefix, n in (
        ("ops", "test_ops_browser.py", "browser", 1),  # times itself: last in the engine unit
        ("ray", "test_ray.py", "ray", 3),
        ("other", "test_other.py", "other", 8),
        ("vllm_e2e", "test_vllm.py", "vllm", 3),
    ):
        (tree / "tests" / folder).mkdir()
        (tree / "tests" / folder / name).write_text(_module(prefix, n))
    record = tmp_path / "record.txt"
    env = {**os.environ, "RECORD_TO": str(record), "PYTHONPATH": os.pathsep.join([str(ROOT), str(tree)])}
    env.pop("PYTEST_XDIST_WORKER", None)
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    ran = [line.split() for line in record.read_text().splitlines()]
    assert len(ran) == 15
    engine = [(w, name) for w, name in ran if not name.startswith("other")]
    assert len({w for w, _ in engine}) == 1, ran  # one worker ran every engine test
    assert [name for _, name in engine] == ["vllm0", "vllm1", "vllm2", "ray0", "ray1", "ray2", "browser0"]
    assert len({w for w, _ in ran}) == 2, ran  # and the other worker took part


@pytest.mark.parametrize(
    ("nodeid", "engine"),
    [
        ("tests/vllm_e2e/test_vllm_engine.py::test_x", True),
        ("tests/ray/test_ray_generate.py::test_x[a/b]", True),
        ("tests/ingest/test_ray_like.py::test_x", False),
        ("tests/foundation/test_foundation_xdist.py::test_vllm_e2e", False),
        ("tests/test_top.py::test_x", False),
        ("tests/ops/test_ops_browser.py::test_ui_materialize_all_card_and_sensor_flow", True),
        ("tests/ops/test_ops_checks.py::test_x", False),
    ],
)
def test_which_tests_start_engines(nodeid: str, engine: bool) -> None:
    assert engine_test(nodeid) is engine


def test_every_browser_test_is_in_the_file_make_test_runs_on_its_own() -> None:
    """`make test` runs the browser tests by file (`pytest -m browser tests/ops/test_ops_browser.py`, so that run does
    not collect the whole suite again) after the parallel run, which deselects them (`-m "not browser"`): a browser
    test in any other file would run in neither."""
    runs = "tests/ops/test_ops_browser.py"
    assert f"-m browser {runs}" in (ROOT / "Makefile").read_text()
    marked = sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "tests").rglob("*.py")
        if re.search(r"\bmark\.browser\b", p.read_text(encoding="utf-8"))
    )
    assert marked == [runs]


def test_stub_servers_stop_at_once() -> None:
    """The stub servers (OpenAI-compatible, Hub, fault proxy) are started in ~75 places, many per test: each must
    stop without waiting for `serve_forever`'s poll (0.5 s by default, a uniform 0-0.5 s wait per teardown)."""
    import time

    from testing_support.hub_stub import HubStub
    from testing_support.openai_stub import OpenAIStub
    from testing_support.servers import FaultProxy

    started = time.monotonic()
    for _ in range(3):
        with OpenAIStub(), HubStub():
            pass
    with OpenAIStub() as stub:
        proxy = FaultProxy(stub.url)
        proxy.close()
    took = time.monotonic() - started
    # ~0.2 s now; before, seven waits of 0-0.5 s each came under 1 s in ~2% of runs. The margin is for a loaded CI
    assert took < 1.0, f"7 stub servers took {took:.2f} s to start and stop"
