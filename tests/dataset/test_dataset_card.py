"""The card renders with a valid Hub YAML header, and its tables and figures show the database's numbers."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from pipeline.config import ThinkmillConfig
from pipeline.dataset.card import card_data, plot_filtering, plot_mix, plot_pass_rates, plot_think_tokens, write_card
from pipeline.dataset.versions import run as build_version
from pipeline.store import Store


@pytest.fixture
def store(db: Path, cfg: ThinkmillConfig):
    with Store.open(db) as s:
        build_version(s, cfg)
        yield s


def _bar_heights(ax) -> list[float]:
    return [round(p.get_height(), 6) for p in ax.patches]


def test_card_renders_with_hub_header(store: Store, tmp_path: Path) -> None:
    paths = write_card(store, "v1", tmp_path / "card", pretty_name="demo", tags=["math"])
    text = paths[0].read_text()
    assert text.startswith("---\n")
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["pretty_name"] == "demo"
    assert header["license"] == "other" and "apache-2.0" in header["license_details"]
    assert {"thinkmill", "hermes-4", "math"} <= set(header["tags"])
    assert header["configs"][0]["data_files"] == [
        {"split": "train", "path": "data/train-*.parquet"},
        {"split": "validation", "path": "data/validation-*.parquet"},
    ]
    for p in paths[1:]:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({p.relative_to(tmp_path / 'card').as_posix()})" in text
    assert "## Lineage" in text and "content hash" in text and "## Build settings" in text
    # same inputs, same bytes (publishing relies on it)
    again = write_card(store, "v1", tmp_path / "card2", pretty_name="demo", tags=["math"])
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]


def test_figures_match_the_database(store: Store) -> None:
    data = card_data(store, "v1")
    mix = store.query(
        "SELECT domain, mode, count(*) AS n FROM dataset_rows WHERE version_id = 'v1' GROUP BY 1, 2"
    ).rows()
    expected = {(d, m): n for d, m, n in mix}
    domains = sorted({d for d, _ in expected})
    ax = plot_mix(data).axes[0]
    assert _bar_heights(ax) == [expected.get((d, "think"), 0) for d in domains] + [
        expected.get((d, "no_think"), 0) for d in domains
    ]

    rates = store.query(
        "SELECT t.domain, v.mode, avg(CASE WHEN v.passed THEN 1.0 ELSE 0.0 END) FROM verdicts v "
        "JOIN tasks t USING (task_id) WHERE v.task_id IN (SELECT task_id FROM dataset_rows WHERE version_id = 'v1') "
        "GROUP BY 1, 2"
    ).rows()
    r = {(d, m): x for d, m, x in rates}
    ax = plot_pass_rates(data).axes[0]
    assert _bar_heights(ax) == pytest.approx(
        [r[(d, "think")] for d in domains] + [r[(d, "no_think")] for d in domains], abs=1e-4
    )

    fig = plot_filtering(data)
    dups = dict(store.query("SELECT reason, count(*) FROM task_duplicates GROUP BY 1 ORDER BY 1").rows())
    cont = dict(
        store.query("SELECT benchmark, count(DISTINCT task_id) FROM contamination GROUP BY 1 ORDER BY 1").rows()
    )
    assert _bar_heights(fig.axes[0]) == list(dups.values()) == [2, 1]
    assert _bar_heights(fig.axes[1]) == list(cont.values()) == [1, 2]

    think = store.query("SELECT think_tokens FROM dataset_rows WHERE version_id = 'v1' AND mode = 'think'")
    ax = plot_think_tokens(data).axes[0]
    assert sum(_bar_heights(ax)) == think.height
    assert sorted(data.think_tokens) == sorted(think.get_column("think_tokens").to_list())


def test_card_tables_show_counts(store: Store, tmp_path: Path) -> None:
    text = write_card(store, "v1", tmp_path / "c")[0].read_text()
    data = card_data(store, "v1")
    for d, modes in data.mix.items():
        t, n = modes.get("think", 0), modes.get("no_think", 0)
        assert f"| {d} | {t} | {n} | {t + n} |" in text
    assert "| aime24 | no | 1 |" in text and "| gpqa | no | 2 |" in text
    assert "| dedup:exact | 2 |" in text


# ------------------------------------------------------------------------------------------------ issue 14, finding 12
def _card(store: Store, tmp_path: Path, **kw) -> str:
    return write_card(store, "v1", tmp_path / "card-12", **kw)[0].read_text()


def test_no_benchmark_configured_is_not_checked_not_zero(db: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    with Store.open(db) as s:
        s.execute("DELETE FROM contamination")
        build_version(s, cfg)
        text = _card(s, tmp_path)
        fig = plot_filtering(card_data(s, "v1"))
    section = text.split("## Duplicates and decontamination")[1].split("\n## ")[0]
    assert "not checked" in section
    assert any("not checked" in t.get_text() for t in fig.axes[1].texts)
    assert "| - | 0 |" not in section and "contaminated tasks removed" not in section


def test_configured_benchmark_without_hits_shows_zero_and_hits_are_listed(
    db: Path, cfg: ThinkmillConfig, tmp_path: Path
) -> None:
    from pipeline.ingest.config import BenchmarkConfig

    cfg.decontam.benchmarks = [BenchmarkConfig(name="math500", path="bench/math500.jsonl")]
    with Store.open(db) as s:
        build_version(s, cfg)
        text = _card(s, tmp_path)
    section = text.split("## Duplicates and decontamination")[1].split("\n## ")[0]
    assert "not checked" not in section
    assert "| math500 | yes | 0 |" in section
    assert "| aime24 | no | 1 |" in section and "| gpqa | no | 2 |" in section


SECRET_URL = "http://user:secret@10.1.2.3:8000/v1"


def test_card_holds_no_url_host_or_credential(db: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    cfg.generate.openai.base_urls = [SECRET_URL, "https://api.internal.example:443/v1"]
    cfg.generate.openai.extra_body = {"api_key": "sk-live-0123456789"}
    cfg.generate.think.extra = {"auth_token": "sk-live-0123456789"}
    with Store.open(db) as s:
        s.execute(
            "UPDATE generations SET endpoint = ?, sampling_params = ?",
            [
                SECRET_URL,
                '{"temperature": 0.6, "max_tokens": 512, "api_key": "sk-live-0123456789", '
                '"base_url": "http://user:secret@10.1.2.3:8000/v1"}',
            ],
        )
        s.execute("UPDATE tasks SET prompt = prompt || ' see http://user:secret@10.1.2.3:8000/v1'")
        build_version(s, cfg, notes=f"built against {SECRET_URL}")
        text = _card(s, tmp_path, repo="org/name")
    for bad in ("://", "secret", "10.1.2.3", "sk-live", "internal.example", "github.com/thinkmill"):
        assert bad not in text, bad
    assert '"max_tokens": 512' in text  # sampling parameters stay, less the secret-looking keys


def test_provenance_comes_from_the_rows_generations(db: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    # the build-time config says openai / seed 7; the rows were generated by the batch backend with other seeds
    cfg.generate.backend = "openai"
    cfg.generate.seed = 7
    cfg.generate.model = "NousResearch/Hermes-4-70B"
    with Store.open(db) as s:
        s.execute(
            "UPDATE generations SET model_revision = 'abc123', seed = 1000 + sample_index, template_version = 'tmpl-9'"
        )
        build_version(s, cfg)
        text = _card(s, tmp_path)
        modes = dict(s.query("SELECT mode, count(*) FROM dataset_rows GROUP BY 1").rows())
    prov = text.split("## Generation provenance")[1].split("\n## ")[0]
    assert f"| think | batch | NousResearch/Hermes-4-14B | abc123 | tmpl-9 | {modes['think']} |" in prov
    assert f"| no_think | batch | NousResearch/Hermes-4-14B | abc123 | tmpl-9 | {modes['no_think']} |" in prov
    assert "1000" in prov and "Hermes-4-70B" not in text and "openai" not in prov
    assert "## Config" not in text  # the whole build-time config is not shown as if it generated the rows


def test_load_snippet_names_the_real_repo_or_path(store: Store, tmp_path: Path) -> None:
    text = _card(store, tmp_path, repo="my-org/my-set")
    assert 'load_dataset("my-org/my-set", revision="v1")' in text and '"REPO"' not in text
    text = _card(store, tmp_path, local_dir=str(tmp_path / "pub"))
    assert f'load_dataset("{tmp_path / "pub"}")' in text
    text = _card(store, tmp_path)
    assert f'load_version("{store.path}", "v1")' in text and "load_dataset(" not in text


def test_column_table_comes_from_the_contract(store: Store, tmp_path: Path) -> None:
    from pipeline.dataset.export import PUBLISHED_COLUMNS
    from schemas.contracts import DATASET_ROW

    text = _card(store, tmp_path)
    cols = text.split("## Columns")[1].split("\n## ")[0]
    for name in PUBLISHED_COLUMNS:
        assert f"| `{name}` |" in cols and DATASET_ROW.column(name).description in cols
    assert "`version_id`" not in cols


def test_published_files_hold_exactly_the_card_columns(store: Store) -> None:
    import io

    import polars as pl

    from pipeline.dataset.export import PUBLISHED_COLUMNS
    from pipeline.dataset.publish import bundle

    files = bundle(store, "v1")
    df = pl.read_parquet(io.BytesIO(files["data/train-00000-of-00001.parquet"]))
    assert set(df.columns) == set(PUBLISHED_COLUMNS)


def test_one_truncated_example_per_mode(db: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    with Store.open(db) as s:
        s.execute("UPDATE generations SET think = think || repeat('very long reasoning ', 400) WHERE mode = 'think'")
        build_version(s, cfg)
        text = _card(s, tmp_path)
    ex = text.split("## Example rows")[1].split("\n## ")[0]
    think, no_think = ex.split("### no_think")
    assert "### think" in think and "<think>" in think and "</think>" in think
    assert "characters omitted" in think and len(think) < 6000
    assert "<think>" not in no_think and "**assistant**" in no_think


def test_limitations_state_truncation_rates_and_lengths(db: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    with Store.open(db) as s:
        # 1 in 4 think generations of the version's tasks hit the length limit; no-think finish reasons unknown
        s.execute(
            "UPDATE generations SET finish_reason = CASE WHEN hash(key) % 4 = 0 THEN 'length' "
            "ELSE 'stop' END WHERE mode = 'think'"
        )
        s.execute("UPDATE generations SET finish_reason = NULL WHERE mode = 'no_think'")
        build_version(s, cfg)
        n, cut = s.query(
            "SELECT count(*), count(*) FILTER (WHERE finish_reason = 'length') FROM generations g "
            "WHERE mode = 'think' AND task_id IN (SELECT task_id FROM dataset_rows)"
        ).row(0)
        text = _card(s, tmp_path)
        data = card_data(s, "v1")
    lim = text.split("## Limitations")[1].split("\n## ")[0]
    assert f"| think | {n} | {cut} | {round(cut / n, 4)} |" in lim
    assert "| no_think |" in lim and "not recorded" in lim
    assert "final answer" in lim and "leak" in lim.lower()
    for mode in ("think", "no_think"):
        assert f"| {mode} | {data.lengths[mode]['rows']} |" in text
        assert str(data.lengths[mode]["p95"]) in text


def test_rows_cut_or_of_an_unknown_finish_are_counted_with_their_cause(
    db: Path, cfg: ThinkmillConfig, tmp_path: Path
) -> None:
    with Store.open(db) as s:
        off = cfg.model_copy(deep=True)
        off.verify.lints.enabled = ["repetition", "refusal", "language", "length"]
        build_version(s, off)
        # a version built from verdicts of lints 16 under `enabled` without think_format, which passed a cut think
        # text, a no-think text a server called `stop` at its max_tokens and no-think texts whose finish nothing
        # recorded
        s.execute("UPDATE verdicts SET verifier_version = 'exact/1+lints/16.0a1b2c3d' WHERE passed")
        s.execute("UPDATE generations SET finish_reason = 'length' WHERE mode = 'think'")
        s.execute("UPDATE generations SET finish_reason = NULL, completion_tokens = NULL WHERE mode = 'no_think'")
        s.execute(
            "UPDATE generations SET finish_reason = 'stop', completion_tokens = 500, "
            "sampling_params = json_object('max_tokens', 500) "
            "WHERE key = (SELECT min(generation_key) FROM dataset_rows WHERE mode = 'no_think')"
        )
        think, no_think, stopped, unknown = s.query(
            "SELECT count(*) FILTER (WHERE r.mode = 'think'), count(*) FILTER (WHERE r.mode = 'no_think'), "
            "count(*) FILTER (WHERE g.completion_tokens = 500), "
            "count(*) FILTER (WHERE g.finish_reason IS NULL) FROM dataset_rows r "
            "JOIN generations g ON g.key = r.generation_key"
        ).row(0)
        assert think and no_think > stopped == 1 and unknown
        text = _card(s, tmp_path)
    lim = " ".join(text.split("## Limitations")[1].split("\n## ")[0].split())
    assert (
        f"or did not finish (finish reason `length`, `abort`, `content_filter`, ..., or tokens that reached the "
        f"request's `max_tokens`): {think + stopped}" in lim
    )
    assert "judged before such generations were rejected" not in lim
    assert "lints 16" in lim and "think_format" in lim  # why they passed: their verdicts' lints and settings
    assert f"finish reason was not recorded: {unknown}" in lim


# ------------------------------------------------------------------------------------------------ issue 16
def _verification_lines(store: Store, version: str, out: Path) -> list[str]:
    """The card's pass-rate table rows and its verifier-audit line."""
    text = write_card(store, version, out)[0].read_text()
    section = text.split("## Verification\n", 1)[1].split("## Duplicates", 1)[0]
    return [ln for ln in section.splitlines() if ln.startswith("| ") or ln.startswith("Verifier audit")]


