"""The file contract: TASKS.jsonl + RESPONSES.jsonl -> VERDICTS.jsonl (one verdict per response, same order)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.verify.config import VerifyConfig
from pipeline.verify.errors import VerifyInputError
from pipeline.verify.judge import Item
from pipeline.verify.judge_pass import JudgeRun
from pipeline.verify.registry import Registry
from pipeline.verify.result import TaskSpec
from pipeline.verify.runner import Progress, verify_items

MODES = ("think", "no_think", "auto")


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise VerifyInputError(f"{path}: cannot read: {exc.strerror}") from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                raise VerifyInputError(f"{path}:{n}: not valid JSON: {exc}") from exc
            if not isinstance(obj, dict):
                raise VerifyInputError(f"{path}:{n}: expected a JSON object")
            yield n, obj


def _text(obj: dict[str, Any], field: str, where: str, *, required: bool = True) -> str | None:
    v = obj.get(field)
    if v is None:
        if required:
            raise VerifyInputError(f"{where}: missing field {field!r}")
        return None
    if not isinstance(v, str):
        raise VerifyInputError(f"{where}: field {field!r} must be a string, got {type(v).__name__}")
    return v


def task_from_row(row: dict[str, Any], where: str) -> TaskSpec:
    """A TaskSpec from a `tasks` row (verifier_args as an object or a JSON string)."""
    args = row.get("verifier_args") or {}
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError as exc:
            raise VerifyInputError(f"{where}: field 'verifier_args' is not valid JSON: {exc}") from exc
    if not isinstance(args, dict):
        raise VerifyInputError(f"{where}: field 'verifier_args' must be an object")
    answer = row.get("answer")
    return TaskSpec(
        task_id=str(_text(row, "task_id", where)),
        verifier=str(_text(row, "verifier", where)),
        answer=None if answer is None else str(answer),
        verifier_args=args,
        prompt=_text(row, "prompt", where, required=False) or "",
        domain=_text(row, "domain", where, required=False) or "",
        rubric=_rubric(row, args, where),
        system=_text(row, "system", where, required=False) or None,
    )


def _rubric(row: dict[str, Any], args: dict[str, Any], where: str) -> str | None:
    """The LLM judge's rubric: the task field `rubric` (ingest keeps it in `metadata`) or `verifier_args.rubric`."""
    meta = row.get("metadata") or {}
    if isinstance(meta, str):
        try:
            meta = json.loads(meta)
        except ValueError:
            meta = {}
    found = [
        (name, v)
        for name, v in (("rubric", row.get("rubric")), ("verifier_args.rubric", args.get("rubric")))
        + ((("metadata.rubric", meta.get("rubric")),) if isinstance(meta, dict) else ())
        if v is not None
    ]
    for name, v in found:
        if not isinstance(v, str):
            raise VerifyInputError(f"{where}: field {name!r} must be a string, got {type(v).__name__}")
    return found[0][1] if found else None


def read_tasks(path: Path) -> dict[str, TaskSpec]:
    tasks: dict[str, TaskSpec] = {}
    for n, row in _lines(path):
        t = task_from_row(row, f"{path}:{n}")
        if t.task_id in tasks:
            raise VerifyInputError(f"{path}:{n}: duplicate task_id {t.task_id!r}")
        tasks[t.task_id] = t
    return tasks


def _request(row: dict[str, Any], where: str) -> str | None:
    """The user turn a response answered: `request` (text), or the last message of `messages` (OpenAI-style chat)
    when it is the user's; None when the line gives neither (the task's prompt is then what was asked)."""
    request = _text(row, "request", where, required=False)
    messages = row.get("messages")
    if request is not None or messages is None:
        return request
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise VerifyInputError(f"{where}: field 'messages' must be a list of {{role, content}} objects")
    last = messages[-1] if messages else {}
    content = last.get("content")
    return content if last.get("role") == "user" and isinstance(content, str) else None


def read_responses(path: Path, tasks: dict[str, TaskSpec], mode: str) -> tuple[list[Item], list[str]]:
    """Items to judge and their response ids, in file order. A line's own `mode` overrides `mode`."""
    items, ids = [], []
    for n, row in _lines(path):
        where = f"{path}:{n}"
        task_id = str(_text(row, "task_id", where))
        if task_id not in tasks:
            raise VerifyInputError(f"{where}: task_id {task_id!r} is not in the tasks file")
        rid = row.get("response_id")
        if rid is None:
            raise VerifyInputError(f"{where}: missing field 'response_id'")
        reasoning = _text(row, "reasoning_content", where, required=False)
        # A reasoning parser's response may have null content (cut off inside the think block).
        text = _text(row, "text", where, required=reasoning is None)
        line_mode = _text(row, "mode", where, required=False) or mode
        if line_mode not in MODES:
            raise VerifyInputError(f"{where}: field 'mode' must be one of {MODES}, got {line_mode!r}")
        finish_reason = _text(row, "finish_reason", where, required=False)
        request = _request(row, where)
        items.append(Item(tasks[task_id], text, line_mode, reasoning, finish_reason, request))
        ids.append(str(rid))
    return items, ids


def verify_files(
    tasks_path: Path,
    responses_path: Path,
    out_path: Path,
    mode: str = "auto",
    cfg: VerifyConfig | None = None,
    progress: Progress | None = None,
    judge_run: JudgeRun | None = None,
) -> list[dict[str, Any]]:
    """Judge every response; write VERDICTS.jsonl (atomically) and return the rows. The LLM judge's answers
    are not cached here (no database); `judge_run` collects its counts."""
    if mode not in MODES:
        raise VerifyInputError(f"mode must be one of {MODES}, got {mode!r}")
    cfg = cfg or VerifyConfig()
    tasks = read_tasks(tasks_path)
    items, ids = read_responses(responses_path, tasks, mode)
    verdicts = verify_items(items, cfg, Registry(cfg), progress, judge_run=judge_run, ids=ids)
    rows = [
        {"task_id": it.task.task_id, "response_id": rid, **v.to_dict()}
        for it, rid, v in zip(items, ids, verdicts, strict=True)
    ]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(out_path)
    return rows
