"""Ingest accepts exactly the verifiers the verify registry knows: a plugin needs no `ingest.extra_verifiers`."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from typing import Any

import pytest

import pipeline.verify.registry as registry
from pipeline.ingest.api import ingest_paths
from pipeline.ingest.config import IngestConfig
from pipeline.ingest.normalize import known_verifiers


def palindrome(answer: str, task: Any) -> bool:
    """A plugin verifier: the answer reads the same backwards."""
    return answer.strip() == answer.strip()[::-1]


def _install(monkeypatch: pytest.MonkeyPatch, name: str):  # type: ignore[no-untyped-def]
    ep = EntryPoint(name=name, value=f"{__name__}:palindrome", group=registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(
        registry, "entry_points", lambda group=None: [ep] if group == registry.ENTRY_POINT_GROUP else []
    )
    known_verifiers.cache_clear()
    registry._entry_point_names.cache_clear()  # entry points are read once per process
    return ep


@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch):
    """A verifier installed through the `thinkmill.verifiers` entry point group, as a pip package would."""
    yield _install(monkeypatch, "palindrome")
    known_verifiers.cache_clear()
    registry._entry_point_names.cache_clear()


def test_a_plugin_replacing_a_builtin_decides_its_own_arguments(monkeypatch, store, write_jsonl) -> None:
    """Ingest's argument check asks built-ins only: a `regex` installed as an entry point replaces the built-in
    (`Registry`), so a task with arguments the built-in would refuse is kept for it."""
    rows = [{"prompt": "Say a palindrome.", "verifier": "regex", "verifier_args": {"shape": "palindrome"}}]
    rep = ingest_paths(store, [write_jsonl("before.jsonl", rows)])
    assert rep.metadata["quarantine_reasons"] == {"invalid_value:verifier_args": 1}
    _install(monkeypatch, "regex")
    try:
        assert registry.Registry().get("regex").fn.fn is palindrome  # the verify stage runs the plugin
        rep = ingest_paths(store, [write_jsonl("after.jsonl", rows)])
        assert tuple(rep.metadata[k] for k in ("ingested", "quarantined")) == (1, 0), rep.metadata
    finally:
        known_verifiers.cache_clear()
        registry._entry_point_names.cache_clear()


def _rows(verifier: str) -> list[dict[str, str]]:
    return [{"problem": "Say a palindrome.", "answer": "abba", "verifier": verifier}]


def test_a_registered_plugin_verifier_is_ingested(plugin, store, write_jsonl) -> None:
    assert "palindrome" in registry.Registry()  # the verify stage will find it ...
    rep = ingest_paths(store, [write_jsonl("in.jsonl", _rows("palindrome"))])
    # ... so ingest keeps the task
    assert tuple(rep.metadata[k] for k in ("ingested", "quarantined")) == (1, 0), rep.metadata["quarantine_reasons"]
    assert store.read("tasks")["verifier"].to_list() == ["palindrome"]


def test_an_unregistered_verifier_is_still_quarantined_with_the_known_names(plugin, store, write_jsonl) -> None:
    rep = ingest_paths(store, [write_jsonl("in.jsonl", _rows("telepathy"))])
    assert rep.metadata["quarantine_reasons"] == {"unknown_verifier:telepathy": 1}
    detail = store.read("quarantine")["detail"][0]
    assert "palindrome" in detail and "math" in detail


def test_extra_verifiers_still_accepts_a_name_the_registry_lacks(store, write_jsonl) -> None:
    known_verifiers.cache_clear()
    rep = ingest_paths(store, [write_jsonl("in.jsonl", _rows("later"))], cfg=IngestConfig(extra_verifiers=["later"]))
    assert tuple(rep.metadata[k] for k in ("ingested", "quarantined")) == (1, 0)


def test_builtins_are_the_registry_builtins() -> None:
    known_verifiers.cache_clear()
    import pipeline.verify.verifiers  # noqa: F401  (registers the built-ins)

    assert set(registry.Registry().names()) <= set(known_verifiers())


def test_a_verifier_named_in_verify_verifiers_is_ingested(tmp_path, store, write_jsonl) -> None:
    """A verifier the config itself registers (`verify.verifiers: {name: module:function}`) needs no
    `ingest.extra_verifiers`: the verify stage will find it, so ingest keeps its tasks."""
    from pipeline.config import load_config
    from pipeline.ingest import api

    known_verifiers.cache_clear()
    src = write_jsonl("in.jsonl", _rows("palindrome"))
    cfg_file = tmp_path / "thinkmill.yaml"
    cfg_file.write_text(
        "ingest:\n  sources:\n    - name: mine\n      path: " + str(src) + "\n"
        f"verify:\n  verifiers:\n    palindrome: {__name__}:palindrome\n"
    )
    rep = api.run(store, load_config(cfg_file))
    assert tuple(rep.metadata[k] for k in ("ingested", "quarantined")) == (1, 0), rep.metadata["quarantine_reasons"]
    assert store.read("tasks")["verifier"].to_list() == ["palindrome"]