def _audit(store: Store, prefix: str, disagree: int) -> None:
    """Mark the think verdicts of batch `prefix` audited; the first `disagree` of them disagree."""
    like = [f"{prefix}%"]
    with store.writing() as w:
        w.execute("UPDATE verdicts SET audit_check = 'math:numeric' WHERE task_id LIKE ? AND mode = 'think'", like)
    keys = store.query(
        "SELECT generation_key, task_id, passed FROM verdicts WHERE task_id LIKE ? AND mode = 'think' "
        "ORDER BY generation_key LIMIT ?",
        [*like, disagree],
    )
    rows = [
        {"generation_key": k, "task_id": t, "verifier": "exact", "verifier_passed": p, "audit_check": "math:numeric"}
        | {"audit_passed": not p}
        for k, t, p in keys.iter_rows()
    ]
    store.insert("verifier_disagreements", pl.DataFrame(rows))


def test_pass_rates_and_audit_cover_the_versions_tasks_only(tmp_path: Path, cfg: ThinkmillConfig) -> None:
    """Two versions from different batches: v1's pass-rate table and audit line do not move when batch b lands
    (they counted every verdict in the database), and v2's lines differ from v1's."""
    from testing_support.seed import populate

    with Store.open(tmp_path / "two.duckdb") as store:
        populate(store, n_tasks=40, seed=0, prefix="a")
        _audit(store, "a", 2)
        build_version(store, cfg)
        v1_before = _verification_lines(store, "v1", tmp_path / "c1")
        populate(store, n_tasks=60, seed=7, prefix="b")
        _audit(store, "b", 30)
        build_version(store, cfg)
        v1_after = _verification_lines(store, "v1", tmp_path / "c2")
        v2 = _verification_lines(store, "v2", tmp_path / "c3")
        # and the section says so: a new user read its rates as the run's (tasks none of whose responses passed are
        # not in the version)
        text = write_card(store, "v2", tmp_path / "c4")[0].read_text()
        section = text.split("## Verification\n", 1)[1].split("|", 1)[0]
        assert "Tasks not in the version" in section and "not counted" in section, section
        audited_v1 = store.query(
            "SELECT count(*) FROM verdicts WHERE audit_check IS NOT NULL AND task_id IN "
            "(SELECT task_id FROM dataset_rows WHERE version_id = 'v1')"
        ).item()
    assert v1_after == v1_before
    assert f"`exact` 2/{audited_v1} " in v1_before[-1]
    assert v2 != v1_before
    assert v2[-1] != v1_before[-1] and v2[2:-1] != v1_before[2:-1]


