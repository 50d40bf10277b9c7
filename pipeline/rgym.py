"""The one adapter to the reasoning-gym library: dataset names, generation recipes and scoring.

Both the ingest source (`pipeline.ingest.reasoning_gym_source`) and the `reasoning_gym` verifier go through here,
so a task is scored by exactly the dataset object (name, config, seed, size) that generated it.

A task keeps its *recipe* (`dataset`, `seed`, `size`, `index`, `config`) in `verifier_args`. The verifier
regenerates the entry from the recipe instead of trusting a JSON copy: some entries do not survive JSON (arc_agi's
and rearc's metadata hold tuples, and their scorers then give the gold answer 0.05), and a regenerated question
whose hash differs from the stored one (another library version) fails as `entry_mismatch` rather than being
scored against the wrong puzzle.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import xxhash

LIBRARY = "reasoning-gym"

# The 8 datasets whose entry's `answer` is not simply "the" gold, or whose scorer needs help (see docs/verifiers.md).
SPECIAL: dict[str, str] = {
    "boxnet": "many plans solve a puzzle; the scorer simulates the JSON plan, score = share of boxes delivered "
              "(0.05 for any valid JSON); no reference plan is generated",
    "composite": "mixes other datasets; needs `config: {composite: {datasets: [{name, weight, config}]}}`; each "
                 "entry is scored by its sub-dataset's scorer",
    "game_of_life_halting": "the library scorer passes any non-empty answer (bool('False') is True); thinkmill "
                            "compares the answer's truth value (True/False, yes/no) with the gold instead",
    "graph_color": "many colourings are right; the scorer checks the colouring is proper; the task's answer is "
                   "the generator's `possible_answer`, one of them",
    "prime_factorization": "the scorer raises on a non-integer factor; thinkmill fails such an answer as "
                           "`reasoning_gym:invalid_answer`",
    "propositional_logic": "many conclusions are valid; the scorer checks validity; the task's answer is the "
                           "generator's `example_answer`, one of them",
    "rubiks_cube": "many move sequences solve a cube; the scorer applies the moves; the task's answer is the "
                   "generator's `example_correct_answer`, one of them",
    "rush_hour": "many move sequences free the red car; the scorer simulates them; no reference solution is "
                 "generated",
}
# Metadata keys holding one example solution for datasets whose entry answer is None.
_EXAMPLE_KEYS = ("possible_answer", "example_answer", "example_correct_answer")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class ReasoningGymError(ValueError):
    """A reasoning-gym dataset name, config or entry that cannot be used; the message names it."""


def library_version() -> str:
    from importlib.metadata import version

    return version(LIBRARY)


def dataset_names() -> list[str]:
    from reasoning_gym.factory import DATASETS

    return sorted(DATASETS)


def question_hash(question: str) -> str:
    return xxhash.xxh64_hexdigest(question.encode("utf-8"))


def config_hash(config: dict[str, Any]) -> str:
    return xxhash.xxh64_hexdigest(json.dumps(config, sort_keys=True, default=str).encode("utf-8"))[:8]


@dataclass(frozen=True)
class Recipe:
    """What regenerates one entry: the dataset built with (config, seed, size), then item `index`."""

    dataset: str
    seed: int
    size: int
    index: int
    config: dict[str, Any] = field(default_factory=dict)

    def config_json(self) -> str:
        return json.dumps(self.config, sort_keys=True, default=str)

    def to_args(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "seed": self.seed, "size": self.size, "index": self.index,
                "config": self.config}

    @classmethod
    def from_args(cls, args: dict[str, Any], where: str) -> Recipe:
        """From a task's verifier_args; a missing or mistyped field raises ReasoningGymError naming it."""
        for key, typ in (("dataset", str), ("seed", int), ("size", int), ("index", int)):
            v = args.get(key)
            if not isinstance(v, typ) or isinstance(v, bool):
                raise ReasoningGymError(f"{where}: verifier_args.{key} must be {typ.__name__}, got {v!r}")
        config = args.get("config") or {}
        if not isinstance(config, dict):
            raise ReasoningGymError(f"{where}: verifier_args.config must be an object")
        return cls(args["dataset"], args["seed"], args["size"], args["index"], config)


