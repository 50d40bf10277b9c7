"""`thinkmill export --format dpo` (issue 19): chosen passing / rejected failing per task and mode, the failure
reason kept, TRL's preference format; the card reports the pair count; TRL's DPOTrainer runs on it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import datasets
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import ThinkmillConfig
from pipeline.dataset.card import card_data, render_card
from pipeline.dataset.export import export_version
from pipeline.dataset.preference import preference_pairs
from pipeline.dataset.versions import run as build_version
from pipeline.dataset.versions import version_rows
from pipeline.store import Store
from pipeline.trace import THINK_SYSTEM_PROMPT
from testing_support.tiny_models import build_tiny_model, tiny_corpus


@pytest.fixture
def built(db: Path, cfg: ThinkmillConfig) -> Path:
    """A version, plus a second, failing no-think sample for two of its no-think tasks (one leaks a think block)."""
    import polars as pl

    with Store.open(db) as store:
        build_version(store, cfg)
        tasks = version_rows(store, "v1").filter(mode="no_think").get_column("task_id").unique().sort()[:2]
        gens, verdicts = [], []
        for tid, raw in zip(tasks, ["The answer is 0.", "<think>hm</think> The answer is 0."], strict=True):
            key = f"{tid}-no_think-extra"
            sent = store.query(  # the prompt the task's no-think row was sent: the pair asks it
                "SELECT g.messages FROM dataset_rows r JOIN generations g ON g.key = r.generation_key "
                "WHERE r.task_id = ? AND r.mode = 'no_think' AND g.mode = 'no_think' LIMIT 1",
                [tid],
            ).item()
            gens.append(
                {
                    "key": key,
                    "task_id": tid,
                    "mode": "no_think",
                    "sample_index": 9,
                    "backend": "batch",
                    "model": "NousResearch/Hermes-4-14B",
                    "template_version": "t1",
                    "messages": json.loads(sent),
                    "sampling_params": {},
                    "raw_text": raw,
                    "think": "hm" if "<think>" in raw else None,
                    "answer": "The answer is 0.",
                    "finish_reason": "stop",
                }
            )
            verdicts.append(
                {
                    "generation_key": key,
                    "task_id": tid,
                    "mode": "no_think",
                    "verifier": "exact",
                    "passed": False,
                    "reason": "exact:mismatch",
                    "think_tokens": 0,
                    "answer_tokens": 4,
                }
            )
        store.insert_many({"generations": pl.DataFrame(gens), "verdicts": pl.DataFrame(verdicts)})
    return db


def _expected_pair_counts(store: Store) -> Counter:
    """(task, mode) -> min(version rows, usable failing generations), computed straight from the tables."""
    rows = Counter((r["task_id"], r["mode"]) for r in version_rows(store, "v1").iter_rows(named=True))
    fails = Counter(
        (r["task_id"], r["mode"])
        for r in store.query(
            "SELECT g.task_id, g.mode FROM generations g JOIN verdicts v ON v.generation_key = g.key "
            "WHERE NOT v.passed AND g.error IS NULL AND coalesce(g.finish_reason, '') <> 'length'"
        ).iter_rows(named=True)
    )
    return Counter({k: min(n, fails[k]) for k, n in rows.items() if fails[k]})


def test_dpo_export_pairs_within_task_and_mode(built: Path, tmp_path: Path, sample_config: Path) -> None:
    out = tmp_path / "dpo"
    res = CliRunner().invoke(
        main,
        [
            "export",
            "--version",
            "v1",
            "--format",
            "dpo",
            "--out",
            str(out),
            "--db",
            str(built),
            "--config",
            str(sample_config),
        ],
    )
    assert res.exit_code == 0, res.output
    files = {s: str(out / f"{s}.jsonl") for s in ("train", "validation") if (out / f"{s}.jsonl").exists()}
    ds = datasets.load_dataset("json", data_files=files)
    pq = datasets.load_dataset("parquet", data_files={s: f.replace(".jsonl", ".parquet") for s, f in files.items()})
    assert {s: d.num_rows for s, d in pq.items()} == {s: d.num_rows for s, d in ds.items()}
    with Store.open(built, read_only=True) as store:
        gens = {
            r["key"]: r
            for r in store.query(
                "SELECT g.key, g.task_id, g.mode, g.answer, v.passed, v.reason FROM generations g "
                "JOIN verdicts v ON v.generation_key = g.key"
            ).iter_rows(named=True)
        }
        rows = {r["example_id"]: r for r in version_rows(store, "v1").iter_rows(named=True)}
        expected = _expected_pair_counts(store)
    got: Counter = Counter()
    for split, d in ds.items():
        for p in d:
            got[(p["task_id"], p["mode"])] += 1
            chosen_row = rows[p["chosen_example_id"]]
            rej = gens[p["rejected_generation_key"]]
            assert (chosen_row["task_id"], chosen_row["mode"], chosen_row["split"]) == (p["task_id"], p["mode"], split)
            assert (rej["task_id"], rej["mode"]) == (p["task_id"], p["mode"])  # never across tasks or modes
            assert rej["passed"] is False and p["rejected_reason"] == rej["reason"] == "exact:mismatch"
            msgs = json.loads(chosen_row["messages"])
            assert p["prompt"] == msgs[:-1] and p["chosen"] == msgs[-1:]
            assert [m["role"] for m in p["rejected"]] == ["assistant"]
            assert p["rejected"][0]["content"].endswith(rej["answer"].strip())
            if p["rejected_generation_key"].endswith("-no_think-extra"):  # a leaked think block stays visible
                assert p["rejected"][0]["content"] in ("The answer is 0.", "<think>hm</think> The answer is 0.")
            if p["mode"] == "think":
                assert p["prompt"][0]["content"] == THINK_SYSTEM_PROMPT
                assert p["rejected"][0]["content"].startswith("<think>\n")
    assert got == expected and sum(got.values()) > 0
    assert {m for _, m in got} == {"think", "no_think"}


def test_dpo_leaves_out_unusable_rejected_with_a_reason(built: Path) -> None:
    with Store.open(built) as store:
        before = preference_pairs(store, "v1")
        used = [p["rejected_generation_key"] for p in before.pairs[:4]]
        with store.writing() as con:
            con.execute("UPDATE generations SET finish_reason = 'length' WHERE key = ?", [used[0]])
            con.execute("UPDATE generations SET raw_text = raw_text || '<|im_end|>' WHERE key = ?", [used[1]])
            con.execute("UPDATE generations SET finish_reason = 'abort' WHERE key = ?", [used[3]])  # also cut short
        after = preference_pairs(store, "v1")
    keys = {p["rejected_generation_key"] for p in after.pairs}
    assert used[0] not in keys and used[1] not in keys and used[2] in keys and used[3] not in keys
    assert after.skipped["dpo:truncated"] == before.skipped["dpo:truncated"] + 2
    assert after.skipped["dpo:template_token"] == before.skipped["dpo:template_token"] + 1


@pytest.mark.parametrize(
    "change",
    [
        # a server that said `stop` at the max_tokens it was sent: verify fails it `lint:truncated` (finish_of)
        "UPDATE generations SET completion_tokens = 50, sampling_params = '{\"max_tokens\": 50}' WHERE key = ?",
        # a live server that recorded no finish reason: `lint:finish_unknown`
        "UPDATE generations SET finish_reason = NULL, backend = 'openai' WHERE key = ?",
    ],
    ids=["stop_at_max_tokens", "no_finish_reason"],
)
def test_dpo_leaves_out_a_rejected_side_verify_found_cut(built: Path, change: str) -> None:
    """The rejected side is a text the model ended: one verify judges cut by its tokens or its missing finish reason
    (`lint:truncated`, `lint:finish_unknown`: `trace.finish_of`) was paired all the same, as only the finish reason
    was read."""
    with Store.open(built) as store:
        before = preference_pairs(store, "v1")
        key = before.pairs[0]["rejected_generation_key"]
        store.execute(change, [key])
        after = preference_pairs(store, "v1")
    assert key not in {p["rejected_generation_key"] for p in after.pairs}
    assert after.skipped["dpo:truncated"] == before.skipped["dpo:truncated"] + 1


def test_dpo_never_pairs_a_trace_with_its_own_text(built: Path) -> None:
    with Store.open(built) as store:
        pair = preference_pairs(store, "v1").pairs[0]
        with store.writing() as con:
            con.execute(
                "UPDATE generations SET raw_text = ? WHERE key = ?",
                [pair["chosen"][0]["content"], pair["rejected_generation_key"]],
            )
        after = preference_pairs(store, "v1")
    assert after.skipped["dpo:same_as_chosen"] == 1
    assert all(p["rejected"][0]["content"] != p["chosen"][0]["content"] for p in after.pairs)
    assert pair["rejected_generation_key"] not in {p["rejected_generation_key"] for p in after.pairs}


def test_dpo_reasoning_field_and_malformed_rejected(built: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    with Store.open(built) as store:
        pair = next(p for p in preference_pairs(store, "v1").pairs if p["mode"] == "think")
        with store.writing() as con:  # a rejected trace with two think blocks stays as the model wrote it
            con.execute(
                "UPDATE generations SET raw_text = '<think>a</think><think>b</think> The answer is 0.' WHERE key = ?",
                [pair["rejected_generation_key"]],
            )
        export_version(store, "v1", "dpo", tmp_path, cfg, ("jsonl",), reasoning_field="reasoning_content")
    recs = [json.loads(line) for f in tmp_path.glob("*.jsonl") for line in f.open()]
    for r in recs:
        if r["mode"] == "think":
            assert r["chosen"][0]["reasoning_content"] and "<think>" not in r["chosen"][0]["content"]
    bad = next(r for r in recs if r["rejected_generation_key"] == pair["rejected_generation_key"])
    assert bad["rejected"][0] == {
        "role": "assistant",
        "reasoning_content": None,
        "content": "<think>a</think><think>b</think> The answer is 0.",
    }


def _rejected_with_two_think_blocks(store: Store) -> dict:
    """Give the rejected side of v1's first think pair two think blocks (a template splitting `content` at
    `</think>` reads it otherwise than written); that pair."""
    pair = next(p for p in preference_pairs(store, "v1").pairs if p["mode"] == "think")
    with store.writing() as con:
        con.execute(
            "UPDATE generations SET raw_text = '<think>a</think><think>b</think> The answer is 0.' WHERE key = ?",
            [pair["rejected_generation_key"]],
        )
    return pair


def test_dpo_export_counts_a_rejected_side_a_template_would_split(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path
) -> None:
    """A rejected trace with two think blocks is written as the model wrote it (inline, the reasoning field null).
    A template that splits `content` at `</think>` (Qwen3-style) reads it as one clean block and the answer, the
    very defect it was rejected for gone: the export counts the pair and says so; the leaked no-think block of the
    fixture (`<think>hm</think> ...`, one block opening the turn) is read as written and not counted."""
    from pipeline.dataset.export import run as export_run

    with Store.open(built) as store:
        pair = _rejected_with_two_think_blocks(store)
        for field in ("inline", "reasoning_content"):
            report = export_run(
                store, cfg, version="v1", fmt="dpo", out=tmp_path / field, file_formats=("jsonl",),
                reasoning_field=field,  # type: ignore[arg-type]
            )  # fmt: skip
            assert report.metadata["quoted_think_close_rows"] == 1, field
            assert report.metadata["quoted_think_close_examples"] == [pair["chosen_example_id"]]
            assert any(line.startswith("warning: 1 pair holds") for line in report.summary)


def test_dpo_export_can_leave_out_pairs_a_template_would_split(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path
) -> None:
    """`drop_quoted_think_close` leaves such a pair out of a dpo export (counted and named), the others as before."""
    from pipeline.dataset.export import run as export_run

    with Store.open(built) as store:
        pair = _rejected_with_two_think_blocks(store)
        kept = export_run(store, cfg, version="v1", fmt="dpo", out=tmp_path / "all", file_formats=("jsonl",))
        report = export_run(
            store, cfg, version="v1", fmt="dpo", out=tmp_path / "some", file_formats=("jsonl",),
            drop_quoted_think_close=True,
        )  # fmt: skip

    def chosen(folder: Path) -> list[str]:
        return sorted(
            json.loads(line)["chosen_example_id"]
            for split in ("train", "validation")
            if (folder / f"{split}.jsonl").exists()
            for line in (folder / f"{split}.jsonl").open()
        )

    assert sorted(set(chosen(tmp_path / "all")) - set(chosen(tmp_path / "some"))) == [pair["chosen_example_id"]]
    assert report.rows_out == kept.rows_out - 1
    assert report.metadata["quoted_think_close_dropped"] == 1
    assert report.metadata["quoted_think_close_examples"] == [pair["chosen_example_id"]]
    assert not any(line.startswith("warning:") for line in report.summary)


def test_card_reports_the_pair_count(built: Path) -> None:
    with Store.open(built, read_only=True) as store:
        n = len(preference_pairs(store, "v1").pairs)
        text = render_card(card_data(store, "v1"))
    assert n > 0 and f"`thinkmill export --format dpo`): {n}." in text


@pytest.mark.slow
def test_dpo_trainer_runs_one_step(built: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import DPOConfig, DPOTrainer

    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "dpo", tmp_path / "dpo", cfg, ("parquet",))
    ds = datasets.load_dataset("parquet", data_files={"train": str(tmp_path / "dpo" / "train.parquet")})["train"]
    ds = ds.select(range(4)).select_columns(["prompt", "chosen", "rejected"])
    model_dir = build_tiny_model(tmp_path / "tiny", "chatml", tiny_corpus())
    tok = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    args = DPOConfig(
        output_dir=str(tmp_path / "out"),
        max_steps=1,
        per_device_train_batch_size=2,
        max_length=1024,
        report_to="none",
        save_strategy="no",
        logging_steps=1,
        use_cpu=True,
    )
    trainer = DPOTrainer(
        model=AutoModelForCausalLM.from_pretrained(str(model_dir)), args=args, train_dataset=ds, processing_class=tok
    )
    result = trainer.train()
    assert result.global_step == 1
    logged = next(h for h in trainer.state.log_history if "loss" in h)
    assert logged["loss"] == logged["loss"] and logged["loss"] > 0


def test_dpo_without_pairs_is_a_clear_error(built: Path, tmp_path: Path, sample_config: Path) -> None:
    with Store.open(built) as store, store.writing() as con:
        con.execute(
            "UPDATE generations SET finish_reason = 'length' WHERE key IN "
            "(SELECT generation_key FROM verdicts WHERE NOT passed)"
        )
    res = CliRunner().invoke(
        main,
        [
            "export",
            "--version",
            "v1",
            "--format",
            "dpo",
            "--out",
            str(tmp_path / "d"),
            "--db",
            str(built),
            "--config",
            str(sample_config),
        ],
    )
    assert res.exit_code == 1 and "no preference pairs" in res.output and "dpo:truncated" in res.output
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize(
    "reason",
    [
        "code:sandbox_unavailable",
        "exact:bad_args",
        "math:error",
        "code:crash",
        "code:tests_setup_error",
        "code:bad_tests",
        "code:no_tests",
        "judge:unreachable",
        "judge:request_failed",
        "judge:malformed",
        "judge:not_judged",
        # a module the sandbox lacks: a right numpy answer failed there; the check never ran the code
        "code:missing_module",
    ],
)
def test_dpo_never_rejects_a_response_that_was_not_judged(built: Path, reason: str) -> None:
    """A verdict that failed because its check could not run (no sandbox, a task's unusable arguments or tests, a
    verifier that raised, a judge that did not answer) says nothing of the response: as a rejected side it taught
    the model to avoid answers that may be right. Such generations count as `dpo:not_judged`."""
    with Store.open(built) as store:
        before = preference_pairs(store, "v1")
        used = before.pairs[0]["rejected_generation_key"]
        store.execute("UPDATE verdicts SET reason = ? WHERE generation_key = ?", [reason, used])
        after = preference_pairs(store, "v1")
    assert used not in {p["rejected_generation_key"] for p in after.pairs}
    assert after.skipped["dpo:not_judged"] == 1


def test_dpo_keeps_a_response_judged_wrong_by_a_timeout_or_a_lint(built: Path) -> None:
    with Store.open(built) as store:
        used = preference_pairs(store, "v1").pairs[0]["rejected_generation_key"]
        for reason in ("code:timeout", "lint:language_mismatch", "math:mismatch"):
            store.execute("UPDATE verdicts SET reason = ? WHERE generation_key = ?", [reason, used])
            assert used in {p["rejected_generation_key"] for p in preference_pairs(store, "v1").pairs}


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE generations SET messages = json_array(json_object('role', 'system', 'content', 'You are a pirate.'), "
        "messages[-1]) WHERE key = ?",
        "UPDATE generations SET messages = json_array(json_object('role', 'user', 'content', 'Another question?')) "
        "WHERE key = ?",
    ],
    ids=["other_system_prompt", "other_user_prompt"],
)
def test_dpo_never_pairs_a_response_to_another_prompt(built: Path, change: str) -> None:
    """The rejected side answers the prompt of the pair: a failing generation sent with another system prompt or
    user turn (an earlier config, template or task text) answered a question the pair does not ask."""
    with Store.open(built) as store:
        before = preference_pairs(store, "v1")
        assert all(_sent_prompt(store, p) == p["prompt"] for p in before.pairs)
        pair = next(p for p in before.pairs if p["mode"] == "no_think")
        store.execute(change, [pair["rejected_generation_key"]])
        after = preference_pairs(store, "v1")
    assert pair["rejected_generation_key"] not in {p["rejected_generation_key"] for p in after.pairs}
    assert after.skipped["dpo:other_prompt"] == before.skipped["dpo:other_prompt"] + 1


def _sent_prompt(store: Store, pair: dict) -> list[dict]:
    """The prompt a pair's rejected generation was sent, as a row of its mode writes it."""
    from pipeline.dataset.messages import build_messages, request_system, user_prompt

    msgs = json.loads(
        store.query("SELECT messages FROM generations WHERE key = ?", [pair["rejected_generation_key"]]).item()
    )
    return build_messages(pair["mode"], user_prompt(msgs, ""), "a", "t", request_system(msgs))[:-1]