@pytest.mark.parametrize(
    ("model", "licence"),
    [
        ("NousResearch/Hermes-4-70B", "llama3.1"),
        ("NousResearch/Hermes-4-405B-FP8", "llama3.1"),
        ("/models/hermes-4-70b-awq", "llama3.1"),
        ("NousResearch/Hermes-4-14B", "apache-2.0"),
        ("NousResearch/Hermes-4.3-36B", "apache-2.0"),
        ("my-org/custom-model", None),
    ],
)
def test_the_licence_of_a_models_responses(model: str, licence: str | None) -> None:
    from pipeline.dataset.card import response_license

    assert response_license(model) == licence


def test_the_header_counts_the_responses_licence_not_only_the_tasks(store: Store, tmp_path: Path) -> None:
    """Responses of Hermes-4-70B come under the Llama 3.1 Community License: a card whose header named only the
    tasks' licences (say MIT) misstated what a user may do with the dataset, and the card never said it."""
    store.execute("UPDATE generations SET model = 'NousResearch/Hermes-4-70B'")
    store.execute("UPDATE dataset_rows SET license = 'mit'")
    text = write_card(store, "v1", tmp_path / "card")[0].read_text()
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["license"] == "other"
    assert "mit (tasks)" in header["license_details"] and "llama3.1 (responses" in header["license_details"]
    assert "## Licences" in text and "Llama 3.1 Community License" in text and '"Llama" at the beginning' in text
    # responses of a model whose licence thinkmill does not know: said so, never left out
    store.execute("UPDATE generations SET model = 'my-org/custom-model'")
    text = write_card(store, "v1", tmp_path / "card2")[0].read_text()
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["license"] == "other" and "unknown (responses of my-org/custom-model)" in header["license_details"]
    assert "check its model card" in text
    # tasks and responses under one licence: that licence
    store.execute("UPDATE generations SET model = 'NousResearch/Hermes-4-14B'")
    store.execute("UPDATE dataset_rows SET license = 'apache-2.0'")
    header = yaml.safe_load(write_card(store, "v1", tmp_path / "card3")[0].read_text().split("---\n")[1])
    assert header["license"] == "apache-2.0" and "license_details" not in header


