"""Deterministic train / validation split by task: all examples of a task land in the same split, and a task
keeps its split across versions (the split depends only on the task id and the seed)."""

from __future__ import annotations

import xxhash

_SCALE = float(2**64)


def task_position(task_id: str, seed: int) -> float:
    """Uniform position in [0, 1) of a task, stable across runs and versions."""
    return xxhash.xxh64_intdigest(f"split\x1f{seed}\x1f{task_id}".encode()) / _SCALE


def assign_splits(task_ids: list[str], share: float, seed: int, min_tasks: int = 0) -> dict[str, str]:
    """Map each task to `train` or `validation`; at least `min_tasks` validation tasks when there are 2+ tasks."""
    unique = sorted(set(task_ids))
    pos = {t: task_position(t, seed) for t in unique}
    val = {t for t in unique if pos[t] < share}
    if share > 0 and len(val) < min_tasks and len(unique) > 1:
        need = min(min_tasks, len(unique) - 1)
        val = set(sorted(unique, key=lambda t: (pos[t], t))[:need])
    return {t: ("validation" if t in val else "train") for t in unique}
