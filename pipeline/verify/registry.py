"""The verifier registry: built-ins, entry points (group `thinkmill.verifiers`) and config-declared verifiers.

A verifier is a function `(answer, task) -> CheckResult | bool | (bool, detail)` where `answer` is the text after
the think block and `task` a `TaskSpec`. Built-ins also take the stage config as a third argument. A function may
carry a `version` attribute: bumping it makes the `verdicts` asset re-judge that verifier's generations; one that
reads the config may carry `config_version(cfg) -> str` too (`_bind`).
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from pipeline.verify.config import VerifyConfig
from pipeline.verify.errors import UnknownVerifierError, VerifierArgsError, VerifyError
from pipeline.verify.result import CheckResult, TaskSpec

ENTRY_POINT_GROUP = "thinkmill.verifiers"
VerifierFn = Callable[[str, TaskSpec, VerifyConfig], CheckResult]


@dataclass(frozen=True)
class Verifier:
    name: str
    fn: VerifierFn
    version: str = "1"
    sandboxed: bool = False  # runs model code in the sandbox, which enforces its own time limits
    # pure, cheap and offline, and raises VerifierArgsError (whatever the answer) exactly when no response could
    # pass the task: ingest calls it with an empty answer (`args_problem`) and quarantines such tasks
    args_probe: bool = False

    def check(self, answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
        return _normalise(self.fn(answer, task, cfg), self.name)


_BUILTINS: dict[str, Verifier] = {}


def builtin(
    name: str, *, version: str = "1", sandboxed: bool = False, args_probe: bool = False
) -> Callable[[VerifierFn], VerifierFn]:
    """Register a built-in verifier (used by the modules in `pipeline.verify.verifiers`)."""

    def deco(fn: VerifierFn) -> VerifierFn:
        _BUILTINS[name] = Verifier(name, fn, version, sandboxed, args_probe)
        return fn

    return deco


_PROBE_ID = "<ingest>"


def args_problem(
    verifier: str, *, prompt: str, answer: str | None, verifier_args: dict[str, Any]
) -> VerifierArgsError | None:
    """Why no response could pass a task of this built-in verifier (its arguments, or for `numeric` its answer,
    are unusable), or None. Only built-ins marked `args_probe` are asked, and only when no entry point replaces
    them: the verifier itself runs on an empty answer, so ingest and verify apply one definition. The message
    names no task (ingest has no id yet); `exc.field` names the task field at fault."""
    import pipeline.verify.verifiers  # noqa: F401  (registers the built-ins)

    v = _BUILTINS.get(verifier)
    if v is None or not v.args_probe or verifier in _entry_point_names():
        return None
    task = TaskSpec(task_id=_PROBE_ID, verifier=verifier, answer=answer, verifier_args=verifier_args, prompt=prompt)
    try:
        v.fn("", task, _probe_cfg())
    except VerifierArgsError as exc:
        text = str(exc).removeprefix(f"task {_PROBE_ID}: ")
        return VerifierArgsError(text, field=exc.field)
    except Exception as exc:  # arguments of a shape the verifier did not foresee: it would fail every answer too
        return VerifierArgsError(f"the {verifier} verifier cannot use verifier_args: {type(exc).__name__}: {exc}")
    return None


@functools.cache
def _probe_cfg() -> VerifyConfig:
    return VerifyConfig()


@functools.cache
def _entry_point_names() -> frozenset[str]:
    """The names of the `thinkmill.verifiers` entry points, read once per process (ingest asks per row)."""
    return frozenset(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))


def probed_verifiers() -> frozenset[str]:
    """The built-ins whose tasks `args_problem` checks (ingest's bulk path sends their rows to the per-row one)."""
    import pipeline.verify.verifiers  # noqa: F401

    return frozenset(n for n, v in _BUILTINS.items() if v.args_probe and n not in _entry_point_names())


def _bind(v: Verifier, cfg: VerifyConfig) -> Verifier:
    """A verifier whose outcome depends on config (the LLM judge: model, threshold; code: the sandbox's limits;
    reasoning_gym: `min_score`; a plugin taking the config as its third argument) carries a `config_version`
    function; its result (unless "") joins the version, so changing that config re-judges its verdicts."""
    bind = getattr(v.fn, "config_version", None)
    tag = bind(cfg) if bind is not None else ""
    return Verifier(v.name, v.fn, f"{v.version}.{tag}", v.sandboxed, v.args_probe) if tag else v


def _normalise(out: Any, name: str) -> CheckResult:
    if isinstance(out, CheckResult):
        return out
    if isinstance(out, bool):
        return CheckResult.ok() if out else CheckResult.fail("mismatch")
    if isinstance(out, tuple) and len(out) == 2 and isinstance(out[0], bool):
        return CheckResult.ok() if out[0] else CheckResult.fail(str(out[1] or "mismatch"))
    raise VerifyError(f"verifier {name!r} returned {type(out).__name__}; expected CheckResult, bool or (bool, detail)")


def _adapt(name: str, obj: Any) -> Verifier:
    """Wrap a user function (2 or 3 positional args) or a ready Verifier."""
    if isinstance(obj, Verifier):
        return obj
    if not callable(obj):
        raise VerifyError(f"verifier {name!r}: {obj!r} is not callable")
    try:
        n_params = len(inspect.signature(obj).parameters)
    except (TypeError, ValueError):
        n_params = 2
    fn: VerifierFn = obj if n_params >= 3 else _TwoArg(obj)
    return Verifier(name, fn, str(getattr(obj, "version", "1")), bool(getattr(obj, "sandboxed", False)))


@dataclass(frozen=True)
class _TwoArg:
    """Picklable adapter for `(answer, task)` user functions."""

    fn: Callable[[str, TaskSpec], Any]

    def __call__(self, answer: str, task: TaskSpec, cfg: VerifyConfig) -> Any:
        return self.fn(answer, task)


def load_spec(name: str, spec: str) -> Verifier:
    """Load `module:function` (config-declared verifier)."""
    mod_name, _, attr = spec.partition(":")
    if not mod_name or not attr:
        raise VerifyError(f"verify.verifiers.{name}: {spec!r} is not 'module:function'")
    try:
        obj: Any = importlib.import_module(mod_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise VerifyError(f"verify.verifiers.{name}: cannot load {spec!r}: {exc}") from exc
    return _adapt(name, obj)


def registered_names() -> list[str]:
    """Names of the built-in and entry-point verifiers, without loading the plugins. Ingest accepts a task
    whose verifier is one of these (or named in `ingest.extra_verifiers`)."""
    import pipeline.verify.verifiers  # noqa: F401  (registers the built-ins)

    return sorted({*_BUILTINS, *_entry_point_names()})


class Registry:
    """Name -> Verifier. Later sources override earlier ones: built-ins, entry points, config."""

    def __init__(self, cfg: VerifyConfig | None = None) -> None:
        import pipeline.verify.verifiers  # noqa: F401  (registers the built-ins)

        self.cfg = cfg or VerifyConfig()
        self._verifiers: dict[str, Verifier] = {name: _bind(v, self.cfg) for name, v in _BUILTINS.items()}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                self._verifiers[ep.name] = _bind(_adapt(ep.name, ep.load()), self.cfg)
            except Exception as exc:
                raise VerifyError(f"entry point {ep.name!r} ({ep.value}) in {ENTRY_POINT_GROUP}: {exc}") from exc
        for name, spec in self.cfg.verifiers.items():
            self._verifiers[name] = _bind(load_spec(name, spec), self.cfg)

    def register(self, name: str, fn: Any) -> None:
        self._verifiers[name] = _bind(_adapt(name, fn), self.cfg)

    def adopt(self, name: str, verifier: Verifier) -> None:
        """Use a verifier another registry of the same config bound already (the verify pool's workers take the
        parent's): `register` would bind it again, and its version carry the config's tag twice."""
        self._verifiers[name] = verifier

    def get(self, name: str) -> Verifier:
        try:
            return self._verifiers[name]
        except KeyError:
            raise UnknownVerifierError(
                f"unknown verifier {name!r}; known: {', '.join(sorted(self._verifiers))}"
            ) from None

    def names(self) -> list[str]:
        return sorted(self._verifiers)

    def __contains__(self, name: str) -> bool:
        return name in self._verifiers
