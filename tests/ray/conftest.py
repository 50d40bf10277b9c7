"""One local Ray for the whole session (2 CPUs, a small object store, no dashboard): starting Ray costs ~6 s."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="Ray is the `ray` extra (make test installs it)")

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
    )
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()
