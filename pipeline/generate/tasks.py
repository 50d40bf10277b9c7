"""Which tasks the generate stage answers: the decontaminated tasks (`clean_tasks`)."""

from __future__ import annotations

import polars as pl

from pipeline.ingest.decontam import read_clean_tasks
from pipeline.store import Store


def read_tasks_for_generation(store: Store) -> pl.DataFrame:
    """Tasks that may reach a model: the ingest stage's clean tasks (contaminated ones never do; contract columns,
    the task's own system prompt included)."""
    return read_clean_tasks(store)
