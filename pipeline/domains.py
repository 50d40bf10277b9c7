"""Task domains that the stages agree on: the domain ingest gives a task by its verifier when the row names none,
which is also the domain whose answer instruction a task of a domain of the user's own gets at generate
(`generate.templates.suffix_domain`)."""

from __future__ import annotations

DOMAIN_OF_VERIFIER = {
    "math": "math",
    "numeric": "math",
    "mcq": "science_mcq",
    "code": "code",
    "ifeval": "instruction_following",
}
