"""Every verifiable task type: what `thinkmill verifiers list` prints.

A type is one thing a task can ask to be checked: a plain verifier (`math`, `code`, a plugin), one ifeval
constraint (`ifeval:max_words`), or one reasoning-gym dataset (`reasoning_gym:basic_arithmetic`). Families
(ifeval, reasoning_gym) are listed by their members, each with the verifier that checks it, that verifier's
version, the parameters a task gives it (with defaults) and the library that does the checking.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from pipeline.verify.registry import Registry, Verifier

THINKMILL = "thinkmill"
_REQUIRED = "required"
# verifier_args of the plain built-ins, with defaults ("required" where a task must give it).
BUILTIN_PARAMETERS: dict[str, dict[str, Any]] = {
    "math": {"answer": _REQUIRED},
    "mcq": {"answer": _REQUIRED, "choices": _REQUIRED},
    "exact": {"answer": _REQUIRED, "case_sensitive": False, "aliases": []},
    "regex": {"pattern": _REQUIRED, "ignore_case": False, "full_match": False},
    "numeric": {"answer": _REQUIRED, "rel_tol": 1e-6, "abs_tol": 0.0},
    "json_schema": {"schema": _REQUIRED},
    "code": {"tests": _REQUIRED, "timeout_s": "verify.code.timeout_s"},
    "judge": {"rubric": "task field rubric, else verify.judge.rubric"},
}
BUILTIN_DESCRIPTIONS = {
    "math": "final answer equals the reference (math-verify: fractions, LaTeX, sets, intervals)",
    "mcq": "chosen letter equals the reference letter",
    "exact": "answer equals the reference, or one of its aliases, after normalisation",
    "regex": "the pattern matches the answer",
    "numeric": "final answer's number is close to the reference",
    "json_schema": "a JSON value in the answer validates against the schema",
    "code": "the last python block passes every test in the bubblewrap sandbox",
    "judge": "an LLM judge (verify.judge) scores the answer against a rubric; passes at verify.judge.pass_threshold",
}
_BUILTIN_LIBRARY = {"math": "math-verify", "json_schema": "jsonschema"}  # code: thinkmill's bubblewrap sandbox
FAMILIES = ("ifeval", "reasoning_gym")


@dataclass(frozen=True)
class TaskType:
    type: str
    verifier: str
    version: str
    library: str
    parameters: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _with_version(dist: str) -> str:
    try:
        return f"{dist}=={version(dist)}"
    except PackageNotFoundError:
        return dist


def _plugin_fn(v: Verifier) -> Any:
    return getattr(v.fn, "fn", v.fn)  # unwrap the two-argument adapter


def _ifeval(v: Verifier) -> list[TaskType]:
    from pipeline.verify.verifiers.ifeval import CONSTRAINTS
    from pipeline.verify.verifiers.ifeval_google import INSTRUCTIONS

    own = [
        TaskType(f"ifeval:{name}", "ifeval", v.version, THINKMILL, {"type": name, **_constraint_params(doc)}, doc)
        for name, (doc, _check) in sorted(CONSTRAINTS.items())
    ]
    google = [
        TaskType(
            f"ifeval:{iid}",
            "ifeval",
            v.version,
            "thinkmill (IFEval rules, google-research)",
            {"type": iid, **dict.fromkeys(params, _REQUIRED), "mode": "strict"},
            doc,
        )
        for iid, (params, doc, _check) in sorted(INSTRUCTIONS.items())
    ]
    return own + google


def _constraint_params(doc: str) -> dict[str, str]:
    """'keyword, min, max (optional): ...' -> {keyword: required, min: required, max: optional}."""
    head = doc.split(":", 1)[0]
    if head.startswith("no params"):
        return {}
    out = {}
    for part in head.split(","):
        words = part.split()
        out[words[0]] = "optional" if "(optional)" in part else _REQUIRED
    return out


def _reasoning_gym(v: Verifier) -> list[TaskType]:
    from pipeline import rgym

    lib = _with_version(rgym.LIBRARY)
    return [
        TaskType(
            f"reasoning_gym:{name}",
            "reasoning_gym",
            v.version,
            lib,
            rgym.config_parameters(name),
            rgym.SPECIAL.get(
                name,
                rgym.DEFAULT_SCORING
                if rgym.default_scored(name)
                else "gold answer scored by the dataset's score_answer",
            ),
        )
        for name in rgym.dataset_names()
    ]


def task_types(registry: Registry | None = None) -> list[TaskType]:
    """Every verifiable task type, sorted by type name."""
    registry = registry or Registry()
    out: list[TaskType] = []
    for name in registry.names():
        v = registry.get(name)
        builtin_fn = _plugin_fn(v).__module__.startswith("pipeline.verify.verifiers.")
        if name == "ifeval" and builtin_fn:
            out.extend(_ifeval(v))
        elif name == "reasoning_gym" and builtin_fn:
            out.extend(_reasoning_gym(v))
        elif builtin_fn:
            lib = _BUILTIN_LIBRARY.get(name)
            out.append(
                TaskType(
                    name,
                    name,
                    v.version,
                    _with_version(lib) if lib else THINKMILL,
                    BUILTIN_PARAMETERS.get(name, {}),
                    BUILTIN_DESCRIPTIONS.get(name, ""),
                )
            )
        else:  # a plugin (entry point or config): its own parameters attribute, its top-level package
            fn = _plugin_fn(v)
            module = getattr(fn, "__module__", None) or type(fn).__module__
            out.append(
                TaskType(
                    name,
                    name,
                    v.version,
                    module.split(".")[0],
                    dict(getattr(fn, "parameters", {})),
                    (getattr(fn, "__doc__", None) or "").strip().split("\n")[0],
                )
            )
    return sorted(out, key=lambda t: t.type)
