"""Training-ready exports (issue 19): the reasoning field, the shipped Hermes 4 training templates, TRL's
SFTTrainer with assistant-only loss on a tiny random model."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import polars as pl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import ThinkmillConfig
from pipeline.dataset.chat_format import render_chatml, render_llama3, training_template
from pipeline.dataset.errors import DatasetError
from pipeline.dataset.export import export_version
from pipeline.dataset.messages import STANDARD_SYSTEM_PROMPT, build_messages
from pipeline.dataset.versions import run as build_version
from pipeline.dataset.versions import version_rows
from pipeline.store import Store
from pipeline.trace import THINK_SYSTEM_PROMPT, parse_trace
from testing_support.tiny_models import build_tiny_model, tiny_corpus


@pytest.fixture(autouse=True)
def _config(monkeypatch: pytest.MonkeyPatch, sample_config: Path) -> None:
    """The CLI needs a config (it never falls back to the sample); these tests export with the sample's."""
    monkeypatch.setenv("THINKMILL_CONFIG", str(sample_config))


@pytest.fixture
def built(db: Path, cfg: ThinkmillConfig) -> Path:
    with Store.open(db) as store:
        build_version(store, cfg)
    return db


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny")
    return {f: build_tiny_model(root / f, f, tiny_corpus()) for f in ("chatml", "llama3")}


def _tokenizer(path: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(path), local_files_only=True)


def _generations(db: Path) -> dict[str, tuple[str | None, str]]:
    with Store.open(db, read_only=True) as store:
        return {
            r["key"]: (r["think"], r["answer"])
            for r in store.query("SELECT key, think, answer FROM generations").iter_rows(named=True)
        }


# ------------------------------------------------------------------------------------------- reasoning field
@pytest.mark.parametrize("field", ["inline", "reasoning_content", "thinking"])
def test_reasoning_field_round_trip(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, tiny: dict[str, Path], field: str
) -> None:
    """Export, render with a template that reads the field, parse back: the same think and answer."""
    out = tmp_path / field
    res = CliRunner().invoke(
        main,
        [
            "export",
            "--version",
            "v1",
            "--format",
            "messages",
            "--out",
            str(out),
            "--reasoning-field",
            field,
            "--db",
            str(built),
            "--file-format",
            "jsonl",
        ],
    )
    assert res.exit_code == 0, res.output
    ds = datasets.load_dataset("json", data_files={"train": str(out / "train.jsonl")})["train"]
    tok = _tokenizer(tiny["chatml"])
    gens = _generations(built)
    modes = set()
    for ex in ds:
        modes.add(ex["mode"])
        assistant = ex["messages"][-1]
        think, answer = gens[ex["generation_key"]]
        if field != "inline":
            assert assistant["content"] == answer.strip()  # the answer alone
            assert assistant[field] == (think.strip() if ex["mode"] == "think" else None)
        else:
            assert field not in assistant
        text = tok.apply_chat_template(ex["messages"], tokenize=False)
        reply = text.rsplit("<|im_start|>assistant\n", 1)[1].removesuffix("<|im_end|>\n")
        parsed = parse_trace(reply, ex["mode"])  # type: ignore[arg-type]
        assert parsed.answer == answer.strip()
        assert parsed.think == (think.strip() if ex["mode"] == "think" else None)
    assert modes == {"think", "no_think"}


def test_reasoning_content_is_read_by_qwen3_style_templates(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, tiny: dict[str, Path]
) -> None:
    """TRL's copy of the Qwen3 template reads `reasoning_content`: the think block comes back from it."""
    import trl

    qwen3 = (Path(trl.__file__).parent / "chat_templates" / "qwen3.jinja").read_text()
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "messages", tmp_path, cfg, ("jsonl",), reasoning_field="reasoning_content")
    ex = next(json.loads(line) for line in (tmp_path / "train.jsonl").open() if '"mode": "think"' in line)
    think, answer = _generations(built)[ex["generation_key"]]
    text = _tokenizer(tiny["chatml"]).apply_chat_template(ex["messages"], tokenize=False, chat_template=qwen3)
    parsed = parse_trace(text.rsplit("<|im_start|>assistant\n", 1)[1].removesuffix("<|im_end|>\n"))
    assert (parsed.think, parsed.answer) == (think.strip(), answer.strip())


