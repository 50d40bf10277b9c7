"""The judge pre-pass of the verify runner: ask the LLM judge about every response of a `judge` task, in one
batch, before the (synchronous, per-response) checks run.

Requests go through the generation stage's OpenAI-compatible backend (its concurrency over `base_urls`, its
retries with backoff on 429 / 5xx / timeouts / dropped connections), to the separate endpoint and model of
`verify.judge`. Each request has a content-addressed key (judge model, the rendered messages holding rubric, task
prompt and judged text, sampling, judge prompt version, attempt). With a store, answers are journalled beside the
database as they arrive and committed to `judge_requests`; a key with a stored answer is never sent again, so a
rerun (or a verify run killed midway) pays only for what it has not received. A transport error is stored and the
key sent again on the next run.

A judge answer that cannot be read is asked again (`verify.judge.malformed_retries` times, showing the judge its
unreadable answer and the format), then the response's check fails `judge:malformed`. Nothing unread ever passes.
The parsed judgement is attached to the response's TaskSpec; the `judge` verifier then only applies the threshold.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.dataset.redact import scrub_credentials
from pipeline.generate.backends.base import Backend, ServerUnreachableError
from pipeline.generate.cache import ResultWriter, journal_dir, read_journal
from pipeline.generate.config import GenerateConfig
from pipeline.generate.request import GenerationRequest
from pipeline.generate.result import GenerationResult, full_text
from pipeline.store import Store, now_utc, to_json
from pipeline.trace import count_tokens, finish_of, parse_trace, sent_max_tokens_sql
from pipeline.verify.config import JudgeConfig, VerifyConfig
from pipeline.verify.errors import VerifierArgsError
from pipeline.verify.judge import Item, resolve_mode
from pipeline.verify.lints import ANSWER_FORMAT, FORMAT_FLAGS, run_lints
from pipeline.verify.registry import Registry
from pipeline.verify.result import Judgement
from pipeline.verify.verifiers.llm_judge import (
    PROMPT_VERSION,
    MalformedJudgement,
    extra_body,
    judge_messages,
    judged_text,
    parse_judgement,
    retry_messages,
    rubric_for,
    verify_judge,
)
from schemas import table

JUDGE_REQUESTS = "judge_requests"
KEY_PREFIX = "j1_"  # bump if the key recipe itself changes

# While the judge answers, a commit that finds the database held by another process waits this long.
COMMIT_LOCK_WAIT_S = 600.0

# Judgement failures after which the verdict is judged again on a later run (the judge may answer then).
RETRYABLE_FAILURES = ("request_failed", "unreachable")


@dataclass
class JudgeStats:
    """What the judge pre-pass did (summed over a verify run's batches); goes into the verify report."""

    responses: int = 0  # responses the judge was asked about
    requests: int = 0  # judge requests needed, retries after malformed answers included
    cached: int = 0  # of those, answered from judge_requests (not sent)
    sent: int = 0
    malformed_answers: int = 0  # answers that could not be read (each one retried while retries remain)
    malformed: int = 0  # responses without a readable answer after every retry
    request_errors: int = 0  # responses whose judge request failed after the backend's retries
    prompt_tokens: int = 0  # of the requests sent in this run
    completion_tokens: int = 0
    unreachable: str | None = None  # why the judge server could not be reached (then those checks fail)
    first_error: str | None = None  # the first failed request's error (e.g. unknown_model: HTTP 404: ...)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def lines(self) -> list[str]:
        out = [
            f"judge: {self.responses:,} responses, {self.requests:,} requests ({self.cached:,} cached, "
            f"{self.sent:,} sent), {self.malformed:,} malformed, {self.request_errors:,} request errors, "
            f"{self.prompt_tokens:,} prompt + {self.completion_tokens:,} completion tokens sent"
        ]
        if self.first_error:
            out.append(f"judge request failed (judged again next run): {self.first_error}")
        if self.unreachable:
            out.append(f"judge server unreachable (those verdicts are judged again next run): {self.unreachable}")
        return out


@dataclass
class JudgeRun:
    """Where a verify run's judge answers are cached (None: not cached, e.g. judging files) and its counts.
    `backend` overrides the OpenAI backend built from `verify.judge.openai` (tests, other clients)."""

    store: Store | None = None
    backend: Backend | None = None
    stats: JudgeStats = field(default_factory=JudgeStats)


def is_llm_judge(registry: Registry, verifier: str) -> bool:
    return registry.get(verifier).fn is verify_judge


def judge_journal_dir(store: Store) -> Path | None:
    """Beside the database, apart from the generation journal."""
    gen = journal_dir(store)
    return None if gen is None else gen.with_name(gen.name.removesuffix(".journal") + ".judge-journal")


def request_for(task_id: str, messages: list[dict[str, str]], attempt: int, cfg: JudgeConfig) -> GenerationRequest:
    """A judge request in the backend's request type; its key and seed derive from everything that is sent
    (`verify.judge.openai.extra_body` included: its fields join the sampling params and template switches)."""
    extra = extra_body(cfg)
    template = extra.pop("chat_template_kwargs", None) or {}
    params: dict[str, Any] = {**extra, "temperature": cfg.temperature, "max_tokens": cfg.max_tokens}
    kwargs = {**template, "thinking": cfg.thinking}
    payload = to_json(
        {
            "model": cfg.model,
            "model_revision": cfg.model_revision,
            "messages": messages,
            "sampling_params": params,
            "chat_template_kwargs": kwargs,
            "prompt_version": PROMPT_VERSION,
            "attempt": attempt,
        }
    )
    digest = hashlib.sha256(payload.encode()).hexdigest()
    return GenerationRequest(
        key=KEY_PREFIX + digest[:40],
        task_id=task_id,
        mode="think" if cfg.thinking else "no_think",
        sample_index=attempt,
        model=cfg.model,
        model_revision=cfg.model_revision,
        messages=tuple(messages),
        sampling_params=params,
        seed=int(digest[40:48], 16) & 0x7FFFFFFF,
        template_version=PROMPT_VERSION,
        chat_template_kwargs=kwargs,
    )


def make_judge_backend(cfg: JudgeConfig) -> Backend:
    """The generate stage's backend for the judge: an OpenAI-compatible server (the API key is read from the env
    var `openai.api_key_env` and kept on the client only) or an in-process vLLM engine."""
    if cfg.backend == "vllm":
        from pipeline.generate.backends.vllm_backend import VLLMBackend

        g = GenerateConfig(backend="vllm", model=cfg.model, model_revision=cfg.model_revision, vllm=cfg.vllm)
        return VLLMBackend(g)
    from pipeline.generate.backends.openai_backend import OpenAIBackend

    return OpenAIBackend(cfg.openai)


def _judged_text(item: Item, cfg: VerifyConfig) -> str | None:
    """The text shown to the judge, or None when the check fails without it (no answer, a format lint)."""
    mode = resolve_mode(item.text, item.mode, item.reasoning_content)
    parsed = parse_trace(item.text, mode, item.reasoning_content, item.finish_reason)  # type: ignore[arg-type]
    if not parsed.answer.strip():
        return None
    flags = run_lints(
        parsed,
        item.task.prompt,
        count_tokens(parsed.think),
        count_tokens(parsed.answer),
        cfg.lints,
        request=item.request,
    )
    if any(f in FORMAT_FLAGS or f == ANSWER_FORMAT for f in flags):
        return None  # fails lint:<format> or lint:answer_format whatever the judge says: do not pay for an answer
    think = parsed.think if cfg.judge.include_think else None
    return judged_text(parsed.answer, think, cfg.judge.max_response_chars)


def _row(req: GenerationRequest, res: GenerationResult, owner: str, endpoint: str | None) -> dict[str, Any]:
    """A `judge_requests` row: the answer as received and what the parser made of it."""
    raw = None if res.error else full_text(res)
    return {
        "key": req.key,
        "generation_key": owner,
        "task_id": req.task_id,
        "attempt": req.sample_index,
        "model": req.model,
        "model_revision": req.model_revision,
        "endpoint": endpoint,  # the backends hand over endpoints without credentials
        "prompt_version": req.template_version,
        "messages": to_json(list(req.messages)),
        # as sent, less secrets (a gateway key in `extra_body`): the key, not this record, covers their values
        "sampling_params": to_json(
            scrub_credentials({**req.sampling_params, "chat_template_kwargs": req.chat_template_kwargs})
        ),
        "raw_text": raw,
        **_read(raw, res.finish_reason, res.error, res.completion_tokens, req.sampling_params.get("max_tokens")),
        "finish_reason": res.finish_reason,
        "prompt_tokens": res.prompt_tokens,
        "completion_tokens": res.completion_tokens,
        "latency_s": res.latency_s,
        "error": res.error,
        "retries": res.retries,
        "created_at": now_utc(),
    }


class _JudgeWriter(ResultWriter):
    """The generation stage's journalled background writer, storing into `judge_requests`."""

    def __init__(self, store: Store, journal: Path | None) -> None:
        super().__init__(store, batch_rows=64, interval_s=1.0, journal=journal)
        self._schema = table(JUDGE_REQUESTS).polars_schema()

    def _write(self, rows: list[dict[str, Any]], segment: Path | None = None) -> int:
        frame = pl.DataFrame(rows, schema=self._schema)
        with self._lock:
            n = self.store.insert(JUDGE_REQUESTS, frame, on_conflict="replace")
        if segment is not None:
            segment.unlink(missing_ok=True)
        self.written += n
        return n


def replay_judge_journal(store: Store) -> int:
    """Store the judge answers a killed run journalled but never committed (a torn last line is skipped)."""
    folder = judge_journal_dir(store)
    if folder is None or not folder.is_dir():
        return 0
    segments, rows = read_journal(folder)
    if rows:
        store.insert(
            JUDGE_REQUESTS,
            pl.DataFrame(list(rows.values()), schema=table(JUDGE_REQUESTS).polars_schema()),
            on_conflict="replace",
        )
    for seg in segments:
        seg.unlink(missing_ok=True)
    return len(rows)


def _read(
    raw_text: str | None,
    finish_reason: str | None,
    error: str | None,
    completion_tokens: int | None = None,
    max_tokens: int | None = None,
) -> dict[str, Any]:
    """What the parser makes of an answer (the whole text, the judge's think block included): score and reasoning,
    or parse_error; nothing for a failed request. An answer that spent the `max_tokens` it was sent is cut whatever
    its finish reason (`finish_of`; a server may say `stop` there): before, its verdict was read as given."""
    if error is not None:
        return {"score": None, "reasoning": None, "parse_error": None}
    try:
        score, reasoning = parse_judgement(
            raw_text, finish_of(finish_reason, completion_tokens, max_tokens, live=False)
        )
    except MalformedJudgement as exc:
        return {"score": None, "reasoning": None, "parse_error": str(exc)}
    return {"score": score, "reasoning": reasoning, "parse_error": None}


def _cached(store: Store | None, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Stored answers by key, read again by the current parser: a parser fix applies to them without a request."""
    if store is None or not keys:
        return {}
    rows = store.query(
        "SELECT key, raw_text, finish_reason, error, completion_tokens, "
        f"{sent_max_tokens_sql('')} AS max_tokens FROM judge_requests "
        "WHERE key IN (SELECT unnest(?)) AND error IS NULL",
        [keys],
    )
    return {
        r["key"]: {**r, **_read(r["raw_text"], r["finish_reason"], None, r["completion_tokens"], r.pop("max_tokens"))}
        for r in rows.to_dicts()
    }


def _fetch(
    reqs: dict[str, tuple[GenerationRequest, str]], run: JudgeRun, backend: Backend
) -> dict[str, dict[str, Any]]:
    """Answers by key: stored ones, then the rest sent (and stored as they arrive). A key missing from the result
    was not answered (the server became unreachable)."""
    answers = _cached(run.store, list(reqs))
    run.stats.requests += len(reqs)
    run.stats.cached += len(answers)
    todo = [req for key, (req, _) in reqs.items() if key not in answers]
    if not todo:
        return answers
    owners = {key: owner for key, (_, owner) in reqs.items()}
    writer = _JudgeWriter(run.store, judge_journal_dir(run.store)) if run.store is not None else None

    def sink(req: GenerationRequest, res: GenerationResult, endpoint: str | None) -> None:
        row = _row(req, res, owners[req.key], endpoint)
        if writer is not None:
            writer.add(row)
        answers[req.key] = row
        run.stats.sent += 1
        run.stats.prompt_tokens += res.prompt_tokens or 0
        run.stats.completion_tokens += res.completion_tokens or 0

    try:
        if run.store is None:
            backend.run(todo, sink)
        else:
            wait = max(run.store.lock_timeout_s or 0.0, COMMIT_LOCK_WAIT_S)
            with run.store.released(lock_timeout_s=wait):
                try:
                    backend.run(todo, sink)
                finally:
                    if writer is not None:
                        writer.close()
    except ServerUnreachableError as exc:
        run.stats.unreachable = str(exc)
    return answers


def judge_pass(
    items: Sequence[Item],
    cfg: VerifyConfig,
    registry: Registry,
    run: JudgeRun,
    ids: Sequence[str] | None = None,
) -> list[Item]:
    """The items, those of `judge` tasks with the judge's answer attached (`TaskSpec.judgement`).

    `ids` name the responses (generation keys) in `judge_requests`. Responses that fail without the judge (no
    answer, a format lint, no rubric) are not sent."""
    jcfg = cfg.judge
    out = list(items)
    asks: dict[int, tuple[list[dict[str, str]], str]] = {}
    for i, it in enumerate(items):
        if not is_llm_judge(registry, it.task.verifier):
            continue
        try:
            rubric, source = rubric_for(it.task, jcfg)
        except VerifierArgsError:
            continue  # the verifier fails it judge:bad_args, naming the task
        text = _judged_text(it, cfg)
        if text is not None:
            asks[i] = (judge_messages(it.task.prompt, rubric, text, jcfg, it.task.answer, it.task.system), source)
    if not asks:
        return out
    if run.backend is None:
        run.backend = make_judge_backend(jcfg)  # kept for the run's later batches (an engine starts once)
    backend = run.backend
    if run.store is not None:
        replay_judge_journal(run.store)
    run.stats.responses += len(asks)
    results: dict[int, Judgement] = {}
    todo = sorted(asks)
    for attempt in range(jcfg.malformed_retries + 1):
        reqs = {i: request_for(items[i].task.task_id, asks[i][0], attempt, jcfg) for i in todo}
        unique: dict[str, tuple[GenerationRequest, str]] = {}
        for i, req in reqs.items():
            unique.setdefault(req.key, (req, ids[i] if ids is not None else items[i].task.task_id))
        answers = _fetch(unique, run, backend)
        again = []
        for i, req in reqs.items():
            base = {"model": jcfg.model, "request_key": req.key, "attempts": attempt + 1, "rubric_source": asks[i][1]}
            row = answers.get(req.key)
            if row is None:
                results[i] = Judgement(failure="unreachable", detail=run.stats.unreachable, **base)
            elif row["error"] is not None:
                results[i] = Judgement(failure="request_failed", detail=row["error"], **base)
                run.stats.first_error = run.stats.first_error or row["error"]
            elif row["parse_error"] is None:
                results[i] = Judgement(score=row["score"], reasoning=row["reasoning"], **base)
            else:
                run.stats.malformed_answers += 1
                if attempt < jcfg.malformed_retries:
                    asks[i] = (retry_messages(asks[i][0], row["raw_text"] or "", row["parse_error"]), asks[i][1])
                    again.append(i)
                else:
                    results[i] = Judgement(failure="malformed", detail=row["parse_error"], **base)
        todo = again
        if not todo:
            break
    for i, j in results.items():
        run.stats.malformed += j.failure == "malformed"
        run.stats.request_errors += j.failure == "request_failed"
        out[i] = dataclasses.replace(items[i], task=dataclasses.replace(items[i].task, judgement=j))
    return out
