"""The exports as LLaMA-Factory and Axolotl read them (issue 19).

Neither library installs beside thinkmill's pins (LLaMA-Factory 0.9.5 wants transformers<=5.6, datasets<=4.0,
trl<=0.24; Axolotl 0.19 wants transformers 5.16.1, trl 1.9), so `make test-consumers` runs the tests named
`test_with_llamafactory_*` and `test_with_axolotl_*` in one virtualenv per library (`.venv-consumers/`, see the
Makefile) with THINKMILL_REQUIRE_CONSUMERS=1, which turns a library that does not import into a failure. thinkmill
itself is not installed there: those tests read files written by `consumer_exports.py`, run with thinkmill's
interpreter (`$THINKMILL_PYTHON`, else this one). In the main suite they skip (the libraries are absent); the other
tests here check the files and the docs' recipes with thinkmill alone.

This module imports nothing from thinkmill, `datasets` or `transformers` at import time: it is collected in the
consumer environments too (with `--noconftest`, as tests/conftest.py imports thinkmill).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DOCS = REPO / "docs" / "train"
REQUIRE_CONSUMERS = os.environ.get("THINKMILL_REQUIRE_CONSUMERS") == "1"


def _yaml_block(doc: Path, marker: str) -> dict:
    """The fenced YAML block of a docs page that holds `marker` (the recipe users copy)."""
    text = doc.read_text()
    for block in text.split("```yaml\n")[1:]:
        body = block.split("```", 1)[0]
        if marker in body:
            return yaml.safe_load(body)
    raise AssertionError(f"no yaml block with {marker!r} in {doc}")


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


# --- the consumer libraries and the files they read -------------------------------------------------------------


def _library(name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """Import a consumer library offline, with its caches in a temp dir; skip where it is not installed, fail
    instead under THINKMILL_REQUIRE_CONSUMERS=1 (so `make test-consumers` cannot pass by skipping)."""
    with pytest.MonkeyPatch.context() as mp:
        # Set before the library (and huggingface_hub) is imported: they read these once.
        mp.setenv("HF_HOME", str(tmp_path_factory.mktemp("hf_home")))
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("HF_DATASETS_OFFLINE", "1")
        mp.setenv("AXOLOTL_DO_NOT_TRACK", "1")
        mp.setenv("DO_NOT_TRACK", "1")
        mp.delenv("DISABLE_VERSION_CHECK", raising=False)  # LLaMA-Factory checks its pins on import: keep it on
        if REQUIRE_CONSUMERS:
            yield importlib.import_module(name)
        else:
            yield pytest.importorskip(name)


@pytest.fixture(scope="session")
def llamafactory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _library("llamafactory", tmp_path_factory)


@pytest.fixture(scope="session")
def axolotl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _library("axolotl", tmp_path_factory)


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`consumer_exports.py OUT`, run with thinkmill's interpreter: version v1 exported as the docs' recipes say,
    a tiny tokenizer, and manifest.json. Requested after the library fixture, so a skip costs no export."""
    out = tmp_path_factory.mktemp("consumer_exports")
    python = os.environ.get("THINKMILL_PYTHON") or sys.executable
    proc = subprocess.run(
        [python, str(HERE / "consumer_exports.py"), str(out)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"consumer_exports.py failed with {python} (set THINKMILL_PYTHON to thinkmill's interpreter):\n"
            + proc.stderr[-4000:]
        )
    return out


def _manifest(exports: Path) -> dict:
    return json.loads((exports / "manifest.json").read_text())


# Hermes 4's turns in each format: (system turn, user turn + assistant header, end of the assistant turn).
HERMES4_TURNS = {
    "chatml": (
        "<|im_start|>system\n{}<|im_end|>\n",
        "<|im_start|>user\n{}<|im_end|>\n<|im_start|>assistant\n",
        "<|im_end|>\n",
    ),
    "llama3": (
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{}<|eot_id|>",
        "<|start_header_id|>user<|end_header_id|>\n\n{}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        "<|eot_id|>",
    ),
}


def _chatml(system: str, user: str, assistant: str) -> str:
    """A Hermes 4 (ChatML) single-turn conversation as the model sees it."""
    system_turn, user_turn, end = HERMES4_TURNS["chatml"]
    return system_turn.format(system) + user_turn.format(user) + assistant + end


def _system_for(row: dict, manifest: dict) -> str:
    return manifest["think_system_prompt"] if row["mode"] == "think" else manifest["standard_system_prompt"]


# --- LLaMA-Factory ----------------------------------------------------------------------------------------------


def test_with_llamafactory_parser_reads_dataset_info(llamafactory: ModuleType, exports: Path) -> None:
    from llamafactory.data.parser import get_dataset_list

    attrs = get_dataset_list(["thinkmill_v1", "thinkmill_v1_validation"], str(exports / "llama-factory" / "out"))
    assert [a.dataset_name for a in attrs] == ["train.jsonl", "validation.jsonl"]
    assert all(a.formatting == "sharegpt" and a.messages == "conversations" and a.system == "system" for a in attrs)
    assert all((a.user_tag, a.assistant_tag) == ("human", "gpt") for a in attrs)


def test_with_llamafactory_recipe_loads_both_modes(
    llamafactory: ModuleType, exports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/train/llama-factory.md's recipe, as `llamafactory-cli train` reads it (model swapped for the tiny one,
    CPU): LLaMA-Factory validates it, loads both entries of dataset_info.json and tokenizes every row with the
    `chatml` template. Each row is the Hermes 4 conversation with the row's own system prompt, and only the
    assistant turn (think block included) carries labels; no-think rows carry no think tokens."""
    from llamafactory.data import get_dataset, get_template_and_fix_tokenizer
    from llamafactory.hparams import get_train_args
    from llamafactory.model import load_tokenizer

    manifest = _manifest(exports)
    recipe = _yaml_block(DOCS / "llama-factory.md", "dataset_dir")
    monkeypatch.chdir(exports / "llama-factory")  # `dataset_dir: out` as written, from the folder it was exported in
    swaps = {"model_name_or_path": str(exports / "tiny"), "output_dir": str(tmp_path / "saves")}
    model_args, data_args, training_args, _, _ = get_train_args(
        {**recipe, **swaps, "use_cpu": True, "bf16": False, "report_to": "none"}
    )
    assert (data_args.dataset, data_args.eval_dataset) == (["thinkmill_v1"], ["thinkmill_v1_validation"])
    tokenizer_module = load_tokenizer(model_args)
    tok = tokenizer_module["tokenizer"]
    template = get_template_and_fix_tokenizer(tok, data_args)
    module = get_dataset(template, model_args, data_args, training_args, stage="sft", **tokenizer_module)

    for key, split in (("train_dataset", "train"), ("eval_dataset", "validation")):
        rows = _jsonl(exports / "llama-factory" / "out" / f"{split}.jsonl")
        assert len(module[key]) == len(rows) == manifest["rows"]["llama-factory"][split]
        assert {r["mode"] for r in rows} == {"think", "no_think"}
        for ex, row in zip(module[key], rows, strict=True):
            user, answer = (c["value"] for c in row["conversations"])
            assert row["system"] == _system_for(row, manifest), row["example_id"]
            assert tok.decode(ex["input_ids"]) == _chatml(row["system"], user, answer), row["example_id"]
            assert tok.decode([t for t in ex["labels"] if t != -100]) == answer + "<|im_end|>\n"
            assert answer.startswith("<think>\n") == (row["mode"] == "think"), row["example_id"]
            assert ("<think>" in tok.decode(ex["input_ids"])) == (row["mode"] == "think"), row["example_id"]


@pytest.mark.parametrize(("template_name", "tokenizer_dir"), [("chatml", "tiny"), ("llama3", "tiny-llama3")])
def test_with_llamafactory_named_templates_keep_both_modes(
    llamafactory: ModuleType, exports: Path, template_name: str, tokenizer_dir: str
) -> None:
    """The templates the docs name (`chatml` for 14B/36B, `llama3` for 70B/405B) render Hermes 4's turns: think
    rows with their block, no-think rows without one, each with the row's system prompt; `qwen3` would add an
    empty think block to no-think answers (why the docs warn)."""
    from llamafactory.data.template import TEMPLATES
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(exports / tokenizer_dir), local_files_only=True)
    system_turn, user_turn, end = HERMES4_TURNS[template_name]
    rows = _jsonl(exports / "llama-factory" / "out" / "train.jsonl")
    for mode in ("think", "no_think"):
        r = next(x for x in rows if x["mode"] == mode)
        msgs = [
            {"role": "user" if c["from"] == "human" else "assistant", "content": c["value"]} for c in r["conversations"]
        ]
        prompt, response = TEMPLATES[template_name].encode_oneturn(tok, msgs, r["system"])
        assert tok.decode(prompt) == system_turn.format(r["system"]) + user_turn.format(msgs[0]["content"])
        assert tok.decode(response) == msgs[-1]["content"] + end
        assert ("<think>" in tok.decode(prompt + response)) == (mode == "think")
        if mode == "no_think":
            _, qwen3 = TEMPLATES["qwen3"].encode_oneturn(tok, msgs, r["system"])
            assert tok.decode(qwen3).startswith("<think>\n\n</think>")


# --- Axolotl ----------------------------------------------------------------------------------------------------


def test_with_axolotl_recipe_validates_and_loads_both_modes(
    axolotl: ModuleType, exports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/train/axolotl.md's recipe, as `axolotl preprocess` / `axolotl train` read it (model swapped for the
    tiny one): `load_cfg` validates it with Axolotl's own schema, then its `chat_template` strategy tokenizes both
    datasets through thinkmill's training template, reading the think text from `reasoning_content`. Every row is
    the Hermes 4 conversation (think rows with their think block, no-think rows with the standard system prompt
    and no think tokens) and labels cover exactly the assistant turn, think block and end-of-turn token included."""
    from axolotl.cli.config import load_cfg
    from axolotl.loaders import load_tokenizer
    from axolotl.utils.data import prepare_datasets

    manifest = _manifest(exports)
    recipe = _yaml_block(DOCS / "axolotl.md", "field_thinking")
    monkeypatch.chdir(exports / "axolotl")  # `out/...` paths as written, from the folder they were exported in
    swaps = {
        "base_model": str(exports / "tiny"),
        "output_dir": str(tmp_path / "outputs"),
        "dataset_prepared_path": str(tmp_path / "prepared"),
    }
    (tmp_path / "hermes4.yaml").write_text(yaml.safe_dump({**recipe, **swaps}))
    cfg = load_cfg(str(tmp_path / "hermes4.yaml"))
    assert cfg.chat_template == "jinja" and cfg.datasets[0].field_thinking == "reasoning_content"
    tok = load_tokenizer(cfg)
    train, evaluation, _, _ = prepare_datasets(cfg, tok)

    for ds, split in ((train, "train"), (evaluation, "validation")):
        rows = _jsonl(exports / "axolotl" / "out" / f"{split}.jsonl")
        assert len(ds) == len(rows) == manifest["rows"]["axolotl"][split]
        texts, labels = [], {}  # each row's conversation as rendered; conversation -> the text its labels spell
        for row in rows:
            *_, user, reply = row["messages"]
            assert "<think>" not in reply["content"] and (reply["reasoning_content"] is not None) == (
                row["mode"] == "think"
            ), row["example_id"]
            think = f"<think>\n{reply['reasoning_content'].strip()}\n</think>\n\n" if row["mode"] == "think" else ""
            assistant = think + reply["content"]
            texts.append(_chatml(_system_for(row, manifest), user["content"], assistant))
            labels[texts[-1]] = assistant + "<|im_end|>"  # train_on_eos: turn -> the end-of-turn token, not the \n
        rendered = [tok.decode(ex["input_ids"]) for ex in ds]  # Axolotl shuffles: compare as multisets
        assert Counter(rendered) == Counter(texts)
        for text, ex in zip(rendered, ds, strict=True):
            assert tok.decode([t for t in ex["labels"] if t != -100]) == labels[text]


# --- the files and recipes, with thinkmill alone (main suite) ---------------------------------------------------


@pytest.fixture
def built(db: Path, cfg) -> Path:
    from pipeline.dataset.versions import run as build_version
    from pipeline.store import Store

    with Store.open(db) as store:
        build_version(store, cfg)
    return db


def test_llama_factory_dataset_info_names_train_and_validation(built: Path, cfg, tmp_path: Path) -> None:
    import datasets

    from pipeline.dataset.export import export_version
    from pipeline.dataset.messages import STANDARD_SYSTEM_PROMPT
    from pipeline.store import Store
    from pipeline.trace import THINK_SYSTEM_PROMPT

    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "sharegpt", tmp_path, cfg)
    info = json.loads((tmp_path / "dataset_info.json").read_text())
    recipe = _yaml_block(DOCS / "llama-factory.md", "dataset_info")
    assert set(info) == {recipe["dataset"], recipe["eval_dataset"]} == {"thinkmill_v1", "thinkmill_v1_validation"}
    assert recipe["template"] == "chatml"
    for name, attr in info.items():
        ds = datasets.load_dataset("json", data_files=str(tmp_path / attr["file_name"]))["train"]
        assert {attr["columns"]["messages"], attr["columns"]["system"]} <= set(ds.column_names), name
        for ex in ds:
            tags = attr["tags"]
            roles = [c[tags["role_tag"]] for c in ex["conversations"]]
            assert roles == [tags["user_tag"], tags["assistant_tag"]]
            assert ex["system"] == (THINK_SYSTEM_PROMPT if ex["mode"] == "think" else STANDARD_SYSTEM_PROMPT)
    with Store.open(built, read_only=True) as store:  # Parquet only: the entries name the Parquet files
        export_version(store, "v1", "sharegpt", tmp_path / "pq", cfg, ("parquet",))
    info = json.loads((tmp_path / "pq" / "dataset_info.json").read_text())
    assert [a["file_name"] for a in info.values()] == ["train.parquet", "validation.parquet"]