def test_the_card_counts_rows_with_their_tasks_own_system_prompt(store: Store, tmp_path: Path) -> None:
    import json

    from pipeline.trace import THINK_SYSTEM_PROMPT

    text = write_card(store, "v1", tmp_path / "card")[0].read_text()
    assert "own system prompt" not in text  # the fixture's tasks have none
    rows = store.query("SELECT example_id, mode, messages FROM dataset_rows WHERE version_id = 'v1' ORDER BY 1")
    (think_id, _, think_msgs), (plain_id, _, plain_msgs) = (
        next(r for r in rows.iter_rows() if r[1] == m) for m in ("think", "no_think")
    )
    think_msgs, plain_msgs = json.loads(think_msgs), json.loads(plain_msgs)
    think_msgs[0]["content"] = f"{THINK_SYSTEM_PROMPT}\n\nAnswer in French."
    plain_msgs.insert(0, {"role": "system", "content": "Answer in French."})
    for eid, msgs in ((think_id, think_msgs), (plain_id, plain_msgs)):
        store.execute("UPDATE dataset_rows SET messages = ? WHERE example_id = ?", [json.dumps(msgs), eid])
    text = write_card(store, "v1", tmp_path / "card2")[0].read_text()
    assert "1 think and 1 no-think rows also carry their task's own system prompt" in text


