"""Preference pairs from verification: per task and mode, chosen = a passing trace of the version, rejected = a
failing generation of the same task and mode, with the verdict's failure reason kept (verification's rejects are
exactly the rejected half of a DPO pair).

Rows are in TRL's conversational preference format: `prompt` (system?, user), `chosen` and `rejected` (one
assistant message each). Pairs never cross tasks or modes. The chosen rows are the version's own rows (so a
contaminated or unbalanced task never appears); a task gives min(chosen rows, usable failing generations) pairs,
both sides in a fixed order (example id, generation key), and a pair keeps the chosen row's split.

A failing generation is left out, counted by reason, when it was cut by max_tokens or otherwise did not finish
(`dpo:truncated`, finish_reason `length`, `abort`, `content_filter`, ...: the trainer would append an end-of-turn
it never produced), has no text (`dpo:no_output`), or holds a chat-template control
token (`dpo:template_token`: it would forge turn boundaries when tokenised), or whose verdict never judged it
(`dpo:not_judged`: no sandbox, the task's unusable arguments or tests, a verifier that raised, a judge that gave no
readable answer: `pipeline.verify.result.NOT_JUDGED`); failing generations beyond a task's
chosen rows count as `dpo:unpaired`, one sent another prompt than every row of its task and mode (system prompt,
user turn: an earlier config or task text) as `dpo:other_prompt`, one whose text equals its chosen side as
`dpo:same_as_chosen`. A well-formed failing trace is written in Hermes 4's shape, like the chosen side; a
malformed one (several or unclosed think blocks, ...) exactly as the model wrote it, so the pair shows the
malformation that failed it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from pipeline.dataset.messages import request_system, think_assistant_content, user_prompt
from pipeline.dataset.versions import version_rows
from pipeline.store import Store
from pipeline.trace import (
    FINISH_LENGTH,
    NOT_RECORDED,
    TEMPLATE_OPENED_THINK,
    cut_short,
    find_template_token,
    parse_trace,
    sent_max_tokens_sql,
    stored_finish,
    system_content,
    trim,
)
from pipeline.verify.result import judged

PAIR_META = (
    "task_id",
    "mode",
    "domain",
    "source",
    "license",
    "chosen_example_id",
    "chosen_generation_key",
    "rejected_generation_key",
    "rejected_reason",
)


@dataclass
class PreferencePairs:
    pairs: list[dict[str, Any]]  # prompt, chosen, rejected, split and PAIR_META
    skipped: Counter[str] = field(default_factory=Counter)  # failing generations not used, by reason


def rejected_content(mode: str, raw_text: str | None, think: str | None, answer: str | None) -> str | None:
    """The assistant turn of a failing generation, or None when it has no text."""
    text = raw_text
    if text is None:  # no raw text stored: rebuild it from the stored split
        text = think_assistant_content(think, answer or "") if think and think.strip() else answer
    if text is None or not text.strip():
        return None
    if mode == "think":
        parsed = parse_trace(text, "think", keep_indent=True)
        if set(parsed.flags) <= {TEMPLATE_OPENED_THINK} and parsed.think and parsed.answer:
            return think_assistant_content(parsed.think, parsed.answer)
    return trim(text)


def sent_prompt(mode: str, request_messages: Any) -> str:
    """The prompt turns (system?, user) a request of `mode` was sent, as a row of the mode writes them, as JSON: a
    failing generation is the rejected side only of a row with this very prompt."""
    msgs = json.loads(request_messages) if isinstance(request_messages, str) else request_messages
    system = system_content(mode, request_system(msgs))  # type: ignore[arg-type]
    head = [{"role": "system", "content": system}] if system is not None else []
    return json.dumps([*head, {"role": "user", "content": user_prompt(msgs, "")}], sort_keys=True)


def _row_prompt(messages: list[dict[str, Any]]) -> str:
    return json.dumps([{"role": m["role"], "content": m["content"]} for m in messages], sort_keys=True)


def preference_pairs(store: Store, version: str) -> PreferencePairs:
    rows = version_rows(store, version).sort("example_id")
    failing = store.query(
        "SELECT g.key, g.task_id, g.mode, g.messages, g.raw_text, g.think, g.answer, g.finish_reason, g.error, "
        "g.backend, g.completion_tokens, "
        f"{sent_max_tokens_sql()} AS max_tokens, "
        "v.reason "
        "FROM generations g JOIN verdicts v ON v.generation_key = g.key "
        "WHERE NOT v.passed AND v.mode = g.mode "
        "AND g.task_id IN (SELECT task_id FROM dataset_rows WHERE version_id = ?) ORDER BY g.key",
        [version],
    )
    skipped: Counter[str] = Counter()
    # (task, mode, prompt as sent) -> usable failing generations
    rejected: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for g in failing.iter_rows(named=True):
        if g["error"] is not None:
            skipped["dpo:no_output"] += 1
            continue
        if not judged(g["reason"]):  # no sandbox, unusable task arguments, a judge that gave no answer, ...
            skipped["dpo:not_judged"] += 1
            continue
        # as verify reads it (`finish_of`): max_tokens spent whatever the server said, no finish reason from a live
        # server, or aborted, filtered, ...
        finish = stored_finish(g)
        if finish in (FINISH_LENGTH, NOT_RECORDED) or cut_short(finish):
            skipped["dpo:truncated"] += 1
            continue
        content = rejected_content(g["mode"], g["raw_text"], g["think"], g["answer"])
        if content is None:
            skipped["dpo:no_output"] += 1
            continue
        if find_template_token(content):
            skipped["dpo:template_token"] += 1
            continue
        rejected[(g["task_id"], g["mode"], sent_prompt(g["mode"], g["messages"]))].append(
            {"key": g["key"], "content": content, "reason": g["reason"] or "verdict:failed"}
        )
    used: Counter[tuple[str, str, str]] = Counter()
    asked: set[tuple[str, str, str]] = set()  # (task, mode, prompt) of the version's rows
    pairs = []
    for r in rows.iter_rows(named=True):
        msgs = json.loads(r["messages"])
        key = (r["task_id"], r["mode"], _row_prompt(msgs[:-1]))
        asked.add(key)
        while used[key] < len(rejected[key]) and rejected[key][used[key]]["content"] == msgs[-1]["content"]:
            used[key] += 1  # a failing trace with the chosen text teaches nothing
            skipped["dpo:same_as_chosen"] += 1
        if used[key] >= len(rejected[key]):
            continue
        rej = rejected[key][used[key]]
        used[key] += 1
        pairs.append(
            {
                "prompt": msgs[:-1],
                "chosen": [msgs[-1]],
                "rejected": [{"role": "assistant", "content": rej["content"]}],
                "split": r["split"],
                "task_id": r["task_id"],
                "mode": r["mode"],
                "domain": r["domain"],
                "source": r["source"],
                "license": r["license"],
                "chosen_example_id": r["example_id"],
                "chosen_generation_key": r["generation_key"],
                "rejected_generation_key": rej["key"],
                "rejected_reason": rej["reason"],
            }
        )
    with_rows = {(task, mode) for task, mode, _prompt in asked}
    for k, v in rejected.items():
        if len(v) > used[k]:
            # sent another prompt than every row of the task and mode (another system prompt, template or task
            # text): it answered a question the pair does not ask; else more failing generations than chosen rows,
            # or none of its mode (a version of one mode per task, `balance.mode_disjoint`)
            other = k not in asked and k[:2] in with_rows
            skipped["dpo:other_prompt" if other else "dpo:unpaired"] += len(v) - used[k]
    return PreferencePairs(sorted(pairs, key=lambda p: (p["task_id"], p["mode"], p["chosen_example_id"])), skipped)


def pair_count(store: Store, version: str) -> int:
    return len(preference_pairs(store, version).pairs)