def test_axolotl_recipe_names_the_export(built: Path, cfg, tmp_path: Path) -> None:
    """The files docs/train/axolotl.md's recipe names are the ones its export command writes."""
    import datasets

    from pipeline.dataset.export import export_version, write_training_template
    from pipeline.store import Store

    recipe = _yaml_block(DOCS / "axolotl.md", "field_thinking")
    ds_cfg, test_cfg = recipe["datasets"][0], recipe["test_datasets"][0]
    assert ds_cfg["field_thinking"] == "reasoning_content" and recipe["chat_template"] == "jinja"
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "messages", tmp_path / "out", cfg, reasoning_field="reasoning_content")
        template = write_training_template(store, "v1", tmp_path / "out", cfg)
    assert tmp_path / ds_cfg["path"] == tmp_path / "out" / "train.jsonl"
    assert tmp_path / test_cfg["path"] == tmp_path / "out" / "validation.jsonl"
    assert tmp_path / recipe["chat_template_jinja"] == template
    ds = datasets.load_dataset(ds_cfg["ds_type"], data_files=str(tmp_path / ds_cfg["path"]))["train"]
    think = next(ex for ex in ds if ex["mode"] == "think")["messages"][-1]
    assert think[ds_cfg["field_thinking"]] and "<think>" not in think["content"]


