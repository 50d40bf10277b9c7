"""OpenAI batch files: write the requests (custom_id = request key), read an output file back into the cache.

The request file runs elsewhere (`vllm run-batch`, a provider's batch API); its output file comes back through
`read_batch_output`. Output lines whose custom_id is not a current request key (the templates or config changed
since the file was written) are counted as unmatched, never stored under a wrong key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.generate.backends.base import BatchFileError, Sink
from pipeline.generate.request import GenerationRequest
from pipeline.generate.result import BATCH_ERROR, GenerationResult, classify_error, reasoning_field
from pipeline.generate.targets import VLLM_DECODING

CHAT_URL = "/v1/chat/completions"


def batch_body(req: GenerationRequest) -> dict[str, Any]:
    """The request body as an OpenAI-compatible server receives it (vLLM reads chat_template_kwargs).

    A request made for the `openai` target (`pipeline.generate.targets`) has no template switches: its body
    then carries OpenAI fields only."""
    body: dict[str, Any] = {
        "model": req.model,
        "messages": list(req.messages),
        **req.sampling_params,
        "seed": req.seed,
    }
    if req.chat_template_kwargs:  # the vLLM target: with its decoding fields (`targets.VLLM_DECODING`, not keyed)
        body = {**VLLM_DECODING, **body, "chat_template_kwargs": req.chat_template_kwargs}
    return body


def write_batch_requests(requests: Iterable[GenerationRequest], path: str | Path) -> int:
    """Write one OpenAI batch request line per request; returns the number of lines."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for req in requests:
            line = {"custom_id": req.key, "method": "POST", "url": CHAT_URL, "body": batch_body(req)}
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n


def parse_output_line(obj: dict[str, Any]) -> GenerationResult:
    """One batch output line -> a result (a failed line becomes a recorded error)."""
    if obj.get("error"):
        err = obj["error"]
        msg = err.get("message", str(err)) if isinstance(err, dict) else str(err)
        code = err.get("code") if isinstance(err, dict) else None
        return GenerationResult(error=f"{BATCH_ERROR}: {code or 'error'}: {msg}")
    response = obj.get("response") or {}
    status = response.get("status_code", 200)
    body = response.get("body") or {}
    if status != 200:
        detail = body.get("error", body) if isinstance(body, dict) else body
        msg = detail.get("message", str(detail)) if isinstance(detail, dict) else str(detail)
        return GenerationResult(error=f"{classify_error(status, msg)}: HTTP {status}: {msg}")
    choice = body["choices"][0]
    message = choice.get("message") or {}
    usage = body.get("usage") or {}
    return GenerationResult(
        text=message.get("content"),
        reasoning_content=reasoning_field(message.get("reasoning_content"), message.get("reasoning")),
        finish_reason=choice.get("finish_reason"),
        prompt_tokens=usage.get("prompt_tokens"),
        completion_tokens=usage.get("completion_tokens"),
    )


def read_batch_output(path: str | Path) -> dict[str, GenerationResult]:
    """custom_id -> result for every line of an OpenAI batch output file (validated before anything is used)."""
    path = Path(path)
    if not path.exists():
        raise BatchFileError(f"batch output file {path} does not exist")
    results: dict[str, GenerationResult] = {}
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                cid = obj["custom_id"]
                results[cid] = parse_output_line(obj)
            except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError) as exc:
                raise BatchFileError(
                    f"batch output file {path}, line {lineno}: not a batch output record ({type(exc).__name__}: {exc})"
                ) from exc
    return results


@dataclass
class BatchBackend:
    """Reads `output` (if set) into the sink; writes the still-unanswered requests to a request file."""

    output: Path | None
    batch_dir: Path
    name: str = "batch"
    unmatched: int = 0
    answered: int = 0
    request_file: Path | None = None
    unanswered: int = 0
    write_missing: bool = True
    known_keys: frozenset[str] = frozenset()  # current request keys already answered (cached): not unmatched

    def run(self, requests: Sequence[GenerationRequest], sink: Sink) -> None:
        results = read_batch_output(self.output) if self.output is not None else {}
        endpoint = self.output.name if self.output is not None else None
        wanted = {r.key for r in requests}
        self.unmatched = sum(1 for k in results if k not in wanted and k not in self.known_keys)
        missing: list[GenerationRequest] = []
        for req in requests:
            res = results.get(req.key)
            if res is None:
                missing.append(req)
            else:
                sink(req, res, endpoint)
                self.answered += 1
        self.unanswered = len(missing)
        if missing and self.write_missing:
            digest = hashlib.sha256("\n".join(r.key for r in missing).encode()).hexdigest()[:12]
            self.request_file = self.batch_dir / f"requests-{digest}.jsonl"
            write_batch_requests(missing, self.request_file)
