"""Resources shared by every asset: where the database and the config live."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from pipeline.config import ThinkmillConfig, load_config
from pipeline.store import DEFAULT_DB, Store


class ThinkmillResource(dg.ConfigurableResource):
    """The DuckDB file and the config file the pipeline runs on."""

    db_path: str = DEFAULT_DB
    config_path: str | None = None
    lock_timeout_s: float = 600.0

    def config(self) -> ThinkmillConfig:
        return load_config(self.config_path)

    @contextmanager
    def store(self, read_only: bool = False) -> Iterator[Store]:
        with Store.open(self.db_path, read_only=read_only, lock_timeout_s=self.lock_timeout_s) as store:
            yield store


def default_resource() -> ThinkmillResource:
    return ThinkmillResource(
        db_path=os.environ.get("THINKMILL_DB", DEFAULT_DB),
        config_path=os.environ.get("THINKMILL_CONFIG"),
    )