def _python_block(doc: Path, marker: str) -> str:
    for block in doc.read_text().split("```python\n")[1:]:
        body = block.split("```", 1)[0]
        if marker in body:
            return body
    raise AssertionError(f"no python block with {marker!r} in {doc}")


@pytest.mark.slow
@pytest.mark.parametrize("marker", ["SFTTrainer(", "DPOTrainer("])
def test_trl_recipes_run_as_written(
    built: Path, cfg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: str
) -> None:
    """docs/train/trl.md's recipes, with the model id swapped for a tiny random model and 1 CPU step."""
    from pipeline.dataset.export import export_version, write_training_template
    from pipeline.store import Store
    from testing_support.tiny_models import build_tiny_model, tiny_corpus

    model = build_tiny_model(tmp_path / "tiny", "chatml", tiny_corpus())
    monkeypatch.chdir(tmp_path)
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "messages", tmp_path / "out", cfg)
        write_training_template(store, "v1", tmp_path / "out", cfg)
        export_version(store, "v1", "dpo", tmp_path / "pairs", cfg)
    code = _python_block(DOCS / "trl.md", marker)
    assert code.count('"NousResearch/Hermes-4-14B"') == 1 and code.count("num_train_epochs=") == 1
    code = code.replace('"NousResearch/Hermes-4-14B"', repr(str(model)))
    code = code.replace(
        "num_train_epochs=", 'max_steps=1, use_cpu=True, report_to="none", save_strategy="no", num_train_epochs='
    )
    scope: dict = {}
    exec(compile(code, str(DOCS / "trl.md"), "exec"), scope)
    assert scope["trainer"].state.global_step == 1