def _composite_specs(config: dict[str, Any]) -> dict[str, Any]:
    from reasoning_gym.composite import DatasetSpec

    specs = config.get("datasets")
    if not isinstance(specs, list) or not specs:
        raise ReasoningGymError("composite: config.datasets must be a non-empty list of {name, weight, config}")
    out = []
    for i, s in enumerate(specs):
        if not isinstance(s, dict) or not isinstance(s.get("name"), str):
            raise ReasoningGymError(f"composite: config.datasets[{i}] must be an object with a name")
        out.append(DatasetSpec(name=s["name"], weight=float(s.get("weight", 1.0)), config=dict(s.get("config") or {})))
    return {**config, "datasets": out}


@lru_cache(maxsize=256)
def _dataset(name: str, config_json: str, seed: int, size: int) -> Any:
    import reasoning_gym as rg
    from reasoning_gym.factory import DATASETS

    if name not in DATASETS:
        raise ReasoningGymError(f"unknown reasoning-gym dataset {name!r} ({len(DATASETS)} known; "
                                f"`thinkmill verifiers list` names them)")
    config = json.loads(config_json)
    if name == "composite":
        config = _composite_specs(config)
    try:
        return rg.create_dataset(name, size=size, seed=seed, **config)
    except (TypeError, ValueError, AssertionError) as exc:
        raise ReasoningGymError(f"reasoning-gym dataset {name!r} with config {config_json}: "
                                f"{type(exc).__name__}: {exc}") from exc


def dataset(name: str, config: dict[str, Any], seed: int, size: int) -> Any:
    """The (cached) dataset object; an unknown name or bad config raises ReasoningGymError."""
    return _dataset(name, json.dumps(config, sort_keys=True, default=str), seed, size)


@lru_cache(maxsize=4096)
def _entry(recipe_key: tuple[str, str, int, int, int]) -> dict[str, Any]:
    name, config_json, seed, size, index = recipe_key
    return _dataset(name, config_json, seed, size)[index]


def entry(recipe: Recipe) -> dict[str, Any]:
    """The regenerated entry (question, answer, metadata) of a recipe (cached: samples of one task share it)."""
    if not 0 <= recipe.index < recipe.size:
        raise ReasoningGymError(f"reasoning-gym {recipe.dataset}: index {recipe.index} outside 0..{recipe.size - 1}")
    return _entry((recipe.dataset, recipe.config_json(), recipe.seed, recipe.size, recipe.index))


def reference_answer(e: dict[str, Any]) -> str | None:
    """The entry's gold answer, else the example solution of a many-solution dataset, as text; None if neither."""
    ans = e.get("answer")
    if ans is None:
        meta = e.get("metadata") or {}
        ans = next((meta[k] for k in _EXAMPLE_KEYS if meta.get(k) is not None), None)
    if ans is None:
        return None
    return ans if isinstance(ans, str) else json.dumps(ans, default=str)


def _truth(text: str) -> bool | None:
    t = text.strip().strip(".").strip().casefold()
    return True if t in _TRUE else False if t in _FALSE else None


def score(recipe: Recipe, answer: str, e: dict[str, Any]) -> float:
    """The dataset's own score of `answer` for entry `e` (0..1). Raises whatever the scorer raises."""
    name = (e.get("metadata") or {}).get("source_dataset", recipe.dataset)
    if name == "game_of_life_halting":
        got, gold = _truth(answer), _truth(str(e.get("answer")))
        return 1.0 if got is not None and got == gold else 0.0
    ds = dataset(recipe.dataset, recipe.config, recipe.seed, recipe.size)
    value = float(ds.score_answer(answer=answer, entry=e))
    if math.isnan(value):
        return 0.0
    return min(1.0, max(0.0, value))


def config_parameters(name: str) -> dict[str, Any]:
    """The dataset's config fields and defaults (for `thinkmill verifiers list`)."""
    import dataclasses

    from reasoning_gym.factory import DATASETS

    _cls, config_cls = DATASETS[name]
    out: dict[str, Any] = {}
    if dataclasses.is_dataclass(config_cls):
        for f in dataclasses.fields(config_cls):
            if f.name in ("seed", "size"):
                continue
            if f.default is not dataclasses.MISSING:
                default: Any = f.default
            elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
                default = f.default_factory()  # type: ignore[misc]
            else:
                default = None
            out[f.name] = default if isinstance(default, str | int | float | bool | type(None)) else \
                json.loads(json.dumps(default, default=str))
    return out
