"""Fault-injection harness: child Python processes, tiny tmpfs mounts, unprivileged users."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def spawn(code: str, *args: str, **popen: object) -> subprocess.Popen[str]:
    """Start `code` (dedented Python) in a child interpreter with the worktree on its path."""
    kwargs: dict = {"cwd": ROOT, "env": child_env(), "text": True, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    kwargs.update(popen)
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], **kwargs)


def run_py(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    p = spawn(code, *args)
    out, err = p.communicate(timeout=timeout)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def _mount(path: Path, size: str) -> None:
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )


class TinyFs:
    """A tmpfs of a fixed size: a real 'No space left on device' and a real read-only remount."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def remount(self, mode: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.path)], check=True, capture_output=True)


@pytest.fixture
def tiny_fs() -> Iterator[TinyFs]:
    """A 4 MiB tmpfs (needs root / CAP_SYS_ADMIN; skipped with the reason otherwise)."""
    path = Path(tempfile.mkdtemp(prefix="thinkmill-tinyfs-"))
    try:
        _mount(path, "4m")
    except (subprocess.CalledProcessError, FileNotFoundError, PermissionError) as exc:
        path.rmdir()
        detail = getattr(exc, "stderr", "") or exc
        pytest.skip(f"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {str(detail).strip()}")
    try:
        yield TinyFs(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)
        path.rmdir()


def is_root() -> bool:
    return os.geteuid() == 0


@contextmanager
def read_only_file(path: Path) -> Iterator[None]:
    """Make one file read-only for this process: a read-only bind mount as root (root ignores file modes),
    else chmod 0444. Skips the test with the reason when neither is possible."""
    if not is_root():
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    try:
        subprocess.run(["mount", "--bind", str(path), str(path)], check=True, capture_output=True, text=True)
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        pytest.skip(f"running as root and cannot bind-mount {path} read-only: {getattr(exc, 'stderr', exc)}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True, capture_output=True)
        yield
    finally:
        subprocess.run(["umount", str(path)], capture_output=True)
