"""Versions: immutability, no new version without changes, split without task leak, diff, load, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import ThinkmillConfig
from pipeline.dataset.errors import DatasetError, VersionNotFoundError
from pipeline.dataset.split import assign_splits
from pipeline.dataset.versions import diff_versions, get_version, load_version, version_rows
from pipeline.dataset.versions import run as build_version
from pipeline.store import Store
from testing_support.seed import DOMAINS, cfg_with, populate


def test_build_then_rebuild_makes_no_new_version(db: Path, cfg: ThinkmillConfig) -> None:
    with Store.open(db) as store:
        first = build_version(store, cfg)
        again = build_version(store, cfg)
        # a config change that does not change the rows makes no version either
        same_rows = build_version(
            store, cfg.model_copy(update={"publish": cfg.publish.model_copy(update={"pretty_name": "other"})})
        )
        assert store.count("dataset_versions") == 1
    assert tuple(first.metadata[k] for k in ("version", "created")) == ("v1", True)
    assert tuple(again.metadata[k] for k in ("version", "created")) == ("v1", False)
    assert not same_rows.metadata["created"]
    assert again.metadata["content_hash"] == first.metadata["content_hash"]


def test_new_version_has_parent_and_old_version_is_untouched(db: Path, cfg: ThinkmillConfig) -> None:
    with Store.open(db) as store:
        build_version(store, cfg)
        v1_before = version_rows(store, "v1")
        meta_before = get_version(store, "v1")
        res = build_version(store, cfg_with(cfg, think_share_rows=0.5))
        populate(store, n_tasks=20, seed=9, prefix="n")  # new data arrives
        res3 = build_version(store, cfg_with(cfg, think_share_rows=0.5))
        got = [(r.metadata["version"], r.metadata["parent"]) for r in (res, res3)]
        assert got == [("v2", "v1"), ("v3", "v2")]
        assert version_rows(store, "v1").equals(v1_before)
        assert get_version(store, "v1") == meta_before
        v2 = get_version(store, "v2")
    assert v2["config"]["balance"]["think_share_rows"] == 0.5
    assert v2["counts"]["total"] == res.metadata["rows"]
    assert v2["counts"]["mode"]["think"] + v2["counts"]["mode"]["no_think"] == res.metadata["rows"]
    assert v2["token_totals"]["total"] == v2["token_totals"]["think"] + v2["token_totals"]["no_think"]
    assert v2["code_version"]


def test_split_is_by_task_and_stable(db: Path, cfg: ThinkmillConfig) -> None:
    cfg = cfg_with(cfg, validation_share=0.2)
    with Store.open(db) as store:
        build_version(store, cfg)
        build_version(store, cfg_with(cfg, think_share_rows=0.5))
        v1, v2 = version_rows(store, "v1"), version_rows(store, "v2")
    for rows in (v1, v2):
        per_task = rows.group_by("task_id").agg(pl.col("split").n_unique().alias("k"))
        assert per_task.get_column("k").max() == 1
        share = (
            rows.filter(pl.col("split") == "validation").get_column("task_id").n_unique()
            / rows.get_column("task_id").n_unique()
        )
        assert 0.08 < share < 0.35
    s1 = dict(v1.select("task_id", "split").unique().iter_rows())
    s2 = dict(v2.select("task_id", "split").unique().iter_rows())
    assert all(s1[t] == s2[t] for t in set(s1) & set(s2))


def test_min_validation_tasks() -> None:
    splits = assign_splits(["a", "b", "c"], share=0.01, seed=0, min_tasks=1)
    assert list(splits.values()).count("validation") == 1
    assert set(assign_splits(["a"], share=0.5, seed=0, min_tasks=1).values()) <= {"train", "validation"}


def test_diff_counts_added_removed_changed(db: Path, cfg: ThinkmillConfig) -> None:
    with Store.open(db) as store:
        build_version(store, cfg)
        build_version(store, cfg_with(cfg, think_share_rows=0.5, validation_share=0.3))
        d = diff_versions(store, "v1", "v2")
        a, b = version_rows(store, "v1"), version_rows(store, "v2")
    ka = {(r["generation_key"], r["mode"]): (r["example_id"], r["split"]) for r in a.iter_rows(named=True)}
    kb = {(r["generation_key"], r["mode"]): (r["example_id"], r["split"]) for r in b.iter_rows(named=True)}
    assert d.added.height == len(kb.keys() - ka.keys()) > 0
    assert d.removed.height == len(ka.keys() - kb.keys()) > 0
    assert d.changed.height == sum(1 for k in ka.keys() & kb.keys() if ka[k] != kb[k]) > 0  # split changes
    assert d.unchanged == sum(1 for k in ka.keys() & kb.keys() if ka[k] == kb[k])
    c = d.counts()
    assert sum(sum(m.values()) for m in c["added_by_domain_mode"].values()) == d.added.height
    assert sum(sum(m.values()) for m in c["removed_by_domain_mode"].values()) == d.removed.height
    with Store.open(db, read_only=True) as store:
        same = diff_versions(store, "v1", "v1")
    assert (same.added.height, same.removed.height, same.changed.height) == (0, 0, 0)


def test_load_version_returns_the_rows(db: Path, cfg: ThinkmillConfig) -> None:
    with Store.open(db) as store:
        build_version(store, cfg)
        rows = version_rows(store, "v1")
    ds = load_version(db, "v1")
    assert set(ds) == {"train", "validation"}
    assert ds["train"].num_rows + ds["validation"].num_rows == rows.height
    ids = set(ds["train"]["example_id"]) | set(ds["validation"]["example_id"])
    assert ids == set(rows.get_column("example_id"))
    ex = ds["train"][0]
    assert ex["messages"][-1]["role"] == "assistant"
    import pipeline

    assert pipeline.load_version(str(db), "v1")["train"].num_rows == ds["train"].num_rows
    with pytest.raises(VersionNotFoundError, match="v9"):
        load_version(db, "v9")


def test_cli_build_list_show_diff(db: Path, tmp_path: Path) -> None:
    cfg_file = tmp_path / "c.yaml"
    cfg_file.write_text("balance:\n  think_share_rows: 0.6\n")
    r = CliRunner()
    out = r.invoke(main, ["build", "--db", str(db), "--config", str(cfg_file)])
    assert out.exit_code == 0, out.output
    assert "built v1" in out.output
    out = r.invoke(main, ["build", "--db", str(db), "--config", str(cfg_file)])
    assert "no change" in out.output
    cfg_file.write_text("balance:\n  think_share_rows: 0.8\n")
    assert r.invoke(main, ["build", "--db", str(db), "--config", str(cfg_file)]).exit_code == 0
    out = r.invoke(main, ["versions", "list", "--db", str(db), "--json"])
    assert [v["version"] for v in json.loads(out.output)] == ["v1", "v2"]
    out = r.invoke(main, ["versions", "show", "v2", "--db", str(db)])
    assert json.loads(out.output)["parent"] == "v1"
    out = r.invoke(main, ["versions", "diff", "v1", "v2", "--db", str(db), "--json"])
    diff = json.loads(out.output)
    assert diff["added"] + diff["removed"] > 0
    out = r.invoke(main, ["versions", "diff", "v1", "v2", "--db", str(db)])
    assert out.exit_code == 0 and "v1 -> v2" in out.output
    out = r.invoke(main, ["versions", "show", "v7", "--db", str(db)])
    assert out.exit_code == 1 and "v7" in out.output


def test_stored_config_holds_no_credentials_and_stats_hold_p95(db: Path, cfg: ThinkmillConfig) -> None:
    # issue 14, finding 12: the card no longer shows the config, and the database keeps no secret either
    cfg.generate.openai.base_urls = ["http://user:secret@10.1.2.3:8000/v1"]
    cfg.generate.openai.extra_body = {"api_key": "sk-live-0123456789", "min_p": 0.1}
    with Store.open(db) as store:
        build_version(store, cfg)
        raw = store.query("SELECT CAST(config AS VARCHAR) FROM dataset_versions").item()
        info = get_version(store, "v1")
    assert "secret" not in raw and "sk-live" not in raw
    assert info["config"]["generate"]["openai"]["base_urls"] == ["http://10.1.2.3:8000/v1"]
    assert info["config"]["generate"]["openai"]["extra_body"] == {"api_key": "***", "min_p": 0.1}
    assert info["config"]["generate"]["openai"]["api_key_env"] == "OPENAI_API_KEY"  # a name, not a secret
    lengths = info["stats"]["example_tokens"]
    assert set(lengths) == {"think", "no_think"}
    assert 0 < lengths["no_think"]["p95"] <= lengths["no_think"]["max"] < lengths["think"]["p95"]


def test_build_with_think_answers_as_no_think_rows_makes_a_version(db: Path, tmp_path: Path) -> None:
    """`no_think_from_think_answers: true` made every build refuse: a no-think row built from a think trace's
    answer keeps that think generation's key, and `rows_traceable` counted it as a mode mismatch."""
    cfg_file = tmp_path / "c.yaml"
    cfg_file.write_text("balance:\n  no_think_from_think_answers: true\n")
    out = CliRunner().invoke(main, ["build", "--db", str(db), "--config", str(cfg_file), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["metadata"]["version"] == "v1"
    with Store.open(db, read_only=True) as store:
        derived = store.query(
            "SELECT count(*) FROM dataset_rows r JOIN generations g ON g.key = r.generation_key "
            "WHERE r.mode = 'no_think' AND g.mode = 'think'"
        ).item()
    assert derived > 0  # the version holds such rows, and the check passed them


def _retarget(store: Store, mode: str, to_mode: str) -> None:
    """Point one `mode` row of v1 at a passing generation of its task in `to_mode`; a no-think row's answer is
    changed too, so that it is not that think generation's answer."""
    example_id, key = store.fetchone(
        "SELECT r.example_id, g.key FROM dataset_rows r JOIN generations g ON g.task_id = r.task_id "
        "JOIN verdicts v ON v.generation_key = g.key "
        "WHERE r.version_id = 'v1' AND r.mode = ? AND g.mode = ? AND v.passed ORDER BY r.example_id, g.key LIMIT 1",
        [mode, to_mode],
    ) or ("", "")
    assert key
    with store.writing() as con:
        con.execute(
            "UPDATE dataset_rows SET generation_key = ? WHERE version_id = 'v1' AND example_id = ?", [key, example_id]
        )
        if mode == "no_think":
            con.execute(
                "UPDATE dataset_rows SET messages = ? WHERE version_id = 'v1' AND example_id = ?",
                [
                    json.dumps([{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "Five."}]),
                    example_id,
                ],
            )


@pytest.mark.parametrize(("mode", "to_mode"), [("think", "no_think"), ("no_think", "think")])
def test_lineage_still_flags_a_real_mode_mismatch(db: Path, cfg: ThinkmillConfig, mode: str, to_mode: str) -> None:
    """A think row pointing at a no-think generation, or a no-think row whose answer is not the answer of the think
    generation it points at, is a lineage break."""
    from pipeline.checks import evaluate_lineage

    with Store.open(db) as store:
        build_version(store, cfg)
        assert evaluate_lineage(store, "v1").passed
        _retarget(store, mode, to_mode)
        found = evaluate_lineage(store, "v1")
    assert not found.passed
    assert found.description == "1 lineage problems in v1: mode_mismatch"


def _edit_row(store: Store, mode: str, edit: str) -> None:
    """Change one `mode` row of v1 as a build bug or a hand edit would: its answer, its user turn, or the generation
    it names (another passing sample of its task and mode, whose text is not the row's)."""
    example_id, key, messages = store.fetchone(
        "SELECT example_id, generation_key, messages FROM dataset_rows WHERE version_id = 'v1' AND mode = ? "
        "AND task_id IN (SELECT g.task_id FROM generations g JOIN verdicts v ON v.generation_key = g.key "
        "WHERE v.passed AND g.mode = ? GROUP BY 1 HAVING count(*) > ?) ORDER BY example_id LIMIT 1",
        [mode, mode, 1 if edit == "other_sample" else 0],
    ) or ("", "", "")
    assert example_id
    msgs = json.loads(messages)
    if edit == "other_sample":
        other = store.fetchone(
            "SELECT g.key FROM generations g JOIN verdicts v ON v.generation_key = g.key JOIN dataset_rows r "
            "ON r.task_id = g.task_id WHERE r.example_id = ? AND g.mode = ? AND g.key <> ? AND v.passed LIMIT 1",
            [example_id, mode, key],
        )
        assert other
        sets, params = "generation_key = ?", [other[0]]
    else:
        turn = msgs[-1] if edit == "answer" else next(m for m in msgs if m["role"] == "user")
        turn["content"] = turn["content"].replace("The answer is", "The answer is 1 +") + " (edited)"
        sets, params = "messages = ?", [json.dumps(msgs)]
    with store.writing() as con:
        con.execute(f"UPDATE dataset_rows SET {sets} WHERE version_id = 'v1' AND example_id = ?", [*params, example_id])


@pytest.mark.parametrize(
    ("mode", "edit"),
    [
        ("think", "answer"),
        ("think", "prompt"),
        ("think", "other_sample"),
        ("no_think", "answer"),
        ("no_think", "prompt"),
    ],
)
def test_lineage_flags_a_row_whose_text_is_not_its_generations(
    db: Path, cfg: ThinkmillConfig, mode: str, edit: str
) -> None:
    """`rows_traceable` compared a row's text with its generation only for a no-think row made from a think answer:
    a think or no-think row whose answer or prompt is not its generation's (a build bug, an edited database, a row
    naming another sample of its task) passed, and was published. Every row is now compared with the messages the
    build makes from its generation."""
    from pipeline.checks import evaluate_lineage

    with Store.open(db) as store:
        build_version(store, cfg)
        assert evaluate_lineage(store, "v1").passed
        _edit_row(store, mode, edit)
        found = evaluate_lineage(store, "v1")
    assert not found.passed
    assert found.description == "1 lineage problems in v1: text_mismatch"


def test_load_version_without_validation_rows_has_an_empty_validation_split(db: Path, cfg: ThinkmillConfig) -> None:
    """`validation_share: 0` made `load_version` crash (`ValueError: Keys mismatch` from `Dataset.from_list([])`);
    the promised DatasetDict(train, validation) has an empty validation split with the same features."""
    with Store.open(db) as store:
        build_version(store, cfg_with(cfg, validation_share=0.0, min_validation_tasks=0))
        rows = version_rows(store, "v1")
    assert rows.filter(pl.col("split") == "validation").height == 0
    ds = load_version(db, "v1")
    assert set(ds) == {"train", "validation"}
    assert (ds["train"].num_rows, ds["validation"].num_rows) == (rows.height, 0)
    assert ds["validation"].features == ds["train"].features


def test_a_rollback_to_an_older_versions_content_passes_content_unique(db: Path, cfg: ThinkmillConfig) -> None:
    """Rolling a config back builds a version equal to an older one (v3 == v1, v2 between): the build makes it, as
    only the latest version's content is compared, and `content_unique` failed for good. It now flags identical
    consecutive versions only, and names the rollback."""
    from pipeline.checks import evaluate_version_content_unique

    with Store.open(db) as store:
        first = build_version(store, cfg)
        build_version(store, cfg_with(cfg, think_share_rows=0.5))
        third = build_version(store, cfg)  # the config rolled back
        assert third.metadata["version"] == "v3"
        assert third.metadata["content_hash"] == first.metadata["content_hash"]
        found = evaluate_version_content_unique(store)
    assert found.passed, found.description
    assert "v3 has the content of v1" in found.description


def test_build_refuses_a_per_domain_setting_for_a_domain_no_task_has(db: Path, tmp_path: Path) -> None:
    """A typo in a per-domain key (`maths` for `math`) built a version at the global settings while the user believed
    the override applied. Now `build` refuses, one line naming the key and the domains of the tasks; no version."""
    cfg_file = tmp_path / "c.yaml"
    cfg_file.write_text("balance:\n  domain_think_share: {maths: 0.9}\n  domain_quotas: {sciense_mcq: 100}\n")
    out = CliRunner().invoke(main, ["build", "--db", str(db), "--config", str(cfg_file)])
    assert out.exit_code == 1, out.output
    (line,) = [x for x in out.output.splitlines() if x.startswith("error:")]
    assert "balance.domain_think_share.maths" in line and "balance.domain_quotas.sciense_mcq" in line
    assert "code, instruction_following, math, science_mcq" in line
    with Store.open(db, read_only=True) as store:
        assert store.count("dataset_versions") == 0


def test_a_domain_with_tasks_but_no_candidates_is_a_note_not_an_error(db: Path, cfg: ThinkmillConfig) -> None:
    """A domain the tasks table holds but this build has no candidate row of (none selected yet, every trace failed)
    is no typo: the setting applies to nothing this time, which the build report says."""
    with Store.open(db) as store:
        store.execute(
            "UPDATE trace_selection SET selected = false "
            "WHERE task_id IN (SELECT task_id FROM tasks WHERE domain = 'code')"
        )
        res = build_version(store, cfg_with(cfg, domain_quotas={"code": 10}, domain_think_share={"math": 0.4}))
    assert res.metadata["created"]
    assert res.metadata["stats"]["unapplied_domain_settings"] == {"domain_quotas": ["code"]}
    assert any("balance.domain_quotas.code" in line and "no candidate" in line for line in res.summary), res.summary
    assert res.metadata["stats"]["domains"]["math"]["target"] == 0.4


def _no_generation_yet(store: Store) -> None:
    for t in ("trace_selection", "verdicts", "generations"):
        store.execute(f"DELETE FROM {t}")


def _all_contaminated(store: Store) -> None:  # decontamination flagged every task before anything was generated
    _no_generation_yet(store)
    store.execute(
        "INSERT INTO contamination (task_id, benchmark, benchmark_item, method, score) "
        "SELECT task_id, 'aime24', '1', 'ngram', 0.9 FROM tasks "
        "WHERE task_id NOT IN (SELECT task_id FROM contamination)"
    )


def _all_requests_failed(store: Store) -> None:  # the server dropped every connection
    store.execute("DELETE FROM trace_selection")
    store.execute("DELETE FROM verdicts")
    store.execute(
        "UPDATE generations SET raw_text = NULL, think = NULL, answer = NULL, "
        "error = 'connection_lost: Connection reset by peer'"
    )


def _none_passed(store: Store) -> None:
    store.execute("DELETE FROM trace_selection")
    store.execute("UPDATE verdicts SET passed = false, reason = 'exact:mismatch'")


@pytest.mark.parametrize(
    ("plant", "cause"),
    [
        (lambda s: s.execute("DELETE FROM tasks"), "the database holds no tasks"),
        (_all_contaminated, "decontamination flagged every task (120 of 120)"),
        (_no_generation_yet, "no clean task has an answered generation"),
        (_all_requests_failed, "no clean task has an answered generation (351 requests failed: connection_lost 351)"),
        (lambda s: s.execute("DELETE FROM verdicts"), "no answered generation of a clean task has a verdict"),
        (_none_passed, "no generation of a clean task passed verification"),
        (lambda s: s.execute("DELETE FROM trace_selection"), "no trace is selected"),
        (None, "the build dropped every one of the 196 selected traces"),  # domain quotas of 0 rows
    ],
    ids=["no_tasks", "all_contaminated", "not_generated", "all_failed", "not_verified", "none_passed",
         "not_selected", "all_dropped"],
)  # fmt: skip
def test_build_without_candidates_says_why(db: Path, cfg: ThinkmillConfig, plant, cause: str) -> None:
    """A build that finds no candidate row names the stage where the rows ran out, with the counts of each stage
    (before: "no candidate rows ... (dropped: {})" when decontamination had removed every task)."""
    if plant is None:
        cfg = cfg_with(cfg, domain_quotas=dict.fromkeys(DOMAINS, 0))
    with Store.open(db) as store:
        if plant is not None:
            plant(store)
        with pytest.raises(DatasetError) as err:
            build_version(store, cfg)
        assert store.count("dataset_versions") == 0
    msg = str(err.value)
    assert msg.startswith("no candidate rows for a dataset version: "), msg
    assert cause in msg, msg
    assert "\n" not in msg
    assert "tasks" in msg and "contaminated" in msg and "selected" in msg, msg  # the funnel's counts


def _copy_tasks_under_another_source(store: Store, prefix: str = "t", to: str = "u") -> None:
    """The same prompts under other task ids, with their own generations, verdicts and selections: what two sources
    holding one dataset make with `ingest.dedup: false` (ids `s1/h<hash>` and `s2/h<hash>`, one `prompt_hash`)."""
    store.execute("UPDATE tasks SET prompt_hash = md5(prompt)")
    for table, cols in (
        ("tasks", ("task_id",)),
        ("generations", ("key", "task_id")),
        ("verdicts", ("generation_key", "task_id")),
        ("trace_selection", ("generation_key", "task_id")),
    ):
        df = store.read(table).with_columns(pl.col(c).str.replace(f"^{prefix}", to) for c in cols)
        if table == "tasks":
            df = df.with_columns(pl.lit("other_source").alias("source"))
        if table == "generations":  # sampled again: other texts
            df = df.with_columns(pl.col(c).str.replace_all("The answer is", "So it is") for c in ("raw_text", "answer"))
        store.insert_many({table: df})


def test_tasks_with_the_same_prompt_share_a_split(db: Path, cfg: ThinkmillConfig) -> None:
    """The split was by task id alone: one prompt held by two tasks (two sources of one dataset, ingested with
    `ingest.dedup: false`) went to train under one id and to validation under the other, so the validation split
    scored the fine-tune on prompts it trained on. Tasks of one prompt hash now share a split."""
    with Store.open(db) as store:
        _copy_tasks_under_another_source(store)
        build_version(store, cfg_with(cfg, validation_share=0.3))
        rows = version_rows(store, "v1").join(store.read("tasks").select("task_id", "prompt"), on="task_id")
    per_prompt = rows.group_by("prompt").agg(pl.col("split").n_unique().alias("k"), pl.col("task_id").n_unique())
    assert per_prompt.filter(pl.col("task_id") > 1).height > 10  # both copies are in the version
    assert per_prompt.get_column("k").max() == 1
    assert 0.1 < rows.filter(pl.col("split") == "validation").height / rows.height < 0.5


def test_a_task_with_a_prompt_of_its_own_keeps_its_split() -> None:
    """Grouping by prompt changes no split of a task whose prompt no other task has, and keeps `min_tasks`."""
    ids = [f"t{i}" for i in range(50)]
    alone = assign_splits(ids, 0.2, 0)
    grouped = assign_splits([*ids, "u3"], 0.2, 0, groups={"u3": "p3", "t3": "p3"})
    assert {t: s for t, s in grouped.items() if t not in ("t3", "u3")} == {t: s for t, s in alone.items() if t != "t3"}
    assert grouped["t3"] == grouped["u3"]
    two = assign_splits(["a", "b", "c"], 0.01, 0, min_tasks=1, groups={"a": "p", "b": "p"})
    assert two["a"] == two["b"] and "train" in two.values() and "validation" in two.values()


def test_a_think_share_off_its_target_is_named_in_the_build_report(db: Path, cfg: ThinkmillConfig) -> None:
    """Domains without no-think candidates (every no-think trace of code and math failed) keep only think rows, and
    the version's think share ended far from its target (0.87 for 0.7) with nothing in the build's report but the
    two numbers. The report now says the target is missed and which domains are off theirs, and why when a domain
    has candidates of one mode only."""
    with Store.open(db) as store:
        store.execute(
            "UPDATE trace_selection SET selected = false WHERE mode = 'no_think' "
            "AND task_id IN (SELECT task_id FROM tasks WHERE domain IN ('code', 'math'))"
        )
        res = build_version(store, cfg)
        ok = build_version(store, cfg_with(cfg, domain_think_share={"code": 1.0, "math": 1.0}, think_share_rows=0.87))
        overridden = build_version(store, cfg_with(cfg, domain_think_share={"code": 1.0, "math": 1.0}))
    overall = res.metadata["stats"]["overall"]
    assert abs(overall["deviation"]) > 0.1
    notes = [line for line in res.summary if line.startswith("note: think share")]
    assert len(notes) == 1, res.summary
    assert "misses its target 0.7" in notes[0]
    assert "code 1.0 (target 0.7: no no-think candidate)" in notes[0] and "math 1.0" in notes[0]
    assert "science_mcq" not in notes[0]  # on its target
    assert not [line for line in ok.summary if line.startswith("note: think share")], ok.summary
    # the overall share is off the global target because per-domain targets say so: no domain is named
    (note,) = [line for line in overridden.summary if line.startswith("note: think share")]
    assert "every domain is within it of its own target" in note, note


def test_a_check_that_cannot_run_leaves_no_unchecked_version(
    db: Path, cfg: ThinkmillConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blocking check that raised (a query error, an interrupt) instead of failing left the new version in the
    database, unchecked, where `thinkmill export` (which runs no check) read it as if built."""
    from pipeline import checks

    def broken(*_args: object) -> None:
        raise RuntimeError("the lineage query failed")

    monkeypatch.setattr(checks, "evaluate_lineage", broken)
    with Store.open(db) as store, pytest.raises(RuntimeError, match="lineage query"):
        checks.build_checked_version(store, cfg)
    with Store.open(db, read_only=True) as store:
        assert store.count("dataset_versions") == 0
        assert store.count("dataset_rows") == 0


def test_stats_count_the_rows_stored_after_identical_examples_merge(db: Path, cfg: ThinkmillConfig) -> None:
    """Two samples with the same text make one example; the version's stats were computed before that merge and
    said 75 think rows (think share 0.7) where 58 were stored (0.64)."""
    with Store.open(db) as store:
        store.execute(
            "UPDATE generations SET raw_text = replace(raw_text, 'sample 1', 'sample 0'), "
            "think = replace(think, 'sample 1', 'sample 0') WHERE mode = 'think'"
        )
        res = build_version(store, cfg)
        v = get_version(store, "v1")
    stats, counts = v["stats"], v["counts"]
    assert stats["dropped"]["version:identical_example"] > 0
    assert stats["selected"] == counts["total"] == res.metadata["rows"]
    assert stats["overall"]["rows"] == {"think": counts["mode"]["think"], "no_think": counts["mode"]["no_think"]}
    assert stats["overall"]["think_share_rows"] == round(counts["mode"]["think"] / counts["total"], 4)
    assert stats["overall"]["tokens"]["think"] == v["token_totals"]["think"]
    for domain, mix in stats["domains"].items():
        assert mix["rows"] == {"think": 0, "no_think": 0, **counts["domain_mode"][domain]}, domain
        assert mix["candidates"]["think"] >= mix["rows"]["think"]
    assert stats["leakage"]["no_think"]["rows"] == counts["mode"]["no_think"]
    assert stats["origins"] == {"no_think": counts["mode"]["no_think"], "think": counts["mode"]["think"]}


@pytest.mark.parametrize("from_think_answers", [False, True])
def test_identical_examples_merge_before_the_balance_so_its_targets_hold(
    db: Path, cfg: ThinkmillConfig, from_think_answers: bool
) -> None:
    """Candidates with identical text (two think samples alike; with `no_think_from_think_answers`, a think answer
    equal to the task's own no-think answer) were merged after the balance had picked them, so the version missed
    the think share it had met on its candidates (0.64 or 0.63 for a target of 0.7 / 0.5, the think_ratio check then
    failing), and each copy spent a slot of `max_rows_per_task`. They now make one candidate before the balance."""
    target = 0.5 if from_think_answers else 0.7
    built = cfg_with(cfg, think_share_rows=target, no_think_from_think_answers=from_think_answers)
    with Store.open(db) as store:
        # (a passing think trace of the fixture answers as its task's passing no-think sample does)
        if not from_think_answers:
            store.execute(
                "UPDATE generations SET raw_text = replace(raw_text, 'sample 1', 'sample 0'), "
                "think = replace(think, 'sample 1', 'sample 0') WHERE mode = 'think'"
            )
        build_version(store, built)
        v = get_version(store, "v1")
        rows = version_rows(store, "v1")
    stats, counts = v["stats"], v["counts"]
    assert stats["dropped"]["version:identical_example"] > 0
    assert rows["example_id"].n_unique() == rows.height
    share = counts["mode"]["think"] / counts["total"]
    assert abs(share - target) <= built.balance.ratio_tolerance + 1e-9, (share, stats["dropped"])
    assert stats["overall"]["think_share_rows"] == round(share, 4)


def test_think_ratio_judges_a_version_against_its_per_domain_targets(db: Path, cfg: ThinkmillConfig) -> None:
    """With `balance.domain_think_share` the build meets each domain's own target, so the overall share is their
    mix (0.45 for code and math at 0.2, the others at 0.7); the check judged it against the global 0.7 and failed a
    version where every domain met its target."""
    from pipeline.checks import CHECKS

    (check,) = [c for c in CHECKS if c.key == "dataset_version:think_ratio"]
    overridden = cfg_with(cfg, domain_think_share={"code": 0.2, "math": 0.2})
    with Store.open(db) as store:
        res = build_version(store, overridden)
        good = check.run(store, overridden)
        stats = res.metadata["stats"]
        # judged again with a config that has no per-domain targets: the version is judged against the targets it
        # was built with (its stored config), not the current config's single one, far off the overall share
        later = check.run(store, cfg)
    assert all(abs(m["deviation"]) <= 0.1 for m in stats["domains"].values()), stats["domains"]
    assert abs(stats["overall"]["deviation"]) > 0.1
    assert good.passed, good.description
    mix = sum(sum(m["rows"].values()) * m["target"] for m in stats["domains"].values()) / stats["selected"]
    assert good.metadata["target"] == pytest.approx(mix, abs=1e-3)
    assert "balance.domain_think_share" in good.description
    assert later.passed and later.metadata["targets_from"] == good.metadata["targets_from"], later.description
    (note,) = [line for line in res.summary if line.startswith("note: think share")]
    assert "the think_ratio check fails" not in note, note


def test_a_task_the_minimum_put_in_validation_stays_there_when_tasks_are_added() -> None:
    """`min_validation_tasks` puts the lowest task in validation when none is under the share (task6 of 12); once
    a new task was under the share (task85 of 86) the minimum was met without it and task6 went to train: trained
    on in the next version after being evaluated on in this one."""
    first = assign_splits([f"task{i}" for i in range(12)], 0.05, 0, 1)
    assert [t for t, s in first.items() if s == "validation"] == ["task6"]
    ids = [f"task{i}" for i in range(86)]
    assert assign_splits(ids, 0.05, 0, 1)["task85"] == "validation"  # under the share by its own position
    grown = assign_splits(ids, 0.05, 0, 1, earlier=first)
    assert {t: s for t, s in grown.items() if t in first} == first
    assert grown["task85"] == "validation"
    # the minimum is met with tasks that were in no earlier version: a train task is never moved to validation
    old = {"task3": "train", "task6": "train"}
    made_up = assign_splits(["task3", "task6", "task85", "task2"], 0.01, 0, 2, earlier=old)
    assert made_up == {**old, "task85": "validation", "task2": "validation"}
    # only when no task of this build is new does an earlier train task make up the minimum
    assert list(assign_splits(list(old), 0.01, 0, 1, earlier=old).values()).count("validation") == 1


def test_splits_are_kept_across_versions_built_with_the_same_split_settings(db: Path, cfg: ThinkmillConfig) -> None:
    cfg = cfg_with(cfg, seed=14, validation_share=0.03)  # no task of the fixture is under 0.03 for seed 14
    with Store.open(db) as store:
        build_version(store, cfg)
        v1 = dict(version_rows(store, "v1").select("task_id", "split").unique().iter_rows())
        populate(store, n_tasks=20, seed=9, prefix="n")  # n0007 is under the share
        build_version(store, cfg)
        v2 = dict(version_rows(store, "v2").select("task_id", "split").unique().iter_rows())
        build_version(store, cfg_with(cfg, validation_share=0.3))  # other split settings split anew
        v3 = dict(version_rows(store, "v3").select("task_id", "split").unique().iter_rows())
    assert list(v1.values()).count("validation") == 1  # the minimum's task
    assert v2["n0007"] == "validation"
    both = set(v1) & set(v2)
    assert {t: v2[t] for t in both} == {t: v1[t] for t in both}
    assert "validation" in {v1[t] for t in both}
    assert list(v3.values()).count("validation") > 10


def test_notes_of_a_build_that_makes_no_version_are_not_dropped_silently(db: Path, tmp_path: Path) -> None:
    """`thinkmill build --notes "..."` with nothing changed printed "no change" and dropped the notes without a word:
    the user believed them stored with the version."""
    cfg_file = tmp_path / "c.yaml"
    cfg_file.write_text("balance:\n  think_share_rows: 0.6\n")
    r = CliRunner()
    assert r.invoke(main, ["build", "--db", str(db), "--config", str(cfg_file), "--notes", "first"]).exit_code == 0
    out = r.invoke(main, ["build", "--db", str(db), "--config", str(cfg_file), "--notes", "release candidate"])
    assert out.exit_code == 0, out.output
    assert "no change" in out.output
    assert "--notes not stored" in out.output and "v1 keeps its notes" in out.output
    out = r.invoke(main, ["build", "--db", str(db), "--config", str(cfg_file), "--notes", "rc", "--json"])
    assert json.loads(out.output)["metadata"]["notes_stored"] is False
    with Store.open(db, read_only=True) as store:
        assert get_version(store, "v1")["notes"] == "first"


def test_the_build_says_what_mode_disjoint_drops_mean(db: Path, cfg: ThinkmillConfig) -> None:
    """A first build turned 77 selected traces into 40 rows with `balance:mode_disjoint 34` and said nothing of why:
    a new user could not tell it from a loss. The summary names the setting behind the drop."""
    with Store.open(db) as store:
        res = build_version(store, cfg)
        assert res.drops.get("balance:mode_disjoint"), res.drops
        (note,) = [line for line in res.summary if "balance:mode_disjoint" in line]
        assert "balance.disjoint_tasks" in note and "never both" in note, note
        both = build_version(store, cfg_with(cfg, disjoint_tasks=False))
    assert not both.drops.get("balance:mode_disjoint") and not [x for x in both.summary if "mode_disjoint" in x]


def test_a_task_the_user_retired_builds_into_no_new_version(db: Path, cfg: ThinkmillConfig) -> None:
    """Before, a retired task (`thinkmill tasks retire`) was built into every new version like any other: there was
    no way to take a stored task out of training but a fresh store. Now the build drops its selected traces
    (`balance:retired`), the version it made before keeps them, and a restore brings them back."""
    from pipeline.ingest.retire import restore, retire

    with Store.open(db) as store:
        build_version(store, cfg)
        v1 = version_rows(store, "v1")
        gone = sorted(v1["task_id"].unique().to_list())[:3]
        retire(store, gone, "prompt cut off in the source file")
        res = build_version(store, cfg)
        v2 = version_rows(store, "v2")
        assert res.metadata["created"] and res.metadata["retired_tasks"] == 3
        assert res.drops.get("balance:retired", 0) > 0
        assert not set(gone) & set(v2["task_id"].to_list())
        assert version_rows(store, "v1").equals(v1)  # a version already built keeps its rows
        assert any("3 retired tasks" in line for line in res.summary), res.summary
        restore(store, gone)
        back = build_version(store, cfg)
        assert set(gone) <= set(version_rows(store, back.metadata["version"])["task_id"].to_list())
        assert back.metadata["content_hash"] == get_version(store, "v1")["content_hash"]


def test_a_build_with_every_task_retired_says_so(db: Path, cfg: ThinkmillConfig) -> None:
    from pipeline.ingest.retire import retire

    with Store.open(db) as store:
        retire(store, store.query("SELECT task_id FROM tasks")["task_id"].to_list(), "wrong source")
        with pytest.raises(DatasetError) as err:
            build_version(store, cfg)
    # the fixture holds 3 contaminated tasks: the rest were retired
    assert "every task is contaminated (3) or retired (117) (120 tasks)" in str(err.value), str(err.value)
    assert "117 retired" in str(err.value)


# ------------------------------------------------------------------ a build after the generate settings changed
def _settings_refresh(tmp_path: Path) -> tuple[Path, ThinkmillConfig, ThinkmillConfig]:
    """Two real generate -> verify -> select -> build passes against a loopback server: first Hermes-4-14B at think
    temperature 0.6 and no-think max_tokens 4096, then (a scheduled refresh after a settings change) Hermes-4-70B at
    0.8 and 2048. Every request of the second config is new (its key covers the model and sampling params), so the
    database holds both configs' generations. Returns the database and the two configs."""
    from pipeline.dedup.select import run as run_select
    from pipeline.generate.runner import run as run_generation
    from pipeline.verify.db import run as run_verify
    from testing_support.openai_stub import OpenAIStub
    from testing_support.planted import planted_answer, planted_tasks

    def answer(body: dict) -> str | None:  # each model words its reasoning its own way: no cross-model duplicates
        text = planted_answer(body)
        return text and text.replace("<think>\n", f"<think>\nI am {body.get('model')}; let me work it out. ", 1)

    db = tmp_path / "refresh.duckdb"
    with Store.open(db) as store:
        store.insert("tasks", planted_tasks(12, easy_share=1.0))

    def config(url: str, model: str, temperature: float, no_think_max: int) -> ThinkmillConfig:
        c = ThinkmillConfig()
        c.base_dir = tmp_path
        g = c.generate
        g.backend, g.model = "openai", model
        g.samples_think, g.samples_no_think = 2, 1
        g.openai.base_urls = [url]
        g.openai.timeout_s, g.openai.backoff_initial_s, g.openai.backoff_max_s = 10, 0.01, 0.05
        g.think.temperature, g.no_think.max_tokens = temperature, no_think_max
        c.verify.inline_below = 10_000
        c.balance.validation_share, c.balance.min_validation_tasks = 0.0, 0
        return c

    with OpenAIStub() as stub:
        stub.responder = answer
        old = config(stub.url, "Hermes-4-14B", 0.6, 4096)
        new = config(stub.url, "Hermes-4-70B", 0.8, 2048)
        for c in (old, new):
            with Store.open(db) as store:
                run_generation(store, c)
                run_verify(store, c)
                run_select(store, c)
                if c is old:
                    build_version(store, c)
    return db, old, new


def _rows_by_model(store: Store, version: str) -> dict[str, int]:
    df = store.query(
        "SELECT g.model, count(*) AS n FROM dataset_rows r JOIN generations g ON g.key = r.generation_key "
        "WHERE r.version_id = ? GROUP BY 1",
        [version],
    )
    return dict(df.iter_rows())


def test_a_version_that_mixes_models_and_sampling_settings_says_so(tmp_path: Path) -> None:
    """A scheduled refresh after a settings change (Hermes-4-14B -> 70B, think temperature 0.6 -> 0.8, no-think
    max_tokens 4096 -> 2048) built v2 from both configs' traces: select picks from every passing generation ever
    stored. Before, `thinkmill build` said only "built v2 (N rows)"; now its summary, and the report's metadata,
    name the mix with rows per model and per sampling setting, and the setting that builds from the current
    settings only."""
    db, _old, new = _settings_refresh(tmp_path)
    with Store.open(db) as store:
        res = build_version(store, new)
        by_model = _rows_by_model(store, "v2")
    assert res.metadata["version"] == "v2" and len(by_model) == 2, by_model
    (note,) = [line for line in res.summary if "mixes 2 models" in line]
    assert (
        f"note: v2 mixes 2 models: Hermes-4-14B {by_model['Hermes-4-14B']} rows, "
        f"Hermes-4-70B {by_model['Hermes-4-70B']} rows" in note
    ), note
    assert "balance.current_settings_only: true" in note, note
    sampling = [line for line in res.summary if "sampling settings" in line]
    assert any("think" in line and "temperature 0.6" in line and "temperature 0.8" in line for line in sampling), (
        res.summary
    )
    assert any("max_tokens 4096" in line and "max_tokens 2048" in line for line in sampling), res.summary
    mix = res.metadata["settings_mix"]
    assert mix["models"] == by_model, mix
    assert sum(s["rows"] for s in mix["settings"]) == res.metadata["rows"], mix
    assert res.metadata["stats"]["request_settings"] == mix["settings"]


def test_current_settings_only_builds_from_the_current_configs_generations(tmp_path: Path) -> None:
    """`balance.current_settings_only: true` keeps only the selected traces whose request this config would send
    (the same request key: model, template, sampling params, messages, seed), counting the others as
    `balance:other_settings`; the version has rows of Hermes-4-70B only and no mix note."""
    db, _old, new = _settings_refresh(tmp_path)
    with Store.open(db) as store:
        mixed = build_version(store, new)  # v2, as before: both configs' traces
        res = build_version(store, cfg_with(new, current_settings_only=True))
        assert res.metadata["version"] == "v3"
        assert _rows_by_model(store, "v3") == {"Hermes-4-70B": res.metadata["rows"]}
        old_selected = store.query(
            "SELECT count(*) FROM trace_selection s JOIN generations g ON g.key = s.generation_key "
            "WHERE s.selected AND g.model = 'Hermes-4-14B'"
        ).item()
        params = store.query(
            "SELECT DISTINCT g.mode, CAST(g.sampling_params AS VARCHAR) FROM dataset_rows r "
            "JOIN generations g ON g.key = r.generation_key WHERE r.version_id = 'v3'"
        )
    assert old_selected > 0 and res.drops.get("balance:other_settings") == old_selected, res.drops
    assert res.metadata["stats"]["dropped"]["balance:other_settings"] == old_selected
    assert not [line for line in res.summary if "mixes" in line], res.summary
    # tasks (per mode) whose passing 70B traces select left out for 14B ones give no row: the build says how many
    with Store.open(db) as store:
        lost = store.query(
            "SELECT count(DISTINCT (s.task_id, s.mode)) FROM trace_selection s "
            "JOIN generations g ON g.key = s.generation_key WHERE NOT s.selected AND g.model = 'Hermes-4-70B' "
            "AND (s.reason = 'select:over_cap' OR s.reason LIKE 'dedup:%') AND (s.task_id, s.mode) NOT IN ("
            "SELECT (k.task_id, k.mode) FROM trace_selection k JOIN generations h ON h.key = k.generation_key "
            "WHERE k.selected AND h.model = 'Hermes-4-70B')"
        ).item()
    assert lost > 0 and res.metadata["stats"]["current_settings_unselected"] == lost
    assert any(f"current_settings_only: {lost} tasks (per mode) have no selected trace" in x for x in res.summary)
    assert [line for line in mixed.summary if "mixes" in line]
    for mode, p in params.iter_rows():
        sampling = json.loads(p)
        assert sampling["temperature" if mode == "think" else "max_tokens"] == (0.8 if mode == "think" else 2048)
    # the same config's build again: no change
    with Store.open(db) as store:
        again = build_version(store, cfg_with(new, current_settings_only=True))
    assert not again.metadata["created"]


def test_select_under_current_settings_only_ranks_the_current_traces_first(tmp_path: Path) -> None:
    """Select ran under a config with `balance.current_settings_only: true` ranks the traces its `generate` settings
    would not request again last, as it does the build's other drops: every (task, mode) with a passing trace of
    the current settings gets one in the version. Before, select ranked by tokens alone, the old model's shorter
    traces filled `max_per_task`, and the build lost those tasks (`current_settings_unselected`)."""
    from pipeline.dedup.select import run as run_select
    from pipeline.dedup.select import stored_current_settings

    db, _old, new = _settings_refresh(tmp_path)
    with Store.open(db) as store:
        before = build_version(store, cfg_with(new, current_settings_only=True))
    # the defect, as `_settings_refresh` left the selection
    assert before.metadata["stats"].get("current_settings_unselected", 0) > 0
    current = cfg_with(new, current_settings_only=True)
    # the (task, mode)s holding a passing 70B trace but no selected one
    missing_sql = (
        "SELECT count(DISTINCT (g.task_id, g.mode)) FROM generations g JOIN verdicts v ON v.generation_key = g.key "
        "WHERE v.passed AND g.model = 'Hermes-4-70B' AND (g.task_id, g.mode) NOT IN ("
        "SELECT (h.task_id, h.mode) FROM trace_selection s JOIN generations h ON h.key = s.generation_key "
        "WHERE s.selected AND h.model = 'Hermes-4-70B')"
    )
    with Store.open(db) as store:
        assert store.query(missing_sql).item() == before.metadata["stats"]["current_settings_unselected"]
        run_select(store, current)
        assert stored_current_settings(store) is not None
        assert store.query(missing_sql).item() == 0
        res = build_version(store, current)
        assert "current_settings_unselected" not in res.metadata["stats"], res.metadata["stats"]
        assert not [x for x in res.summary if "have no selected trace" in x], res.summary
        assert _rows_by_model(store, res.metadata["version"]) == {"Hermes-4-70B": res.metadata["rows"]}
        # other generate settings under the switch: the selection is ranked again, by them
        ranked_by = stored_current_settings(store)
        third = current.model_copy(deep=True)
        third.generate.think.temperature = 0.7
        run_select(store, third)
        assert stored_current_settings(store) not in (None, ranked_by)
        # the switch off again: select ranks by tokens alone once more (a full reselection, no digest kept)
        run_select(store, new)
        assert stored_current_settings(store) is None
        assert build_version(store, current).metadata["stats"]["current_settings_unselected"] > 0


def test_current_settings_only_with_no_current_generation_says_why(tmp_path: Path) -> None:
    """Every selected trace is of other settings (the config changed, nothing generated since): the build fails
    naming the drop, never an empty or old-settings version."""
    db, _old, new = _settings_refresh(tmp_path)
    third = new.model_copy(deep=True)
    third.generate.model = "Hermes-4-405B"
    with Store.open(db) as store, pytest.raises(DatasetError) as err:
        build_version(store, cfg_with(third, current_settings_only=True))
    assert "balance:other_settings" in str(err.value), str(err.value)
