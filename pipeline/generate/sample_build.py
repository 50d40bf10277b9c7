"""Build the demo's batch output file from the hand-written sample responses.

`pipeline/sample/response_texts.jsonl` holds hand-written responses (NOT model output), one per
(task_id, mode, sample_index). The demo reads them through the batch backend, which matches output lines to
requests by custom_id = request key. The keys depend on the templates and the sample config, so this module
renders the requests with the current code and writes `batch_output.jsonl` in OpenAI batch output format.
A test fails when the committed file no longer matches: rerun `thinkmill generate build-sample-batch`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import ThinkmillError
from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import build_request, samples_for
from pipeline.trace import MODES, count_tokens

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample"
CREATED = 1767225600  # fixed timestamp (2026-01-01T00:00:00Z): the file is byte-for-byte reproducible


class SampleDataError(ThinkmillError):
    """A sample file is malformed; the message names the file and line."""


def load_generate_config(config_path: Path) -> GenerateConfig:
    """Only the `generate:` section of a config file (other sections belong to other stages)."""
    raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    return GenerateConfig.model_validate(raw.get("generate") or {})


def _read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append((lineno, json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise SampleDataError(f"{path}, line {lineno}: invalid JSON ({exc})") from exc
    return rows


def sample_source_name(config_path: Path, tasks_file: str = "tasks.jsonl") -> str | None:
    """The name the config gives the source reading `tasks_file`: ingest stores task ids as `<source>/<id>`."""
    raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    for src in (raw.get("ingest") or {}).get("sources") or []:
        if Path(str(src.get("path", ""))).name == tasks_file and src.get("name"):
            return str(src["name"])
    return None


def sample_batch_lines(
    tasks_path: Path, responses_path: Path, cfg: GenerateConfig, source: str | None = None
) -> list[dict[str, Any]]:
    """One OpenAI batch output record per sample response, keyed by the current request key.

    Response rows name the raw id of tasks.jsonl; ingest stores it as `<source>/<id>` (the request key's task
    id), so pass the config's source name; without one the raw id is used as the task id.
    """
    tasks = {}
    for lineno, t in _read_jsonl(tasks_path):
        for fld in ("id", "domain", "prompt"):
            if not isinstance(t.get(fld), str):
                raise SampleDataError(f"{tasks_path}, line {lineno}: field {fld!r} missing or not a string")
        tasks[t["id"]] = t
    out = []
    for lineno, r in _read_jsonl(responses_path):
        where = f"{responses_path}, line {lineno}"
        task = tasks.get(r.get("task_id"))
        if task is None:
            raise SampleDataError(f"{where}: task_id {r.get('task_id')!r} is not in {tasks_path.name}")
        mode, idx = r.get("mode"), r.get("sample_index")
        if mode not in MODES:
            raise SampleDataError(f"{where}: mode {mode!r} is not one of {MODES}")
        if not isinstance(idx, int) or not 0 <= idx < samples_for(cfg, mode):
            raise SampleDataError(
                f"{where}: sample_index {idx!r} outside the config's samples_{mode} = {samples_for(cfg, mode)}"
            )
        if not isinstance(r.get("text"), str):
            raise SampleDataError(f"{where}: field 'text' missing or not a string")
        task_id = f"{source}/{task['id']}" if source else task["id"]
        req = build_request(cfg, task_id, task["domain"], task["prompt"], mode, idx, verifier=task.get("verifier"))
        prompt_tokens = sum(count_tokens(m["content"]) for m in req.messages)
        completion_tokens = count_tokens(r["text"])  # approximate: the responses are hand-written
        suffix = req.key.removeprefix("g1_")[:24]
        out.append(
            {
                "id": f"batch_req_{suffix}",
                "custom_id": req.key,
                "response": {
                    "status_code": 200,
                    "request_id": f"req_{suffix}",
                    "body": {
                        "id": f"chatcmpl-{suffix}",
                        "object": "chat.completion",
                        "created": CREATED,
                        "model": cfg.model,
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": r["text"]},
                                "finish_reason": r.get("finish_reason") or "stop",
                            }
                        ],
                        "usage": {
                            "prompt_tokens": prompt_tokens,
                            "completion_tokens": completion_tokens,
                            "total_tokens": prompt_tokens + completion_tokens,
                        },
                    },
                },
                "error": None,
            }
        )
    return out


def render_jsonl(lines: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(x, ensure_ascii=False, sort_keys=True) + "\n" for x in lines)


def build_sample_batch(sample_dir: Path = SAMPLE_DIR, out: Path | None = None, config_path: Path | None = None) -> Path:
    """Write `<sample_dir>/batch_output.jsonl` (or `out`) from the sample tasks and responses."""
    config_path = config_path or sample_dir / "thinkmill.yaml"
    cfg = load_generate_config(config_path)
    lines = sample_batch_lines(
        sample_dir / "tasks.jsonl", sample_dir / "response_texts.jsonl", cfg, source=sample_source_name(config_path)
    )
    target = out or sample_dir / (cfg.batch_output or "batch_output.jsonl")
    target.write_text(render_jsonl(lines), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(build_sample_batch())