def _quote_think_close(store: Store, mode: str) -> str:
    """Append a code block that prints `</think>` to the answer of one `mode` row of v1; its example id."""
    eid = version_rows(store, "v1").filter(mode=mode).sort("example_id").row(0, named=True)["example_id"]
    row = store.fetchone("SELECT messages FROM dataset_rows WHERE version_id = 'v1' AND example_id = ?", [eid])
    assert row is not None
    msgs = json.loads(row[0])
    msgs[-1]["content"] += "\n\n```python\nprint('</think>')\n```"
    with store.writing() as con:
        con.execute(
            "UPDATE dataset_rows SET messages = ? WHERE version_id = 'v1' AND example_id = ?", [json.dumps(msgs), eid]
        )
    return eid


def test_rows_quoting_think_close_are_counted_where_a_template_would_split_them(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, tiny: dict[str, Path]
) -> None:
    """An answer may quote `</think>` in its code (kept whole, docs/verifiers.md). The shipped template renders
    such a row whole, but Qwen3-style templates (TRL's qwen3.jinja) split `content` at its last `</think>` wherever
    the reasoning field is not a string: the think row trains on a cut answer, the no-think row on a made-up think
    block. Before, the export wrote them without a word; now it counts them (by layout) and says so."""
    import trl

    from pipeline.dataset.export import run as export_run

    qwen3 = (Path(trl.__file__).parent / "chat_templates" / "qwen3.jinja").read_text()
    tok = _tokenizer(tiny["chatml"])
    with Store.open(built) as store:
        think_id = _quote_think_close(store, "think")
        no_think_id = _quote_think_close(store, "no_think")
        got = {}
        for field in ("inline", "reasoning_content"):
            report = export_run(
                store, cfg, version="v1", fmt="messages", out=tmp_path / field, file_formats=("jsonl",),
                reasoning_field=field,  # type: ignore[arg-type]
            )  # fmt: skip
            got[field] = report
            rows = {
                (ex := json.loads(line))["example_id"]: ex
                for split in ("train", "validation")
                if (tmp_path / field / f"{split}.jsonl").exists()
                for line in (tmp_path / field / f"{split}.jsonl").open()
            }
            for eid in (think_id, no_think_id):  # the premise: qwen3.jinja cuts the answer
                answer = rows[eid]["messages"][-1]["content"].split("\n</think>\n\n")[-1]
                text = tok.apply_chat_template(rows[eid]["messages"], tokenize=False, chat_template=qwen3)
                assert (answer in text) == (field != "inline" and eid == think_id), (field, eid)
        text_report = export_run(store, cfg, version="v1", fmt="text", out=tmp_path / "t", file_formats=("jsonl",))
    assert got["inline"].metadata["quoted_think_close_rows"] == 2
    assert got["inline"].metadata["quoted_think_close_examples"] == sorted([think_id, no_think_id])
    # with the think text in reasoning_content, qwen3.jinja reads think rows as written: only no-think rows count
    assert got["reasoning_content"].metadata["quoted_think_close_rows"] == 1
    assert got["reasoning_content"].metadata["quoted_think_close_examples"] == [no_think_id]
    assert any("warning: 2 rows" in line and "</think>" in line for line in got["inline"].summary)
    assert "quoted_think_close_rows" not in text_report.metadata  # rendered text: nothing left to split


