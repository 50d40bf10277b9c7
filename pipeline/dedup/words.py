"""The content words of a normalised text: what two prompts must share to be one task when nothing else ties them
to one question.

A task with a reference answer is tied to its question by the answer (near duplicates link only within one answer
group), so a reworded copy of it is a near duplicate. A task without one (judge, ifeval, regex, json_schema) shares
its group with every task of its verifier and arguments, and one changed word in a short prompt ("a poem about
cats" / "bats", "is harmful" / "is not harmful", "World War I" / "II") still scores ~0.95 in character similarity.
For those the engine also requires the same content words (`cluster_texts(..., same_words=...)`), checked on
candidate pairs only.

Content words: the text's runs of letters and digits (so case, punctuation, whitespace and LaTeX spacing are
ignored), each with a regular English plural folded to its singular ("energies" -> "energy", "boxes" -> "box",
"books" -> "book"), without the articles "a", "an" and "the"; compared as a multiset (word order is left to the
character similarity). Every other word counts: negations (not, no, never), numbers, roman numerals, prepositions
(for / against, to / from).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+")
_IGNORED = frozenset({"a", "an", "the"})
_SIBILANT_ES = ("sses", "xes", "zes", "ches", "shes")


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(_SIBILANT_ES):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_words(norm: str) -> tuple[str, ...]:
    """The content words of a normalised text (`normalize.normalize_series`), sorted: equal for two texts that differ
    only in form, articles and plurals."""
    return tuple(sorted(_singular(w) for w in _WORD.findall(norm) if w not in _IGNORED))
