"""Any OpenAI-compatible server (vLLM, SGLang, `transformers serve`, hosted APIs), driven asynchronously.

Keeps up to `max_in_flight` requests open over all base URLs (round-robin; a retry moves on to the next URL;
`max_in_flight_per_url` caps each URL, waiting for a free slot at the URL a request is sent to),
retries 429 / 5xx / timeouts / connection errors with exponential backoff and jitter (honouring Retry-After),
and records per-request failures without stopping: context length exceeded, unknown model, bad request, and a
request that is still failing after every retry on a timeout (`timeout: ...`), a dropped connection
(`connection_lost: ...`), a 429 (`rate_limited: ...`) or a 5xx (`server_error: ...`). Error rows are sent again
on a rerun (`generate.retry_errors`). Only a server that refuses every connection (every attempt of a request
failed to connect) stops the run with `ServerUnreachableError`; the results finished so far are in the sink.

`generate.openai.target`: `vllm` (default) also sends vLLM fields (`chat_template_kwargs`, `top_k` via
`extra_body`); `openai` sends only OpenAI's fields (see `pipeline.generate.targets`). The backend sends each
request's fields as they are: `generate.openai.extra_body` is merged into the requests when they are built
(`pipeline.generate.targets.for_target`), so that the stored `sampling_params` and the key record it.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import logging
import os
import time
from collections.abc import Sequence
from typing import Any

import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, wait_random_exponential

from pipeline.dataset.redact import scrub_credentials
from pipeline.generate.backends.base import ServerUnreachableError, Sink
from pipeline.generate.config import OpenAIBackendConfig
from pipeline.generate.request import GenerationRequest
from pipeline.generate.result import (
    SERVER_ERROR,
    GenerationResult,
    classify_error,
    public_endpoint,
    reasoning_field,
)
from pipeline.generate.targets import VLLM_DECODING

try:  # openai>=3 runs on httpx2; older releases on httpx. Limits must come from the one the client uses.
    import httpx2 as _http  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the installed openai
    import httpx as _http

_STANDARD = ("temperature", "top_p", "max_tokens")


class _URLCredentialsFilter(logging.Filter):
    """The HTTP client logs every request's URL at INFO, a base URL's `user:password@` included: each record is
    rewritten without it (and with secret-looking query parameters masked) before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub_credentials(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_URL_CREDENTIALS_FILTER = _URLCredentialsFilter()
for _name in ("httpx", "httpx2"):  # whichever the openai client runs on
    logging.getLogger(_name).addFilter(_URL_CREDENTIALS_FILTER)

# Error kinds of a request that exhausted its retries (stored as "<kind>: <detail>", retried on a rerun).
TIMEOUT = "timeout"
CONNECTION_LOST = "connection_lost"
RATE_LIMITED = "rate_limited"
_CONNECT_FAILURES = ("ConnectError", "ConnectTimeout", "ConnectionRefusedError")


class MalformedResponseError(Exception):
    """A 200 response that is not a usable chat completion (truncated JSON, no choices, wrong types)."""


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError | MalformedResponseError):  # includes APITimeoutError
        return True
    return isinstance(exc, openai.APIStatusError) and (exc.status_code in (408, 429) or exc.status_code >= 500)


def _connect_failed(exc: BaseException) -> bool:
    """True when no connection could be made at all (refused, or no answer to the connect): the request never
    reached a server. A timeout waiting for the answer or a connection dropped mid-request is not this."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if any(k.__name__ in _CONNECT_FAILURES for k in type(cur).__mro__):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def retry_after_s(exc: BaseException | None) -> float | None:
    """Seconds asked for by a Retry-After (or retry-after-ms) header, if any."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return None if parsed is None else max(0.0, parsed.timestamp() - time.time())


class _Backoff:
    """Exponential backoff with full jitter; a Retry-After header wins (capped at `max_s`)."""

    def __init__(self, initial_s: float, max_s: float) -> None:
        self.max_s = max_s
        self.jitter = wait_random_exponential(multiplier=initial_s, max=max_s)

    def __call__(self, state: RetryCallState) -> float:
        asked = retry_after_s(state.outcome.exception() if state.outcome else None)
        if asked is not None:
            return min(asked, self.max_s)
        return self.jitter(state)


