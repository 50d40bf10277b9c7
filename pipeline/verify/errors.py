"""Errors of the verify stage; each names the row, field or verifier at fault."""

from __future__ import annotations

from pipeline.errors import ThinkmillError


class VerifyError(ThinkmillError):
    """Base class of the verify stage's errors."""


class UnknownVerifierError(VerifyError):
    """A task names a verifier that is not in the registry."""


class VerifierArgsError(VerifyError):
    """A task's verifier_args (or, for `numeric`, its reference answer) do not fit its verifier: no response can
    pass. `field` names the task field at fault (ingest quarantines such a task `invalid_value:<field>`)."""

    def __init__(self, message: str, field: str = "verifier_args") -> None:
        super().__init__(message)
        self.field = field


class SandboxUnavailableError(VerifyError):
    """bubblewrap (or prlimit) is missing, so model-written code will not be run."""


class VerifyInputError(VerifyError):
    """A tasks or responses file has a bad line."""
