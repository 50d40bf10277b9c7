"""The files the consumer-library tests read, written by thinkmill itself (issue 19).

LLaMA-Factory and Axolotl each pin transformers/datasets/trl versions that cannot sit beside thinkmill's own, so
`make test-consumers` runs `test_dataset_consumers.py` in one virtualenv per library, where thinkmill (dagster,
duckdb, polars, ...) is not installed. Those tests call this module with thinkmill's interpreter
(`$THINKMILL_PYTHON`, default `.venv/bin/python`): it seeds a store, builds version v1 and writes, under OUT:

- `llama-factory/out/`: the `sharegpt` export (JSONL + Parquet, `dataset_info.json`), as docs/train/llama-factory.md
  tells users to write it;
- `axolotl/out/`: the `messages` export with `--reasoning-field reasoning_content` and `chat_template.jinja`, as
  docs/train/axolotl.md does;
- `tiny/`: a tiny random Llama whose tokenizer knows the Hermes 4 ChatML tokens (the version's model format);
  `tiny-llama3/`: the same with the Llama 3 header tokens (Hermes-4-70B/405B);
- `manifest.json`: the system prompts and row counts the tests check against.

Usage: python tests/dataset/consumer_exports.py OUT
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MANIFEST = "manifest.json"


def write_exports(out: Path) -> dict:
    from pipeline.config import ThinkmillConfig
    from pipeline.dataset.export import export_version, version_chat_format, write_training_template
    from pipeline.dataset.messages import STANDARD_SYSTEM_PROMPT
    from pipeline.dataset.versions import run as build_version
    from pipeline.store import Store
    from pipeline.trace import THINK_SYSTEM_PROMPT
    from testing_support.seed import populate
    from testing_support.tiny_models import build_tiny_model, tiny_corpus

    out.mkdir(parents=True, exist_ok=True)
    cfg = ThinkmillConfig()
    cfg.base_dir = out
    cfg.publish.card_dir = str(out / "cards")
    db = out / "tm.duckdb"
    with Store.open(db) as store:
        populate(store)
        build_version(store, cfg)
    with Store.open(db, read_only=True) as store:
        sharegpt = export_version(store, "v1", "sharegpt", out / "llama-factory" / "out", cfg)
        messages = export_version(
            store, "v1", "messages", out / "axolotl" / "out", cfg, ("jsonl",), reasoning_field="reasoning_content"
        )
        write_training_template(store, "v1", out / "axolotl" / "out", cfg)
        chat_format = version_chat_format(store, "v1", cfg)
    build_tiny_model(out / "tiny", chat_format, tiny_corpus())
    build_tiny_model(out / "tiny-llama3", "llama3", tiny_corpus())  # Hermes-4-70B/405B's format, for its template

    def rows(paths: list[Path]) -> dict[str, int]:
        return {p.stem: sum(1 for _ in p.open()) for p in paths if p.suffix == ".jsonl"}

    manifest = {
        "chat_format": chat_format,
        "think_system_prompt": THINK_SYSTEM_PROMPT,
        "standard_system_prompt": STANDARD_SYSTEM_PROMPT,
        "rows": {"llama-factory": rows(sharegpt), "axolotl": rows(messages)},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/dataset/consumer_exports.py OUT")
    write_exports(Path(sys.argv[1]))