def _describe(exc: BaseException) -> str:
    msg = f"{type(exc).__name__}: {exc}"
    cause = exc.__cause__
    if cause is not None and str(cause) and str(cause) not in msg:
        msg += f" ({type(cause).__name__}: {cause})"
    return msg


def _status_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("message") or inner.get("detail") or inner)
        return str(inner)
    return str(exc.message)


async def _serves_vllm(client: openai.AsyncOpenAI) -> bool:
    """Whether the server behind `client` is vLLM: its `/v1/models` names vLLM as the models' owner (`owned_by:
    "vllm"`). Any failure (no such route, a refusal, a timeout) is no: the requests go as they are."""
    try:
        page = await asyncio.wait_for(client.models.list(), timeout=10)
        return any(getattr(m, "owned_by", None) == "vllm" for m in page.data)
    except Exception:  # a server without the route, or down (the requests will say so): not vLLM
        return False


class OpenAIBackend:
    name = "openai"

    def __init__(self, cfg: OpenAIBackendConfig, *, api_key: str | None = None) -> None:
        if not cfg.base_urls:
            raise ValueError("generate.openai.base_urls is empty")
        self.cfg = cfg
        # The key is read here and kept only on the clients; it is never logged or stored.
        self._api_key = api_key or os.environ.get(cfg.api_key_env) or "EMPTY"
        self.endpoints = [public_endpoint(u) for u in cfg.base_urls]
        self.finished = 0
        self._slots: list[asyncio.Semaphore] | None = None
        self._is_vllm = [False] * len(self.endpoints)  # per endpoint: a vLLM server (`_serves_vllm`), found per run

    def run(self, requests: Sequence[GenerationRequest], sink: Sink) -> None:
        asyncio.run(self.arun(requests, sink))

    async def arun(self, requests: Sequence[GenerationRequest], sink: Sink) -> None:
        self.finished = 0
        if not requests:
            return
        # openai's own client class (its default transport; a plain httpx client measured 60% slower), with a
        # pool big enough that max_in_flight, not the pool, bounds concurrency.
        per_client = max(1, -(-self.cfg.max_in_flight // len(self.cfg.base_urls)))
        limits = _http.Limits(max_connections=per_client + 16, max_keepalive_connections=per_client + 16)
        clients = [
            openai.AsyncOpenAI(
                base_url=url,
                api_key=self._api_key,
                max_retries=0,
                timeout=self.cfg.timeout_s,
                http_client=openai.DefaultAsyncHttpxClient(limits=limits, timeout=self.cfg.timeout_s),
            )
            for url in self.cfg.base_urls
        ]
        cap = self.cfg.max_in_flight_per_url
        self._slots = [asyncio.Semaphore(cap) for _ in clients] if cap else None
        if self.cfg.target == "vllm":
            self._is_vllm = list(await asyncio.gather(*(_serves_vllm(c) for c in clients)))
        queue = iter(enumerate(requests))
        total = len(requests)

        async def worker() -> None:
            for i, req in queue:
                result, endpoint = await self._send(clients, i, req, total)
                sink(req, result, endpoint)
                self.finished += 1

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(min(self.cfg.max_in_flight, total)):
                    group.create_task(worker())
        except* ServerUnreachableError as eg:
            raise eg.exceptions[0] from None
        finally:
            for c in clients:
                await c.close()

    async def _send(
        self, clients: list[openai.AsyncOpenAI], i: int, req: GenerationRequest, total: int
    ) -> tuple[GenerationResult, str]:
        n = len(clients)
        kwargs = self._kwargs(req)
        attempt_no = 0
        connect_failures = 0
        endpoint = self.endpoints[i % n]
        retrying = AsyncRetrying(
            retry=retry_if_exception(_retryable),
            stop=stop_after_attempt(self.cfg.max_retries + 1),
            wait=_Backoff(self.cfg.backoff_initial_s, self.cfg.backoff_max_s),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempt_no = attempt.retry_state.attempt_number
                    idx = (i + attempt_no - 1) % n
                    endpoint = self.endpoints[idx]
                    try:
                        async with self._slots[idx] if self._slots else contextlib.nullcontext():
                            t0 = time.perf_counter()
                            resp = await clients[idx].chat.completions.create(**self._for_server(kwargs, idx))
                        result = self._result(resp, time.perf_counter() - t0, attempt_no - 1)
                    except (
                        json.JSONDecodeError,
                        openai.APIResponseValidationError,
                        AttributeError,
                        IndexError,
                        TypeError,
                    ) as exc:
                        raise MalformedResponseError(
                            f"malformed response from {endpoint}: {type(exc).__name__}: {exc}"
                        ) from exc
                    except openai.APIConnectionError as exc:
                        connect_failures += _connect_failed(exc)
                        raise
        except MalformedResponseError as exc:
            # retried and still malformed: stored as an error row (retried on a rerun), the run goes on
            return GenerationResult(error=f"{SERVER_ERROR}: {exc}", retries=attempt_no - 1), endpoint
        except openai.APIStatusError as exc:
            retries = attempt_no - 1
            if exc.status_code == 429:
                kind = RATE_LIMITED
            elif exc.status_code >= 500:
                kind = SERVER_ERROR
            else:
                kind = classify_error(exc.status_code, _status_message(exc))
            error = f"{kind}: HTTP {exc.status_code}: {_status_message(exc)}"
            if kind == RATE_LIMITED:
                error += f" (still rate-limited after {retries} retries at {endpoint})"
            return GenerationResult(error=error, retries=retries), endpoint
        except openai.APIConnectionError as exc:
            retries = attempt_no - 1
            if connect_failures == attempt_no:  # not one attempt reached a server: the server is down
                raise self._unreachable(endpoint, exc, retries, total) from exc
            if isinstance(exc, openai.APITimeoutError):
                error = (
                    f"{TIMEOUT}: no answer within {self.cfg.timeout_s:g}s (generate.openai.timeout_s) from "
                    f"{endpoint} after {retries} retries"
                )
            else:
                error = f"{CONNECTION_LOST}: {_describe(exc)} at {endpoint} after {retries} retries"
            return GenerationResult(error=error, retries=retries), endpoint
        return result, endpoint

    def _unreachable(self, endpoint: str, exc: BaseException, retries: int, total: int) -> ServerUnreachableError:
        return ServerUnreachableError(
            f"server {endpoint} failed after {retries} retries: {_describe(exc)}; "
            f"{self.finished} of {total} requests finished and are stored - rerun to send the rest"
        )

    def _for_server(self, kwargs: dict[str, Any], idx: int) -> dict[str, Any]:
        """`kwargs` as sent to endpoint `idx`: a vLLM server also gets `targets.VLLM_DECODING` (not stored, not keyed),
        so think tags its tokenizer marks special stay in the text; other servers may refuse fields they do not know
        (`transformers serve` does)."""
        if not self._is_vllm[idx]:
            return kwargs
        return {**kwargs, "extra_body": {**VLLM_DECODING, **kwargs["extra_body"]}}

    def _kwargs(self, req: GenerationRequest) -> dict[str, Any]:
        # Exactly the request's fields: `generate.openai.extra_body` is already in them (`targets.for_target`),
        # so what is sent is what the row stores and the key covers.
        params = req.sampling_params
        extra: dict[str, Any] = {k: v for k, v in params.items() if k not in _STANDARD}
        if self.cfg.target == "vllm":
            extra["chat_template_kwargs"] = dict(req.chat_template_kwargs)
        kwargs: dict[str, Any] = {
            "model": req.model,
            "messages": list(req.messages),
            "seed": req.seed,
            "extra_body": extra,
        }
        kwargs.update({k: params[k] for k in _STANDARD if k in params})
        return kwargs

    @staticmethod
    def _result(resp: Any, latency: float, retries: int) -> GenerationResult:
        choice = resp.choices[0]
        if not isinstance(choice.message.content, str | None):
            raise TypeError(f"message content is {type(choice.message.content).__name__}")
        msg = choice.message
        extra = getattr(msg, "model_extra", None) or {}
        reasoning = reasoning_field(
            getattr(msg, "reasoning_content", None), extra.get("reasoning_content"), extra.get("reasoning")
        )
        usage = resp.usage
        return GenerationResult(
            text=msg.content,
            reasoning_content=reasoning,
            finish_reason=choice.finish_reason,
            prompt_tokens=getattr(usage, "prompt_tokens", None),
            completion_tokens=getattr(usage, "completion_tokens", None),
            latency_s=latency,
            retries=retries,
        )