def test_the_card_names_the_languages_of_the_prompts(store: Store, tmp_path: Path) -> None:
    """The header said `language: [en]` whatever the rows held: a Chinese dataset was published as English."""

    english = "Tom has five apples and buys seven more at the market. How many apples does he have now?"
    chinese = "小明有五个苹果，又在市场上买了七个苹果。请问他现在一共有多少个苹果？请仔细计算并给出答案。"
    _assert_one_in_three_chinese(store, tmp_path, chinese, english)


def _assert_one_in_three_chinese(store: Store, tmp_path: Path, chinese: str, english: str) -> None:
    """Every third row of v1 asks `chinese` as its user turn, the others `english`: the card says en and zh, in
    those shares."""
    import json

    rows = store.query("SELECT example_id, messages FROM dataset_rows WHERE version_id = 'v1' ORDER BY 1").rows()
    for i, (eid, messages) in enumerate(rows):
        msgs = json.loads(messages)
        next(m for m in msgs if m["role"] == "user")["content"] = chinese if i % 3 == 0 else english
        store.execute("UPDATE dataset_rows SET messages = ? WHERE example_id = ?", [json.dumps(msgs), eid])
    text = write_card(store, "v1", tmp_path / "card")[0].read_text()
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["language"] == ["en", "zh"]
    zh = round(100 * len(rows[::3]) / len(rows))
    assert f"Languages of the prompts (detected on {len(rows)} of them): en {100 - zh}%, zh {zh}%." in text


def test_the_language_of_a_prompt_is_not_that_of_the_answer_instruction_thinkmill_appends(
    store: Store, tmp_path: Path
) -> None:
    """The user turns hold the prompt and the answer instruction thinkmill appends in English ("Put your final answer
    within \\boxed{}."): a short Chinese question as sent ("小明有 3 个苹果 ..." then the instruction) was detected as
    English, so a Chinese math set was published as `en`. The instruction is left out, and a prompt in a script
    whose characters are words or syllables (Han, kana, Hangul) is judged from 10 of them, not 40."""

    from pipeline.generate.templates import user_content

    english = "Tom has five apples and buys seven more at the market. How many apples does he have now?"
    chinese = "小明有 3 个苹果，又买了 4 个。他现在一共有几个苹果？"
    _assert_one_in_three_chinese(store, tmp_path, user_content(chinese, "math"), user_content(english, "math"))


def test_prompts_too_short_to_tell_name_no_language(store: Store, tmp_path: Path) -> None:
    """The fixture's prompts ("Problem t1: 2+1?") hold too few letters: no language is claimed."""
    text = write_card(store, "v1", tmp_path / "card")[0].read_text()
    assert "language" not in yaml.safe_load(text.split("---\n")[1])
    assert "Languages: not detected" in text