def test_rows_quoting_think_close_can_be_left_out(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, tiny: dict[str, Path]
) -> None:
    """`drop_quoted_think_close` (`thinkmill export --drop-quoted-think-close`): for a recipe that renders with a
    Qwen3-style template, the rows it would train cut are left out of the files (counted and named in the report,
    no warning), every other row written as before; with a reasoning field only the no-think row is left out."""
    import trl

    from pipeline.dataset.export import run as export_run

    qwen3 = (Path(trl.__file__).parent / "chat_templates" / "qwen3.jinja").read_text()
    tok = _tokenizer(tiny["chatml"])

    def written(folder: Path) -> dict[str, dict]:
        return {
            (ex := json.loads(line))["example_id"]: ex
            for split in ("train", "validation")
            if (folder / f"{split}.jsonl").exists()
            for line in (folder / f"{split}.jsonl").open()
        }

    with Store.open(built) as store:
        think_id = _quote_think_close(store, "think")
        no_think_id = _quote_think_close(store, "no_think")
        for field, left_out in (("inline", {think_id, no_think_id}), ("reasoning_content", {no_think_id})):
            kept = export_run(
                store, cfg, version="v1", fmt="messages", out=tmp_path / f"all-{field}",
                file_formats=("jsonl", "parquet"), reasoning_field=field,  # type: ignore[arg-type]
            )  # fmt: skip
            report = export_run(
                store, cfg, version="v1", fmt="messages", out=tmp_path / field, file_formats=("jsonl", "parquet"),
                reasoning_field=field, drop_quoted_think_close=True,  # type: ignore[arg-type]
            )  # fmt: skip
            everything, written_ids = written(tmp_path / f"all-{field}"), written(tmp_path / field)
            assert set(everything) - set(written_ids) == left_out, field
            assert all(written_ids[e] == everything[e] for e in written_ids)
            parquet = pl.concat(pl.read_parquet(p) for p in sorted((tmp_path / field).glob("*.parquet")))
            assert set(parquet["example_id"]) == set(written_ids)
            assert report.rows_out == kept.rows_out - len(left_out)
            assert report.metadata["quoted_think_close_dropped"] == len(left_out)
            assert report.metadata["quoted_think_close_examples"] == sorted(left_out)
            assert not any(line.startswith("warning:") for line in report.summary)
            assert any(f"left out {len(left_out)} row" in line for line in report.summary)
            for ex in written_ids.values():  # what is left reads as written under qwen3.jinja
                answer = ex["messages"][-1]["content"].split("\n</think>\n\n")[-1]
                assert answer in tok.apply_chat_template(ex["messages"], tokenize=False, chat_template=qwen3)
        with pytest.raises(DatasetError, match="sharegpt"):
            export_version(store, "v1", "sharegpt", tmp_path / "s", cfg, drop_quoted_think_close=True)
    args = ["export", "--version", "v1", "--out", str(tmp_path / "cli"), "--db", str(built), "--file-format", "jsonl"]
    res = CliRunner().invoke(main, [*args, "--drop-quoted-think-close"])
    assert res.exit_code == 0, res.output
    assert "left out 2 rows" in res.output and "warning" not in res.output
    assert set(written(tmp_path / "cli")) == set(written(tmp_path / "all-inline")) - {think_id, no_think_id}


