"""The exports as LLaMA-Factory and Axolotl read them (issue 19). Neither library installs beside this project's
pins (LLaMA-Factory 0.9.5 wants transformers<=5.6, datasets<=4.0, trl<=0.24; Axolotl 0.19 wants transformers
5.16.1, trl 1.9): the tests that import them skip unless they are importable; the rest checks the files."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest
import yaml

from pipeline.config import ThinkmillConfig
from pipeline.dataset.export import export_version, write_training_template
from pipeline.dataset.messages import STANDARD_SYSTEM_PROMPT
from pipeline.dataset.versions import run as build_version
from pipeline.store import Store
from pipeline.trace import THINK_SYSTEM_PROMPT

DOCS = Path(__file__).resolve().parents[2] / "docs" / "train"


@pytest.fixture
def built(db: Path, cfg: ThinkmillConfig) -> Path:
    with Store.open(db) as store:
        build_version(store, cfg)
    return db


def _yaml_block(doc: Path, marker: str) -> dict:
    """The fenced YAML block of a docs page that holds `marker` (the recipe users copy)."""
    text = doc.read_text()
    for block in text.split("```yaml\n")[1:]:
        body = block.split("```", 1)[0]
        if marker in body:
            return yaml.safe_load(body)
    raise AssertionError(f"no yaml block with {marker!r} in {doc}")


def test_llama_factory_dataset_info_names_train_and_validation(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path
) -> None:
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


def test_llama_factory_reads_the_export(built: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    parser = pytest.importorskip("llamafactory.data.parser")
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "sharegpt", tmp_path, cfg)
    attrs = parser.get_dataset_list(["thinkmill_v1", "thinkmill_v1_validation"], str(tmp_path))
    assert [a.dataset_name for a in attrs] == ["train.jsonl", "validation.jsonl"]
    assert all(a.formatting == "sharegpt" and a.messages == "conversations" and a.system == "system" for a in attrs)


def test_llama_factory_chatml_template_keeps_both_modes(built: Path, cfg: ThinkmillConfig, tmp_path: Path) -> None:
    """The template the docs name renders think rows with their block and no-think rows without one, with the
    row's system prompt; `qwen3` would add an empty think block to no-think answers (why the docs warn)."""
    template = pytest.importorskip("llamafactory.data.template")
    from testing_support.tiny_models import build_tiny_model, tiny_corpus

    tok = _tokenizer_at(build_tiny_model(tmp_path / "tiny", "chatml", tiny_corpus()))
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "sharegpt", tmp_path, cfg, ("jsonl",))
    rows = [json.loads(line) for line in (tmp_path / "train.jsonl").open()]
    for mode in ("think", "no_think"):
        r = next(x for x in rows if x["mode"] == mode)
        msgs = [
            {"role": "user" if c["from"] == "human" else "assistant", "content": c["value"]} for c in r["conversations"]
        ]
        prompt, response = template.TEMPLATES["chatml"].encode_oneturn(tok, msgs, r["system"])
        assert tok.decode(prompt).startswith(f"<|im_start|>system\n{r['system']}<|im_end|>")
        assert tok.decode(response) == msgs[-1]["content"] + "<|im_end|>\n"
        if mode == "no_think":
            _, qwen3 = template.TEMPLATES["qwen3"].encode_oneturn(tok, msgs, r["system"])
            assert tok.decode(qwen3).startswith("<think>\n\n</think>")


def _tokenizer_at(path: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(path), local_files_only=True)


def test_axolotl_recipe_config_validates_and_its_dataset_loads(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path
) -> None:
    recipe = _yaml_block(DOCS / "axolotl.md", "field_thinking")
    ds_cfg = recipe["datasets"][0]
    assert ds_cfg["field_thinking"] == "reasoning_content" and recipe["chat_template"] == "jinja"
    with Store.open(built, read_only=True) as store:
        export_version(store, "v1", "messages", tmp_path / "out", cfg, ("jsonl",), reasoning_field="reasoning_content")
        template = write_training_template(store, "v1", tmp_path / "out", cfg)
    assert tmp_path / ds_cfg["data_files"] == tmp_path / "out" / "train.jsonl"
    assert tmp_path / recipe["chat_template_jinja"] == template
    ds = datasets.load_dataset(ds_cfg["path"], data_files=str(tmp_path / ds_cfg["data_files"]))["train"]
    think = next(ex for ex in ds if ex["mode"] == "think")["messages"][-1]
    assert think[ds_cfg["field_thinking"]] and "<think>" not in think["content"]
    schemas = pytest.importorskip("axolotl.utils.schemas.datasets")
    schemas.SFTDataset(**ds_cfg)
    config = pytest.importorskip("axolotl.utils.schemas.config")
    config.AxolotlInputConfig(**{**recipe, "chat_template_jinja": str(template)})


def _python_block(doc: Path, marker: str) -> str:
    for block in doc.read_text().split("```python\n")[1:]:
        body = block.split("```", 1)[0]
        if marker in body:
            return body
    raise AssertionError(f"no python block with {marker!r} in {doc}")


@pytest.mark.slow
@pytest.mark.parametrize("marker", ["SFTTrainer(", "DPOTrainer("])
def test_trl_recipes_run_as_written(
    built: Path, cfg: ThinkmillConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: str
) -> None:
    """docs/train/trl.md's recipes, with the model id swapped for a tiny random model and 1 CPU step."""
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