def test_a_failing_generation_of_a_mode_without_rows_is_unpaired_not_another_prompt(built: Path) -> None:
    """A task whose version rows are all of one mode (`balance.mode_disjoint`, the default): its failing generations
    of the other mode have no chosen row to pair with (`dpo:unpaired`). They were counted `dpo:other_prompt` ("sent
    another prompt than every row of its task and mode"), which they were not: every request had the same prompt."""
    with Store.open(built) as store:
        rows = version_rows(store, "v1")
        with_rows = set(zip(rows["task_id"], rows["mode"], strict=True))
        failing = store.query(
            "SELECT g.task_id, g.mode FROM generations g JOIN verdicts v ON v.generation_key = g.key "
            "WHERE NOT v.passed AND v.mode = g.mode AND g.error IS NULL AND g.finish_reason = 'stop' "
            "AND g.task_id IN (SELECT task_id FROM dataset_rows WHERE version_id = 'v1')"
        )
        other_mode = [k for k in zip(failing["task_id"], failing["mode"], strict=True) if k not in with_rows]
        got = preference_pairs(store, "v1")
    assert other_mode  # the fixture's versions pick one mode per task
    assert got.skipped["dpo:other_prompt"] == 0, got.skipped
    assert got.skipped["dpo:unpaired"] >= len(other_mode), got.skipped