def test_reasoning_field_only_for_messages(built: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    with Store.open(built, read_only=True) as store, pytest.raises(DatasetError, match="sharegpt"):
        export_version(store, "v1", "sharegpt", tmp_path, cfg, reasoning_field="thinking")


def test_malformed_think_turn_names_the_example(built: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    with Store.open(built) as store:
        eid = version_rows(store, "v1").filter(mode="think").row(0, named=True)["example_id"]
        bad = json.dumps(build_messages("no_think", "q", "just an answer"))
        with store.writing() as con:
            con.execute("UPDATE dataset_rows SET messages = ? WHERE example_id = ?", [bad, eid])
        with pytest.raises(DatasetError, match=eid):
            export_version(store, "v1", "messages", tmp_path, cfg, reasoning_field="reasoning_content")


# ------------------------------------------------------------------------------------------- training templates
@pytest.mark.parametrize(("fmt", "render"), [("chatml", render_chatml), ("llama3", render_llama3)])
def test_training_template_renders_plainly(tiny: dict[str, Path], fmt: str, render) -> None:
    """Without a mask request the markers change nothing: the text is the chat format's, the reasoning prompt
    is there exactly once (also with thinking=True), no-think rows get Hermes 4's standard system prompt."""
    tok = _tokenizer(tiny[fmt])
    think = build_messages("think", "Q?", "A.", think="hmm")
    no_think = build_messages("no_think", "Q?", "A.")
    assert tok.apply_chat_template(think, tokenize=False) == render(think)
    for flag in (False, True):
        assert tok.apply_chat_template(think, tokenize=False, thinking=flag).count(THINK_SYSTEM_PROMPT) == 1
    with_standard = [{"role": "system", "content": STANDARD_SYSTEM_PROMPT}, *no_think]
    assert tok.apply_chat_template(no_think, tokenize=False) == render(with_standard)
    on = tok.apply_chat_template(no_think, tokenize=False, thinking=True, add_generation_prompt=True)
    assert on.count(THINK_SYSTEM_PROMPT) == 1 and STANDARD_SYSTEM_PROMPT not in on
    extra = [{"role": "system", "content": "Answer briefly."}, *no_think]
    on = tok.apply_chat_template(extra, tokenize=False, thinking=True)
    assert on.count(THINK_SYSTEM_PROMPT) == 1 and "Answer briefly." in on
    # rows of a task with its own system prompt: rendered as built, the reasoning prompt once, in either mode
    own_think = build_messages("think", "Q?", "A.", think="hmm", system="Answer briefly.")
    own_plain = build_messages("no_think", "Q?", "A.", system="Answer briefly.")
    assert tok.apply_chat_template(own_think, tokenize=False) == render(own_think)
    assert tok.apply_chat_template(own_plain, tokenize=False) == render(own_plain)
    for flag in (False, True):
        text = tok.apply_chat_template(own_think, tokenize=False, thinking=flag)
        assert text.count(THINK_SYSTEM_PROMPT) == 1 and text.count("Answer briefly.") == 1
    assert STANDARD_SYSTEM_PROMPT not in tok.apply_chat_template(own_plain, tokenize=False)
    assert "{% generation %}" in training_template(fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("model", "fmt"), [("NousResearch/Hermes-4-14B", "chatml"), ("NousResearch/Hermes-4-405B", "llama3")]
)
def test_template_out_writes_the_versions_model_template(
    db: Path, cfg: ThinkmillConfig, tmp_path: Path, model: str, fmt: str
) -> None:
    with Store.open(db) as store:
        store.query("UPDATE generations SET model = ?", [model])
        build_version(store, cfg)
    res = CliRunner().invoke(
        main,
        [
            "export",
            "--version",
            "v1",
            "--out",
            str(tmp_path / "x"),
            "--db",
            str(db),
            "--template-out",
            str(tmp_path / "tpl"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "tpl" / "chat_template.jinja").read_text() == training_template(fmt)  # type: ignore[arg-type]
    assert str(tmp_path / "tpl" / "chat_template.jinja") in res.output


def test_template_out_refuses_mixed_chat_formats(db: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    with Store.open(db) as store:
        store.query("UPDATE generations SET model = 'NousResearch/Hermes-4-70B' WHERE mode = 'no_think'")
        build_version(store, cfg)
    res = CliRunner().invoke(
        main,
        [
            "export",
            "--version",
            "v1",
            "--out",
            str(tmp_path / "x"),
            "--db",
            str(db),
            "--template-out",
            str(tmp_path / "tpl"),
        ],
    )
    assert res.exit_code == 1 and "Hermes-4-70B: llama3" in res.output


# ------------------------------------------------------------------------------------------- TRL SFTTrainer
def _few_rows(path: Path, per_mode: int = 3) -> list[dict]:
    rows = [json.loads(line) for line in path.open()]
    return [r for m in ("think", "no_think") for r in [x for x in rows if x["mode"] == m][:per_mode]]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["chatml", "llama3"])
def test_sft_assistant_only_loss_masks_exactly_the_assistant_turn(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, tiny: dict[str, Path], fmt: str
) -> None:
    """TRL's SFTTrainer, 2 steps on CPU, the shipped template, assistant_only_loss=True: the loss mask covers the
    assistant turn (think block included, end-of-turn token included) and nothing else; no-think rows carry no
    think tokens."""
    from transformers import AutoModelForCausalLM
    from trl import SFTConfig, SFTTrainer

    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "messages", tmp_path / "m", cfg, ("jsonl",))
    rows = _few_rows(tmp_path / "m" / "train.jsonl")
    ds = datasets.Dataset.from_list([{"messages": r["messages"]} for r in rows])
    tok = _tokenizer(tiny[fmt])
    args = SFTConfig(
        output_dir=str(tmp_path / "out"),
        max_steps=2,
        per_device_train_batch_size=2,
        assistant_only_loss=True,
        max_length=2048,
        report_to="none",
        save_strategy="no",
        logging_steps=1,
        use_cpu=True,
        dataloader_num_workers=0,
    )
    trainer = SFTTrainer(
        model=AutoModelForCausalLM.from_pretrained(str(tiny[fmt])), args=args, train_dataset=ds, processing_class=tok
    )
    eot = "<|im_end|>" if fmt == "chatml" else "<|eot_id|>"
    think_ids = {tok.convert_tokens_to_ids("<think>"), tok.convert_tokens_to_ids("</think>")}
    train = trainer.train_dataset
    assert train.num_rows == len(rows)
    for i, r in enumerate(rows):
        ex = train[i]
        batch = trainer.data_collator([ex])
        labels = batch["labels"][0].tolist()
        ids = batch["input_ids"][0].tolist()
        trained = [t for t, lab in zip(ids, labels, strict=True) if lab != -100]
        assert trained == [t for t, lab in zip(ex["input_ids"], ex["labels"], strict=True) if lab != -100]
        assert tok.decode(trained) == r["messages"][-1]["content"] + eot  # exactly the assistant turn
        if r["mode"] == "think":
            assert think_ids <= set(trained) and tok.decode(trained).startswith("<think>\n")
        else:
            assert not think_ids & set(ids)
        untrained = tok.decode([t for t, lab in zip(ids, labels, strict=True) if lab == -100])
        assert r["messages"][-2]["content"] in untrained  # the prompt is there, without loss
    result = trainer.train()
    assert result.global_step == 2
    assert all(h["loss"] == h["loss"] and h["loss"] > 0 for h in trainer.state.log_history if "loss" in h)


@pytest.mark.parametrize("model", ["NousResearch/Hermes-4-14B", "NousResearch/Hermes-4-70B"])
def test_text_export_matches_the_training_template(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, tiny: dict[str, Path], model: str
) -> None:
    """The `text` export and the `messages` export rendered with the training template give the same text for
    both modes (the text export leaves the final end-of-turn and Llama 3's begin-of-text to the trainer)."""
    from pipeline.dataset.chat_format import chat_format_for

    fmt = chat_format_for(model)
    cfg.publish.chat_model = model
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "text", tmp_path / "t", cfg, ("jsonl",))
        export_version(store, "v1", "messages", tmp_path / "m", cfg, ("jsonl",))
    texts = {json.loads(line)["example_id"]: json.loads(line)["text"] for line in (tmp_path / "t/train.jsonl").open()}
    tok = _tokenizer(tiny[fmt])
    eot = "<|im_end|>\n" if fmt == "chatml" else "<|eot_id|>"
    modes = set()
    for line in (tmp_path / "m" / "train.jsonl").open():
        ex = json.loads(line)
        modes.add(ex["mode"])
        rendered = tok.apply_chat_template(ex["messages"], tokenize=False)
        assert rendered == ("<|begin_of_text|>" if fmt == "llama3" else "") + texts[ex["example_id"]] + eot
    assert modes == {"think", "no_think"}


def _adds_begin_of_text(src: Path, out: Path, adds: bool) -> Path:
    """A copy of the tiny Llama 3 tokenizer that, as Meta-Llama-3.1's (Hermes-4-70B's base) does, puts
    `<|begin_of_text|>` in front of every text it encodes (`adds`), or one that does not."""
    from tokenizers import processors

    tok = _tokenizer(src)
    bos = tok.bos_token
    if adds:
        tok._tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{bos} $A", special_tokens=[(bos, tok.bos_token_id)]
        )
    tok.save_pretrained(out)
    return out


@pytest.mark.parametrize("tokenizer", ["built-in", "adds", "does not add"])
def test_text_export_trains_on_one_begin_of_text(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, tiny: dict[str, Path], tokenizer: str
) -> None:
    """TRL's SFTTrainer tokenizes a `text` row with the tokenizer's special tokens on (`trl.data_utils._tokenize`:
    `processing_class(text=...)`), and Llama 3.1's tokenizer puts `<|begin_of_text|>` in front of every text: the
    Llama 3 `text` export (Hermes-4-70B / -405B) began with its own, so every row trained on two. The export leaves it
    to the tokenizer that adds it; a local tokenizer that does not add one keeps the template's."""
    from trl.data_utils import _tokenize

    cfg.publish.chat_model = "NousResearch/Hermes-4-70B"
    adds = tokenizer != "does not add"
    tok_dir = _adds_begin_of_text(tiny["llama3"], tmp_path / "tok", adds)
    if tokenizer != "built-in":
        cfg.publish.tokenizer_path = str(tok_dir)
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "text", tmp_path / "t", cfg, ("jsonl",))
    tok = _tokenizer(tok_dir)
    texts = [json.loads(line)["text"] for line in (tmp_path / "t/train.jsonl").open()]
    assert texts
    for text in texts:
        ids = _tokenize(tok, text)["input_ids"]
        assert ids[0] == tok.bos_token_id and ids.count(tok.bos_token_id) == 1, tok.convert_ids_to_tokens(ids[:3])
        assert tok.decode(ids[1:]).startswith("<|start_header_id|>system")
