"""Deterministic train / validation split by task: all examples of a task land in the same split, and a task
keeps its split across versions (the split depends only on the task id and the seed).

Tasks that hold one prompt (one `tasks.prompt_hash`: two sources of one dataset ingested with `ingest.dedup: false`)
are one unit: they share the split of the first of them by position, so no prompt is trained on under one task id
and evaluated under another. A task whose prompt no other task has keeps its own position, as before."""

from __future__ import annotations

from collections.abc import Mapping

import xxhash

_SCALE = float(2**64)


def task_position(task_id: str, seed: int) -> float:
    """Uniform position in [0, 1) of a task, stable across runs and versions."""
    return xxhash.xxh64_intdigest(f"split\x1f{seed}\x1f{task_id}".encode()) / _SCALE


def assign_splits(
    task_ids: list[str], share: float, seed: int, min_tasks: int = 0, groups: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map each task to `train` or `validation`; at least `min_tasks` validation tasks when there are 2+ units.

    `groups`: task id -> group key (the prompt hash); tasks of one key share a split, at the lowest position of
    theirs. A task without a key is a unit alone."""
    unique = sorted(set(task_ids))
    groups = groups or {}
    members: dict[str, list[str]] = {}
    for t in unique:
        key = groups.get(t)
        members.setdefault(f"g\x1f{key}" if key is not None else f"t\x1f{t}", []).append(t)
    pos = {u: min((task_position(t, seed), t) for t in ts) for u, ts in members.items()}
    order = sorted(members, key=lambda u: pos[u])
    val = {u for u in order if pos[u][0] < share}
    n_val = sum(len(members[u]) for u in val)
    if share > 0 and n_val < min_tasks and len(order) > 1:
        val, n_val = set(), 0
        for u in order[:-1]:  # at least one unit stays in train
            if n_val >= min_tasks:
                break
            val.add(u)
            n_val += len(members[u])
    return {t: ("validation" if u in val else "train") for u, ts in members.items() for t in ts}
