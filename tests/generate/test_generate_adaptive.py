"""Adaptive sampling and cost accounting against a real loopback server (testing_support/openai_stub.py).

The stub answers planted tasks deterministically (testing_support/planted.py): easy tasks right on every sample,
hard ones right only on samples whose request seed is divisible by 4. So what each round must decide can be
computed here independently from the seeds, and "paid twice" is the stub's own per-request count.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from pipeline.config import ThinkmillConfig
from pipeline.generate.adaptive import MORE_SAMPLES, PASSED_TARGET, REACHED_MAX, decide
from pipeline.generate.backends.batch import BatchBackend
from pipeline.generate.config import AdaptiveModeConfig, CostConfig
from pipeline.generate.cost import estimate_usd, version_cost
from pipeline.generate.request import build_request, build_requests, derive_seed
from pipeline.generate.runner import batch_dir
from pipeline.generate.runner import run as run_generation
from pipeline.store import Store
from testing_support.openai_stub import OpenAIStub
from testing_support.planted import HARD_EVERY, planted_answer, planted_tasks

N_TASKS = 8  # 4 easy, 4 hard
MAX = 8


def config(url: str, tmp: Path, *, no_think_adaptive: bool = False) -> ThinkmillConfig:
    cfg = ThinkmillConfig()
    cfg.base_dir = tmp
    g = cfg.generate
    g.backend = "openai"
    g.model = "stub-model"
    g.samples_think, g.samples_no_think = 2, 1
    g.write_batch_rows, g.write_interval_s = 4, 0.05
    g.openai.base_urls = [url]
    g.openai.max_in_flight = 4
    g.openai.timeout_s = 10
    g.openai.backoff_initial_s, g.openai.backoff_max_s = 0.01, 0.05
    g.adaptive.think = AdaptiveModeConfig(enabled=True, initial=1, max=MAX, target_passed=1)
    g.adaptive.no_think = AdaptiveModeConfig(enabled=no_think_adaptive, initial=1, max=4, target_passed=1)
    cfg.verify.inline_below = 10_000  # judge in-process: the batches are tiny
    return cfg


def seed_db(db: Path) -> pl.DataFrame:
    tasks = planted_tasks(N_TASKS)
    with Store.open(db) as s:
        s.insert("tasks", tasks)
        return s.read("tasks")


def expected_drawn(task_id: str, easy: bool, mode: str = "think", base_seed: int = 0) -> tuple[list[int], str]:
    """The rounds' drawn counts and the final decision, from the seeds alone (1, 2, 4, 8 while none passes)."""
    if easy:
        return [1], PASSED_TARGET
    passing = [i for i in range(MAX) if derive_seed(task_id, mode, i, base_seed) % HARD_EVERY == 0]
    drawn, n = [], 1
    while True:
        drawn.append(n)
        if any(i < n for i in passing):
            return drawn, PASSED_TARGET
        if n >= MAX:
            return drawn, REACHED_MAX
        n = min(MAX, 2 * n)


def _failures_never_judged(monkeypatch: pytest.MonkeyPatch, reason: str) -> None:
    """The verify stage as the rounds call it, then every failing verdict marked as a check that never ran (`reason`:
    no sandbox, an unreachable judge, unusable arguments)."""
    from pipeline.verify import db as verify_db

    real = verify_db.run

    def unjudged(store, cfg):
        report = real(store, cfg)
        store.execute("UPDATE verdicts SET reason = ? WHERE NOT passed", [reason])
        return report

    monkeypatch.setattr(verify_db, "run", unjudged)


@pytest.mark.parametrize(
    ("drawn", "passed", "want"),
    [
        (1, 1, (PASSED_TARGET, None)),
        (1, 0, (MORE_SAMPLES, 2)),
        (2, 0, (MORE_SAMPLES, 4)),
        (4, 0, (MORE_SAMPLES, 8)),
        (8, 0, (REACHED_MAX, None)),
        (6, 0, (MORE_SAMPLES, 8)),  # capped at max
    ],
)
def test_decide(drawn: int, passed: int, want: tuple[str, int | None]) -> None:
    assert decide(drawn, passed, AdaptiveModeConfig(initial=1, max=8, target_passed=1)) == want


def test_decide_asks_for_the_missing_passes() -> None:
    spec = AdaptiveModeConfig(initial=2, max=16, target_passed=5)
    assert decide(2, 1, spec) == (MORE_SAMPLES, 6)  # 4 more passes wanted: more than doubling
    assert decide(6, 5, spec) == (PASSED_TARGET, None)


def test_adaptive_config_rejects_initial_above_max() -> None:
    with pytest.raises(ValueError, match="initial"):
        AdaptiveModeConfig(initial=9, max=8)
    with pytest.raises(ValueError, match="not both"):
        CostConfig(price_per_million_input=1.0, gpu_hour_usd=2.0)


