"""A loopback OpenAI-compatible chat server that fails on purpose: the fault injector of the reliability suite.

Each request is identified by a fingerprint of what makes it unique (model, messages, seed, sampling fields), so
tests can count how often the same logical request was sent. A configurable share of requests gets a fault:

    500            HTTP 500 with an error body
    429            HTTP 429 with `Retry-After: 0`
    timeout        no answer until after the client's timeout
    drop           the connection is closed without a response
    truncated      HTTP 200 whose JSON body is cut in half

Successful answers are deterministic (a function of the fingerprint), so two runs are comparable row by row.
`responder` scripts the answers instead (an LLM judge's, for example): `responder(body)` returns the content
to send, or None for the default answer, or a dict: the assistant message's fields (`content`, `reasoning`,
`reasoning_content`: a server's reasoning parser) and, optionally, `finish_reason` (default "stop").
`down=True` refuses every request at the TCP level (the port is closed), as a dead server would.
"""

from __future__ import annotations

import hashlib
import json
import random
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from testing_support.servers import POLL_S

FAULTS = ("500", "429", "timeout", "drop", "truncated")


def fingerprint(body: dict[str, Any]) -> str:
    """What identifies one logical request (a retry of it has the same fingerprint)."""
    ident = {
        k: body.get(k)
        for k in ("model", "messages", "seed", "temperature", "top_p", "max_tokens", "chat_template_kwargs")
    }
    return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:16]


def vllm_reasoning_split(output: str, thinking: bool) -> tuple[str | None, str | None]:
    """(reasoning, content) of a completion as vLLM's server returns it with `--reasoning-parser deepseek_v3`
    (what docs/generate.md recommends): with the request's `thinking` switch off, no reasoning and the text as
    content; on, deepseek_r1's split: a leading `<think>` (and any text before it) removed, the text up to the first
    `</think>` as reasoning and the rest as content, null when empty; without a `</think>`, all of it reasoning and
    a null content (the parser takes the output to start inside a think block)."""
    if not thinking:
        return None, output
    before, tag, after = output.partition("<think>")
    rest = after if tag else before
    if "</think>" not in rest:
        return rest, None
    reasoning, _, content = rest.partition("</think>")
    return reasoning, content or None


def answer_text(fp: str, thinking: bool) -> str:
    body = f"The answer for request {fp} is 42."
    return f"<think>\nReasoning about request {fp}.\n</think>\n{body}" if thinking else body


@dataclass
class StubStats:
    requests: int = 0  # HTTP requests received (retries included)
    ok: Counter[str] = field(default_factory=Counter)  # fingerprint -> successful answers sent
    sent: Counter[str] = field(default_factory=Counter)  # fingerprint -> requests received
    faults: Counter[str] = field(default_factory=Counter)  # fault kind -> times injected
    auth: set[str] = field(default_factory=set)  # Authorization headers seen
    bodies: list[dict[str, Any]] = field(default_factory=list)  # every request body, in arrival order


class OpenAIStub:
    def __init__(
        self,
        *,
        fault_rate: float = 0.0,
        faults: tuple[str, ...] = FAULTS,
        seed: int = 0,
        hang_s: float = 1.5,
        models: tuple[str, ...] | None = None,
        status_for_all: int | None = None,
        owned_by: str | None = None,
    ) -> None:
        self.fault_rate = fault_rate
        self.faults = faults
        self.hang_s = hang_s
        self.models = models
        self.status_for_all = status_for_all
        self.owned_by = owned_by  # `/v1/models` names this owner ("vllm": the server reads as vLLM)
        self.rng = random.Random(seed)
        self.stats = StubStats()
        self.lock = threading.Lock()
        self.on_answer: list[Any] = []  # callbacks(fp) after a successful answer was written
        self.fault_for: Any = None  # optional fault_for(body) -> fault kind or None: a fault for chosen requests
        self.responder: Any = None  # optional responder(body) -> content str or None (None: the default answer)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                stub._handle(self)

            def do_GET(self) -> None:
                models = stub.models or (("stub-model",) if stub.owned_by else ())
                owner = {"owned_by": stub.owned_by} if stub.owned_by else {}
                stub._send(
                    self, 200, {"object": "list", "data": [{"id": m, "object": "model", **owner} for m in models]}
                )

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # clients that went away (timeouts, kills) are part of the test

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(POLL_S,), daemon=True)

    def __enter__(self) -> OpenAIStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------------------------------------ serving
    def _pick_fault(self) -> str | None:
        with self.lock:
            if self.fault_rate and self.rng.random() < self.fault_rate:
                return self.rng.choice(self.faults)
        return None

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = json.loads(h.rfile.read(length) or b"{}")
        fp = fingerprint(body)
        with self.lock:
            self.stats.requests += 1
            self.stats.sent[fp] += 1
            self.stats.auth.add(h.headers.get("Authorization") or "")
            self.stats.bodies.append(body)
        if self.status_for_all is not None:
            return self._send(
                h,
                self.status_for_all,
                {"error": {"message": "stub: refused", "type": "error", "code": self.status_for_all}},
            )
        if self.models is not None and body.get("model") not in self.models:
            return self._send(
                h,
                404,
                {
                    "error": {
                        "message": f"The model `{body.get('model')}` does not exist.",
                        "type": "NotFoundError",
                        "code": 404,
                    }
                },
            )
        fault = (self.fault_for(body) if self.fault_for else None) or self._pick_fault()
        if fault is not None:
            with self.lock:
                self.stats.faults[fault] += 1
            return self._inject(h, fault)
        thinking = bool((body.get("chat_template_kwargs") or {}).get("thinking"))
        scripted = self.responder(body) if self.responder else None
        text = scripted if scripted is not None else answer_text(fp, thinking)
        message: dict[str, Any] = {"role": "assistant", "content": text}
        finish = "stop"
        if isinstance(text, dict):
            message = {"role": "assistant", **{k: v for k, v in text.items() if k != "finish_reason"}}
            finish = text.get("finish_reason", "stop")
            text = " ".join(v for k, v in text.items() if k != "finish_reason" and isinstance(v, str))
        self._send(
            h,
            200,
            {
                "id": f"chatcmpl-{fp}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model"),
                "choices": [{"index": 0, "finish_reason": finish, "message": message}],
                "usage": {"prompt_tokens": 10, "completion_tokens": len(text.split()), "total_tokens": 10},
            },
        )
        with self.lock:
            self.stats.ok[fp] += 1
        for cb in self.on_answer:
            cb(fp)

    def _inject(self, h: BaseHTTPRequestHandler, fault: str) -> None:
        if fault == "500":
            self._send(h, 500, {"error": {"message": "stub: internal error", "type": "server_error"}})
        elif fault == "429":
            self._send(h, 429, {"error": {"message": "stub: slow down", "type": "rate_limit"}}, {"Retry-After": "0"})
        elif fault == "timeout":
            time.sleep(self.hang_s)
            self._send(h, 500, {"error": {"message": "stub: too late"}})
        elif fault == "drop":
            h.connection.shutdown(socket.SHUT_RDWR)
            h.close_connection = True
        elif fault == "truncated":
            data = json.dumps(
                {
                    "id": "x",
                    "object": "chat.completion",
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": "cut"}, "finish_reason": "stop"}
                    ],
                }
            ).encode()
            data = data[: len(data) // 2]
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        else:  # pragma: no cover - a typo in a test's fault list
            raise ValueError(fault)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        try:
            h.send_response(status)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(data)
        except OSError:
            pass  # the client is gone


def closed_port_url() -> str:
    """A loopback URL where nothing listens (a server down for the whole run)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
