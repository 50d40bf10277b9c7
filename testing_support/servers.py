"""Loopback servers for tests and benches: a free port, waiting for a server, and a fault-injecting proxy."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

# How often a stub server's `serve_forever` looks for `shutdown()`: the default, 0.5 s, made every stub's teardown
# wait up to half a second (the suite starts a stub server in ~75 places, many per test)
POLL_S = 0.02


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout_s: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} not up after {timeout_s}s")


class FaultProxy:
    """A loopback HTTP proxy that forwards to `upstream` and injects failures on request.

    `plan` is consumed one entry per request: "ok", an HTTP status ("503", "429", ...) answered with
    Retry-After: 0, or "drop" (close the connection without answering). `rule(body)` may answer a request
    itself ((status, json) or None). `drop_after` drops every request after that many successes. `hold_after`
    holds every request after that many successes unanswered until `release()` or `close()` (`held` counts them):
    a client killed then is mid-run, however fast the machine. (Requests already under way when the count is
    reached still finish, so `successes` may end a little above `hold_after`.)
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.plan: list[str] = []
        self.rule: Callable[[dict[str, Any]], tuple[int, dict[str, Any]] | None] | None = None
        self.drop_after: int | None = None
        self.hold_after: int | None = None
        self.held = 0
        self._release = threading.Event()
        self.delay_s = 0.0
        self.requests = 0
        self.successes = 0
        self.in_flight = 0
        self.peak = 0
        self.seeds: list[int] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                proxy._handle(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, args=(POLL_S,), daemon=True).start()

    def _reply(
        self, h: BaseHTTPRequestHandler, status: int, payload: bytes, extra: dict[str, str] | None = None
    ) -> None:
        h.send_response(status)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(payload)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(payload)

    def _handle(self, h: BaseHTTPRequestHandler, raw: bytes) -> None:
        body = json.loads(raw)
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            action = self.plan.pop(0) if self.plan else "ok"
            if self.drop_after is not None and self.successes >= self.drop_after:
                action = "drop"
            hold = self.hold_after is not None and self.successes >= self.hold_after
            self.held += hold
        try:
            if hold:
                self._release.wait()
                h.close_connection = True
                return
            if action == "drop":
                h.close_connection = True
                h.connection.shutdown(socket.SHUT_RDWR)
                return
            if action != "ok":
                err = json.dumps({"error": {"message": f"injected {action}"}}).encode()
                self._reply(h, int(action), err, {"retry-after": "0"})
                return
            ruled = self.rule(body) if self.rule else None
            if ruled is not None:
                self._reply(h, ruled[0], json.dumps(ruled[1]).encode())
                return
            if self.delay_s:
                time.sleep(self.delay_s)
            host = self.upstream.split("//", 1)[1].split("/", 1)[0]
            conn = http.client.HTTPConnection(host, timeout=60)
            conn.request("POST", "/v1/chat/completions", raw, {"content-type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            conn.close()
            with self.lock:
                if resp.status == 200:
                    self.successes += 1
                    self.seeds.append(body.get("seed"))
            self._reply(h, resp.status, data)
        finally:
            with self.lock:
                self.in_flight -= 1

    def release(self) -> None:
        """Stop holding: held requests are closed unanswered, later ones are forwarded."""
        self.hold_after = None
        self._release.set()

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()
