"""The streaming candidate loader gives the rows and drop counts of the per-row loader it replaced, and a build
from it makes the same version (issue 16: build of a 1M-row version held every candidate as a Python dict)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from pipeline.config import ThinkmillConfig
from pipeline.dataset.candidates import CANDIDATE_SCHEMA, Candidates, _has_think_tags, _pass_rates, load_candidates
from pipeline.dataset.messages import user_prompt
from pipeline.dataset.versions import run as build_version
from pipeline.store import Store, now_utc
from pipeline.trace import count_tokens, parse_trace
from testing_support.seed import populate

_OLD_SQL = """
SELECT s.generation_key, s.task_id, g.mode, t.domain, t.source, t.license, t.prompt,
       CAST(g.messages AS VARCHAR) AS request_messages, g.raw_text, g.think, g.answer, g.model, g.error,
       v.passed, v.think_tokens, v.answer_tokens,
       EXISTS (SELECT 1 FROM contamination c WHERE c.task_id = s.task_id) AS contaminated
FROM trace_selection s
JOIN generations g ON g.key = s.generation_key
JOIN tasks t ON t.task_id = s.task_id
LEFT JOIN verdicts v ON v.generation_key = s.generation_key
WHERE s.selected
ORDER BY s.generation_key
"""


def _old_load_candidates(store: Store, *, from_think_answers: bool = False) -> Candidates:
    """load_candidates as it was (every selected trace read at once, one dict per row): the reference."""
    raw = store.query(_OLD_SQL)
    dropped: Counter[str] = Counter()
    out: list[dict] = []
    for r in raw.iter_rows(named=True):
        if r["error"] is not None or (r["raw_text"] is None and r["answer"] is None):
            dropped["balance:no_output"] += 1
            continue
        if r["passed"] is None:
            dropped["balance:no_verdict"] += 1
            continue
        if not r["passed"]:
            dropped["balance:not_passed"] += 1
            continue
        if r["contaminated"]:
            dropped["balance:contaminated"] += 1
            continue
        mode = r["mode"]
        if mode not in ("think", "no_think"):
            dropped["balance:unknown_mode"] += 1
            continue
        try:
            request = json.loads(r["request_messages"]) if r["request_messages"] else None
        except json.JSONDecodeError:
            request = None
        prompt = user_prompt(request, r["prompt"])
        think, answer = r["think"], r["answer"]
        if r["raw_text"] is not None and (answer is None or (mode == "think" and think is None)):
            parsed = parse_trace(r["raw_text"], mode)
            think, answer = parsed.think, parsed.answer
        answer = (answer or "").strip()
        if not answer:
            dropped["balance:empty_answer"] += 1
            continue
        base = {k: r[k] for k in ("generation_key", "task_id", "domain", "source", "license", "model")}
        base |= {"prompt": prompt, "answer": answer}
        answer_tokens = count_tokens(answer)
        if mode == "think":
            if not think or not think.strip():
                dropped["balance:empty_think"] += 1
                continue
            tt = r["think_tokens"] if r["think_tokens"] is not None else count_tokens(think)
            out.append(base | {"mode": "think", "origin": "think", "think": think.strip(), "think_tokens": tt})
            out[-1] |= {"answer_tokens": answer_tokens, "think_tags": False}
            if from_think_answers:
                out.append(base | {"mode": "no_think", "origin": "think_answer", "think": None, "think_tokens": 0})
                out[-1] |= {"answer_tokens": answer_tokens, "think_tags": _has_think_tags(answer)}
        else:
            leaked = _has_think_tags(r["raw_text"] or answer) or _has_think_tags(answer)
            out.append(base | {"mode": "no_think", "origin": "no_think", "think": None, "think_tokens": 0})
            out[-1] |= {"answer_tokens": answer_tokens, "think_tags": leaked}
    rows = pl.DataFrame(out, schema=CANDIDATE_SCHEMA) if out else pl.DataFrame(schema=CANDIDATE_SCHEMA)
    return Candidates(rows=rows, pass_rates=_pass_rates(store), dropped=dropped)


@pytest.fixture
def odd_db(tmp_path: Path) -> Path:
    """The seeded state plus selected traces of every odd kind: no split stored, errors, unknown modes, blank
    answers and thinks, leaked tags, a request with a wrapped user turn, broken request JSON."""
    path = tmp_path / "odd.duckdb"
    with Store.open(path) as store:
        populate(store, n_tasks=60)
        with store.writing() as w:
            w.execute("UPDATE generations SET think = NULL WHERE key LIKE 't000%-think-0'")
            w.execute("UPDATE generations SET answer = NULL WHERE key LIKE 't001%-no_think-0'")
            w.execute("UPDATE generations SET error = 'boom' WHERE key LIKE 't002%-think-1'")
            w.execute("UPDATE generations SET raw_text = NULL, answer = NULL WHERE key = 't0031-think-0'")
            w.execute("UPDATE generations SET answer = '   ' WHERE key LIKE 't004%-no_think-0'")
            w.execute("UPDATE generations SET think = ' ', raw_text = NULL WHERE key LIKE 't005%-think-1'")
            w.execute("UPDATE generations SET mode = 'other' WHERE key = 't0050-think-0'")
            w.execute(
                "UPDATE generations SET answer = 'x <think>y</think> z', raw_text = 'x <think>y</think> z' "
                "WHERE key LIKE 't003%-no_think-0'"
            )
            w.execute(
                'UPDATE generations SET messages = \'[{"role": "user", "content": "wrapped"}]\' '
                "WHERE key LIKE 't002%-no_think-0'"
            )
            w.execute("UPDATE generations SET messages = '\"not a list\"' WHERE key LIKE 't001%-think-1'")
            w.execute("UPDATE verdicts SET think_tokens = NULL WHERE generation_key LIKE 't000%'")
            w.execute("DELETE FROM verdicts WHERE generation_key LIKE 't004%-think-0'")
            w.execute(
                "INSERT INTO trace_selection (generation_key, task_id, mode, selected, created_at) "
                "SELECT key, task_id, mode, true, now() FROM generations WHERE key LIKE 't004%-think-0' "
                "ON CONFLICT DO NOTHING"
            )
    return path


@pytest.mark.parametrize("from_think_answers", [False, True])
@pytest.mark.parametrize("batch_rows", [7, 100_000])
def test_streaming_loader_equals_the_per_row_loader(odd_db: Path, from_think_answers: bool, batch_rows: int) -> None:
    with Store.open(odd_db, read_only=True) as store:
        want = _old_load_candidates(store, from_think_answers=from_think_answers)
        got = load_candidates(store, from_think_answers=from_think_answers, batch_rows=batch_rows)
    assert len(want.dropped) >= 5  # the odd rows reach several drop reasons
    assert dict(got.dropped) == dict(want.dropped)
    assert got.rows.schema == want.rows.schema
    assert got.rows.to_dicts() == want.rows.to_dicts()
    assert got.pass_rates.sort("task_id").equals(want.pass_rates.sort("task_id"))


def test_a_build_makes_the_same_version_as_the_per_row_loader(
    odd_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import pipeline.dataset.versions as versions

    cfg = ThinkmillConfig()
    cfg.base_dir = tmp_path
    old_db = tmp_path / "old.duckdb"
    shutil.copy(odd_db, old_db)
    # the odd rows include selections whose verdicts are gone, which a build refuses (test_dataset_stale_verdicts.py);
    # here the two loaders are compared on them
    monkeypatch.setattr(versions, "stale_tasks", lambda store: [])
    with Store.open(odd_db) as store:
        new = build_version(store, cfg)
        new_rows = store.query("SELECT * EXCLUDE (version_id) FROM dataset_rows ORDER BY example_id")
    monkeypatch.setattr(versions, "load_candidates", _old_load_candidates)
    with Store.open(old_db) as store:
        old = build_version(store, cfg)
        old_rows = store.query("SELECT * EXCLUDE (version_id) FROM dataset_rows ORDER BY example_id")
    assert new_rows.height > 20
    assert new_rows.equals(old_rows)
    assert new.metadata["content_hash"] == old.metadata["content_hash"]
    assert new.metadata["stats"] == old.metadata["stats"]


def test_pass_rates_leave_out_verdicts_that_never_judged_the_response(db: Path) -> None:
    """A task's pass rate decides its mode (hard tasks keep think examples): a verdict whose check never ran (no
    sandbox, an unreachable judge) counted as a failure and made an easy task look hard."""
    with Store.open(db) as store:
        tid, mode = store.query("SELECT task_id, mode FROM verdicts WHERE passed ORDER BY 1, 2 LIMIT 1").row(0)
        before = _pass_rates(store).filter(pl.col("task_id") == tid).row(0, named=True)[f"{mode}_pass_rate"]
        store.insert(
            "verdicts",
            pl.DataFrame(
                [
                    {
                        "generation_key": f"{tid}-unjudged-{i}",
                        "task_id": tid,
                        "mode": mode,
                        "verifier": "code",
                        "passed": False,
                        "reason": "code:sandbox_unavailable",
                        "created_at": now_utc(),
                    }
                    for i in range(3)
                ]
            ),
        )
        after = _pass_rates(store).filter(pl.col("task_id") == tid).row(0, named=True)[f"{mode}_pass_rate"]
    assert after == before


def test_a_split_stored_before_code_tags_were_read_as_code_is_read_again(tmp_path: Path) -> None:
    """Generations stored before lints 14 split at a `</think>` inside the answer's code: the stored answer is cut
    (`')\\n````) and a no-think row got a made-up think block. Judged again they pass (verify parses raw_text), and
    the version took the stored, cut answer. A stored split of a response holding code is parsed again."""
    no_think_raw = "Use this:\n```python\nend = s.index('</think>')\n```"
    think_raw = "<think>\nR\n</think>\n\n```python\ns = s.replace('</think>', '')\n```"
    path = tmp_path / "c.duckdb"
    with Store.open(path) as store:
        populate(store, n_tasks=10)
        with store.writing() as w:
            w.execute(
                "UPDATE generations SET raw_text = ?, think = 'Use this:\n```python\nend = s.index(''', "
                "answer = ''')\n```' WHERE key = 't0003-no_think-0'",
                [no_think_raw],
            )
            w.execute(
                "UPDATE generations SET raw_text = ?, think = 'R', answer = ''', '''')\n```' "
                "WHERE key = 't0003-think-0'",
                [think_raw],
            )
        rows = load_candidates(store).rows
    got = {r["generation_key"]: r for r in rows.iter_rows(named=True)}
    assert got["t0003-no_think-0"]["answer"] == no_think_raw and got["t0003-no_think-0"]["think"] is None
    assert got["t0003-think-0"]["answer"] == "```python\ns = s.replace('</think>', '')\n```"
    assert got["t0003-think-0"]["think"] == "R"
