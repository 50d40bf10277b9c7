"""Errors of the ingest and decontamination stages; each names the file, source or field at fault."""

from __future__ import annotations

from pipeline.errors import ThinkmillError


class IngestError(ThinkmillError):
    """Base class of ingest errors."""


class SourceReadError(IngestError):
    """A file or dataset cannot be read at all (missing, unreadable, unknown format, corrupt)."""


class SourceConfigError(IngestError):
    """A source or benchmark is declared in a way that cannot work (no files match, no such split, ...)."""


class BenchmarkError(IngestError):
    """A benchmark cannot be loaded or has no usable text column."""
