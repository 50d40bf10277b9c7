"""Exports: every format loads with `datasets`; messages carry Hermes 4's think shape; chat formats render."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import ThinkmillConfig
from pipeline.dataset.chat_format import chat_format_for, make_renderer, render_chatml, render_llama3
from pipeline.dataset.errors import ChatFormatError, DatasetError
from pipeline.dataset.export import export_version
from pipeline.dataset.messages import STANDARD_SYSTEM_PROMPT, THINK_SYSTEM_PROMPT, build_messages
from pipeline.dataset.versions import run as build_version
from pipeline.dataset.versions import version_rows
from pipeline.store import Store


@pytest.fixture
def built(db: Path, cfg: ThinkmillConfig) -> Path:
    with Store.open(db) as store:
        build_version(store, cfg)
    return db


def _load(out: Path, kind: str) -> datasets.DatasetDict:
    files = {s: str(out / f"{s}.{'parquet' if kind == 'parquet' else 'jsonl'}") for s in ("train", "validation")}
    return datasets.load_dataset(kind, data_files=files)


def test_system_prompt_is_hermes4_verbatim() -> None:
    assert THINK_SYSTEM_PROMPT.startswith("You are a deep thinking AI, you may use extremely long chains of thought")
    assert THINK_SYSTEM_PROMPT.endswith("and then provide your solution or response to the problem.")
    assert "<think> </think> tags" in THINK_SYSTEM_PROMPT


@pytest.mark.parametrize("kind", ["parquet", "json"])
def test_messages_export_loads_and_has_the_think_shape(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "m"
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "messages", out, cfg)
        n = version_rows(store, "v1").height
    ds = _load(out, kind)
    assert ds["train"].num_rows + ds["validation"].num_rows == n
    for ex in ds["train"]:
        msgs = ex["messages"]
        if ex["mode"] == "think":
            assert [m["role"] for m in msgs] == ["system", "user", "assistant"]
            assert msgs[0]["content"] == THINK_SYSTEM_PROMPT
            assert msgs[2]["content"].startswith("<think>\n") and "\n</think>\n\n" in msgs[2]["content"]
        else:
            assert [m["role"] for m in msgs] == ["user", "assistant"]
            assert "<think>" not in msgs[1]["content"]


def test_sharegpt_export_loads_for_llama_factory(built: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    out = tmp_path / "s"
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "sharegpt", out, cfg)
    ds = _load(out, "json")
    ex = next(e for e in ds["train"] if e["mode"] == "think")
    assert [c["from"] for c in ex["conversations"]] == ["human", "gpt"]
    assert ex["system"] == THINK_SYSTEM_PROMPT
    ex = next(e for e in ds["train"] if e["mode"] == "no_think")
    # issue 19: an empty system makes LLaMA-Factory use its template's default; Hermes 4's standard prompt instead
    assert ex["system"] == STANDARD_SYSTEM_PROMPT
    assert all("<think>" not in c["value"] for c in ex["conversations"])
    info = json.loads((out / "dataset_info.json").read_text())
    assert info["thinkmill_v1"]["formatting"] == "sharegpt"
    assert info["thinkmill_v1"]["file_name"] == "train.jsonl"
    assert info["thinkmill_v1_validation"]["file_name"] == "validation.jsonl"  # issue 19: a validation entry
    assert _load(out, "parquet")["train"].num_rows == ds["train"].num_rows


@pytest.mark.parametrize(
    ("model", "start", "turn_end"),
    [
        ("NousResearch/Hermes-4-14B", "<|im_start|>", "<|im_end|>"),
        # the tokenizer adds `<|begin_of_text|>` (test_text_export_trains_on_one_begin_of_text)
        ("NousResearch/Hermes-4-70B", "<|start_header_id|>", "<|eot_id|>"),
    ],
)
def test_text_export_uses_the_models_chat_format(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, model: str, start: str, turn_end: str
) -> None:
    cfg.publish.chat_model = model
    out = tmp_path / "t"
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "text", out, cfg, file_formats=("parquet",))
    ds = _load(out, "parquet")
    for ex in ds["train"]:
        assert ex["text"].startswith(start)
        # every turn but the last is closed; the trainer appends the final EOS (see the finding-13 test below)
        assert ex["text"].count(turn_end) == 2  # system and user (no-think: Hermes 4's standard system prompt)
        assert (THINK_SYSTEM_PROMPT in ex["text"]) == (ex["mode"] == "think")
        assert (STANDARD_SYSTEM_PROMPT in ex["text"]) == (ex["mode"] == "no_think")
    assert not (out / "train.jsonl").exists()


def test_text_export_renders_in_the_chat_format_of_the_versions_model(
    db: Path, cfg: ThinkmillConfig, tmp_path: Path
) -> None:
    """Generated with `thinkmill generate --model NousResearch/Hermes-4-70B` while the config still names the 14B:
    the text export rendered ChatML, for a model trained on Llama 3 headers (and `--template-out` wrote Llama 3's)."""
    with Store.open(db) as store:
        store.query("UPDATE generations SET model = 'NousResearch/Hermes-4-70B'")
        build_version(store, cfg)
    assert cfg.generate.model == "NousResearch/Hermes-4-14B"
    out = tmp_path / "t"
    with Store.open(db, read_only=True) as store:
        export_version(store, "v1", "text", out, cfg, file_formats=("jsonl",))
    texts = _load(out, "json")["train"]["text"]
    assert texts and all(t.startswith("<|start_header_id|>system") for t in texts)  # the tokenizer adds the BOS
    cfg.publish.chat_model = "NousResearch/Hermes-4-14B"  # the override still wins
    with Store.open(db, read_only=True) as store:
        export_version(store, "v1", "text", out, cfg, file_formats=("jsonl",))
    assert all(t.startswith("<|im_start|>system") for t in _load(out, "json")["train"]["text"])


def test_text_export_refuses_a_version_of_mixed_chat_formats(db: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    with Store.open(db) as store:
        store.query("UPDATE generations SET model = 'NousResearch/Hermes-4-70B' WHERE mode = 'no_think'")
        build_version(store, cfg)
        with pytest.raises(DatasetError, match="Hermes-4-70B: llama3"):
            export_version(store, "v1", "text", tmp_path / "t", cfg)


def test_renderers() -> None:
    msgs = build_messages("no_think", "Hi?", "Hello.")
    assert render_chatml(msgs) == "<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n"
    assert render_llama3(msgs) == (
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi?<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
    )
    assert chat_format_for("NousResearch/Hermes-4.3-36B") == "chatml"
    assert chat_format_for("NousResearch/Hermes-4-405B-FP8") == "llama3"
    with pytest.raises(ChatFormatError, match="my-model"):
        chat_format_for("my-model")
    assert make_renderer("my-model", "llama3")(msgs).startswith("<|begin_of_text|>")
    with pytest.raises(ValueError):
        build_messages("think", "q", "a", think="  ")


def test_local_tokenizer_chat_template_is_used(tmp_path: Path) -> None:
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast(
        tokenizer_object=Tokenizer(models.WordLevel({"[UNK]": 0}, unk_token="[UNK]")), unk_token="[UNK]"
    )
    tok.chat_template = "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    tok.save_pretrained(tmp_path / "tok")
    msgs = build_messages("think", "Q?", "A.", think="hmm")
    render = make_renderer("unknown-model", tokenizer_path=str(tmp_path / "tok"))
    assert render(msgs) == render_chatml(msgs)
    with pytest.raises(ChatFormatError, match="nowhere"):
        make_renderer("x", tokenizer_path=str(tmp_path / "nowhere"))


def test_cli_export(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    conf = tmp_path / "c.yaml"
    conf.write_text("publish:\n  chat_model: NousResearch/Hermes-4-14B\n")
    res = CliRunner().invoke(
        main,
        [
            "export",
            "--version",
            "v1",
            "--format",
            "sharegpt",
            "--out",
            str(out),
            "--db",
            str(built),
            "--config",
            str(conf),
        ],
    )
    assert res.exit_code == 0, res.output
    assert (out / "train.parquet").exists() and (out / "train.jsonl").exists()
    res = CliRunner().invoke(
        main, ["export", "--version", "v5", "--out", str(out), "--db", str(built), "--config", str(conf)]
    )
    assert res.exit_code == 1 and "v5" in res.output


# ------------------------------------------------------------------------------------------------ issue 14, finding 13
def trl_add_eos(text: str, eos_token: str) -> str:
    """What TRL's SFTTrainer does to a `text` example before tokenising (trl/trainer/sft_trainer.py `add_eos`)."""
    return text if text.endswith(eos_token) else text + eos_token


@pytest.mark.parametrize(
    ("model", "eos"),
    [
        ("NousResearch/Hermes-4-14B", "<|im_end|>"),
        ("NousResearch/Hermes-4-70B", "<|eot_id|>"),
    ],
)
def test_text_export_leaves_the_final_eos_to_the_trainer(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, model: str, eos: str
) -> None:
    cfg.publish.chat_model = model
    out = tmp_path / "t"
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "text", out, cfg, file_formats=("jsonl",))
    ds = _load(out, "json")
    msgs = {}
    with Store.open(built, read_only=True) as store:
        for r in version_rows(store, "v1").iter_rows(named=True):
            msgs[r["example_id"]] = json.loads(r["messages"])
    for ex in ds["train"]:
        answer = msgs[ex["example_id"]][-1]["content"]
        assert ex["text"].endswith(answer), ex["text"][-80:]  # the text stops right after the assistant's turn
        trained = trl_add_eos(ex["text"], eos)
        assert trained.endswith(answer + eos)
        assert trained.count(eos) == 3  # every turn closed exactly once (system, user, assistant)
        assert f"{eos}\n{eos}" not in trained and not trained.endswith(eos + eos)


def test_tokenizer_rendered_text_leaves_its_eos_to_the_trainer(tmp_path: Path) -> None:
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast(
        tokenizer_object=Tokenizer(models.WordLevel({"[UNK]": 0}, unk_token="[UNK]")),
        unk_token="[UNK]",
        eos_token="<|im_end|>",
    )
    tok.chat_template = "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    tok.save_pretrained(tmp_path / "tok")
    msgs = build_messages("no_think", "Hi?", "Hello.")
    render = make_renderer("unknown-model", tokenizer_path=str(tmp_path / "tok"), final_eos=False)
    assert render(msgs) == "<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\nHello."
    assert trl_add_eos(render(msgs), "<|im_end|>").count("<|im_end|>") == 2


def _save_tokenizer(path: Path, chat_template: str) -> str:
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast(
        tokenizer_object=Tokenizer(models.WordLevel({"[UNK]": 0}, unk_token="[UNK]")), unk_token="[UNK]"
    )
    tok.chat_template = chat_template
    tok.save_pretrained(path)
    return str(path)


# QwQ / DeepSeek-R1-distill style: every assistant turn keeps only the text after `</think>` (those templates drop
# the reasoning of history turns, and a training render is all history).
_STRIPS_THINK = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n"
    "{% if m['role'] == 'assistant' %}{{ m['content'].split('</think>')[-1].lstrip() }}"
    "{% else %}{{ m['content'] }}{% endif %}<|im_end|>\n{% endfor %}"
)
# Hermes 4's own rule: earlier assistant turns lose their think block unless `keep_cots`.
_KEEP_COTS = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n"
    "{% if m['role'] == 'assistant' and not keep_cots %}{{ m['content'].split('</think>')[-1].lstrip() }}"
    "{% else %}{{ m['content'] }}{% endif %}<|im_end|>\n{% endfor %}"
)


