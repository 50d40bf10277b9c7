"""The backend interface and the stage's errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from pipeline.errors import ThinkmillError
from pipeline.generate.request import GenerationRequest
from pipeline.generate.result import GenerationResult

# Called once per finished request (success or recorded error) with the endpoint that answered.
Sink = Callable[[GenerationRequest, GenerationResult, str | None], None]


class Backend(Protocol):
    name: str

    def run(self, requests: Sequence[GenerationRequest], sink: Sink) -> None:
        """Send every request and hand each result to `sink` as it arrives."""


class GenerateError(ThinkmillError):
    """Base class of the generate stage's errors."""


class ServerUnreachableError(GenerateError):
    """A server refused every connection of a request after every retry; finished results are stored."""


class BackendUnavailableError(GenerateError):
    """A backend's optional dependency (vllm, a GPU) is missing."""


class BatchFileError(GenerateError):
    """A batch output file is malformed; the message names the file and line."""


class UnknownModelError(GenerateError):
    """Every request failed because the server does not serve `generate.model`: a retry changes nothing."""


class SamplingConfigError(GenerateError):
    """A sampling parameter the backend does not accept; raised before any request is sent."""
