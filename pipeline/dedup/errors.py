"""Errors of the dedup stage."""

from __future__ import annotations

from pipeline.errors import ThinkmillError


class DedupInputError(ThinkmillError, ValueError):
    """An input row cannot be deduplicated (missing or non-string text or id, duplicate id); names the row."""
