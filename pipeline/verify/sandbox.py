"""Run untrusted code in a bubblewrap sandbox with resource limits.

What the sandbox allows: a read-only root with read-only /usr (and the interpreter's install), a private size-
capped /tmp, /proc of its own pid namespace, a minimal /dev (its /dev/shm capped as /tmp). What it removes: network
(own net namespace), the project, every home folder, /etc, the environment (cleared: no secrets), other processes
(own pid namespace), and the memory of its Python processes: the interpreter is bound as a copy its user may run but
not read (`execute_only`), and Linux makes such a process not dumpable (its `/proc/<pid>/mem` is closed to itself and
to the processes it starts).
Limits (rlimits via `prlimit`): address space, CPU seconds, processes, file size; plus a wall clock and an
output cap enforced here. Its stdout is a socket: a pipe could be opened again for reading by its owner (the
sandbox's user where thinkmill does not run as root), and the harness's report taken off it.
When thinkmill runs as root the sandbox runs as an unprivileged uid, because process limits do not bind root.
The whole process tree dies with the run: bwrap's pid namespace is torn down when its init exits, and the
run's session is killed on timeout.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.verify.config import SandboxConfig
from pipeline.verify.errors import SandboxUnavailableError

SANDBOX_UNAVAILABLE = "sandbox_unavailable"  # check detail of code that was not run: `code:sandbox_unavailable`
INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and make sure user namespaces are enabled; "
    "only if you already run inside your own sandbox, set verify.code.allow_unsandboxed: true "
    "(CLI: --unsafe-no-sandbox)"
)


@dataclass(frozen=True)
class RunResult:
    """Outcome of one sandboxed run. status: exited, timeout, output_limit."""

    status: str
    returncode: int | None
    stdout: bytes
    stderr: bytes
    wall_s: float


def interpreter(cfg: SandboxConfig) -> str:
    if cfg.python:
        return cfg.python
    return "/usr/bin/python3" if Path("/usr/bin/python3").exists() else os.path.realpath(sys.executable)


_EXECUTE_ONLY: dict[tuple[str, int, int, int], str | None] = {}


def execute_only(python: str) -> str | None:
    """A copy of the interpreter `python` (its real file, an ELF program) that may be run but not read (mode 0111),
    bound over it in the sandbox: Linux makes a process whose program its user cannot read not dumpable, so its
    memory is closed to the code it runs (`/proc/self/mem`) and to the processes that code starts (`/proc/<ppid>/mem`;
    code 21 passed an assert solution that read the expected values out of the harness's memory either way). Made
    once per interpreter in a folder of this user's own under the temp dir (mode 0711: the sandbox's uid may reach
    it, no one else may write there), shared by the processes of this user; None where it cannot be made or run (a
    script, an unreadable interpreter, a temp dir mounted noexec or out of the sandbox uid's reach), and the
    interpreter is then bound as it is."""
    real = os.path.realpath(python)
    try:
        st = os.stat(real)
    except OSError:
        return None
    key = (real, st.st_size, st.st_mtime_ns, st.st_ino)
    if key not in _EXECUTE_ONLY:
        _EXECUTE_ONLY[key] = _make_execute_only(real, f"{Path(real).name}-{st.st_size}-{st.st_mtime_ns}-{st.st_ino}")
    return _EXECUTE_ONLY[key]


def _own_folder() -> Path | None:
    """This user's folder under the temp dir for the files bound into the sandbox (mode 0711: the sandbox's uid may
    reach a file there it knows the name of, no one else may write there); None where it cannot be made or reached."""
    folder = Path(tempfile.gettempdir()) / f"thinkmill-xonly-{os.geteuid()}"
    if os.geteuid() == 0 and any(os.stat(p).st_mode & 0o001 == 0 for p in folder.parents):
        return None  # the sandbox's uid (root's runs drop to it) could not reach it
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o711)
    st = os.lstat(folder)
    if not (stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid()):
        return None  # another user's: never bind what someone else could have put there
    if st.st_mode & 0o777 != 0o711:
        os.chmod(folder, 0o711)
    return folder


def _place(folder: Path, name: str, data: bytes, mode: int) -> Path:
    """`data` as `folder/name` with `mode`, written under another name and renamed (a run beside this one reads
    the whole file or none)."""
    part = folder / f".{name}.{os.getpid()}.{threading.get_ident()}"
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(part, mode)
    os.replace(part, folder / name)
    return folder / name


def _make_execute_only(real: str, name: str) -> str | None:
    try:
        if os.statvfs(tempfile.gettempdir()).f_flag & os.ST_NOEXEC:
            return None  # a program there cannot run
        folder = _own_folder()
        if folder is None:
            return None
        copy = folder / name
        with contextlib.suppress(FileNotFoundError):
            got = os.lstat(copy)
            same = got.st_size == os.stat(real).st_size and stat.S_ISREG(got.st_mode)
            if same and got.st_uid == os.geteuid() and got.st_mode & 0o7777 == 0o111:
                return str(copy)
        with open(real, "rb") as f:
            data = f.read()
        if not data.startswith(b"\x7fELF"):
            return None  # a script needs reading to run
        return str(_place(folder, name, data, 0o111))
    except OSError:
        return None


def cpu_count(cfg: SandboxConfig) -> int:
    """The CPUs code in the sandbox is shown (`os.cpu_count()`, so the size of a `Pool()` or `ProcessPoolExecutor()`
    it starts): the machine's, at most a quarter of `max_processes` (8 of the default 32). A pool of default size
    starts a worker per CPU, and on a host of 64 CPUs every right solution with one failed `runtime_error` at the
    process limit; a quarter leaves the sandbox's own processes, a spawn's helpers and a second pool room."""
    return max(1, min(os.cpu_count() or 1, cfg.max_processes // 4))


_CPU_FILES: dict[int, str | None] = {}


def _cpus_online(n: int) -> str | None:
    """A file reading as Linux's `/sys/devices/system/cpu/online` for `n` CPUs (`0-3`), bound over that path in the
    sandbox: glibc counts the CPUs there (`sysconf(_SC_NPROCESSORS_ONLN)`, which `os.cpu_count()` of every Python
    reads). None where it cannot be made (the count is then the machine's; `-X cpu_count` still holds on Python
    3.13+)."""
    if n not in _CPU_FILES:
        try:
            folder = _own_folder()
            _CPU_FILES[n] = None if folder is None else str(_place(folder, f"cpus-{n}", f"0-{n - 1}\n".encode(), 0o444))
        except OSError:
            _CPU_FILES[n] = None
    return _CPU_FILES[n]


def _ro_binds(python: str, cfg: SandboxConfig) -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib64", "lib32"):
        p = Path("/") / name
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), f"/{name}"]
        elif p.is_dir():
            args += ["--ro-bind", str(p), f"/{name}"]
    real = os.path.realpath(python)
    if not real.startswith("/usr/"):
        prefix = sys.base_prefix if real.startswith(sys.base_prefix) else str(Path(real).parent.parent)
        args += ["--ro-bind", prefix, prefix]
    copy = execute_only(real) if real == os.path.realpath(interpreter(cfg)) else None
    if copy is not None:
        args += ["--ro-bind", copy, real]
    return args


def _limits(cfg: SandboxConfig, cpu_s: int, nproc: bool) -> list[str]:
    mb = 1024 * 1024
    return [
        "prlimit",
        f"--as={cfg.memory_mb * mb}",
        f"--cpu={cpu_s}",
        *([f"--nproc={cfg.max_processes}"] if nproc else []),
        f"--fsize={cfg.max_file_mb * mb}",
        "--core=0",
        "--",
    ]


def bwrap_path(cfg: SandboxConfig) -> str | None:
    """Where `verify.code.bwrap` resolves (on this process's PATH, or as a path); None when it does not."""
    return shutil.which(cfg.bwrap)


def build_command(argv: list[str], cfg: SandboxConfig, cpu_s: int) -> list[str]:
    """The full command line: prlimit, then bwrap (unless unsandboxed), then `argv`."""
    if cfg.allow_unsandboxed:
        return [*_limits(cfg, cpu_s, nproc=True), *argv]
    cpus = _cpus_online(cpu_count(cfg))
    bwrap = [
        bwrap_path(cfg) or cfg.bwrap,
        *_ro_binds(argv[0], cfg),
        *(["--ro-bind", cpus, "/sys/devices/system/cpu/online"] if cpus else []),
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",  # /dev/shm: a tmpfs of its own with /tmp's cap (bwrap's is the machine's memory, uncapped)
        str(cfg.tmp_mb * 1024 * 1024),
        "--tmpfs",
        "/dev/shm",
        "--size",
        str(cfg.tmp_mb * 1024 * 1024),
        "--tmpfs",
        "/tmp",
        "--remount-ro",
        "/",
        "--unshare-all",
        "--hostname",
        "sandbox",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--setenv",
        "PATH",
        "/usr/bin:/bin",
        "--setenv",
        "HOME",
        "/tmp",
        "--setenv",
        "LANG",
        "C.UTF-8",
        "--setenv",
        "PYTHONDONTWRITEBYTECODE",
        "1",
        "--chdir",
        "/tmp",
        "--cap-drop",
        "ALL",
        "--",
    ]
    # The process limit is set inside the sandbox: there it counts only this sandbox's processes (its own user
    # namespace), so parallel runs do not starve each other.
    inner = ["prlimit", f"--nproc={cfg.max_processes}", "--"]
    return [*_limits(cfg, cpu_s, nproc=False), *bwrap, *inner, *argv]


@lru_cache(maxsize=4)
def _probe(cfg_key: tuple[int, bool, str, str]) -> str | None:
    """None when a trivial sandboxed command runs, else why not."""
    uid, unsandboxed, python, bwrap = cfg_key
    for tool in ("prlimit",) if unsandboxed else ("prlimit", bwrap):
        if shutil.which(tool) is None:
            return f"{tool} not found" + ("" if os.sep in tool else " on PATH")
    cfg = SandboxConfig(sandbox_uid=uid, allow_unsandboxed=unsandboxed, python=python, bwrap=bwrap)
    res = run([python, "-c", "print('ok')"], b"", cfg, wall_s=30)
    if res.status != "exited" or res.returncode != 0 or res.stdout.strip() != b"ok":
        err = " ".join(res.stderr.decode(errors="replace").split())[:300]  # one line
        return f"a trivial sandboxed command failed (exit {res.returncode}): {err}"
    return None


def ensure_available(cfg: SandboxConfig) -> None:
    """Raise SandboxUnavailableError (with the fix) when code cannot be run safely."""
    why = _probe((cfg.sandbox_uid, cfg.allow_unsandboxed, interpreter(cfg), cfg.bwrap))
    if why:
        kind = "rlimits" if cfg.allow_unsandboxed else "bubblewrap sandbox"
        raise SandboxUnavailableError(
            f"code verifier: {kind} unavailable ({why}); refusing to run model-written code unsandboxed: {INSTALL_HINT}"
        )


def _drop_privileges(cfg: SandboxConfig) -> dict[str, object]:
    if os.geteuid() != 0:
        return {}
    return {"user": cfg.sandbox_uid, "group": cfg.sandbox_uid, "extra_groups": []}


def run(argv: list[str], stdin: bytes, cfg: SandboxConfig, wall_s: float) -> RunResult:
    """Run `argv` sandboxed with `stdin`; kill the whole run at `wall_s` or when output passes the cap."""
    cpu_s = max(1, int(wall_s + 0.999))
    cap = cfg.max_output_kb * 1024
    start = time.monotonic()
    # stdout is a socket, not a pipe: the code's process could open a pipe it writes to again for reading
    # (`/proc/self/fd/1`, where the pipe is its user's: thinkmill not run as root) and take the harness's report, its
    # nonce with it, before it is read here; a socket cannot be opened so (ENXIO), and its end in the sandbox reads
    # only what is sent from here (nothing)
    ours, theirs = socket.socketpair()
    try:
        proc = subprocess.Popen(
            build_command(argv, cfg, cpu_s),
            stdin=subprocess.PIPE,
            stdout=theirs.fileno(),
            stderr=subprocess.PIPE,
            cwd="/tmp" if cfg.allow_unsandboxed else "/",
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp"},
            start_new_session=True,
            **_drop_privileges(cfg),  # type: ignore[arg-type]
        )
    except BaseException:
        ours.close()
        raise
    finally:
        theirs.close()
    writer = threading.Thread(target=_feed, args=(proc, stdin), daemon=True)
    writer.start()
    with ours:
        out, err, status = _collect(proc, ours, start + wall_s, cap)
    if status != "exited":
        _kill(proc)
    proc.wait()
    writer.join(timeout=1)
    return RunResult(status, proc.returncode, bytes(out), bytes(err), time.monotonic() - start)


def _feed(proc: subprocess.Popen[bytes], data: bytes) -> None:
    assert proc.stdin is not None
    try:
        proc.stdin.write(data)
    except (BrokenPipeError, OSError):
        pass
    finally:
        with contextlib.suppress(OSError):
            proc.stdin.close()


def _collect(
    proc: subprocess.Popen[bytes], stdout: socket.socket, deadline: float, cap: int
) -> tuple[bytearray, bytearray, str]:
    bufs: dict[Any, bytearray] = {stdout: bytearray(), proc.stderr: bytearray()}
    sel = selectors.DefaultSelector()
    for f in bufs:
        assert f is not None
        os.set_blocking(f.fileno(), False)
        sel.register(f, selectors.EVENT_READ)
    status = "exited"
    try:
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                status = "timeout"
                break
            for key, _ in sel.select(timeout=min(left, 0.5)):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                buf = bufs[key.fileobj]  # type: ignore[index]
                buf += chunk
                if len(buf) > cap:
                    status = "output_limit"
                    del buf[cap:]
            if status == "output_limit":
                break
    finally:
        sel.close()
    if status == "exited":
        left = max(0.0, deadline - time.monotonic())
        try:
            proc.wait(timeout=left)
        except subprocess.TimeoutExpired:
            status = "timeout"
    return bufs[stdout], bufs[proc.stderr], status


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
