"""Escape attempts against the code sandbox beyond the verify stage's own list.

Model-written code gets: symlinks in its /tmp pointing at host paths, /proc reads of the parent and of pid 1,
signals to the parent, to the test process and to a decoy process of the sandbox's own uid, very long argv,
and environment probing for the secrets the parent holds. Each attempt reports what it saw; the test checks
that nothing of the host leaked and nothing outside the sandbox was touched.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.verify import sandbox
from pipeline.verify.config import SandboxConfig, VerifyConfig
from pipeline.verify.result import TaskSpec
from pipeline.verify.verifiers.code import verify_code

CANARY = "canary-sandbox-7f3a9c"


@pytest.fixture
def cfg() -> SandboxConfig:
    c = SandboxConfig(timeout_s=10, max_total_wall_s=20)
    try:
        sandbox.ensure_available(c)
    except Exception as exc:  # no bubblewrap / user namespaces here: say so, never run unsandboxed
        pytest.skip(f"sandbox unavailable: {exc}")
    return c


@pytest.fixture
def secret_file(tmp_path: Path) -> Iterator[Path]:
    """A host file holding the canary, readable by anyone (only the sandbox's mount namespace hides it)."""
    tmp_path.chmod(0o755)
    p = tmp_path / "secret.txt"
    p.write_text(CANARY)
    p.chmod(0o644)
    yield p


def run_inside(code: str, cfg: SandboxConfig, wall_s: float = 15) -> dict:
    res = sandbox.run([sandbox.interpreter(cfg), "-I", "-c", textwrap.dedent(code)], b"", cfg, wall_s=wall_s)
    assert res.status == "exited", (res.status, res.stderr[-1000:])
    lines = res.stdout.decode(errors="replace").strip().splitlines()
    assert lines, res.stderr.decode(errors="replace")[-2000:]
    return json.loads(lines[-1])


def test_symlinks_and_proc_root_do_not_reach_host_files(cfg: SandboxConfig, secret_file: Path) -> None:
    seen = run_inside(
        f"""
        import json, os
        target = {str(secret_file)!r}
        out = {{}}
        def attempt(name, path):
            try:
                with open(path) as f:
                    out[name] = f.read(200)
            except Exception as exc:
                out[name] = "denied: " + type(exc).__name__
        os.symlink(target, "/tmp/link")
        os.symlink("/", "/tmp/rootlink")
        attempt("direct", target)
        attempt("symlink", "/tmp/link")
        attempt("via_root_symlink", "/tmp/rootlink" + target)
        attempt("proc_self_root", "/proc/self/root" + target)
        attempt("proc_1_root", "/proc/1/root" + target)
        attempt("proc_1_cwd", "/proc/1/cwd/secret.txt")
        os.symlink("/proc/1/root", "/tmp/p1")
        attempt("symlink_to_proc_1_root", "/tmp/p1" + target)
        out["project_visible"] = os.path.exists("/work") or os.path.exists({str(Path.cwd())!r})
        out["etc_passwd"] = os.path.exists("/etc/passwd")
        print(json.dumps(out))
    """,
        cfg,
    )
    leaked = {k: v for k, v in seen.items() if isinstance(v, str) and CANARY in v}
    assert not leaked, leaked
    assert seen["project_visible"] is False and seen["etc_passwd"] is False


def test_proc_of_parent_and_environment_hold_no_secrets(cfg: SandboxConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HF_TOKEN", "OPENAI_API_KEY", "THINKMILL_API_KEY"):
        monkeypatch.setenv(var, f"{CANARY}-{var}")
    seen = run_inside(
        f"""
        import json, os
        out = {{"environ": dict(os.environ), "ppid": os.getppid(), "pid": os.getpid(), "procs": {{}}}}
        for pid in [p for p in os.listdir("/proc") if p.isdigit()] + [str({os.getpid()}), "1"]:
            rec = {{}}
            for leaf in ("environ", "cmdline", "status"):
                try:
                    with open(f"/proc/{{pid}}/{{leaf}}", "rb") as f:
                        rec[leaf] = f.read().decode(errors="replace")
                except Exception as exc:
                    rec[leaf] = "denied: " + type(exc).__name__
            out["procs"][pid] = rec
        print(json.dumps(out))
    """,
        cfg,
    )
    blob = json.dumps(seen)
    assert CANARY not in blob, "a secret of the parent is visible inside the sandbox"
    assert not set(seen["environ"]) - {"PATH", "HOME", "LANG", "PYTHONDONTWRITEBYTECODE", "PWD", "LC_CTYPE"}
    assert (
        str(os.getpid()) not in [p for p in seen["procs"] if seen["procs"][p]["status"].startswith("Name")]
        or seen["pid"] < 10
    )  # own pid namespace: the host's pids are not there


def test_signals_to_parent_test_process_and_decoy_are_contained(cfg: SandboxConfig) -> None:
    got: list[int] = []
    old = signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
    kw = {"user": cfg.sandbox_uid, "group": cfg.sandbox_uid, "extra_groups": []} if os.geteuid() == 0 else {}
    decoy = subprocess.Popen(["sleep", "60"], **kw)  # same uid as the sandboxed code
    try:
        seen = run_inside(
            f"""
            import json, os, signal
            out = {{}}
            targets = {{"test_process": {os.getpid()}, "decoy": {decoy.pid}, "parent": os.getppid()}}
            for name, pid in targets.items():
                sig = signal.SIGKILL if name == "decoy" else signal.SIGUSR1
                try:
                    os.kill(pid, sig)
                    out[name] = "sent"
                except Exception as exc:
                    out[name] = type(exc).__name__
            if {os.geteuid() == 0}:  # as root the sandbox runs as the decoy's uid: try everything it may signal
                try:
                    os.kill(-1, signal.SIGKILL)
                except Exception as exc:
                    out["all"] = type(exc).__name__
            print(json.dumps(out), flush=True)
        """,
            cfg,
        )
    except AssertionError:
        seen = {}  # kill(-1) inside its own pid namespace may take the sandboxed process down before it prints
    finally:
        time.sleep(0.2)
        alive = decoy.poll() is None
        decoy.kill()
        decoy.wait()
        signal.signal(signal.SIGUSR1, old)
    assert alive, f"the sandbox killed a process outside it: {seen}"
    assert not got, f"the sandbox signalled the test process: {seen}"


def test_very_long_argv_and_huge_solution_are_handled(cfg: SandboxConfig) -> None:
    seen = run_inside(
        """
        import json, subprocess
        out = {}
        for n in (10**5, 10**7):
            try:
                r = subprocess.run(["/bin/true", "x" * n], capture_output=True)
                out[str(n)] = r.returncode
            except Exception as exc:
                out[str(n)] = type(exc).__name__
        print(json.dumps(out))
    """,
        cfg,
    )
    assert seen["10000000"] in ("OSError", "MemoryError") or seen["10000000"] != 0
    task = TaskSpec(
        task_id="long",
        domain="code",
        prompt="",
        answer=None,
        verifier="code",
        verifier_args={"tests": "assert f() == 1", "timeout_s": 5},
    )
    body = "x = " + repr("y" * 3_000_000) + "\ndef f():\n    return 1\n"
    vcfg = VerifyConfig(code=cfg)
    res = verify_code(f"```python\n{body}```", task, vcfg)  # 3 MB of code goes by stdin, not argv
    assert res.passed, res
