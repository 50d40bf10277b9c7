"""Errors of the dataset stage; each names the version, row, file or repo at fault."""

from __future__ import annotations

from pipeline.errors import ThinkmillError


class DatasetError(ThinkmillError):
    """Base class of the dataset stage's errors."""


class VersionNotFoundError(DatasetError):
    """A dataset version id that the database does not hold."""


class InvalidCandidateError(DatasetError):
    """An input row (generation, task) that cannot become a training example."""


class ChatFormatError(DatasetError):
    """No chat format is known for the configured model, or its template drops part of a training row."""


class PublishError(DatasetError):
    """Publishing to the Hub failed or would rewrite a published version."""
