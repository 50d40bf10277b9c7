"""A soft per-check time limit (SIGALRM) for checks that run in a process's main thread.

The worker pool adds a hard limit on top (it kills a worker that does not answer), because a signal cannot
interrupt a long C-level operation such as a huge integer power inside sympy.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class CheckTimeout(Exception):
    """A check ran past its soft time limit."""


def can_interrupt() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise CheckTimeout in the block after `seconds` (no-op outside the main thread)."""
    if seconds <= 0 or not can_interrupt():
        yield
        return

    def _raise(signum: int, frame: object) -> None:
        raise CheckTimeout(f"check exceeded {seconds}s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