def test_pass_rates_leave_out_responses_that_were_not_judged(store: Store, tmp_path: Path) -> None:
    """`thinkmill demo` without bubblewrap fails every code trace `code:sandbox_unavailable`: the card showed a 0%
    code pass rate for code that never ran. Responses never judged (`verify.result.NOT_JUDGED`) are counted apart."""
    domain, mode, key = store.query(
        "SELECT t.domain, v.mode, v.generation_key FROM verdicts v JOIN tasks t USING (task_id) "
        "WHERE v.task_id IN (SELECT task_id FROM dataset_rows WHERE version_id = 'v1') ORDER BY 3 LIMIT 1"
    ).row(0)
    before = card_data(store, "v1").pass_counts[domain][mode]
    store.execute(
        "UPDATE verdicts SET passed = false, reason = 'code:sandbox_unavailable' WHERE generation_key = ?", [key]
    )
    data = card_data(store, "v1")
    passed, judged = data.pass_counts[domain][mode]
    assert judged == before[1] - 1 and passed in (before[0], before[0] - 1)
    assert data.not_judged[domain][mode] == 1
    assert data.pass_rates[domain][mode] == round(passed / judged, 4)
    text = write_card(store, "v1", tmp_path / "card")[0].read_text()
    assert f"| {domain} | {mode} | {passed} | {judged} | 1 | {data.pass_rates[domain][mode]} |" in text


@pytest.mark.parametrize(
    ("balance", "rows_target", "tokens_target"),
    [
        ({}, "0.7", ""),
        ({"think_share_tokens": 0.6}, "0.7 (not enforced: the token share is)", "0.6"),
    ],
)
def test_balance_table_shows_the_enforced_target(
    db: Path, cfg: ThinkmillConfig, tmp_path: Path, balance: dict, rows_target: str, tokens_target: str
) -> None:
    """With a token target the build enforces the token share, not `think_share_rows` (default 0.7): the card showed
    that unenforced row target beside the drifting row share, as if the version had missed it."""
    cfg = cfg.model_copy(update={"balance": cfg.balance.model_copy(update=balance)})
    with Store.open(db) as s:
        build_version(s, cfg)
        text = write_card(s, "v1", tmp_path / "c")[0].read_text()
        overall = card_data(s, "v1").version["stats"]["overall"]
    assert f"| think share by rows | {rows_target} | {overall['think_share_rows']} |" in text
    assert f"| think share by tokens | {tokens_target} | {overall['think_share_tokens']} |" in text


