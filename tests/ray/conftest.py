"""One local Ray for the whole session (2 CPUs, a small object store, no dashboard): starting Ray costs ~6 s.

Ray is the `ray` extra. Where it is missing these tests are not collected, except under `make test` / CI
(THINKMILL_REQUIRE_RAY=1), which install it: there a missing Ray is a failure, never a silent skip. (`ray.data`
is what is imported: this folder, on pytest's sys.path, would pass for a `ray` namespace package.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    import ray
    import ray.data
except ImportError:
    if os.environ.get("THINKMILL_REQUIRE_RAY") == "1":
        raise
    collect_ignore_glob = ["test_*.py"]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def ray_session():
    # Ray's workers are started by this process's raylet and inherit its environment: put the checkout first
    # on their path, so they import this working copy's `pipeline`, as the driver does.
    paths = [str(REPO), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    ray.init(
        num_cpus=2,
        object_store_memory=300 * 1024 * 1024,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        # the workers (vLLM engines included) never reach the network; the driver's env stays as it is
        runtime_env={"env_vars": {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "VLLM_NO_USAGE_STATS": "1"}},
    )
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()
