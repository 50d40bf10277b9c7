"""Fixtures for the reliability suite (the harness itself lives in reliability_harness.py)."""

from __future__ import annotations

from reliability_harness import tiny_fs

__all__ = ["tiny_fs"]