def test_a_tokenizer_template_that_drops_the_think_text_is_refused(tmp_path: Path) -> None:
    # The think row would have trained on the answer alone, under the reasoning system prompt: a wrong row, silently.
    tok = _save_tokenizer(tmp_path / "tok", _STRIPS_THINK)
    render = make_renderer("unknown-model", tokenizer_path=tok, final_eos=False)
    no_think = build_messages("no_think", "Hi?", "Hello.")
    assert render(no_think).endswith("assistant\nHello.<|im_end|>\n")  # nothing dropped: the template renders
    with pytest.raises(ChatFormatError, match=r"drops the think text of the assistant turn.*tok"):
        render(build_messages("think", "Q?", "A.", think="step one, step two"))


def test_a_tokenizer_template_that_drops_a_message_is_refused(tmp_path: Path) -> None:
    tok = _save_tokenizer(
        tmp_path / "tok",
        "{% for m in messages if m['role'] != 'system' %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
        "{% endfor %}",
    )
    render = make_renderer("unknown-model", tokenizer_path=tok)
    with pytest.raises(ChatFormatError, match="drops the system turn"):
        render(build_messages("think", "Q?", "A.", think="step one"))


def test_hermes_keep_cots_is_set_so_its_template_keeps_the_think_block(tmp_path: Path) -> None:
    tok = _save_tokenizer(tmp_path / "tok", _KEEP_COTS)
    msgs = build_messages("think", "Q?", "A.", think="step one, step two")
    assert make_renderer("unknown-model", tokenizer_path=tok)(msgs) == render_chatml(msgs)


