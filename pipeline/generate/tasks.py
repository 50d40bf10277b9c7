"""Which tasks the generate stage answers: the decontaminated tasks (`clean_tasks`)."""

from __future__ import annotations

import polars as pl

from pipeline.store import Store


def read_tasks_for_generation(store: Store) -> pl.DataFrame:
    """Tasks that may reach a model: the ingest stage's clean tasks (contaminated ones never do)."""
    try:
        from pipeline.ingest import read_clean_tasks  # type: ignore[attr-defined]
    except ImportError:
        return _clean_tasks_fallback(store)
    return read_clean_tasks(store)


def _clean_tasks_fallback(store: Store) -> pl.DataFrame:
    """`tasks` minus every task_id in `contamination`; used until the ingest stage exports read_clean_tasks."""
    return store.read("tasks", where="task_id NOT IN (SELECT task_id FROM contamination)")