def test_balance_table_shows_the_per_domain_settings_in_force(db: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    """A per-domain think share or quota changed what the version holds, but the card's targets table showed only the
    global target (0.7) beside the global share, as if math's 0.4 had missed it; each one now has its own row."""
    cfg = cfg.model_copy(
        update={
            "balance": cfg.balance.model_copy(
                update={"domain_think_share": {"math": 0.4}, "domain_quotas": {"code": 10}}
            )
        }
    )
    with Store.open(db) as s:
        build_version(s, cfg)
        text = write_card(s, "v1", tmp_path / "c")[0].read_text()
        stats = card_data(s, "v1").version["stats"]
    math = stats["domains"]["math"]["think_share_rows"]
    assert f"| think share by rows, domain math | 0.4 | {math} |" in text
    assert "| rows, domain code (quota) | 10 | 10 |" in text
    # the overall row named the global 0.7 alone beside a share the think_ratio check judges against the mix of the
    # domains' targets: it names that mix too
    from pipeline.dataset.balance import target_mix

    domains = stats["domains"]
    mix = target_mix({d: sum(m["rows"].values()) for d, m in domains.items()}, {"math": 0.4}, 0.7)
    assert mix is not None and mix < 0.7
    overall = stats["overall"]["think_share_rows"]
    assert f"| think share by rows | 0.7 (the domains' targets mixed: {round(mix, 4)}) | {overall} |" in text


@pytest.mark.parametrize(
    ("rows", "category"),
    [(999, "n<1K"), (1_000, "1K<n<10K"), (9_999_999, "1M<n<10M"), (12_000_000, "10M<n<100M"), (2 * 10**8, "100M<n<1B")],
)
def test_size_category_is_one_the_hub_knows(rows: int, category: str) -> None:
    """A version of 10M rows or more was tagged `n>10M`, which is none of the Hub's size categories."""
    import json
    from importlib.resources import files

    from pipeline.dataset.card import _size_category

    known = json.loads(files("datasets.utils.resources").joinpath("size_categories.json").read_text())
    assert _size_category(rows) == category and category in known


@pytest.mark.parametrize(
    ("text", "hub_id"),
    [
        ("Apache 2.0", "apache-2.0"),
        ("Apache License, Version 2.0", "apache-2.0"),
        ("Apache-2.0", "apache-2.0"),
        ("apache2", "apache-2.0"),
        ("MIT License", "mit"),
        ("The MIT License", "mit"),
        ("CC BY 4.0", "cc-by-4.0"),
        ("CC-BY-4.0", "cc-by-4.0"),
        ("Creative Commons Attribution 4.0 International", "cc-by-4.0"),
        ("CC BY-SA 4.0", "cc-by-sa-4.0"),
        ("Creative Commons Attribution-ShareAlike 3.0", "cc-by-sa-3.0"),
        ("CC BY-NC-SA 4.0", "cc-by-nc-sa-4.0"),
        ("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International", "cc-by-nc-nd-4.0"),
        ("CC0", "cc0-1.0"),
        ("CC0 1.0 Universal", "cc0-1.0"),
        ("GPL-3.0-only", "gpl-3.0"),
        ("GPLv3", "gpl-3.0"),
        ("GNU General Public License v3.0", "gpl-3.0"),
        ("GNU Lesser General Public License v2.1", "lgpl-2.1"),
        ("MIT-0", None),
        ("BSD 3-Clause License", "bsd-3-clause"),
        ("ODC-BY", "odc-by"),
        ("ODbL-1.0", "odbl"),
        ("unknown", "unknown"),
        ("llama3.1", "llama3.1"),
        ("Research use only", None),
        ("GPL-3.0-or-later", None),
        ("see the paper", None),
    ],
)
def test_a_sources_licence_text_names_its_hub_licence_id(text: str, hub_id: str | None) -> None:
    from pipeline.dataset.card import hub_license

    assert hub_license(text) == hub_id


def test_the_header_names_hub_licence_ids_and_other_for_free_text(store: Store, tmp_path: Path) -> None:
    """Task licences were only lower-cased: `Apache 2.0` became the header's licence `apache 2.0`, an id the Hub
    does not know (the repo showed no licence), and `MIT` beside `MIT License` counted as two licences."""
    store.execute("UPDATE generations SET model = 'NousResearch/Hermes-4-14B'")  # responses: apache-2.0
    store.execute("UPDATE dataset_rows SET license = 'Apache 2.0'")
    header = yaml.safe_load(write_card(store, "v1", tmp_path / "c1")[0].read_text().split("---\n")[1])
    assert header["license"] == "apache-2.0" and "license_details" not in header
    store.execute("UPDATE dataset_rows SET license = CASE WHEN domain = 'math' THEN 'MIT' ELSE 'MIT License' END")
    header = yaml.safe_load(write_card(store, "v1", tmp_path / "c2")[0].read_text().split("---\n")[1])
    assert header["license"] == "other" and header["license_details"] == (
        "mit (tasks), apache-2.0 (responses of NousResearch/Hermes-4-14B)"
    )
    # a licence the Hub has no id for: `other`, its text kept in the header's details and in the body
    store.execute("UPDATE dataset_rows SET license = 'Research use only'")
    text = write_card(store, "v1", tmp_path / "c3")[0].read_text()
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["license"] == "other"
    assert "Research use only (tasks)" in header["license_details"]
    body = text.split("---\n", 2)[2]
    assert "Research use only" in body.split("## Licences", 1)[1]


def test_card_gives_no_cost_for_generations_without_token_counts(db: Path, cfg: ThinkmillConfig) -> None:
    """Generations whose server reported no usage carry no token counts. They were summed as 0 tokens, so a priced
    card stated "$0.0000" per row; now the cost is n/a and the card says why."""
    from pipeline.dataset.card import render_card
    from pipeline.generate.config import CostConfig

    cfg.cost = CostConfig(price_per_million_input=1.0, price_per_million_output=4.0)
    with Store.open(db) as s:
        s.execute("UPDATE generations SET prompt_tokens = 100, completion_tokens = 500 WHERE mode = 'no_think'")
        build_version(s, cfg)
        missing = s.query("SELECT count(*) FROM generations WHERE error IS NULL AND mode = 'think'").item()
        data = card_data(s, "v1")
        text = render_card(data)
    assert data.cost["by_mode"]["think"]["usd_per_accepted"] is None
    assert data.cost["by_mode"]["no_think"]["usd_per_accepted"] is not None
    assert "Cost per accepted think trace: n/a;" in text
    assert f"{missing:,} generations carry no token counts" in text


def test_the_card_counts_rows_a_template_splitting_at_think_close_would_cut(store: Store, tmp_path: Path) -> None:
    """The Hub files are the inline `messages` rows, trained with whatever template the reader's model has: a row
    whose answer quotes `</think>` in code is cut by Qwen3-style templates (the export warns, the Hub reader saw
    nothing). The card's limitations count them and name the template that renders them whole."""
    import json

    text = write_card(store, "v1", tmp_path / "card")[0].read_text()
    assert "quote `</think>`" not in text  # the fixture's answers do not
    rows = store.query("SELECT example_id, mode, messages FROM dataset_rows WHERE version_id = 'v1' ORDER BY 1")
    for eid, _, messages in (next(r for r in rows.iter_rows() if r[1] == m) for m in ("think", "no_think")):
        msgs = json.loads(messages)
        msgs[-1]["content"] += "\n\n```python\nprint(s.split('</think>')[-1])\n```"
        store.execute("UPDATE dataset_rows SET messages = ? WHERE example_id = ?", [json.dumps(msgs), eid])
    assert card_data(store, "v1").quoted_think_close == 2
    text = write_card(store, "v1", tmp_path / "card2")[0].read_text()
    assert "2 rows quote `</think>` in the assistant turn beyond its think block" in text


def test_a_domain_with_no_row_in_the_version_is_named(tmp_path: Path, cfg: ThinkmillConfig) -> None:
    """A domain whose every response failed (call-based tests read as stdin cases: code passed 0 of 24) left the card
    without a word, since its pass-rate table counts the version's tasks: the one line that would have shown the
    defect was missing. The Verification section names such domains with their tasks and judged responses."""
    from testing_support.seed import populate

    with Store.open(tmp_path / "d.duckdb") as store:
        populate(store, n_tasks=40, seed=0)
        code = "SELECT task_id FROM tasks WHERE domain = 'code'"
        store.execute(f"UPDATE verdicts SET passed = false, reason = 'code:wrong_output' WHERE task_id IN ({code})")
        store.execute(f"DELETE FROM trace_selection WHERE task_id IN ({code})")  # as select leaves failing traces
        n_tasks = store.query(f"SELECT count(*) FROM ({code})").item()
        judged = store.query(f"SELECT count(*) FROM verdicts WHERE task_id IN ({code})").item()
        build_version(store, cfg)
        text = write_card(store, "v1", tmp_path / "card")[0].read_text()
        section = text.split("## Verification\n", 1)[1].split("## Duplicates", 1)[0]
    assert f"code ({n_tasks} tasks, 0 of {judged} judged responses passed)" in section, section
    assert "math (" not in section.split("Domains judged but without a row")[1].split("\n")[0]


def test_a_finish_reason_in_capitals_is_no_cut_row(db: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    """`Stop` / `STOP` is a normal end, as the lints read it (lints 17): the card counted such rows as cut."""
    with Store.open(db) as s:
        build_version(s, cfg)
        s.execute("UPDATE generations SET finish_reason = 'STOP'")
        text = _card(s, tmp_path)
    lim = " ".join(text.split("## Limitations")[1].split("\n## ")[0].split())
    cut = lim.split("or tokens that reached the request's `max_tokens`): ", 1)[1].split(" ", 1)[0]
    assert cut.startswith("0"), lim.split("or did not finish", 1)[1][:300]


def test_the_card_counts_the_traces_select_left_out_as_duplicates(db: Path, cfg: ThinkmillConfig, tmp_path) -> None:
    """The Duplicates section counted ingest's duplicate tasks only: the passing traces select dropped as near or
    exact duplicates of a kept trace (or over its cap) were nowhere on the card."""
    with Store.open(db) as s:
        build_version(s, cfg)
        before = _card(s, tmp_path)
        assert "Selection left out no passing trace" in before.split("## Duplicates and decontamination")[1]
        both = s.query(  # tasks of the version with two kept think traces
            "SELECT task_id, list(generation_key ORDER BY generation_key) AS keys FROM trace_selection "
            "WHERE mode = 'think' AND task_id IN (SELECT task_id FROM dataset_rows WHERE version_id = 'v1') "
            "GROUP BY 1 HAVING count(*) = 2 ORDER BY 1 LIMIT 12"
        ).rows()
        dups, capped = both[:6], both[6:]
        for _, (kept, dup) in dups:
            s.execute(
                "UPDATE trace_selection SET selected = false, reason = ? WHERE generation_key = ?",
                [f"dedup:duplicate_of:{kept}", dup],
            )
        for _, (_, over) in capped:
            s.execute(
                "UPDATE trace_selection SET selected = false, reason = 'select:over_cap' WHERE generation_key = ?",
                [over],
            )
        version = build_version(s, cfg).metadata["version"]
        text = write_card(s, version, tmp_path / "after")[0].read_text()
        kept_tasks = set(s.query("SELECT task_id FROM dataset_rows WHERE version_id = ?", [version])["task_id"])
    n_dup = sum(t in kept_tasks for t, _ in dups)  # the card counts the version's tasks (balance drops some)
    n_cap = sum(t in kept_tasks for t, _ in capped)
    assert version != "v1" and n_dup and n_cap
    section = text.split("## Duplicates and decontamination")[1].split("\n## ")[0]
    assert "| dedup:exact | 2 |" in section  # ingest's, as before
    assert f"| near or exact duplicate of a kept trace | {n_dup} | 0 | {n_dup} |" in section
    assert f"| over `select.max_per_task` | {n_cap} | 0 | {n_cap} |" in section