def test_a_text_export_through_a_think_dropping_template_fails_naming_the_row(built: Path, tmp_path: Path) -> None:
    tok = _save_tokenizer(tmp_path / "tok", _STRIPS_THINK)
    conf = tmp_path / "c.yaml"
    conf.write_text(f"publish:\n  tokenizer_path: {tok}\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["export", "--version", "v1", "--format", "text", "--out", str(out), "--db", str(built), "--config", str(conf)],
    )
    assert res.exit_code == 1, res.output
    assert "drops the think text" in res.output and "example" in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_messages_carry_the_tasks_own_system_prompt_as_sent() -> None:
    """The system message a request of the mode sends (docs/generate.md), and back: the candidates read the task's
    part of it from the stored request."""
    from pipeline.dataset.messages import request_system
    from pipeline.generate.templates import render_messages

    think = build_messages("think", "Q?", "A.", think="hmm", system="Answer in French.")
    plain = build_messages("no_think", "Q?", "A.", system="Answer in French.")
    assert think[0] == {"role": "system", "content": f"{THINK_SYSTEM_PROMPT}\n\nAnswer in French."}
    assert plain[0] == {"role": "system", "content": "Answer in French."}
    assert build_messages("no_think", "Q?", "A.", system=None)[0]["role"] == "user"
    for mode in ("think", "no_think"):
        sent = render_messages("Q?", "general", mode, system="Answer in French.")
        assert sent[0] == build_messages(mode, "Q?", "A.", think="hmm", system="Answer in French.")[0]
        assert request_system(sent) == "Answer in French."
        assert request_system(render_messages("Q?", "general", mode)) is None
