"""`generate.openai.max_in_flight_per_url`: many servers of different sizes, each with its own in-flight cap,
while `max_in_flight` caps the total (the openai backend stays on the driver with `executor: ray`)."""

from __future__ import annotations

import threading
import time
from collections import Counter

import polars as pl
import pytest

from pipeline.generate.backends.openai_backend import OpenAIBackend
from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import build_requests
from testing_support.openai_stub import OpenAIStub


class InFlight:
    """Counts requests inside a stub at once (the stub's per-request hook holds each request 50 ms)."""

    def __init__(self) -> None:
        self.now: Counter[int] = Counter()
        self.peak: Counter[int] = Counter()
        self.lock = threading.Lock()

    def hook(self, port: int):  # type: ignore[no-untyped-def]
        def fault_for(body: dict) -> None:
            with self.lock:
                self.now[port] += 1
                self.peak[port] = max(self.peak[port], self.now[port])
            time.sleep(0.05)
            with self.lock:
                self.now[port] -= 1

        return fault_for


@pytest.mark.parametrize("cap", [1, 3])
def test_each_server_gets_at_most_its_cap_in_flight(cap: int) -> None:
    tasks = pl.DataFrame({"task_id": [f"t{i}" for i in range(12)], "domain": ["math"] * 12, "prompt": ["q"] * 12})
    seen = InFlight()
    with OpenAIStub() as a, OpenAIStub() as b:
        a.fault_for, b.fault_for = seen.hook(a.port), seen.hook(b.port)
        cfg = GenerateConfig(backend="openai", model="m")
        cfg.openai.base_urls = [a.url, b.url]
        cfg.openai.max_in_flight = 16
        cfg.openai.max_in_flight_per_url = cap
        requests = list(build_requests(tasks, cfg))
        got: list[str] = []
        OpenAIBackend(cfg.openai).run(requests, lambda req, res, endpoint: got.append(res.error or "ok"))
    assert got == ["ok"] * len(requests)
    assert max(seen.peak.values()) == cap  # 16 workers, 2 servers: without the cap each would see 8
