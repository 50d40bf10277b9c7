"""Deterministic train / validation split by task: all examples of a task land in the same split, and a task
keeps its split across versions (the split depends on the task id and the seed; a task an earlier version built
with the same seed and share held keeps that version's split, so the `min_tasks` minimum never moves a task).

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
    task_ids: list[str],
    share: float,
    seed: int,
    min_tasks: int = 0,
    groups: Mapping[str, str] | None = None,
    earlier: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Map each task to `train` or `validation`; at least `min_tasks` validation tasks when there are 2+ units.

    `groups`: task id -> group key (the prompt hash); tasks of one key share a split, at the lowest position of
    theirs. A task without a key is a unit alone.

    `earlier`: task id -> the split it had in earlier versions built with the same seed and share. Such a task keeps
    it (a unit with a task that was in validation is in validation). The position decides only for units without
    one, and the minimum is made up from those, lowest position first: which tasks reach it depends on the tasks of
    this build, and a task the minimum put in validation would otherwise go to train once a new task is under the
    share. Only when no such unit is left is a train task of an earlier version moved to validation."""
    unique = sorted(set(task_ids))
    groups = groups or {}
    earlier = earlier or {}
    members: dict[str, list[str]] = {}
    for t in unique:
        key = groups.get(t)
        members.setdefault(f"g\x1f{key}" if key is not None else f"t\x1f{t}", []).append(t)
    pos = {u: min((task_position(t, seed), t) for t in ts) for u, ts in members.items()}
    order = sorted(members, key=lambda u: pos[u])
    held = {u: {earlier[t] for t in ts if t in earlier} for u, ts in members.items()}
    pinned = {u: ("validation" if "validation" in h else "train") for u, h in held.items() if h}
    val = {u for u in order if pinned.get(u) == "validation" or (u not in pinned and pos[u][0] < share)}
    n_val = sum(len(members[u]) for u in val)
    if share > 0 and n_val < min_tasks and len(order) > 1:
        # new units first, then earlier train units; at least one unit stays in train
        spare = [u for u in order if u not in val and u not in pinned] + [u for u in order if pinned.get(u) == "train"]
        for u in spare[: len(order) - len(val) - 1]:
            if n_val >= min_tasks:
                break
            val.add(u)
            n_val += len(members[u])
    return {t: ("validation" if u in val else "train") for u, ts in members.items() for t in ts}
