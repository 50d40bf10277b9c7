"""Errors of the verify stage; each names the row, field or verifier at fault."""

from __future__ import annotations

from pipeline.errors import ThinkmillError


class VerifyError(ThinkmillError):
    """Base class of the verify stage's errors."""


class UnknownVerifierError(VerifyError):
    """A task names a verifier that is not in the registry."""


class VerifierArgsError(VerifyError):
    """A task's verifier_args do not fit its verifier."""


class SandboxUnavailableError(VerifyError):
    """bubblewrap (or prlimit) is missing, so model-written code will not be run."""


class VerifyInputError(VerifyError):
    """A tasks or responses file has a bad line."""
