"""A version is built from verdicts judged under this config. Verdicts carry the verifier's and the lints' versions
with their settings (`judge.version_of`); a build after a verify setting changed (a think budget cut, a lint turned
on) took the traces judged under the old settings, and the version recorded the new config beside rows it never
judged. The build now refuses, naming `thinkmill verify`, until the stored verdicts are judged again."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ThinkmillConfig
from pipeline.dataset.errors import DatasetError
from pipeline.dataset.versions import run as build
from pipeline.dedup.select import select_and_store
from pipeline.store import Store
from pipeline.verify.db import verify_database


def test_a_build_refuses_verdicts_judged_under_other_verify_settings(db: Path, cfg: ThinkmillConfig) -> None:
    with Store.open(db) as store:
        verify_database(store, cfg.verify)  # the seeded verdicts hold no version: judged now, with this config's
        select_and_store(store, cfg.select, cfg.dedup)
        first = build(store, cfg).metadata["version"]
        changed = cfg.model_copy(deep=True)
        changed.verify.lints.max_think_tokens = 60
        with pytest.raises(DatasetError, match=r"judged under other verify settings.*thinkmill verify") as err:
            build(store, changed)
        assert "exact/" in str(err.value)  # names the verdict versions it found
        verify_database(store, changed.verify)
        select_and_store(store, changed.select, changed.dedup)
        report = build(store, changed)
        assert report.metadata["version"] != first  # the longer think traces are out now
        assert store.count("dataset_rows", "version_id = ? AND think_tokens > 60", [report.metadata["version"]]) == 0


def test_verdicts_of_unknown_version_do_not_stop_a_build(db: Path, cfg: ThinkmillConfig) -> None:
    """Verdicts stored without a version (written by hand or by an old thinkmill) cannot be told stale."""
    with Store.open(db) as store:
        assert build(store, cfg).metadata["created"]


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("max_per_task", 1, "select.max_per_task = 1"),
        ("max_tokens", 40, "select.max_tokens = 40"),
        ("policy", "shortest", "the select or dedup settings it was made with are not this config's"),
    ],
)
def test_a_build_refuses_a_selection_made_under_other_select_settings(
    db: Path, cfg: ThinkmillConfig, setting: str, value: object, named: str
) -> None:
    """`select.max_per_task` lowered (or a token bound set) and `thinkmill build` run before `thinkmill select`: the
    version took every trace the old selection kept (two think rows of a task under a cap of one, traces over the new
    max_tokens) and recorded the new config beside them. The build now refuses, naming the setting and
    `thinkmill select`, as it does for verdicts judged under other settings."""
    with Store.open(db) as store:
        select_and_store(store, cfg.select, cfg.dedup)  # the seeded selection, made again with the default settings
        changed = cfg.model_copy(deep=True)
        setattr(changed.select, setting, value)
        with pytest.raises(DatasetError, match=r"thinkmill select") as err:
            build(store, changed)
        assert named in str(err.value), err.value
        assert store.count("dataset_versions") == 0
        select_and_store(store, changed.select, changed.dedup)
        report = build(store, changed)
        rows = store.query("SELECT * FROM dataset_rows WHERE version_id = ?", [report.metadata["version"]])
    assert rows.height
    if setting == "max_per_task":
        assert rows.group_by("task_id", "mode").len().get_column("len").max() == 1


def test_a_build_refuses_verdicts_newer_than_the_trace_selection(db: Path, cfg: ThinkmillConfig) -> None:
    """A verdict judged again after `thinkmill select` (a re-verify under a new verifier version turns a failed trace
    into a passing one, a passing one into a failure) and `thinkmill build` run before `thinkmill select`: the version
    took the old selection, a trace that no longer passes included and the newly passing one never considered. The
    build now refuses, naming `thinkmill select`, until the selection is made again."""
    with Store.open(db) as store:
        select_and_store(store, cfg.select, cfg.dedup)
        key = store.query("SELECT generation_key FROM trace_selection WHERE selected ORDER BY generation_key LIMIT 1")[
            "generation_key"
        ][0]
        store.execute("UPDATE verdicts SET passed = false, created_at = now() WHERE generation_key = ?", [key])
        with pytest.raises(DatasetError, match=r"newer than the trace selection.*thinkmill select") as err:
            build(store, cfg)
        assert "1 task" in str(err.value), err.value
        assert store.count("dataset_versions") == 0
        select_and_store(store, cfg.select, cfg.dedup)
        report = build(store, cfg)
        rows = store.query("SELECT generation_key FROM dataset_rows WHERE version_id = ?", [report.metadata["version"]])
    assert key not in rows["generation_key"].to_list()


def test_a_build_refuses_a_selection_ordered_by_other_drop_settings(db: Path, cfg: ThinkmillConfig) -> None:
    """The selection ranks the traces the build drops by themselves (hesitant, leaky) last, by the `balance` drop
    settings it ran with. Changed (`drop_hesitant_no_think: false`) and built before `thinkmill select`, the version
    took a selection ranked by the old settings without a word. The build now refuses, naming the settings."""
    with Store.open(db) as store:
        select_and_store(store, cfg.select, cfg.dedup, cfg.balance)
        changed = cfg.model_copy(deep=True)
        changed.balance.drop_hesitant_no_think = not cfg.balance.drop_hesitant_no_think
        with pytest.raises(DatasetError, match=r"balance drop settings.*thinkmill select") as err:
            build(store, changed)
        assert "drop_hesitant_no_think" in str(err.value)
        assert store.count("dataset_versions") == 0
        select_and_store(store, changed.select, changed.dedup, changed.balance)
        assert build(store, changed).metadata["created"]