def test_adaptive_rounds_against_server(tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    tasks = seed_db(db)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg = config(stub.url, tmp_path)
        with Store.open(db) as s:
            report = run_generation(s, cfg)
            decisions = s.read("adaptive_decisions").sort("task_id", "round")
            gens = s.read("generations")
            runs = s.read("generate_runs")
    m = report.metadata
    want_think = 0
    for tid in tasks.get_column("task_id").to_list():
        easy = "(easy)" in tasks.filter(pl.col("task_id") == tid)["prompt"][0]
        drawn, final = expected_drawn(tid, easy)
        rows = decisions.filter(pl.col("task_id") == tid)
        assert rows.get_column("drawn").to_list() == drawn, tid
        assert rows.get_column("decision").to_list()[-1] == final, tid
        assert all(d == MORE_SAMPLES for d in rows.get_column("decision").to_list()[:-1]), tid
        want_think += drawn[-1]
        # the sample index continues: the keys are those of a fixed-k run's first `drawn` samples
        stored = set(gens.filter((pl.col("task_id") == tid) & (pl.col("mode") == "think")).get_column("key"))
        row = tasks.filter(pl.col("task_id") == tid).row(0, named=True)
        fixed = {build_request(cfg.generate, tid, "math", row["prompt"], "think", i).key for i in range(drawn[-1])}
        assert stored == fixed, tid
    n_no_think = N_TASKS * cfg.generate.samples_no_think  # no_think not adaptive: its fixed k, in round 1
    assert stub.stats.requests == want_think + n_no_think == m["adaptive_requests"] == gens.height
    assert max(stub.stats.sent.values()) == 1
    assert m["fixed_k_requests"] == N_TASKS * MAX + n_no_think
    assert m["adaptive_rounds"] == max(decisions.get_column("round").to_list())
    never = sorted(
        decisions.filter((pl.col("decision") == REACHED_MAX) & (pl.col("passed") == 0)).get_column("task_id")
    )
    assert sorted(m["never_passed"].get("think", [])) == never
    assert m["accepted_traces"]["think"] == N_TASKS - len(never)
    assert sum(m["accepted_per_task"]["think"].values()) == N_TASKS
    assert runs.get_column("sent").sum() == stub.stats.requests  # one generate_runs row per round
    assert any("adaptive sampling (think)" in line for line in report.summary)


def test_adaptive_rounds_ask_for_the_answer_form_of_a_domain_of_your_own(tmp_path: Path) -> None:
    """Adaptive rounds build their requests as a fixed-k run does: a math task in a domain of the user's own is
    asked for `\\boxed{}` (its verifier's instruction), as `build_requests` asks it."""
    db = tmp_path / "a.duckdb"
    tasks = planted_tasks(2).with_columns(pl.lit("arith").alias("domain"), pl.lit("math").alias("verifier"))
    with Store.open(db) as s:
        s.insert("tasks", tasks)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg = config(stub.url, tmp_path)
        with Store.open(db) as s:
            run_generation(s, cfg)
            stored = set(s.read("generations").get_column("key"))
    users = [b["messages"][-1]["content"] for b in stub.stats.bodies]
    assert users and all(u.endswith("Put your final answer within \\boxed{}.") for u in users)
    with Store.open(db) as s:
        fixed = {r.key for r in build_requests(s.read("tasks"), cfg.generate)}
    assert stored <= fixed | {
        build_request(cfg.generate, t, "arith", p, "think", i, verifier="math").key
        for t, p in tasks.select("task_id", "prompt").iter_rows()
        for i in range(MAX)
    }


class Killed(RuntimeError):
    pass


@pytest.mark.parametrize("kill_after_round", [1, 2])
def test_kill_between_rounds_loses_nothing(tmp_path: Path, kill_after_round: int) -> None:
    """An exception between rounds stops the run; the rerun continues and sends no request a second time, and
    ends where an uninterrupted run ends."""
    ref_db, db = tmp_path / "ref.duckdb", tmp_path / "k.duckdb"
    seed_db(ref_db)
    seed_db(db)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg = config(stub.url, tmp_path, no_think_adaptive=True)
        with Store.open(ref_db) as s:
            ref = run_generation(s, cfg)
            ref_decisions = s.read("adaptive_decisions").sort("task_id", "mode", "round").drop("created_at")
        ref_requests = stub.stats.requests

    def kill(round_no: int) -> None:
        if round_no == kill_after_round:
            raise Killed(f"killed after round {round_no}")

    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg = config(stub.url, tmp_path, no_think_adaptive=True)
        with Store.open(db) as s:
            with pytest.raises(Killed):
                run_generation(s, cfg, between_rounds=kill)
            first = stub.stats.requests
            assert 0 < first < ref_requests
            again = run_generation(s, cfg)
            decisions = s.read("adaptive_decisions").sort("task_id", "mode", "round").drop("created_at")
        assert max(stub.stats.sent.values()) == 1  # nothing paid twice
        assert stub.stats.requests == ref_requests
    assert again.metadata["sent"] == ref_requests - first
    assert again.metadata["cached"] >= first
    assert decisions.equals(ref_decisions)
    assert again.metadata["accepted_traces"] == ref.metadata["accepted_traces"]


def _answer_batch_file(request_file: Path, out: Path) -> set[str]:
    """Play the batch runner: answer every line of a request file like the stub would."""
    keys, lines = set(), []
    for line in request_file.read_text(encoding="utf-8").splitlines():
        req = json.loads(line)
        keys.add(req["custom_id"])
        text = planted_answer(req["body"])
        lines.append(
            {
                "custom_id": req["custom_id"],
                "response": {
                    "status_code": 200,
                    "body": {
                        "choices": [{"message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 10, "completion_tokens": len(text.split())},
                    },
                },
                "error": None,
            }
        )
    out.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return keys


def test_batch_backend_one_file_per_round(tmp_path: Path) -> None:
    """With the batch backend each round is one request file; reading its output verifies it and writes the next
    round's file (only the tasks still short of the target); the rounds' requests equal the openai backend's."""
    db, ref_db = tmp_path / "b.duckdb", tmp_path / "ref.duckdb"
    seed_db(db)
    seed_db(ref_db)
    with OpenAIStub() as stub, Store.open(ref_db) as s:
        stub.responder = planted_answer
        ref = run_generation(s, config(stub.url, tmp_path))
        ref_keys = set(s.read("generations").get_column("key"))
    cfg = config("http://127.0.0.1:9/v1", tmp_path)
    cfg.generate.backend = "batch"  # batch_target vllm, as the reference's openai.target: the same keys
    with Store.open(db) as s:
        report = run_generation(s, cfg)  # round 1: writes a file, sends nothing
    files, sent_keys = [], set()
    for _ in range(6):
        req_file = report.metadata["adaptive_waiting_on_batch"]
        if req_file is None:
            break
        files.append(req_file)
        out = tmp_path / f"out-{len(files)}.jsonl"
        round_keys = _answer_batch_file(Path(req_file), out)
        assert not round_keys & sent_keys  # a round's file holds only new requests
        sent_keys |= round_keys
        with Store.open(db) as s:
            backend = BatchBackend(output=out, batch_dir=batch_dir(cfg, db))
            report = run_generation(s, cfg, backend=backend)  # adaptive by config (think)
    assert len(files) == ref.metadata["adaptive_rounds"]
    assert len(set(files)) == len(files)
    assert report.metadata["adaptive_waiting_on_batch"] is None
    assert sent_keys == ref_keys
    assert report.metadata["accepted_traces"] == ref.metadata["accepted_traces"]


def test_cost_lines_from_stored_tokens(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    seed_db(db)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg = config(stub.url, tmp_path)
        cfg.cost = CostConfig(price_per_million_input=2.0, price_per_million_output=8.0)
        with Store.open(db) as s:
            report = run_generation(s, cfg)
            sums = s.query(
                "SELECT g.mode, sum(g.prompt_tokens)::BIGINT AS p, sum(g.completion_tokens)::BIGINT AS c, "
                "count(*) FILTER (WHERE v.passed) AS acc FROM generations g "
                "LEFT JOIN verdicts v ON v.generation_key = g.key GROUP BY 1"
            )
    cost = report.metadata["cost"]
    for mode, p, c, acc in sums.iter_rows():
        got = cost["by_mode"][mode]
        assert (got["prompt_tokens"], got["completion_tokens"], got["accepted"]) == (p, c, acc)
        usd = p / 1e6 * 2.0 + c / 1e6 * 8.0
        assert got["usd"] == pytest.approx(usd, abs=1e-6)
        assert got["usd_per_accepted"] == pytest.approx(usd / acc, abs=1e-6)
    assert cost["stages"]["generate"]["prompt_tokens"] == sums.get_column("p").sum()
    assert any("per accepted think trace" in line for line in report.summary)


def test_gpu_hour_cost_uses_measured_throughput(tmp_path: Path) -> None:
    cfg = CostConfig(gpu_hour_usd=3.6, gpus=2)
    assert estimate_usd(cfg, 10_000, 3_600, tokens_per_s=1.0) == pytest.approx(3_600 / 1.0 / 3600 * 3.6 * 2)
    assert estimate_usd(cfg, 10_000, 3_600, tokens_per_s=None) is None
    db = tmp_path / "g.duckdb"
    seed_db(db)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        tcfg = config(stub.url, tmp_path)
        tcfg.cost = cfg
        with Store.open(db) as s:
            report = run_generation(s, tcfg)
            tokens, seconds = s.query(
                "SELECT sum(completion_tokens)::BIGINT, sum(elapsed_s) FROM generate_runs WHERE backend <> 'batch'"
            ).row(0)
    cost = report.metadata["cost"]
    assert cost["pricing"] == "gpu_hour"
    assert cost["tokens_per_s"] == pytest.approx(tokens / seconds, rel=1e-3)
    think = cost["by_mode"]["think"]
    assert think["usd"] == pytest.approx(think["completion_tokens"] / (tokens / seconds) / 3600 * 3.6 * 2, rel=1e-3)


def test_version_cost_divides_spend_by_version_rows(tmp_path: Path) -> None:
    from testing_support.seed import populate

    with Store.open(tmp_path / "v.duckdb") as s:
        populate(s, n_tasks=12)
        s.execute("UPDATE generations SET prompt_tokens = 100, completion_tokens = 50")
        s.execute(
            "INSERT INTO dataset_versions (version_id, content_hash, created_at, config, counts) "
            "VALUES ('v9', 'h', now() + INTERVAL 1 DAY, '{}', '{}')"
        )
        s.execute(
            "INSERT INTO dataset_rows (version_id, example_id, split, mode, messages, task_id, generation_key, "
            "domain) SELECT 'v9', key, 'train', mode, '[]', task_id, key, 'math' FROM generations LIMIT 5"
        )
        rows = dict(s.query("SELECT mode, count(*) FROM dataset_rows WHERE version_id = 'v9' GROUP BY 1").rows())
        gens = dict(s.query("SELECT mode, count(*) FROM generations WHERE error IS NULL GROUP BY 1").rows())
        cost = version_cost(s, CostConfig(price_per_million_input=1.0, price_per_million_output=1.0), "v9")
    for mode, n in rows.items():
        got = cost["by_mode"][mode]
        assert got["accepted"] == n
        assert got["usd_per_accepted"] == pytest.approx(gens[mode] * 150 / 1e6 / n, abs=1e-6)


def _record_pass(s: Store, model: str, backend: str, tokens: int, seconds: float, at: str = "now()") -> None:
    s.execute(
        "INSERT INTO generate_runs (run_id, backend, model, round, sent, succeeded, prompt_tokens, completion_tokens, "
        f"elapsed_s, created_at) VALUES (uuid()::TEXT, ?, ?, NULL, 1, 1, 0, ?, ?, {at})",
        [backend, model, tokens, seconds],
    )


def test_gpu_hour_cost_uses_each_models_own_throughput(tmp_path: Path) -> None:
    """The 14B ran at 1,000 completion tokens/s, the 70B at 100. Pooled, the 70B's tokens were priced at 550
    tokens/s (a fifth of its real GPU hours); each model's generations are priced at its own measured throughput,
    and a model with no measured pass gets no estimate rather than another model's."""
    from pipeline.generate.cost import measured_tokens_per_s, plan_spend
    from testing_support.seed import populate

    small, large = "NousResearch/Hermes-4-14B", "NousResearch/Hermes-4-70B"
    with Store.open(tmp_path / "m.duckdb") as s:
        populate(s, n_tasks=4)
        s.execute(
            "UPDATE generations SET backend = 'openai', prompt_tokens = 10, completion_tokens = 30000, "
            "model = CASE WHEN task_id IN ('t0000', 't0001') THEN ? ELSE ? END",
            [small, large],
        )
        keys = {
            m: s.query("SELECT key FROM generations WHERE model = ? ORDER BY key", [m]).get_column("key").to_list()
            for m in (small, large)
        }
        _record_pass(s, small, "openai", 1_000_000, 1_000.0)
        cfg = CostConfig(gpu_hour_usd=2.0)
        no_large = plan_spend(s, cfg, keys[large])
        _record_pass(s, large, "openai", 100_000, 1_000.0)
        assert measured_tokens_per_s(s, model=large, backend="openai") == pytest.approx(100.0)
        assert measured_tokens_per_s(s, model=small, backend="openai") == pytest.approx(1_000.0)
        big = plan_spend(s, cfg, keys[large])
        both = plan_spend(s, cfg, keys[small] + keys[large])
    assert no_large["total_usd"] is None and no_large["by_mode"]["think"]["usd"] is None
    assert large in no_large["pricing_detail"] and "no throughput measured" in no_large["pricing_detail"]
    # 6 generations x 30,000 tokens at 100 tokens/s = 0.5 GPU hours x $2
    assert big["total_usd"] == pytest.approx(6 * 30_000 / 100.0 / 3600 * 2.0)
    assert big["tokens_per_s"] == pytest.approx(100.0)
    expected = 6 * 30_000 / 1_000.0 / 3600 * 2.0 + 6 * 30_000 / 100.0 / 3600 * 2.0
    assert both["total_usd"] == pytest.approx(expected)
    assert small in both["pricing_detail"] and large in both["pricing_detail"]


def test_version_cost_measures_throughput_up_to_the_version(tmp_path: Path) -> None:
    """A version's GPU-hour cost prices its generations (all stored before it) at the throughput measured up to
    it: a pass recorded after the version (a faster server, a later run) does not change what its card states."""
    from testing_support.seed import populate

    with Store.open(tmp_path / "t.duckdb") as s:
        populate(s, n_tasks=4)
        s.execute("UPDATE generations SET backend = 'openai', prompt_tokens = 10, completion_tokens = 3600")
        _record_pass(s, "NousResearch/Hermes-4-14B", "openai", 36_000, 360.0)  # 100 tokens/s
        s.execute(
            "INSERT INTO dataset_versions (version_id, content_hash, created_at, config, counts) "
            "VALUES ('v1', 'h', now() + INTERVAL 1 MINUTE, '{}', '{}')"
        )
        s.execute(
            "INSERT INTO dataset_rows (version_id, example_id, split, mode, messages, task_id, generation_key, "
            "domain) SELECT 'v1', key, 'train', mode, '[]', task_id, key, 'math' FROM generations"
        )
        cfg = CostConfig(gpu_hour_usd=1.0)
        before = version_cost(s, cfg, "v1")
        _record_pass(s, "NousResearch/Hermes-4-14B", "openai", 3_600_000, 360.0, at="now() + INTERVAL 1 DAY")
        after = version_cost(s, cfg, "v1")
    assert before["total_usd"] == pytest.approx(12 * 3600 / 100.0 / 3600 * 1.0)
    assert after == before


def test_generations_without_token_counts_get_no_estimate(tmp_path: Path) -> None:
    """A server that reports no `usage` (some OpenAI-compatible servers, hand-made batch output files) leaves the
    generations' token counts null. They were summed as 0, so the cost lines and the card stated a fraction of
    the real spend as the estimate; now the mode gets no estimate and the record says how many lack counts."""
    from pipeline.generate.cost import cost_lines, plan_spend
    from testing_support.seed import populate

    with Store.open(tmp_path / "u.duckdb") as s:
        populate(s, n_tasks=4)
        s.execute("UPDATE generations SET prompt_tokens = 100, completion_tokens = 1000")
        s.execute("UPDATE generations SET prompt_tokens = NULL, completion_tokens = NULL WHERE sample_index = 1")
        keys = s.query("SELECT key FROM generations").get_column("key").to_list()
        cost = plan_spend(s, CostConfig(price_per_million_input=1.0, price_per_million_output=4.0), keys)
    think, no_think = cost["by_mode"]["think"], cost["by_mode"]["no_think"]
    assert think["without_token_counts"] == 4 and think["usd"] is None and think["usd_per_accepted"] is None
    assert think["completion_tokens_per_accepted"] is None  # a share of the tokens per row would understate it
    assert no_think["without_token_counts"] == 0
    assert no_think["usd"] == pytest.approx(4 * (100 * 1.0 + 1000 * 4.0) / 1e6)
    assert cost["total_usd"] is None
    assert cost["stages"]["generate"]["without_token_counts"] == 4
    assert "4 generations without token counts" in cost_lines(cost)[0]


def test_cli_adaptive_summary(tmp_path: Path) -> None:
    from pipeline.cli import main as cli

    db = tmp_path / "cli.duckdb"
    seed_db(db)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg_file = tmp_path / "thinkmill.yaml"
        cfg_file.write_text(
            f"generate:\n  backend: openai\n  model: stub-model\n  samples_no_think: 0\n"
            f"  openai: {{base_urls: ['{stub.url}'], max_in_flight: 4, backoff_initial_s: 0.01}}\n"
            f"  adaptive: {{think: {{initial: 1, max: 8, target_passed: 1}}}}\n"
            f"verify: {{inline_below: 10000}}\n"
            f"cost: {{price_per_million_input: 1.0, price_per_million_output: 4.0}}\n",
            encoding="utf-8",
        )
        res = CliRunner().invoke(
            cli, ["generate", "--db", str(db), "--config", str(cfg_file), "--adaptive", "--no-progress"]
        )
    assert res.exit_code == 0, res.output
    assert "adaptive sampling (think):" in res.output  # samples_no_think 0: no-think stays off
    assert "requests drawn vs 64 for fixed k = max" in res.output
    assert "per accepted think trace" in res.output


def test_card_shows_adaptive_sampling_and_cost_per_accepted_trace(tmp_path: Path) -> None:
    """Adaptive run -> verify (inside) -> select -> build -> card: the card's cost per accepted trace is every
    stored generation's price over the version's rows of the mode, and the adaptive table counts the rounds."""
    from pipeline.dataset.card import card_data, render_card
    from pipeline.dataset.versions import run as build_version
    from pipeline.dedup.select import run as select

    db = tmp_path / "card.duckdb"
    seed_db(db)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg = config(stub.url, tmp_path)
        cfg.cost = CostConfig(price_per_million_input=3.0, price_per_million_output=15.0)
        with Store.open(db) as s:
            gen = run_generation(s, cfg)
            select(s, cfg)
            version = build_version(s, cfg).metadata["version"]
            text = render_card(card_data(s, version))
            spent = dict(
                (m, (int(p), int(c)))
                for m, p, c in s.query(
                    "SELECT mode, sum(prompt_tokens), sum(completion_tokens) FROM generations GROUP BY 1"
                ).rows()
            )
            rows = dict(
                s.query("SELECT mode, count(*) FROM dataset_rows WHERE version_id = ? GROUP BY 1", [version]).rows()
            )
    per = {m: (p * 3.0 + c * 15.0) / 1e6 / rows[m] for m, (p, c) in spent.items() if rows.get(m)}
    assert f"Cost per accepted think trace: ${per['think']:,.4f}; per no-think trace: ${per['no_think']:,.4f}" in text
    drawn = gen.metadata["adaptive_requests"] - N_TASKS  # no-think: fixed k = 1
    never = gen.metadata["never_passed_count"]["think"]
    assert f"| think | {N_TASKS} | {drawn} | {N_TASKS * MAX} | {N_TASKS - never} | {never} |" in text


def test_assets_carry_adaptive_and_cost_metadata(tmp_path: Path) -> None:
    """The generations asset (adaptive by config) and the dataset_version asset show the cost numbers."""
    import dagster as dg

    from assets.datasets import dataset_version
    from assets.generate import generations
    from assets.resources import LLMBackendResource, ThinkmillResource
    from pipeline.config import load_config
    from pipeline.dedup.select import run as select

    db = tmp_path / "asset.duckdb"
    seed_db(db)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg_file = tmp_path / "thinkmill.yaml"
        cfg_file.write_text(
            f"generate:\n  backend: openai\n  model: stub-model\n"
            f"  openai: {{base_urls: ['{stub.url}'], max_in_flight: 4, backoff_initial_s: 0.01}}\n"
            f"  adaptive: {{think: {{enabled: true, initial: 1, max: 8, target_passed: 1}}}}\n"
            f"verify: {{inline_below: 10000}}\n"
            f"cost: {{price_per_million_input: 1.0, price_per_million_output: 4.0}}\n",
            encoding="utf-8",
        )
        res = ThinkmillResource(db_path=str(db), config_path=str(cfg_file))
        run = dg.materialize([generations], resources={"thinkmill": res, "llm": LLMBackendResource()})
    assert run.success
    md = run.asset_materializations_for_node("generations")[0].metadata
    assert md["adaptive_requests"].value == stub.stats.requests < md["fixed_k_requests"].value
    assert md["cost_per_accepted_think_trace_usd"].value > 0
    with Store.open(db) as s:
        select(s, load_config(cfg_file))
    built = dg.materialize([dataset_version], resources={"thinkmill": res})
    vmd = built.asset_materializations_for_node("dataset_version")[0].metadata
    with Store.open(db, read_only=True) as s:
        p, c = s.query("SELECT sum(prompt_tokens)::BIGINT, sum(completion_tokens)::BIGINT FROM generations").row(0)
        rows = s.count("dataset_rows")
    assert vmd["tokens_in"].value == p and vmd["tokens_out"].value == c
    assert vmd["cost_usd"].value == pytest.approx((p * 1.0 + c * 4.0) / 1e6, abs=1e-6)
    assert rows > 0 and vmd["cost_per_accepted_think_trace_usd"].value > 0


def test_vllm_backend_rounds_and_rerun(tmp_path: Path) -> None:
    """The in-process vLLM backend (injected engine, tests/generate/test_generate_vllm.py's fakes) runs the same
    rounds as the server; a rerun adds nothing to the engine."""
    from test_generate_vllm import FakeEngine, FakeParams, FakeTokenizer, _words

    from pipeline.generate.backends.vllm_backend import VLLMBackend

    tok = FakeTokenizer()

    def answer(key: str, ids: list[int], params: FakeParams) -> list[int]:
        inv = {v: k for k, v in tok.vocab.items()}
        prompt = " ".join(inv[i] for i in ids)
        thinking = prompt.endswith("<think>")
        body = {"messages": [{"role": "user", "content": prompt}], "seed": params.seed}
        text = planted_answer({**body, "chat_template_kwargs": {"thinking": thinking}}) or ""
        return _words(tok, text.removeprefix("<think>") if thinking else text)

    db, ref_db = tmp_path / "v.duckdb", tmp_path / "ref.duckdb"
    seed_db(db)
    seed_db(ref_db)
    with OpenAIStub() as stub, Store.open(ref_db) as s:
        stub.responder = planted_answer
        ref = run_generation(s, config(stub.url, tmp_path))
        ref_decisions = s.read("adaptive_decisions").sort("task_id", "round").select("task_id", "round", "drawn")
    cfg = config("http://127.0.0.1:9/v1", tmp_path)
    cfg.generate.backend, cfg.generate.model = "vllm", "stub-model"
    engine = FakeEngine(tok, answer)
    with Store.open(db) as s:
        report = run_generation(s, cfg, backend=VLLMBackend(cfg.generate, engine=engine, sampling_cls=FakeParams))
        decisions = s.read("adaptive_decisions").sort("task_id", "round").select("task_id", "round", "drawn")
        added = len(engine.added)
        again = run_generation(s, cfg, backend=VLLMBackend(cfg.generate, engine=engine, sampling_cls=FakeParams))
    assert decisions.equals(ref_decisions)
    assert added == report.metadata["adaptive_requests"] == ref.metadata["adaptive_requests"]
    assert len(engine.added) == added and again.metadata["sent"] == 0
    assert report.metadata["accepted_traces"] == ref.metadata["accepted_traces"]


def test_rerun_with_smaller_max_leaves_no_stale_rounds(tmp_path: Path) -> None:
    """Decisions of a later round an earlier run (a larger max) made are removed when a task now stops sooner."""
    from pipeline.generate.adaptive import decisions_summary

    db = tmp_path / "m.duckdb"
    seed_db(db)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg = config(stub.url, tmp_path)
        with Store.open(db) as s:
            run_generation(s, cfg)
            assert s.query("SELECT max(round) FROM adaptive_decisions").item() > 2
            cfg.generate.adaptive.think = AdaptiveModeConfig(enabled=True, initial=1, max=2, target_passed=1)
            run_generation(s, cfg)
            assert s.query("SELECT max(round) FROM adaptive_decisions").item() <= 2
            think = next(r for r in decisions_summary(s) if r["mode"] == "think")
    assert think["fixed_k"] == 2 * N_TASKS and think["drawn"] <= 2 * N_TASKS


def test_cli_batch_rounds(tmp_path: Path) -> None:
    """`thinkmill generate` (batch, adaptive by config) writes round 1's file; `generate batch-read OUTPUT` stores
    and verifies it and writes round 2's file."""
    from pipeline.cli import main as cli

    db = tmp_path / "cb.duckdb"
    seed_db(db)
    cfg_file = tmp_path / "thinkmill.yaml"
    cfg_file.write_text(
        "generate:\n  backend: batch\n  model: stub-model\n  samples_no_think: 0\n"
        "  adaptive: {think: {enabled: true, initial: 1, max: 8, target_passed: 1}}\n"
        "verify: {inline_below: 10000}\n",
        encoding="utf-8",
    )
    base = ["--db", str(db), "--config", str(cfg_file), "--json"]
    first = CliRunner().invoke(cli, ["generate", *base, "--no-progress"])
    assert first.exit_code == 0, first.output
    file1 = json.loads(first.output)["metadata"]["adaptive_waiting_on_batch"]
    assert len(_answer_batch_file(Path(file1), tmp_path / "out1.jsonl")) == N_TASKS
    second = CliRunner().invoke(cli, ["generate", "batch-read", *base, str(tmp_path / "out1.jsonl")])
    assert second.exit_code == 0, second.output
    m = json.loads(second.output)["metadata"]
    file2 = m["adaptive_waiting_on_batch"]
    assert file2 and file2 != file1 and m["batch_unmatched"] == 0
    hard_left = m["adaptive_decisions"]["think"].get(MORE_SAMPLES, 0)
    assert hard_left > 0
    lines = Path(file2).read_text(encoding="utf-8").splitlines()
    assert len(lines) == hard_left  # 1 -> 2 samples: one new request per task still short of the target
    assert all(json.loads(line)["body"]["messages"][-1]["content"].find("(hard)") > 0 for line in lines)


def test_samples_that_were_not_judged_stop_the_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed verdict whose check never ran (no sandbox, an unreachable judge, a task's unusable arguments) was
    counted as a failed sample, so adaptive sampling paid for up to `max` samples that could be judged no better.
    Such a task stops with `adaptive:not_judged` after the round that showed it."""
    from pipeline.generate.adaptive import NOT_JUDGED_STOP

    _failures_never_judged(monkeypatch, "math:error")
    db = tmp_path / "a.duckdb"
    tasks = seed_db(db)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg = config(stub.url, tmp_path)
        with Store.open(db) as s:
            report = run_generation(s, cfg)
            decisions = s.read("adaptive_decisions")
    hard = [t for t, p in tasks.select("task_id", "prompt").rows() if "(easy)" not in p]
    stopped = decisions.filter(pl.col("decision") == NOT_JUDGED_STOP)
    # a hard task whose first sample passed by its seed stops at the target; the others stop unjudged, at 1 sample
    assert set(stopped.get_column("task_id")) <= set(hard) and stopped.height >= 1
    assert decisions.get_column("drawn").max() == 1 and decisions.get_column("round").max() == 1
    assert stub.stats.requests == N_TASKS + N_TASKS * cfg.generate.samples_no_think
    assert report.metadata["adaptive_decisions"]["think"][NOT_JUDGED_STOP] == stopped.height


def test_a_task_at_max_with_unjudged_samples_is_not_reported_as_never_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `initial` = `max` (or a sandbox gone in the last round) every round is the last: a task whose samples'
    checks never ran was recorded `adaptive:reached_max` and listed among the tasks that never passed ("drop them,
    or hand them to a stronger model"), though nothing judged its samples wrong. It is `adaptive:not_judged`."""
    from pipeline.generate.adaptive import NOT_JUDGED_STOP

    _failures_never_judged(monkeypatch, "code:sandbox_unavailable")
    db = tmp_path / "a.duckdb"
    seed_db(db)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg = config(stub.url, tmp_path)
        cfg.generate.adaptive.think = AdaptiveModeConfig(enabled=True, initial=2, max=2, target_passed=1)
        with Store.open(db) as s:
            report = run_generation(s, cfg)
            decisions = s.read("adaptive_decisions")
    short = decisions.filter(pl.col("passed") < pl.col("target_passed"))
    assert short.height >= 1 and set(short.get_column("decision")) == {NOT_JUDGED_STOP}
    assert report.metadata["never_passed_count"]["think"] == 0 and not report.metadata["never_passed"].get("think")
    assert report.metadata["adaptive_decisions"]["think"][NOT_JUDGED_STOP] == short.height


def test_summary_line_counts_tasks_stopped_unjudged() -> None:
    """The CLI line per mode named the tasks that reached the target, reached max and still draw: tasks stopped
    because a check never ran were in none of them, so the counts did not add up to the tasks."""
    from pipeline.generate.adaptive import NOT_JUDGED_STOP, _adaptive_lines

    summary = {
        "adaptive_modes": ["think"],
        "adaptive_rounds": 1,
        "adaptive_requests": 4,
        "fixed_k_requests": 32,
        "adaptive_request_share": 0.125,
        "adaptive_waiting_on_batch": None,
        "adaptive_decisions": {"think": {PASSED_TARGET: 1, NOT_JUDGED_STOP: 3}},
        "accepted_per_task": {"think": {"0": 3, "1": 1}},
        "never_passed": {},
        "never_passed_count": {"think": 0},
    }
    line = next(x for x in _adaptive_lines(summary) if x.startswith("  think:"))
    assert "1 tasks reached the target" in line and "3 stopped unjudged" in line


def test_a_task_whose_requests_failed_stops_and_is_not_listed_as_never_passed(tmp_path: Path) -> None:
    """A request that still failed after its retries (an outage, a persistent 5xx or 400) counted as a drawn sample
    that did not pass: the task drew up to `max` requests into the failing server and ended `adaptive:reached_max`,
    listed among the tasks that never passed ("drop them, or hand them to a stronger model") though no answer of it
    was ever judged. It stops with `adaptive:errors` after the round that showed it, and a rerun (which re-sends
    failed requests) continues it."""
    from pipeline.generate.adaptive import ERRORS_STOP, _adaptive_lines

    db = tmp_path / "a.duckdb"
    tasks = seed_db(db)
    hard = {t for t, p in tasks.select("task_id", "prompt").rows() if "(easy)" not in p}
    with OpenAIStub() as stub:
        stub.responder = planted_answer

        def hard_think_fails(body: dict) -> str | None:
            thinking = bool((body.get("chat_template_kwargs") or {}).get("thinking"))
            return "500" if thinking and "(hard)" in body["messages"][-1]["content"] else None

        stub.fault_for = hard_think_fails
        cfg = config(stub.url, tmp_path)
        cfg.generate.openai.max_retries = 1
        with Store.open(db) as s:
            report = run_generation(s, cfg)
            decisions = s.read("adaptive_decisions")
        think = decisions.filter(pl.col("mode") == "think")
        failed = think.filter(pl.col("decision") == ERRORS_STOP)
        assert set(failed.get_column("task_id")) == hard
        assert failed.get_column("drawn").to_list() == [1] * len(hard)  # no second round into the failing server
        assert report.metadata["never_passed_count"]["think"] == 0
        assert report.metadata["adaptive_decisions"]["think"][ERRORS_STOP] == len(hard)
        line = next(x for x in _adaptive_lines(report.metadata) if x.startswith("  think:"))
        assert f"{len(hard)} stopped on failed requests" in line

        stub.fault_for = None  # the server is back: the rerun re-sends the failed requests and goes on
        with Store.open(db) as s:
            run_generation(s, cfg)
            last = s.query(
                "SELECT task_id, decision, drawn FROM adaptive_decisions WHERE mode = 'think' "
                "QUALIFY row_number() OVER (PARTITION BY task_id ORDER BY round DESC) = 1"
            )
    for task_id, decision, drawn in last.rows():
        want_drawn, want_decision = expected_drawn(task_id, task_id not in hard)
        assert (decision, drawn) == (want_decision, want_drawn[-1]), task_id


def test_a_fixed_k_run_that_finds_everything_cached_is_recorded(tmp_path: Path) -> None:
    """An adaptive run drew a second think sample of the hard tasks and those requests failed; then a fixed-k
    run (`samples_think: 1`) found all it asks for cached and sent nothing. It left no `generate_runs` row, so the
    adaptive decisions still bounded the requests: the failed second samples, which no run asks for again, kept
    `failed_request_share` red for good. The pass is recorded (sent 0, no tokens) and measures no throughput; the
    next run that sends nothing, with no decision since, records nothing."""
    from pipeline.checks import CHECKS
    from pipeline.generate.cost import measured_tokens_per_s

    db = tmp_path / "a.duckdb"
    tasks = seed_db(db)
    first = {derive_seed(t, "think", 0, 0) for t in tasks.get_column("task_id")}
    with OpenAIStub() as stub:
        stub.responder = planted_answer

        def second_think_fails(body: dict) -> str | None:
            thinking = bool((body.get("chat_template_kwargs") or {}).get("thinking"))
            return "500" if thinking and body["seed"] not in first else None

        stub.fault_for = second_think_fails
        cfg = config(stub.url, tmp_path)
        cfg.generate.openai.max_retries = 0
        with Store.open(db) as s:
            run_generation(s, cfg)
            failed = s.query("SELECT count(*) FROM generations WHERE error IS NOT NULL").item()
            before = s.read("generate_runs").height
            throughput = measured_tokens_per_s(s)
        assert failed > 0
        fixed = config(stub.url, tmp_path)
        fixed.generate.samples_think = 1
        fixed.generate.adaptive.think.enabled = False
        sent = stub.stats.requests
        with Store.open(db) as s:
            report = run_generation(s, fixed)
            runs = s.read("generate_runs").sort("created_at")
            check = next(c for c in CHECKS if c.key == "generations:failed_request_share").run(s, fixed)
            assert measured_tokens_per_s(s) == throughput
    assert stub.stats.requests == sent  # everything cached
    assert report.metadata["sent"] == 0 and report.metadata["cached"] == N_TASKS * 2
    assert check.metadata["failed"] == 0, check.description
    assert check.metadata["not_asked"] == failed
    assert runs.height == before + 1
    last = runs.row(-1, named=True)
    assert (last["round"], last["sent"], last["succeeded"], last["completion_tokens"]) == (None, 0, 0, 0)
    with Store.open(db) as s:
        run_generation(s, fixed)  # nothing decided since that pass: a run that changes nothing adds no row
        assert s.read("generate_runs").height == runs.height


def test_judge_tasks_without_a_rubric_stop_generate_before_any_request(tmp_path: Path) -> None:
    """A `verifier: judge` task with no rubric of its own while `verify.judge.rubric` is unset was generated for: every
    response of it then failed `judge:bad_args`, each sample paid for nothing, and nothing said so before the bill.
    Generate now stops before sending anything, naming the tasks and the setting; with a rubric it runs."""
    from pipeline.generate.backends.base import GenerateError

    db = tmp_path / "j.duckdb"
    tasks = planted_tasks(4).with_columns(
        pl.when(pl.col("task_id").is_in(["p000", "p001"])).then(pl.lit("judge")).otherwise("verifier").alias("verifier")
    )
    tasks = tasks.with_columns(
        pl.when(pl.col("task_id") == "p001")
        .then(pl.lit('{"rubric": "Correct sum, stated plainly."}'))
        .otherwise(pl.col("metadata"))
        .alias("metadata")
    )
    with Store.open(db) as s:
        s.insert("tasks", tasks)
    with OpenAIStub() as stub:
        stub.responder = planted_answer
        cfg = config(stub.url, tmp_path)
        cfg.generate.adaptive.think.enabled = False
        with Store.open(db) as s, pytest.raises(GenerateError) as err:
            run_generation(s, cfg)
        assert stub.stats.requests == 0
        message = str(err.value)
        assert "p000" in message and "p001" not in message and "verify.judge.rubric" in message, message
        cfg.verify.judge.rubric = "The sum is right."
        with Store.open(db) as s:
            report = run_generation(s, cfg)
        assert report.metadata["succeeded"] == 12 and stub.stats.requests >= 12


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_api_key_stops_the_run_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    """With the key's variable unset (or a wrong key), every request came back 401 and was recorded `bad_request`:
    `thinkmill generate` exited 0 ("ok: 0 errors: 3"), the Dagster refresh went green, and the new tasks never reached
    the dataset. Such a run now stops naming `generate.openai.api_key_env` and whether it is set (never its value),
    and the errors are recorded as `auth`."""
    from pipeline.generate.backends.base import GenerateError

    db = tmp_path / "k.duckdb"
    with Store.open(db) as s:
        s.insert("tasks", planted_tasks(2))
    monkeypatch.delenv("THINKMILL_TEST_KEY", raising=False)
    with OpenAIStub(status_for_all=status) as stub:
        cfg = config(stub.url, tmp_path)
        cfg.generate.adaptive.think.enabled = False
        cfg.generate.openai.api_key_env = "THINKMILL_TEST_KEY"
        with Store.open(db) as s, pytest.raises(GenerateError) as err:
            run_generation(s, cfg)
        message = str(err.value)
        assert "THINKMILL_TEST_KEY" in message and "api_key_env" in message and "is unset" in message, message
        with Store.open(db, read_only=True) as s:
            kinds = {e.split(":", 1)[0] for e in s.query("SELECT error FROM generations")["error"].to_list()}
        assert kinds == {"auth"}, kinds
        monkeypatch.setenv("THINKMILL_TEST_KEY", "sk-wrong-canary-123")
        with Store.open(db) as s, pytest.raises(GenerateError) as err:
            run_generation(s, cfg)
        assert "is set" in str(err.value) and "sk-wrong-canary-123" not in str(err.value)
