"""Verifier audit: second opinions, the verifier_disagreements table, rates, sampling."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipeline import rgym
from pipeline.ingest.config import SourceConfig
from pipeline.ingest.reasoning_gym_source import task_records
from pipeline.store import Store
from pipeline.verify.audit import in_sample, second_opinion
from pipeline.verify.config import VerifyConfig
from pipeline.verify.db import disagreement_rates, verify_database
from pipeline.verify.result import TaskSpec

CHOICES = {"A": "Venus", "B": "Earth", "C": "Mars", "D": "Saturn"}


def _rg_task() -> dict:
    src = SourceConfig.model_validate({"name": "rg", "reasoning_gym": {"datasets": ["basic_arithmetic"], "size": 1}})
    return next(iter(task_records(src)))


def test_second_opinions() -> None:
    cfg = VerifyConfig()
    math = TaskSpec("m", "math", "1/3", {})
    assert second_opinion("\\boxed{0.333333}", math, cfg).passed is False  # math-verify passes this one
    assert second_opinion("\\boxed{\\frac{1}{3}}", math, cfg).passed is True
    assert second_opinion("\\boxed{x + 1}", math, cfg) is None  # not a plain number: not audited
    # an answer that commits to two values fails math:multiple_answers by design; the audit reads one value: not audited
    assert second_opinion("\\boxed{1/2} or \\boxed{1/3}", math, cfg) is None
    mcq = TaskSpec("q", "mcq", "C", {"choices": CHOICES})
    assert second_opinion("It is red.\nThe answer is Mars.", mcq, cfg).passed is True
    assert second_opinion("Answer: B", mcq, cfg) is None  # states no option text
    rg = _rg_task()
    spec = TaskSpec(rg["task_id"], "reasoning_gym", rg["answer"], rg["verifier_args"], rg["prompt"])
    op = second_opinion(f"<answer>{rg['answer']}</answer> so \\boxed{{-123456789}}", spec, cfg)
    assert (op.check, op.passed, op.reason) == ("reasoning_gym:boxed", False, "reasoning_gym:boxed_mismatch")
    assert second_opinion(f"<answer>{rg['answer']}</answer>", spec, cfg) is None  # nothing boxed to compare


def test_sample_is_deterministic() -> None:
    keys = [f"k{i}" for i in range(2000)]
    picked = [k for k in keys if in_sample(k, 0.1)]
    assert picked == [k for k in keys if in_sample(k, 0.1)]
    assert 150 < len(picked) < 250
    assert not any(in_sample(k, 0.0) for k in keys) and all(in_sample(k, 1.0) for k in keys)


def _db(tmp_path: Path) -> Path:
    rg = _rg_task()
    tasks = [
        {
            "task_id": "m1",
            "source": "s",
            "domain": "math",
            "prompt": "One third?",
            "answer": "1/3",
            "verifier": "math",
            "verifier_args": {},
            "metadata": {},
        },
        {
            "task_id": "q1",
            "source": "s",
            "domain": "science_mcq",
            "prompt": "Which planet is red?",
            "answer": "C",
            "verifier": "mcq",
            "verifier_args": {"choices": CHOICES},
            "metadata": {},
        },
        {
            **{k: rg[k] for k in ("task_id", "source", "domain", "prompt", "answer", "verifier", "verifier_args")},
            "metadata": {},
        },
    ]
    responses = [
        ("g1", "m1", "\\boxed{0.333333}"),  # math-verify: pass; numeric: fail -> disagreement
        ("g2", "m1", "\\boxed{\\frac{1}{3}}"),  # both pass
        ("g3", "q1", "Answer: B\nThe red planet is Mars."),  # letter B fails; option text Mars passes
        ("g4", rg["task_id"], f"<answer>{rg['answer']}</answer> (check: \\boxed{{-123456789}})"),
    ]
    gens = pl.DataFrame(
        [
            {
                "key": k,
                "task_id": t,
                "mode": "no_think",
                "sample_index": i,
                "backend": "batch",
                "model": "m",
                "template_version": "1",
                "messages": [],
                "sampling_params": {},
                "raw_text": x,
            }
            for i, (k, t, x) in enumerate(responses)
        ]
    )
    db = tmp_path / "t.duckdb"
    with Store.open(db) as store:
        store.insert("tasks", pl.DataFrame(tasks))
        store.insert("generations", gens)
    return db


def test_audit_writes_disagreements_with_both_reasons(tmp_path: Path) -> None:
    db = _db(tmp_path)
    cfg = VerifyConfig.model_validate({"audit": {"sample_rate": 1.0}})
    with Store.open(db) as store:
        summary = verify_database(store, cfg)
        assert summary.metadata["audited"] == {"math": 2, "mcq": 1, "reasoning_gym": 1}
        assert summary.metadata["disagreement_rates"] == {"math": 0.5, "mcq": 1.0, "reasoning_gym": 1.0}
        rows = store.read("verifier_disagreements", order_by="generation_key").to_dicts()
        got = [
            (
                r["generation_key"],
                r["verifier_passed"],
                r["verifier_reason"],
                r["audit_check"],
                r["audit_passed"],
                r["audit_reason"],
            )
            for r in rows
        ]
        assert got == [
            ("g1", True, None, "math:numeric", False, "math:numeric_mismatch"),
            ("g3", False, "mcq:mismatch", "mcq:option_text", True, None),
            ("g4", True, None, "reasoning_gym:boxed", False, "reasoning_gym:boxed_mismatch"),
        ]
        rates = {
            r["verifier"]: (r["audited"], r["disagreements"], r["rate"])
            for r in disagreement_rates(store).iter_rows(named=True)
        }
        assert rates == {"math": (2, 1, 0.5), "mcq": (1, 1, 1.0), "reasoning_gym": (1, 1, 1.0)}
        # re-judging with the audit off clears the audit marks of those verdicts, and their disagreements
        verify_database(store, VerifyConfig.model_validate({"audit": {"sample_rate": 0.0}}), rejudge_all=True)
        assert store.count("verifier_disagreements") == 0
        assert disagreement_rates(store).height == 0


def test_audit_off_writes_nothing(tmp_path: Path) -> None:
    with Store.open(_db(tmp_path)) as store:
        s = verify_database(store, VerifyConfig.model_validate({"audit": {"sample_rate": 0.0}}))
        assert s.metadata["judged"] == 4 and s.metadata["audited"] == {} and store.count("verifier_disagreements") == 0


def test_rgym_library_present() -> None:
    assert rgym.library_version() == "0.1.25"


def test_asset_check_and_card_line(tmp_path: Path) -> None:
    from pipeline.checks import evaluate_audit_disagreement
    from pipeline.config import ChecksConfig
    from pipeline.dataset.card import _audit_line

    with Store.open(_db(tmp_path)) as store:
        empty = evaluate_audit_disagreement(store, 0.05, ChecksConfig(min_rows_for_rates=1))
        assert empty.passed  # nothing audited yet
        verify_database(store, VerifyConfig.model_validate({"audit": {"sample_rate": 1.0}}))
        res = evaluate_audit_disagreement(store, 0.05, ChecksConfig(min_rows_for_rates=1))
        assert not res.passed
        assert "math (50.0%), mcq (100.0%), reasoning_gym (100.0%)" in res.description
        assert res.metadata["disagreement_rate/math"] == 0.5
        assert evaluate_audit_disagreement(store, 0.05, ChecksConfig(min_rows_for_rates=5)).passed  # too few
        line = _audit_line(disagreement_rates(store).to_dicts())
    assert line == (
        "Verifier audit (a second, independent check on a sample of verdicts): disagreements `math` 1/2 "
        "(50.0%), `mcq` 1/1 (100.0%), `reasoning_gym` 1/1 (100.0%).\n"
    )
    assert _audit_line([]) == "Verifier audit: no verdicts audited.\n"
