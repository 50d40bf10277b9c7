"""Errors a user can act on. The CLI prints them as one line; Dagster shows them as the step's failure."""


class ThinkmillError(RuntimeError):
    """Base class: the message names the file, row, field or endpoint at fault."""
