"""Decontamination: keep evaluation benchmarks out of the training tasks, before any generation.

Two checks, as open-r1 and OpenThoughts do, a third for short items and a fourth for MCQs:
- word n-grams (default 8): a task whose n-grams shared with a benchmark item cover `ngram_min_coverage` (0.4) of
  the item's own text is a hit (or, with `ngram_min_overlap > 0`, containing at least that share of the item's
  n-grams); its own text is its tokens outside the benchmark's phrasing, n-grams 3 or more of its items hold ("Which
  of the following is the most likely diagnosis?", an instruction they carry), which never counts
  (`_own_text_shared`). Vectorised in polars, indexed (`_ngram_hits`).
- fuzzy: rapidfuzz ratio >= `fuzzy_threshold` between normalised texts, for prompts or items shorter than
  `short_prompt_words` words (too short to share an 8-gram).
- contained: an item of `contained_min_tokens` to `ngram - 1` tokens has no n-gram, and the fuzzy check compares
  whole texts, so wrapped in instructions it was never found; its whole token sequence appearing in a row in a
  prompt's is a hit (`_contained`, indexed on each item's first tokens).
- options: an MCQ item whose options, long and specific enough, are mostly in the task, whatever its question
  (`_options_hits`).
Chinese and Japanese are tokenised a Han or kana character per token, Thai, Lao, Khmer and Myanmar a letter with its
marks per token, each weighed as part of a word (`_weights`).
The texts checked are each task's prompt, an MCQ's bare question and the task's own system prompt.
An item with options whose question is short, and a question read apart from its passage, is a hit only where the task
holds most of its options, or (a question without options) no passage of its own (`_needs_met`); a question with a
passage is also compared with it, as ingest builds the prompt.
Each hit is stored in `contamination` (task, benchmark, item, method, score). `read_clean_tasks` is what later
stages read: tasks minus contaminated ones.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise, repeat
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import numpy as np
import opencc
import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from pipeline.dedup.normalize import (
    han_digits,
    han_numerals_as_digits,
    normalize_series,
    rewrite_each_where,
    rewrite_where,
)
from pipeline.ingest.choices import ChoiceError, bare_question, parse_choices
from pipeline.ingest.config import BenchmarkConfig, DecontamConfig, SourceConfig
from pipeline.ingest.errors import BenchmarkError, SourceConfigError, SourceReadError
from pipeline.ingest.normalize import (
    ALIASES,
    CONTEXT_NAMES,
    VERIFIERS_WITHOUT_ANSWER,
    cased_columns,
    column_named,
    context_text,
    correct_incorrect_columns,
    exchange_turns,
    lookup,
    mc1_targets,
    option_columns,
    turn_role,
    turn_text,
)
from pipeline.ingest.readers import hub_split_names
from pipeline.ingest.sources import (
    HELD_OUT_SPLITS,
    Input,
    LeftOut,
    resolve,
    saved_split,
    source_path,
    split_of,
)
from pipeline.report import StageReport
from pipeline.store import Store, now_utc
from schemas.contracts import TASK, table

if TYPE_CHECKING:
    from pipeline.config import ThinkmillConfig

# OpenBookQA's `question_stem` (an ingest prompt alias), LiveCodeBench's `question_content`
TEXT_FIELDS = (
    "question",
    "problem",
    "prompt",
    "instruction",
    "query",
    "question_stem",
    "question_content",
    "text",
    "input",
)
ID_FIELDS = ("id", "task_id", "uid", "problem_id", "question_id", "unique_id", "_id")
_WORD = r"\w+"
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
# a number written with thousands separators (`1,000`, `1,000,000.5`; LaTeX's `1{,}000` is read as `1,000`)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _numbers(text: str) -> list[str]:
    """The numbers of a normalised text, for the fuzzy check's numbers rule, with thousands separators taken out:
    `1,000` and `1000` are one number (the rule refused such a pair). Only commas between groups of three digits
    are separators; `1,2` (a pair, a list) stays as written. A run of Han numerals is its number ("三个" 3:
    `han_digits`)."""
    text = han_digits(text)
    found = _NUM.findall(text.replace("{,}", ",") if "{,}" in text else text)
    return [n.replace(",", "") if "," in n and _GROUPED.fullmatch(n) else n for n in found]


# digits joined by commas (LaTeX's `{,}` too): a number that may be written with thousands separators
_COMMA_RUN = re.compile(r"\d+(?:(?:\{,\}|,)\d+)+")


def _ungroup(m: re.Match[str]) -> str:
    n = m.group().replace("{,}", ",")
    return n.replace(",", "") if _GROUPED.fullmatch(n) else m.group()


# Arithmetic operators and relations. The checks read words and numbers, so a task that asks another operation on the
# item's numbers was the item: "What is 12 - 7?" was `contained` for "What is 12 + 7?", "Solve for x: 3x - 5 = 20" a
# `fuzzy` hit (0.958) of "... 3x + 5 = 20". A hyphen or slash between two letters joins words ("x-intercept",
# "and/or") and is none; ×, ∗, ÷ and the minus sign − are read as *, /, -. A factorial's "!" (after a number, a
# bracket or a lone letter: "6!", "(n+1)!", "n!") is one too, but for one ending the text, which is punctuation:
# "What is 5 - 3?" was a `fuzzy` hit (0.966) of "What is 5! - 3?", and "How many positive divisors does 6 have?" a
# `contained` one of "... does 6! have?".
_OPS = re.compile(
    r"(?<![^\W\d_])[-/]|[-/](?![^\W\d_])|[+*=<>^%±≤≥≠×∗÷−]"
    r"|(?:(?<=[\d)\]}])|(?<=(?<![^\W\d_])[^\W\d_]))!+(?![!?]*\s*$)"
)
_OP_SPELLING = str.maketrans({"×": "*", "∗": "*", "÷": "/", "−": "-"})


def _operators(text: str) -> str:
    """The operators of a normalised text (`_OPS`), in order."""
    return "".join(_OPS.findall(text)).translate(_OP_SPELLING)


def _operators_between(ops: list[tuple[int, str]], start: int, end: int) -> str:
    """The operators of `ops` ((position, operator) of a text's `_OPS`, in order) from `start` to `end`: a stretch
    of text is read in its place, so that a factorial's "!" is told from an exclamation by what stands around it."""
    return "".join(op for at, op in ops if start <= at < end).translate(_OP_SPELLING)


def _operator_spans(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _OPS.finditer(text)]


# a token as `_words` cuts one (Han and kana characters alone; Thai, Lao, Khmer and Myanmar are not told apart here,
# `_operators_agree` then keeps the hit), and what does not start or end one
_PY_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PY_TOKEN = re.compile(rf"[{_PY_CJK}]|[^\W{_PY_CJK}]+")
_PY_WORD_EDGE = rf"[^\W{_PY_CJK}]"


def _operators_agree(item: str, task: str) -> bool:
    """Whether `task` holds the `contained` item `item` (both normalised) with the item's operators: the same ones
    between its tokens, and where the item starts (ends) with a number, the same ones before (after) it as the item
    has there ("What is 12 + 7?" is not in "What is 12 - 7?", nor in "What is -12 + 7?"). A task in which the item's
    tokens are not found here (a tokenisation this does not mirror) keeps its hit."""
    return _operator_match(item, task) is not False


def _operator_match(item: str, task: str, window: int | None = None) -> bool | None:
    """`_operators_agree` of the whole item (`window` None), or of its runs of `window` tokens (an n-gram hit: the
    run it shares is one of them; at a run's edge inside the item, the operators before or after it up to a sentence's
    punctuation). True: a run is in `task` with the item's operators there; False: runs are in it, none so; None:
    none is found here."""
    item, task = _COMMA_RUN.sub(_ungroup, item), _COMMA_RUN.sub(_ungroup, task)
    toks = list(_PY_TOKEN.finditer(item))
    if not toks:
        return None
    i_ops, t_ops = _operator_spans(item), _operator_spans(task)
    inner = [_operators_between(i_ops, a.end(), b.start()) for a, b in pairwise(toks)]
    k = len(toks) if window is None else min(window, len(toks))
    words = [t.group() for t in toks]
    cjk = [bool(re.fullmatch(f"[{_PY_CJK}]", w)) for w in words]
    found = False
    for j in range(len(toks) - k + 1):
        first, last = toks[j], toks[j + k - 1]
        first_num, last_num = first.group()[0].isdigit(), last.group()[-1].isdigit()
        if window is None and not any(inner) and not first_num and not last_num:
            return True
        lead = _operators_between(i_ops, 0 if j == 0 else _gap(item, first.start(), -1), first.start())
        end = len(item) if j + k == len(toks) else _gap(item, last.end(), 1)
        trail = _operators_between(i_ops, last.end(), end)
        pos = 0
        rx = _run_regex(words[j : j + k], cjk[j : j + k])
        while (m := rx.search(task, pos)) is not None:
            found = True
            pos = m.start() + 1
            if [_operators_between(t_ops, *m.span(g)) for g in range(1, k)] != inner[j : j + k - 1]:
                continue
            if first_num and _operators_between(t_ops, _gap(task, m.start(), -1), m.start()) != lead:
                continue
            if last_num and _operators_between(t_ops, m.end(), _gap(task, m.end(), 1)) != trail:
                continue
            return True
    return False if found else None


def _run_regex(words: list[str], cjk: list[bool]) -> re.Pattern[str]:
    """The tokens `words` (`_PY_TOKEN`'s; `cjk`: each a Han or kana character) in a row in a normalised text: each
    gap between two of them a group (non-word characters, none needed next to a Han or kana character), whole words
    at both ends."""
    parts = [] if cjk[0] else [f"(?<!{_PY_WORD_EDGE})"]
    parts.append(re.escape(words[0]))
    for x in range(1, len(words)):
        parts.append(r"(\W*)" if cjk[x - 1] or cjk[x] else r"(\W+)")
        parts.append(re.escape(words[x]))
    if not cjk[-1]:
        parts.append(f"(?!{_PY_WORD_EDGE})")
    return re.compile("".join(parts))


# a sentence's end between two numbers: ". ", "? ", "! ", "; ", ": " (a space after it: "3.12" is a decimal, "3:12" a
# time or a ratio), or a Chinese or Japanese full stop, question or exclamation mark, semicolon or colon
_APART = re.compile(r"[.?!;:]\s|[。？！；：]")
_LAST_TOKEN = re.compile(rf"({_PY_TOKEN.pattern})(\W*)$")
_FIRST_TOKEN = re.compile(rf"(\W*)({_PY_TOKEN.pattern})")  # matched at a position: no `^`


def _numbers_apart(words: list[str], text: str) -> bool:
    """Whether the tokens `words` (an item's, starting or ending with a number) stand in a row in the normalised
    `text` somewhere with no number next to a number edge of theirs but across a sentence's end (`_APART`): "12
    apples are shared by 4 children." in "A bag costs $5. 12 apples are ..." (the number 5 ends a sentence), not in
    "It costs 3.12 apples are ..." (a decimal) nor in "What is 2 + 2 + 3?" for "What is 2 + 2?" (the expression goes
    on). False where the tokens are not found here (a tokenisation this does not mirror)."""
    if not words:
        return False
    cjk = [bool(re.fullmatch(f"[{_PY_CJK}]", w)) for w in words]
    first_num, last_num = words[0].isdigit(), words[-1].isdigit()
    for m in _run_regex(words, cjk).finditer(text):
        before = _LAST_TOKEN.search(text, 0, m.start()) if first_num else None
        if before and before.group(1).isdigit() and not _APART.search(before.group(2)):
            continue
        after = _FIRST_TOKEN.match(text, m.end()) if last_num else None
        if after and after.group(2).isdigit() and not _APART.search(after.group(1)):
            continue
        return True
    return False


def _gap(text: str, at: int, step: int) -> int:
    """Where the run of non-word characters of `text` that ends (`step` -1) or starts (1) at `at` starts (ends), up
    to a sentence's punctuation (`_SENTENCE_END`): "What is 2 + 2? - Explain." ends the expression at "?"."""
    i = at
    if step < 0:
        while i > 0 and not (text[i - 1].isalnum() or text[i - 1] == "_" or text[i - 1] in _SENTENCE_END):
            i -= 1
        return i
    while i < len(text) and not (text[i].isalnum() or text[i] == "_" or text[i] in _SENTENCE_END):
        i += 1
    return i


_SENTENCE_END = frozenset(".?!,;:。？！，；：")


# Chinese and Japanese write no spaces between words: a `\w+` token of their text is a whole clause, so an item asked
# after an instruction shared no n-gram with the prompt. Each Han or kana character is a token of its own, and a
# token weighs about its share of a word (`_weights`): an n-gram is the shortest run of tokens weighing `ngram` words.
_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\x{30FC}"  # U+30FC: the katakana long vowel mark, of no one script
# Thai, Lao, Khmer and Myanmar write none either: each letter with the marks on it (vowel signs, tone marks, Khmer's
# coeng, Myanmar's medials and asat) is a token
_SEA = r"\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_HAS_CJK = rf"[{_CJK}{_SEA}]"
_CJK_WORD = rf"[{_CJK}]|[[{_SEA}]&&\P{{M}}]\p{{M}}*|[^\W{_CJK}{_SEA}]+"
_KANA = r"^[\p{Hiragana}\p{Katakana}\x{30FC}]$"
_HAS_SEA = rf"^[{_SEA}]"
# a word token weighs 6, a Han character 3 (a Chinese word is about two), a kana 2 (Japanese spells its endings and
# particles in kana: "として最も適切なものを選びなさい", an exam's common "choose the most suitable one", is 16
# characters and weighs 36, under the 48 of 8 words), a Thai, Lao, Khmer or Myanmar letter 2 (a word is about three:
# "จงเลือกคำตอบที่ถูกต้องที่สุด", "choose the most correct answer", is 20 and weighs 40); `ngram` words are
# `_WORD_WEIGHT * ngram`
_WORD_WEIGHT, _HAN_WEIGHT, _KANA_WEIGHT, _SEA_WEIGHT = 6, 3, 2, 2


def _words(norm: pl.Series) -> pl.Series:
    """The word tokens (`_WORD`) of normalised texts, in order, for the n-gram and contained checks, with a
    number's thousands separators taken out as `_numbers` does: `1,000`, `1{,}000` and `1000` are the token
    `1000` (before, `1 000` for the first two, so an item was not found in a prompt writing its numbers the
    other way). Only the texts with a comma between digits are rewritten, in Python. In a text with Chinese or
    Japanese, each Han or kana character is a token; with Thai, Lao, Khmer or Myanmar, each letter with its marks
    (`_CJK_WORD`)."""
    norm = rewrite_each_where(norm, r"\d(?:,|\{,\})\d", lambda x: _COMMA_RUN.sub(_ungroup, x))
    cjk = norm.str.contains(_HAS_CJK).fill_null(False)
    if not cjk.any():
        return norm.str.extract_all(_WORD)
    rest = (~cjk).arg_true()
    words = pl.concat([norm.gather(rest).str.extract_all(_WORD), norm.filter(cjk).str.extract_all(_CJK_WORD)])
    return words.gather(np.argsort(np.concatenate([rest.to_numpy(), cjk.arg_true().to_numpy()]), kind="stable"))


def _weights(w: pl.Series) -> np.ndarray | None:
    """Each token's weight (`_WORD_WEIGHT` a word, less a Han or kana character or a Thai, Lao, Khmer or Myanmar
    letter); None when every token is a word (texts without them: the n-gram of `ngram` tokens)."""
    # only such a token can be one character, or one of 3-byte characters alone (a letter and its marks)
    nbytes, nchars = w.str.len_bytes(), w.str.len_chars()
    one = ((nbytes >= 3) & ((nchars == 1) | (nbytes == 3 * nchars))).arg_true()
    if one.len() == 0:
        return None
    chars = w.gather(one)
    light = chars.str.contains(_HAS_CJK).to_numpy()
    if not light.any():
        return None
    weights = np.full(w.len(), _WORD_WEIGHT, dtype=np.int64)
    kana = chars.str.contains(_KANA).to_numpy()
    sea = chars.str.contains(_HAS_SEA).to_numpy()
    weights[one.to_numpy()[light]] = np.where(sea, _SEA_WEIGHT, np.where(kana, _KANA_WEIGHT, _HAN_WEIGHT))[light]
    return weights


def _sizes(tokens: pl.DataFrame, lens: pl.Series) -> np.ndarray:
    """Each text's weight (`_weights`: `_WORD_WEIGHT` times its token count when all are words), from its
    `tokens` and token counts `lens`."""
    sizes = lens.fill_null(0).to_numpy().astype(np.int64) * _WORD_WEIGHT
    if "wt" in tokens.columns:
        weights = tokens["wt"].to_numpy()
        light = np.flatnonzero(weights != _WORD_WEIGHT)
        np.subtract.at(sizes, tokens["_r"].to_numpy()[light], _WORD_WEIGHT - weights[light])
    return sizes


def hit_schema() -> dict[str, pl.DataType]:
    """Columns and dtypes of a hit: the `contamination` contract's, less `created_at` (set when stored)."""
    return {c: t for c, t in table("contamination").polars_schema().items() if c != "created_at"}


def _as_hits(df: pl.DataFrame) -> pl.DataFrame:
    """`df` with exactly the hit columns, in contract order; a contract column find_contamination does not
    compute stays null."""
    schema = hit_schema()
    return df.select(
        [pl.col(c).cast(t) if c in df.columns else pl.lit(None, dtype=t).alias(c) for c, t in schema.items()]
    )


@dataclass(frozen=True)
class Benchmark:
    name: str
    items: pl.DataFrame  # item_id, text
    sources: tuple[str, ...] = ()  # what was read: each file, or a Hub dataset's splits (`hf://org/set/config:test`)
    left_out: tuple[LeftOut, ...] = ()  # what `split` unset left out: files and splits named for another split
    skipped: int = 0  # rows whose text is blank (`""`, spaces): nothing to compare, so no item
    # what a short or partial item text needs besides itself to be a hit (`_needs_met`), by its row of `items`:
    # (item, options, whole): the row's options (an MCQ's), and for a question read without the passage it is about,
    # the row of the text that holds both (null otherwise); rows not listed need nothing
    needs: pl.DataFrame | None = None
    # the rows of `needs` whose text the benchmark asks more than once (normalised): a generic stem ("Which of the
    # following is true?", RACE's "What is the best title for the passage?"). Only they need their options or
    # passage found (`_needs_met`); a question asked once is specific, and found by itself (an MCQ's question copied
    # as an open question too)
    generic: frozenset[int] = frozenset()


NEEDS_SCHEMA = {"item": pl.UInt32, "options": pl.List(pl.String), "whole": pl.UInt32}


def load_benchmark(cfg: BenchmarkConfig, base_dir: Path | None = None, batch_rows: int = 10_000) -> Benchmark:
    """Read a benchmark file/folder/saved dataset (or Hub id) into (item_id, text)."""
    src = SourceConfig(
        name="benchmark",
        path=cfg.path,
        hf_dataset=cfg.hf_dataset,
        hf_config=cfg.hf_config,
        split=cfg.split,
        revision=cfg.revision,
    )
    ids: list[str | None] = []  # the row's own id; None: named by its file and row
    where: list[tuple[str, int]] = []  # (input path, row)
    texts: list[tuple[str, ...]] = []  # the row's item texts: one, or a chat's two (`_user_texts`)
    needs: list[tuple[int, list[str], int | None]] = []  # (item row, options, whole): `Benchmark.needs`
    n_items = 0
    skipped = 0  # rows whose text is blank
    # `split` unset: a folder's, a saved DatasetDict's or a Hub dataset's held-out splits (what decontamination is
    # for), else all of it; what is left out is listed
    try:
        resolved = resolve(src, base_dir, read_held_out=True)
        files, left_out = _held_out_files(resolved.inputs)
    except (SourceReadError, SourceConfigError) as exc:  # a path naming nothing: which benchmark's
        raise BenchmarkError(f"benchmark {cfg.name!r}: {exc}") from exc
    if resolved.unread:  # a test set left out unread would leave its contaminated tasks in the dataset, silently
        shown = ", ".join(resolved.unread[:5]) + (
            f" and {len(resolved.unread) - 5} more" if len(resolved.unread) > 5 else ""
        )
        raise BenchmarkError(
            f"benchmark {cfg.name!r}: its folder holds data files of a type not read ({shown}): its items would be "
            "left out of the check; decompress or convert them (.jsonl, .jsonl.gz, .json, .csv, .tsv, .parquet)"
        )
    inputs: list[tuple[Input, str]] = []
    for inp in files:
        parts, left = _splits_of(inp)
        inputs.extend(parts)
        left_out.extend(left)
    for inp, label in inputs:
        for batch in inp.batches(batch_rows):
            for r in batch:
                if r.record is None:
                    raise BenchmarkError(f"benchmark {cfg.name!r}: {label} row {r.row}: {r.error}")
                text = _item_text(r.record, cfg)
                if isinstance(text, str):
                    text = (text,)
                if not isinstance(text, tuple):
                    raise BenchmarkError(f"benchmark {cfg.name!r}: {label} row {r.row}: {_no_text(r.record, cfg)}")
                if not any(t.strip() for t in text):  # nothing to compare: was an item found nowhere, yet counted
                    skipped += 1
                    continue
                if len(text) == 1:  # not a chat: a question, with its options and the passage it is about
                    options = _item_options(r.record, cfg)
                    passage = _item_passage(r.record, cfg, text[0])
                    if passage is not None:  # as ingest builds the prompt, then the question alone
                        text = (f"{text[0].rstrip()}\n\n{passage}", text[0])
                        needs.append((n_items + 1, options, n_items))
                    elif options:
                        needs.append((n_items, options, None))
                n_items += len(text)
                id_field = cfg.id_field or _item_id_field(r.record)
                item_id = r.record.get(id_field) if id_field else None
                ids.append(str(item_id) if item_id is not None else None)
                where.append((label, r.row))
                texts.append(text)
    if not texts:  # what was read: an empty file, a folder or glob of no file
        what = (
            f"read {', '.join(label for _, label in inputs)}"
            if inputs
            else f"{_named(src, base_dir)} holds no file to read"
        )
        blank = f" ({skipped} blank row{'s' if skipped != 1 else ''} skipped)" if skipped else ""
        raise BenchmarkError(f"benchmark {cfg.name!r} has no items: {what}{blank}")
    names = _item_ids(ids, where, [label for _, label in inputs])
    flat = [text for row in texts for text in row]
    return Benchmark(
        cfg.name,
        pl.DataFrame(
            {"item_id": [name for name, row in zip(names, texts, strict=True) for _ in row], "text": flat},
            schema={"item_id": pl.String, "text": pl.String},
        ),
        tuple(label for _, label in inputs),
        tuple(left_out),
        skipped,
        pl.DataFrame(needs, schema=NEEDS_SCHEMA, orient="row") if needs else None,
        _asked_again(flat, [item for item, _, _ in needs]),
    )


# Traditional Chinese characters, read as Simplified ones (OpenCC's `t2s`) on both sides: an item copied in the other
# writing (C-Eval's 产物 as TMMLU+'s 產物) shared no n-gram with it where the characters differ
_T2S = opencc.OpenCC("t2s")
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


def _normalized(texts: pl.Series) -> pl.Series:
    """`normalize_series` of `texts`, their Chinese characters in Simplified writing (only rows holding one are
    converted), their operators written as words written as signs (`_spell_operators`), their Han numerals as digits
    (`han_numerals_as_digits`: "三个苹果" is "3个苹果", as a task may write the item's counts), and so their English
    numbers written as words (`_number_words`: "twelve plus seven" is "12 + 7")."""
    texts = texts.cast(pl.String)
    texts = rewrite_each_where(texts.cast(pl.String), _HAN, _T2S.convert)
    # an exponent: before NFKC, which reads "9²" as "92"
    texts = rewrite_where(texts, _SUPERSCRIPT, lambda e: e.str.replace_all(f"({_SUPERSCRIPT}+)", "^${1}"))
    # markdown's emphasis marks go, an asked-for value's "= ?" is the "?"
    texts = rewrite_where(texts, _HAS_MARKDOWN, _markdown)
    # the space after a closing brace is kept: marked \x01 through normalisation, a space again after it
    texts = rewrite_where(texts, _BRACE_SPACE, lambda e: e.str.replace_all(_BRACE_SPACE, "}${1}\x01${2}"))
    norm = _plain_math(han_numerals_as_digits(normalize_series(texts, cjk_spacing=True)))
    norm = rewrite_where(norm, "\x01", lambda e: e.str.replace_all("\x01", " ", literal=True))
    return _spell_operators(_units(_number_words(norm)))


def _markdown(e: pl.Expr) -> pl.Expr:
    """`e` without markdown's emphasis marks, an asked-for value's "= ?" read as "?" (`_MARKDOWN`)."""
    for pattern, repl in _MARKDOWN:
        e = e.str.replace_all(pattern, repl)
    return e


# Markdown's emphasis around words or an expression ("What is **12 + 7**?", "*3 hours*", "__12 + 7__") is no
# operator and no word: its `*` were the item's multiplication signs to the operators' checks and its `_` joined the
# words either side into one token ("is__12"), so the item in bold was missed. A pair of marks opens after a space, a
# bracket or the text's start and closes before a space, punctuation or the end: "2**10", "x**2 + y**2", "2*3*4", "7 *
# 8 * 9" and "snake_case" keep theirs. A value asked for with "= ?" ("What is 12 + 7 = ?") is asked with "?": its "="
# was an operator the item "What is 12 + 7?" lacks.
_OPEN, _CLOSE = r"(^|[\s(\[>])", r"($|[\s.,;:!?)\]])"
_MARKDOWN = (
    *(
        (rf"{_OPEN}{m}([^\s*_](?:{inner}*?[^\s*_])?){m}{_CLOSE}", "${1}${2}${3}")
        for m, inner in ((r"\*\*", "."), ("__", "."), (r"\*", "[^*]"), ("_", "[^_]"))
        for _ in range(2)  # a match takes the space after it, which the next one's opening mark needs
    ),
    (r"\s*=\s*\?", "?"),
)
_HAS_MARKDOWN = r"\*\*|__|[*_]\S|=\s*\?"


# a closing brace (and the `\)` or `$` ending inline math), then a space and a word: `normalize_series` drops a space
# next to a brace (`\frac {1}{2}` is `\frac{1}{2}`), so once `_plain_math` took the braces away, "\(\frac{3}{4}\) of
# 20" read "3/4of 20" (the token "4of") and "x^{2} y" "x^2y": neither was found in a task writing "3/4 of 20". The
# space is marked (\x01, no space to the normalisation) and restored after `_plain_math`.
_BRACE_SPACE = r"\}(\\[)\]]|\$+)?\s+(\w)"


# Units after a number, spelled out or abbreviated, read as the abbreviation on both sides: "A car travels 150
# kilometers in 3 hours." was no hit of the item writing "150 km" (the token "kilometers"), nor "What is 25 percent of
# 80?" of "What is 25% of 80?"; an abbreviation written onto its number is apart from it ("150km" is "150 km"). Only
# after a number (digits, or number words `_number_words` read): "meters of cloth" stays, "per hour" too. The
# longer spellings first ("kilometers per hour" before "kilometers").
_UNITS = {
    "km/h": ("kilometers per hour", "kilometres per hour", "km per hour", "km/hr", "kph", "kmph"),
    "mph": ("miles per hour", "mi/h"),
    "%": ("percent", "per cent", "pct"),
    "km": ("kilometers", "kilometres", "kilometer", "kilometre", "kms"),
    "cm": ("centimeters", "centimetres", "centimeter", "centimetre", "cms"),
    "mm": ("millimeters", "millimetres", "millimeter", "millimetre"),
    "m": ("meters", "metres", "meter", "metre"),
    "kg": ("kilograms", "kilogram", "kilogrammes", "kgs"),
    "mg": ("milligrams", "milligram"),
    "g": ("grams", "gram", "grammes"),
    "ml": ("milliliters", "millilitres", "milliliter", "millilitre"),
    "l": ("liters", "litres", "liter", "litre"),
    "h": ("hours", "hour", "hrs", "hr"),
    "min": ("minutes", "minute", "mins"),
    "s": ("seconds", "second", "secs", "sec"),
    "ft": ("feet", "foot"),
    "lb": ("pounds", "pound", "lbs"),
    "oz": ("ounces", "ounce"),
}
_UNIT_WORD = "|".join(w.replace("/", "\\/") for ws in _UNITS.values() for w in ws)
_GLUED = "km|cm|mm|kg|mg|ml|min|mph|ft|lb|oz|m|g|h"
_UNIT_STEPS = (
    (rf"(\d)({_GLUED})(?-u:\b)", "${1} ${2}"),
    (rf"(\d) ?({_UNIT_WORD})(?-u:\b)", "${1} \x00${2}\x00"),
)
_UNIT_LITERAL = {f" \x00{w}\x00": ("" if unit == "%" else " ") + unit for unit, ws in _UNITS.items() for w in ws}
_HAS_UNIT = rf"\d ?(?:{_UNIT_WORD})(?-u:\b)|\d(?:{_GLUED})(?-u:\b)"


def _units(norm: pl.Series) -> pl.Series:
    """`norm` (normalised texts) with a number's unit written as its abbreviation (`_UNITS`), only on the rows
    `_HAS_UNIT` finds."""
    return rewrite_where(norm, _HAS_UNIT, _unit_steps)


def _unit_steps(e: pl.Expr) -> pl.Expr:
    for pattern, repl in _UNIT_STEPS:
        e = e.str.replace_all(pattern, repl)
    return e.str.replace_many(list(_UNIT_LITERAL), list(_UNIT_LITERAL.values()))


# English numbers written as words, read as their digits on both sides (as Han numerals are): "What is twelve plus
# seven?" was no hit of the item "What is 12 + 7?", nor "A train travels sixty miles in two hours." of "... 60 miles in
# 2 hours." (the tokens "sixty", "two"; and the numbers rule read digits only). "one" to "nineteen", the tens,
# "hundred", "thousand", "million", joined by a space, a hyphen or "and" after a scale ("twenty-one" 21, "one hundred
# and five" 105, "two thousand twenty-four" 2024; "two and three" stays two numbers); a count before a denominator is a
# fraction ("one half" 1/2, "two-thirds" 2/3, "three quarters of" 3/4). "one" alone as a pronoun stays a word ("which
# one", "no one", "the other one", "one of the following", "one's", "one must"): it is no count, and the numbers rule
# would then refuse a task asking the item without it.
_UNIT_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TEN_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORDS = {
    **{w: v for v, w in enumerate(_UNIT_WORDS)},
    **{w: 20 + 10 * v for v, w in enumerate(_TEN_WORDS)},
}
_SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_DENOMINATORS = {
    "half": 2,
    "halves": 2,
    **{
        w: v
        for v, ws in enumerate(("third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"), 3)
        for w in (ws, ws + "s")
    },
}
_NUM_WORD = "|".join(sorted([*_NUMBER_WORDS, *_SCALE_WORDS], key=len, reverse=True))
_DENOMINATOR = "|".join(sorted(_DENOMINATORS, key=len, reverse=True))
_NUMBER_RUN = re.compile(
    rf"(?P<run>(?<![\w'’])(?:{_NUM_WORD})(?:(?:[ -]| and )(?:{_NUM_WORD}))*)(?![\w'’])"
    rf"(?:[ -](?P<den>{_DENOMINATOR}|quarters?(?= of\b))(?![\w'’]))?"
)
# the rows that may hold one (ASCII word boundaries: more rows than `_NUMBER_RUN` changes, none fewer, and fast)
_HAS_NUMBER_WORD = rf"(?-u:\b)(?:{_NUM_WORD})(?-u:\b)"
_PART = re.compile(rf" and |{_NUM_WORD}|[ -]")
# the words before ("which one", "the other one") and after ("one of", "one must") that make a lone "one" a pronoun
_ONE_AFTER = frozenset(
    [
        "which",
        "no",
        "the",
        "each",
        "every",
        "any",
        "this",
        "that",
        "another",
        "such",
        "some",
        "other",
        "little",
        "same",
        "right",
        "wrong",
        "correct",
        "last",
        "first",
        "second",
        "next",
        "new",
        "old",
        "big",
        "small",
        "best",
        "better",
    ]
)
_ONE_BEFORE = frozenset(
    ["of", "another", "must", "should", "can", "cannot", "could", "may", "might", "would", "will", "shall"]
)
_WORD_BEFORE = re.compile(r"([\w'’]+)[ -]$")
_WORD_AFTER = re.compile(r" ([\w'’]+)")


def _number_values(parts: list[str]) -> list[tuple[int, int]]:
    """The numbers of a run of number words (`parts`: its words and the separators between them, in order), each as
    (its last part, value): a word that does not continue the number before it starts another ("two and
    three", "twelve seven", "one two")."""
    out: list[tuple[int, int]] = []
    total = section = 0
    prev: str | None = None  # the number's last word so far (None: none yet)
    scale = 10**9  # the smallest scale of `total` (thousand, million) so far
    for i in range(0, len(parts), 2):
        w = parts[i]
        if prev is not None:
            sep, v, s = parts[i - 1], _NUMBER_WORDS.get(w), _SCALE_WORDS.get(w)
            after_scale = prev in _SCALE_WORDS
            if v is not None:  # a ten, teen or unit after a scale; a unit after a ten
                fits = v > 0 and (after_scale or (v < 10 and prev in _TEN_WORDS and sep != " and "))
            elif s == 100:
                fits = sep != " and " and not after_scale and 0 < section < 100
            else:
                fits = sep != " and " and prev != "thousand" and prev != "million" and 0 < section < 1000
                fits = fits and s is not None and s < scale
            if not fits:
                out.append((i - 2, total + section))
                total, section, scale = 0, 0, 10**9
        if w in _NUMBER_WORDS:
            section += _NUMBER_WORDS[w]
        elif w == "hundred":
            section = (section or 1) * 100
        else:
            scale = _SCALE_WORDS[w]
            total += (section or 1) * scale
            section = 0
        prev = w
    out.append((len(parts) - 1, total + section))
    return out


def _one_is_a_pronoun(text: str, start: int, end: int) -> bool:
    """Whether the lone "one" at `start`..`end` of `text` is a pronoun (`_ONE_AFTER`, `_ONE_BEFORE`)."""
    before = _WORD_BEFORE.search(text, 0, start)
    after = _WORD_AFTER.match(text, end)
    return bool(before and before.group(1) in _ONE_AFTER) or bool(after and after.group(1) in _ONE_BEFORE)


def _number_run(m: re.Match[str]) -> str:
    parts = _PART.findall(m.group("run"))
    numbers = _number_values(parts)
    den = m.group("den")
    if den is not None and len(numbers) == 1 and 0 < numbers[0][1] < 100:
        return f"{numbers[0][1]}/{_DENOMINATORS.get(den, 4)}"
    if parts == ["one"] and _one_is_a_pronoun(m.string, m.start(), m.end("run")):
        return m.group()
    out = []
    for i, (_, value) in enumerate(numbers):
        if i:
            out.append(parts[numbers[i - 1][0] + 1])
        out.append(str(value))
    return "".join(out) + m.group()[m.end("run") - m.start() :]


def number_words_as_digits(text: str) -> str:
    """`text` (normalised: lowercase) with its English numbers written as words written as digits (`_NUMBER_RUN`)."""
    return _NUMBER_RUN.sub(_number_run, text)


def _number_words(norm: pl.Series) -> pl.Series:
    """`number_words_as_digits` of each normalised text, computed only for those `_HAS_NUMBER_WORD` finds."""
    return rewrite_each_where(norm, _HAS_NUMBER_WORD, number_words_as_digits)


# superscript digits and signs: "x²" is "x^2" and "f⁻¹" "f^-1" (NFKC then reads the superscripts as plain characters);
# "9²" was the number 92, so "What is 9²?" was no hit of "What is $9^2$?"
_SUPERSCRIPT = "[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]"


# LaTeX read as plain text (of normalised texts, after `normalize_series`' own LaTeX steps: `\dfrac` is `\frac`): an
# operator's command is its sign (`\times` was the token "times", so "What is 6 × 9 ÷ 3?" shared no run of tokens with
# "What is $6 \times 9 \div 3$?"), `\frac{3}{4}` is "3/4" ("(x+1)/2" for `\frac{x+1}{2}`), `\sqrt{242}` and "√242"
# are "sqrt(242)", `\dbinom` and `\tbinom` are `\binom`, `2^{10}` is "2^10", `\text{cm}` is "cm", `\%` is "%".
_ARG = r"\{([^{}]+)\}"
_SIMPLE = r"\{([\w.]+|sqrt\([^()]*\))\}"  # an argument written without brackets in plain text
# a command standing for an operator: marked by `_LATEX_COMMAND` (a command is one only if no letter follows: `\le`,
# not `\left`), then read as its sign by one `replace_many` with the literal rewrites
_LATEX_SIGNS = {
    "*": ("times", "cdot", "ast"),
    "/": ("div",),
    "±": ("pm",),
    "≤": ("le", "leq", "leqslant"),
    "≥": ("ge", "geq", "geqslant"),
    "≠": ("ne", "neq"),
    "<": ("lt",),
    ">": ("gt",),
}
_LATEX_COMMAND = (rf"\\({'|'.join(c for cs in _LATEX_SIGNS.values() for c in cs)})([^a-z]|$)", "\x00${1}\x00${2}")
_LATEX_LITERAL = {
    **{f"\x00{c}\x00": sign for sign, cs in _LATEX_SIGNS.items() for c in cs},
    r"\dbinom": r"\binom",
    r"\tbinom": r"\binom",
    r"\%": "%",
    "⋅": "*",
    "√(": "sqrt(",
}
_LATEX_STEPS = (
    (rf"\\(?:text|textbf|textit|textrm|mathrm|mathbf|mathit|mbox|operatorname){_ARG}", " ${1}"),
    (rf"\\sqrt{_ARG}", "sqrt(${1})"),
    (r"\\frac(\d)(\d)", "${1}/${2}"),  # `\frac12`, MATH's spelling of `\frac{1}{2}`
    (rf"\\frac{_SIMPLE}{_SIMPLE}", "${1}/${2}"),
    (rf"\\frac{_SIMPLE}{_ARG}", "${1}/(${2})"),
    (rf"\\frac{_ARG}{_SIMPLE}", "(${1})/${2}"),
    (rf"\\frac{_ARG}{_ARG}", "(${1})/(${2})"),
    (r"√([\w.]+)", "sqrt(${1})"),
    (r"\^\{(-?[\w.]+)\}", "^${1}"),
    (r"(\d|[)\]}]|(?:^|\P{L})[a-z]) ?· ?(\d|[(\[{]|[a-z](?:$|\P{L}))", "${1}*${2}"),  # a middle dot between operands
)
_HAS_LATEX = r"[\\√⋅·]|\^\{"


def _plain_math(norm: pl.Series) -> pl.Series:
    """`norm` (normalised texts) read as plain text (`_LATEX_SIGNS`, `_LATEX_LITERAL`, `_LATEX_STEPS`), on the rows
    `_HAS_LATEX` finds."""
    return rewrite_where(norm, _HAS_LATEX, _latex_steps)


def _latex_steps(e: pl.Expr) -> pl.Expr:
    e = e.str.replace_all(*_LATEX_COMMAND).str.replace_many(list(_LATEX_LITERAL), list(_LATEX_LITERAL.values()))
    for pattern, repl in _LATEX_STEPS:
        e = e.str.replace_all(pattern, repl)
    return e


# Operators written as words, between two operands (a number, a lone letter, a bracket, a `$` of inline math; a number
# both sides of "over"), read as their signs: "What is 12 plus 7?" was no hit of the item "What is 12 + 7?" (the token
# "plus"), nor "What is 6 * 9?" of "What is 6 times 9?". A word elsewhere stays ("3 times as many", "over 4 miles").
# An operand ending before the word (normalised text: lowercase; \x00 ends a power marked before, "x squared plus 1"),
# and one starting after it.
_L = r"(\d|[)\]}$\x00]|(?:^|\P{L})[a-z])"
_R = r"(\d|[(\[{$\\-]|[a-z](?:$|\P{L}))"
_WORD_SIGNS = {
    "+": ("plus",),
    "-": ("minus",),
    "*": ("times", "multiplied by"),
    "/": ("divided by",),
    "=": ("equals", "is equal to"),
    "^": ("to the power of", "raised to the power of"),
}
_POSTFIX_SIGNS = {"^2": "squared", "^3": "cubed"}
# (pattern, replacement), in order: a word is marked (\x00 either side, its spaces within) and then read as its sign
# by one `replace_many` (`_WORD_LITERAL`); between two operands twice, as a match takes the operands' characters
# either side ("1 plus 2 plus 3": the second waits for the next pass). `(?-u:\b)` is an ASCII word boundary: with a
# Unicode one, a text holding a character such as "≤" was searched ~150x slower.
_WORD_STEPS = (
    (rf"{_L} ?(?:raised )?to the (\d+)(?:st|nd|rd|th) power(?-u:\b)", "${1}^${2}"),
    (rf"{_L} ?({'|'.join(_POSTFIX_SIGNS.values())})(?-u:\b)", "${1}\x00${2}\x00"),
    (r"(\d) over (\d)", "${1}/${2}"),
    (rf"{_L}( ?)({'|'.join(w for ws in _WORD_SIGNS.values() for w in ws)})( ?){_R}", "${1}\x00${2}${3}${4}\x00${5}"),
)
_WORD_LITERAL = {
    **{f"\x00{w}\x00": sign for sign, w in _POSTFIX_SIGNS.items()},
    **{
        f"\x00{a}{w}{b}\x00": sign if sign == "^" else f"{a}{sign}{b}"
        for sign, ws in _WORD_SIGNS.items()
        for w in ws
        for a in ("", " ")
        for b in ("", " ")
    },
}
# the rows that may hold one
_HAS_WORD_OP = "|".join(pattern for pattern, _ in _WORD_STEPS)


def _word_ops(e: pl.Expr) -> pl.Expr:
    """`e` (normalised texts) with their operators written as words written as signs (`_WORD_STEPS`)."""
    for pattern, repl in _WORD_STEPS:
        e = e.str.replace_all(pattern, repl)
        if pattern.endswith(_R):
            e = e.str.replace_all(pattern, repl)
    return e.str.replace_many(list(_WORD_LITERAL), list(_WORD_LITERAL.values()))


def _spell_operators(norm: pl.Series) -> pl.Series:
    """`norm` (normalised texts) with their operators written as words written as signs (`_WORD_STEPS`): "12 plus
    7" is "12 + 7", "144 divided by 12" "144 / 12", "3 over 4" "3/4", "9 squared" "9^2", "2 to the power of 10"
    "2^10", "3x equals 20" "3x = 20". Only the rows `_HAS_WORD_OP` finds are rewritten."""
    return rewrite_where(norm, _HAS_WORD_OP, _word_ops)


# What a text is but for whitespace, case and punctuation (of a normalised text): its numbers, words, operators
# (`_OPS`, as `_OP_SPELLING` reads them) and brackets, one space between each. A short item written otherwise was
# missed: "Compute 7*8" for "Compute 7 * 8." (3 tokens: too few for `contained`; ratio 0.88, under `fuzzy_threshold`).
# A factorial's "!" stays ("6!" is not "6") but for those ending the text: "What is 12 + 7!" is the item "What is 12 +
# 7?" exclaimed (it was read as "12 + 7 factorial" and missed); a hyphen or slash between two letters joins two words.
_KEY_TOKEN = r"\d+(?:[.,]\d+)*|\w+|[-+*/=<>^%±≤≥≠()\[\]{}|!]"


def _form_keys(norm: pl.Series) -> pl.Series:
    """`_KEY_TOKEN`s of each normalised text joined by spaces: equal for two texts that differ only in whitespace,
    case and punctuation."""
    s = norm.str.replace_all("[×∗]", "*").str.replace_all("÷", "/").str.replace_all("−", "-")
    for _ in range(2):  # "a-b-c": a match takes the letter after its hyphen
        s = s.str.replace_all(r"([^\W\d_])[-/]([^\W\d_])", "$1 $2")
    s = (
        s.str.replace(r"!+[!?]*$", "")
        .str.replace_all(r"([\w)\]}])!", "$1\x00")
        .str.replace_all("!", "")
        .str.replace_all("\x00", "!")
    )
    return s.str.extract_all(_KEY_TOKEN).list.join(" ").fill_null("")


def _asked_again(texts: list[str], rows: list[int]) -> frozenset[int]:
    """Of `rows` (of `texts`, a benchmark's item texts), those whose normalised text is another item's text too."""
    if not rows:
        return frozenset()
    norm = _normalized(pl.Series(texts, dtype=pl.String))
    counts = dict(norm.value_counts().iter_rows())
    return frozenset(r for r in rows if counts[norm[r]] > 1)


def _named(src: SourceConfig, base_dir: Path | None) -> str:
    """The path or Hub dataset a benchmark names, for its errors."""
    return f"hf://{src.hf_dataset}" if src.hf_dataset else str(source_path(src, base_dir))


def _held_out_files(inputs: list[Input]) -> tuple[list[Input], list[LeftOut]]:
    """The files of a benchmark folder or glob, `split` unset, that it reads: with a file named for a held-out split
    (`split_of`, relative to the files' common folder, or the split a saved dataset records), all but those named
    for `train` (GSM8K's `train.jsonl` beside `test.jsonl`; a file named for no split, `aime24.jsonl`, is read);
    without one, all. Before, every file was read: the train questions flagged the good tasks copied from them."""
    files = [inp for inp in inputs if inp.kind == "file"]
    if len(files) < 2 or any(inp.source.split is not None for inp in files):
        return inputs, []
    root = Path(os.path.commonpath([inp.path for inp in files]))
    named = {
        inp.path: split_of(Path(inp.path).relative_to(root)) or saved_split(Path(inp.path))
        for inp in files
        if not (Path(inp.path) / "dataset_dict.json").is_file()  # a DatasetDict picks inside (`_splits_of`)
    }
    if not any(s in HELD_OUT_SPLITS for s in named.values()):
        return inputs, []
    kept = [inp for inp in inputs if named.get(inp.path) != "train"]
    return kept, [LeftOut(inp.path, "train") for inp in inputs if named.get(inp.path) == "train"]


def _splits_of(inp: Input) -> tuple[list[tuple[Input, str]], list[LeftOut]]:
    """(input, its path) for each split a benchmark reads of `inp`, and the splits it leaves out: a saved DatasetDict
    of several splits, `split` unset, reads its held-out splits as a Hub dataset does (`_held_out`), each named as a
    folder under it (`gsm8k/test`; before, `train` alone, then every split: the train questions flagged the good
    tasks copied from them); a Hub dataset, `split` unset, its held-out splits (`_hub_splits`); any other input is
    itself."""
    if inp.kind == "hub" and inp.source.split is None:
        return _hub_splits(inp)
    path = Path(inp.path)
    if inp.kind != "file" or inp.source.split is not None or not (path / "dataset_dict.json").is_file():
        return [(inp, inp.path)], []
    try:
        splits = json.loads((path / "dataset_dict.json").read_text(encoding="utf-8")).get("splits")
    except (OSError, ValueError, AttributeError):  # a broken DatasetDict: its read reports it
        return [(inp, inp.path)], []
    if not isinstance(splits, list) or len(splits) < 2 or not all(isinstance(x, str) for x in splits):
        return [(inp, inp.path)], []
    read, left = _held_out(splits)
    return (
        [(replace(inp, source=inp.source.model_copy(update={"split": x})), f"{inp.path}/{x}") for x in read],
        [LeftOut(f"{inp.path}/{x}", split_of(PurePath(x)) or x) for x in left],
    )


def _held_out(names: list[str]) -> tuple[list[str], list[str]]:
    """(read, left out) of a dataset's splits, `split` unset: those named for validation or test (`split_of`:
    `test`, `validation`, `dev`, `test_2024`), else all (GPQA's and AIME 2024's one `train`)."""
    held = [n for n in names if split_of(PurePath(n)) in HELD_OUT_SPLITS]
    return (held, [n for n in names if n not in held]) if held else (names, [])


def _hub_splits(inp: Input) -> tuple[list[tuple[Input, str]], list[LeftOut]]:
    """The splits a Hub benchmark without `split` reads (`_held_out`), each labelled as ingest labels a Hub input
    (`hf://openai/gsm8k/main:test`), and those it leaves out. Before, `train` was read: GSM8K's test split, the
    benchmark, was never compared, and the tasks copied from its train split were all flagged."""
    s = inp.source
    read, left = _held_out(hub_split_names(s.hf_dataset or "", s.hf_config, s.revision))

    def one(name: str) -> Input:
        (found,) = resolve(s.model_copy(update={"split": name})).inputs
        return found

    return [(x, x.path) for x in map(one, read)], [LeftOut(one(n).path, split_of(PurePath(n)) or n) for n in left]


def _item_ids(ids: list[str | None], where: list[tuple[str, int]], paths: list[str]) -> list[str]:
    """Each item's name in `contamination`: its own id, else `file:row`. A name two items share (a folder of
    files whose ids restart, `aime24.jsonl` and `aime25.jsonl` each from 0; `main/test.jsonl` and
    `socratic/test.jsonl` without ids) names each by its file's path under the inputs' common folder and its
    row: `0 (aime25.jsonl:0)`, `socratic/test.jsonl:0`."""
    names = [i if i is not None else f"{Path(p).name}:{row}" for i, (p, row) in zip(ids, where, strict=True)]
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    if len(counts) == len(names):
        return names
    root = Path(os.path.commonpath(paths)) if len(paths) > 1 else None

    def rel(path: str) -> str:
        p = Path(path)
        return p.relative_to(root).as_posix() if root is not None and p.is_relative_to(root) else p.name

    return [
        n if counts[n] == 1 else f"{rel(p)}:{row}" if i is None else f"{i} ({rel(p)}:{row})"
        for n, i, (p, row) in zip(names, ids, where, strict=True)
    ]


# Self-Instruct's marker of an empty input, as ingest reads it (`normalize._NO_INPUT`)
_NO_INPUT = re.compile(r"(?i)\s*<\s*no[ _-]?input\s*>\s*")


def _item_id_field(record: dict) -> str | None:
    cased = cased_columns(record)
    return next((c for f in ID_FIELDS if (c := column_named(record, f, cased)) is not None), None)


def _item_text(record: dict, cfg: BenchmarkConfig) -> object:
    if cfg.text_field:
        value = lookup(record, cfg.text_field)[1]
        return _user_texts(value) if _is_turns(value) else value  # `text_field: conversations`: its user turns
    cased = cased_columns(record)
    blank = None  # a blank text field is read as a null one: the row's next text is its item (else it is blank)
    for name in TEXT_FIELDS:
        f = column_named(record, name, cased)
        if f is not None and isinstance(record[f], str) and not record[f].strip():
            blank = record[f] if blank is None else blank
        elif f is not None and isinstance(record[f], str):
            col = column_named(record, "input", cased)
            given = record[col] if col is not None else None
            if name == "instruction" and isinstance(given, str) and given.strip() and not _NO_INPUT.fullmatch(given):
                # the Alpaca layout: the question is the input, as ingest builds the prompt (instruction, blank line,
                # input); the instruction alone is often generic ("Answer the following math question.")
                return f"{record[f]}\n\n{given}"
            return record[f]
    for name in ALIASES["messages"]:
        f = column_named(record, name, cased)
        if f is not None and isinstance(record[f], list):
            return _user_texts(record[f])
    return blank


def _item_options(record: dict, cfg: BenchmarkConfig) -> list[str]:
    """The options of an MCQ benchmark row, read as ingest reads a row's choices: a `choices` / `options` / `endings`
    column (a list, an ARC `{label, text}` or letter -> text object, MedQA's `[{key, value}]`), TruthfulQA's
    `mc1_targets`, one column per option (Social IQa's `answerA`, MedMCQA's `opa`, an MMLU CSV's `A`..`D`) or GPQA's
    `Correct Answer` and `Incorrect Answer 1..3`; for a `text_field` inside an object (ARC's own `question.stem`), the
    object's `choices`. [] for a row without."""
    cased = cased_columns(record)
    places = [record]
    if cfg.text_field and "." in cfg.text_field and cfg.text_field not in record:
        parent = lookup(record, cfg.text_field.rsplit(".", 1)[0])[1]
        places = [parent] if isinstance(parent, dict) else []
    for row in places:
        for name in ALIASES["choices"]:
            col = column_named(row, name, cased if row is record else cased_columns(row))
            if col is None or col == cfg.text_field:
                continue
            value = row[col]
            if isinstance(value, str) and value.lstrip()[:1] in "[{":
                with contextlib.suppress(ValueError):
                    value = json.loads(value)  # a CSV's list as JSON
            try:
                return _option_texts(list(parse_choices(value).options.values()))
            except ChoiceError:
                continue
    targets = record.get("mc1_targets")
    if targets is not None and not isinstance(read := mc1_targets(targets), str):
        return _option_texts(read[0])
    columns = option_columns(record) or correct_incorrect_columns(record)
    return _option_texts([record[c] for c in columns]) if columns else []


def _option_texts(values: list[object]) -> list[str]:
    """The options that are text or numbers, as text; [] unless two or more."""
    texts = [str(v) for v in values if isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip()]
    return texts if len(texts) >= 2 else []


def _item_passage(record: dict, cfg: BenchmarkConfig, question: str) -> str | None:
    """The text a benchmark question is about, as ingest adds it to the prompt (after a blank line): the row's
    columns named like a passage (`normalize.CONTEXT_NAMES`, any case: RACE's `article`, Social IQa's and SQuAD's
    `context`, BoolQ's `passage`, SVAMP's `Body`, DREAM's `dialogue`), each as ingest reads one (`context_text`: a
    list of passages, PubMedQA's and HotpotQA's objects), joined by blank lines; None without one. A column the
    question itself is read from is not its passage."""
    found = []
    for col, value in record.items():
        if not isinstance(col, str) or col.lower() not in CONTEXT_NAMES or col == cfg.text_field:
            continue
        text = context_text(value)
        if isinstance(text, str) and text.strip() and text.strip() != question.strip():
            found.append(text.strip())
    return "\n\n".join(found) if found else None


def _no_text(record: dict, cfg: BenchmarkConfig) -> str:
    """Why a row has no item text (`_item_text` gave none): the field it names that is null or not text, else no
    such field. Such a row is never skipped: its item would be left out of the check, silently (a blank text is
    skipped, and counted: there is nothing to compare)."""
    cased = cased_columns(record)
    if cfg.text_field:
        fields = [cfg.text_field] if lookup(record, cfg.text_field)[0] else []
    else:
        fields = [f for name in (*TEXT_FIELDS, *ALIASES["messages"]) if (f := column_named(record, name, cased))]
    if not fields:
        if cfg.text_field:
            return f"no column {cfg.text_field!r} (`text_field`; the row has {', '.join(map(str, record)) or 'none'})"
        return f"no text field (set `text_field`; tried {', '.join((*TEXT_FIELDS, 'messages'))})"
    f, value = fields[0], lookup(record, fields[0])[1]
    if value is None:
        return f"{f!r} is null: give the row its text or remove it"
    if _is_turns(value):
        return f"{f!r} has no user turn text (a chat's user or human turns, each text or text parts)"
    if isinstance(value, dict):  # OpenBookQA's own {"question": {"stem": ...}}: its path names the text
        keys = ", ".join(map(str, value))
        return f"{f!r} holds an object ({keys}), not text: set `text_field` to the path of its text ({f}.KEY)"
    return f"{f!r} holds {type(value).__name__}, not text"


def _is_turns(value: object) -> bool:
    return isinstance(value, list) and any(isinstance(m, dict) for m in value)


def _user_texts(chat: list) -> tuple[str, ...] | None:
    """A chat's item texts: its first user turn and, when it has several, all its user turns joined by a blank line;
    None when a user turn is not text or none has any. A turn is read as ingest reads one: `{role, content}`,
    ShareGPT's `{from, value}` or Capybara's exchange `{input, output}` (its input), content given as text parts
    (`[{"type": "text", "text": ...}]`) joined by a blank line (`normalize.turn_text`); a blank turn (closing a
    ShareGPT export) is none. Ingest's tasks are a chat's
    first user turn (a later one alone is `multi_turn`); the joined text holds the later turns' n-grams without
    making a short generic follow-up ("Now make it rhyme better.") an item of its own. Before, the last user turn
    alone was read: the first question was never compared, and such a follow-up flagged unrelated prompts."""
    # Capybara's and Pure-Dove's `conversation` of {input, output} exchanges, each input a user turn, as ingest reads
    # them (such a benchmark failed with "has no user turn text")
    chat = exchange_turns(chat) or chat
    turns = [
        turn_text(m.get("content", m.get("value")))
        for m in chat
        if isinstance(m, dict) and turn_role(m) == "user"  # as ingest reads roles: any case, ShareGPT's names
    ]
    if not all(isinstance(t, str) for t in turns):
        return None
    turns = [t for t in turns if t.strip()]
    if not turns:
        return None
    return (turns[0],) if len(turns) == 1 else (turns[0], "\n\n".join(turns))


def _tokens(words: pl.Series) -> pl.DataFrame:
    """(_r, w): one row per token, in text order; `_r` is the text's row. A text without tokens has none. With a
    Han or kana character among them, also `wt`, each token's weight (`_weights`)."""
    tokens = pl.DataFrame({"w": words}).with_row_index("_r").explode("w").drop_nulls("w")
    weights = _weights(tokens["w"])
    return tokens if weights is None else tokens.with_columns(wt=weights)


def _runs(tokens: pl.DataFrame, n: int) -> pl.DataFrame:
    """(_r, at, gram) for every run of `n` tokens within one text: `at` is its first token's row of `tokens`, gram a
    64-bit hash of the run's tokens joined by spaces. Shifted over the whole column, a window that crosses into the
    next text is dropped (a shift per text, `.over`, took ~5 s for 8M tokens)."""
    parts = [pl.col("w").shift(-k) for k in range(n)]
    within = pl.col("_r").shift(-(n - 1)) == pl.col("_r")  # the run's last token is of the same text
    return (
        tokens.with_row_index("at")
        .select("_r", "at", pl.concat_str(parts, separator=" ").hash(0).alias("gram"), within.alias("_in"))
        .filter("_in")
        .drop("_in")
    )


# the base of the polynomial hash of a run with Han or kana characters (`_grams`): odd, so invertible modulo 2**64
_BASE = 0x9E3779B97F4A7C15
_BASE_INV = pow(_BASE, -1, 1 << 64)


def _grams(tokens: pl.DataFrame, n: int, at: bool = False) -> pl.DataFrame:
    """(_r, gram) for every n-gram of the texts (with `at`, also its first token's row of `tokens`, `at`: an
    n-gram's next one in its text is at `at + 1`, and `k`, its tokens: `n`, more with Han or kana characters): `_runs`
    of `n` tokens, but in a text with Chinese or Japanese
    (or Thai, Lao, Khmer, Myanmar) the shortest run from each token that weighs `n` words (`_weights`). A run of
    such characters is hashed by its tokens' hashes (sum of hash_j * _BASE**j, j from its first token, modulo
    2**64: from prefix sums, in numpy; joining up to 3n tokens per run as `_runs` does took 6 s and 4 GB for 11M
    Chinese tokens), so the same run hashes the same wherever it stands: an item's, within a prompt's. It is never
    a run `_runs` hashes (that one holds only words)."""
    runs = _runs(tokens, n).with_columns(pl.lit(n, dtype=pl.UInt32).alias("k"))
    cols = ["_r", "at", "gram", "k"] if at else ["_r", "gram"]
    if "wt" not in tokens.columns:
        return runs.select(cols)
    weights, r = tokens["wt"].to_numpy(), tokens["_r"].to_numpy()
    # the tokens of the texts with a Han or kana character (`sub`; a text's tokens are in a row): the others' runs
    # are `_runs`'
    has = np.zeros(int(r[-1]) + 1, dtype=bool)
    has[r[weights != _WORD_WEIGHT]] = True
    sub = np.flatnonzero(has[r])
    m, r = sub.size, r[sub]
    ends = np.concatenate([[0], np.cumsum(weights[sub])])
    # the run from token i is tokens i .. stop[i] - 1; of n tokens exactly when they are all words
    stop = np.searchsorted(ends, ends[:-1] + _WORD_WEIGHT * n, side="left")
    lens = stop - np.arange(m)
    keep = np.ones(tokens.height, dtype=bool)
    keep[sub[lens != n]] = False
    runs = runs.filter(pl.Series(keep).gather(runs["at"]))
    starts = np.flatnonzero((lens > n) & (stop <= m))
    starts = starts[r[stop[starts] - 1] == r[starts]]  # within one text
    if starts.size == 0:
        return runs.select(cols)
    powers = np.ones(m, dtype=np.uint64)
    powers[1:] = np.cumprod(np.full(m - 1, _BASE, dtype=np.uint64))  # wraps modulo 2**64, as meant
    inverse = np.ones(m, dtype=np.uint64)
    inverse[1:] = np.cumprod(np.full(m - 1, _BASE_INV, dtype=np.uint64))
    prefix = np.zeros(m + 1, dtype=np.uint64)
    prefix[1:] = np.cumsum(tokens["w"].gather(sub).hash(0).to_numpy() * powers)
    value = (prefix[stop[starts]] - prefix[starts]) * inverse[starts]
    longer = pl.DataFrame(
        {
            "_r": pl.Series(r[starts], dtype=pl.UInt32),
            "at": pl.Series(sub[starts], dtype=runs.schema["at"]),
            "gram": pl.Series(value, dtype=pl.UInt64).hash(1),
            "k": pl.Series(lens[starts], dtype=pl.UInt32),
        }
    )
    return pl.concat([runs.select(cols), longer.select(cols)])


def _ngrams(tokens: pl.DataFrame, keys: pl.Series, n: int) -> pl.DataFrame:
    """(key, gram) for every word n-gram of the texts `tokens` was made of; `keys` names each text by its row."""
    runs = _grams(tokens, n)
    return pl.DataFrame({keys.name: keys.gather(runs["_r"]), "gram": runs["gram"]}).unique()


# an n-gram this many of a benchmark's items hold is its phrasing ("which of the following is the most likely
# diagnosis"), a template's or a passage several items quote (`_own_text_shared`)
_SHARED_BY = 3
# but not `ngram + 1` or more n-grams that the same items, up to this many and under half of the benchmark's, hold
# alone (`_ngram_hits`): a template's text (GSM-Symbolic's 50 variants of each), a passage they quote
_SHARED_TEXT = 64


def _ngram_hits(
    t_keyed: pl.DataFrame,
    i_grams: pl.DataFrame,
    i_pos: pl.DataFrame,
    ids: pl.Series,
    cfg: DecontamConfig,
    prefix: bool = True,
) -> pl.DataFrame:
    """(task_id, item, n_shared, n_item, score) of each task (`t_keyed`: task_id, gram, a row per n-gram) sharing
    n-grams with an item (`i_grams`: item row, gram; `i_pos`: item, at, gram; `ids`: the rows' item ids): with
    `ngram_min_overlap`, those sharing that share of the item's n-grams, else those holding enough of the item's
    own text, outside the benchmark's phrasing (`_own_text_shared`).
    An n-gram many tasks and items hold (a stem a medical benchmark ends thousands of cases with, their vital signs'
    wording) would pair every such task with every such item: the join is indexed on each item's n-grams but the
    `need - 1` that the most items hold (`need`: the fewest n-grams a hit shares with it; only n-grams
    `_SHARED_BY` or more items hold, without `ngram_min_overlap`), as a set-similarity join's prefix filter: a
    pair sharing `need` n-grams shares one of the others. Those left out are then counted for the pairs found
    (`prefix` False: every n-gram is joined, the same hits, for a test)."""
    totals = i_grams.group_by("item").len("n_item")
    held = (
        i_grams.select(ids.gather(i_grams["item"]).alias("id"), "gram")
        .unique()
        .group_by("gram")
        .agg(pl.len().alias("df"), pl.col("id").hash(7).sum().alias("items"))
    )
    # the text of a template several items are variants of, or of a passage they quote: `n + 1` or more n-grams
    # that the same few items hold, and only they; not half of the benchmark's items or more (an instruction every
    # item carries, "Solve the following problem. Make sure to put the answer ... inside \\boxed{} ...", is its
    # phrasing, however long)
    few = pl.col("df").is_between(_SHARED_BY, min(_SHARED_TEXT, (ids.n_unique() - 1) // 2))
    text = held.filter(few).group_by("df", "items").len("k")
    held = held.join(text, on=["df", "items"], how="left").select(
        "gram", "df", ((pl.col("df") >= _SHARED_BY) & (pl.col("k").fill_null(0) <= cfg.ngram)).alias("phrasing")
    )
    grams = i_grams.join(held, on="gram").join(totals, on="item")
    n = cfg.ngram
    if cfg.ngram_min_overlap > 0:  # a hit shares at least `need` n-grams (less a hair: a float's rounding)
        need = (pl.col("n_item") * cfg.ngram_min_overlap - 1e-9).ceil()
        may_skip = grams
    else:  # a hit shares an n-gram of the item's own text, or (an item all phrasing) a quarter of its n-grams or
        # `2n + 1` in a run (`_own_text_shared`)
        need = pl.min_horizontal(pl.lit(2 * n + 1), (pl.col("n_item") / 4).ceil())
        may_skip = grams.filter("phrasing")
    skipped = (
        may_skip.sort("item", "df", "gram", descending=[False, True, False])
        .filter((pl.int_range(pl.len()).over("item") < need - 1) & prefix)
        .select("item", "gram")
    )
    index = grams.select("item", "gram").join(skipped, on=["item", "gram"], how="anti")
    # joined before the task side is made unique: only the few shared n-grams are (a task's prompt and its bare
    # question are two rows of one task_id, so a gram counts once per task)
    pairs = t_keyed.join(index, on="gram").unique()
    if skipped.height and pairs.height:
        rest = pairs.select("task_id", "item").unique().join(skipped, on="item")
        pairs = pl.concat([pairs, rest.join(t_keyed, on=["task_id", "gram"], how="semi").select(pairs.columns)])
    shared = (
        pairs.group_by("task_id", "item")
        .len("n_shared")
        .join(totals, on="item")
        .with_columns((pl.col("n_shared") / pl.col("n_item")).alias("score"))
    )
    if cfg.ngram_min_overlap > 0:
        return shared.filter(pl.col("score") >= cfg.ngram_min_overlap)
    return _own_text_shared(shared, pairs, held.filter("phrasing").select("gram"), i_pos, n, cfg.ngram_min_coverage)


def _own_text_shared(
    shared: pl.DataFrame, pairs: pl.DataFrame, common: pl.DataFrame, i_pos: pl.DataFrame, n: int, coverage: float
) -> pl.DataFrame:
    """The n-gram hits `shared` (task_id, item, n_shared, n_item, score) that hold enough of the item's own text.
    The item's phrasing is the tokens its n-grams that `_SHARED_BY` or more items hold cover (`common`: gram, items
    counted by id, a passage question's two rows being one item; `i_pos`: item, at, gram, k: `k` tokens from `at`):
    a stem many cases end with ("Which of the following is the most likely diagnosis?"), an instruction the items
    carry ("Please reason step by step, and put your final answer within \\boxed{}."); its own text is the rest. A
    pair (`pairs`: task_id, item, gram matched) is a hit where its matched n-grams cover at least `coverage` of the
    item's own tokens, and `n` of them (all, for an item with fewer); or, its n-grams outside the phrasing, one run
    of `2n + 1` (`3n` tokens in a row: a passage several items quote, one paragraph of it) or 3 runs that are a
    quarter of the item's n-grams (another variant of a template the benchmark holds several of, GSM-Symbolic's:
    other names and numbers). An item that is all phrasing is a hit where the task holds half of its n-grams, a run
    of `2n + 1`, or a quarter in 3 runs. So one common phrase of a long item ("what is the sum of all the positive
    integers", 2 of an AIME item's 23 n-grams) is no hit, nor the phrasing alone, and a copy, one with a number
    changed or with text added is one."""
    if shared.height == 0:
        return shared
    pair = ["task_id", "item"]
    pos = i_pos.join(shared.select("item").unique(), on="item")
    if "k" not in pos.columns:
        pos = pos.with_columns(pl.lit(n, dtype=pl.UInt32).alias("k"))
    tokens = pl.int_ranges(pl.col("at"), pl.col("at") + pl.col("k")).alias("tok")
    # an item's tokens: from its first n-gram's first to its last n-gram's last
    size = pos.group_by("item").agg(((pl.col("at") + pl.col("k")).max() - pl.col("at").min()).alias("size"))
    phrased = pos.join(common, on="gram").select("item", tokens).explode("tok").unique()
    own_size = size.join(phrased.group_by("item").len("p"), on="item", how="left").select(
        "item", (pl.col("size").cast(pl.Int64) - pl.col("p").fill_null(0)).alias("own_size")
    )
    # the matched n-grams' places in the item (an item repeating a phrase: each place), phrasing or its own text
    at = (
        pairs.join(pos, on=["item", "gram"])
        .join(common.select("gram", pl.lit(True).alias("phr")), on="gram", how="left")
        .select(*pair, "at", "k", pl.col("phr").fill_null(False))
        .unique()
        .sort(*pair, "at")
    )
    own = (
        at.filter(~pl.col("phr"))
        .select(*pair, tokens)
        .explode("tok")
        .unique()
        .join(phrased, on=["item", "tok"], how="anti")
        .group_by(pair)
        .len("own")
    )

    def runs(places: pl.DataFrame, name: str) -> pl.DataFrame:
        new_run = (pl.col("at").diff().over(pair) != 1).fill_null(True)
        return (
            places.with_columns(new_run.cum_sum().over(pair).alias("run"))
            .group_by(*pair, "run")
            .len("k")
            .group_by(pair)
            .agg(pl.len().alias(f"runs_{name}"), pl.col("k").max().alias(f"longest_{name}"))
        )

    own_grams = pairs.join(common, on="gram", how="anti").group_by(pair).len("own_grams")
    found = (
        shared.join(own_size, on="item")
        .join(own, on=pair, how="left")
        .join(own_grams, on=pair, how="left")
        .join(runs(at.filter(~pl.col("phr")), "own"), on=pair, how="left")
        .join(runs(at, "all"), on=pair, how="left")
        .fill_null(0)
    )
    size = pl.col("own_size")
    need = pl.max_horizontal(size * coverage - 1e-9, pl.min_horizontal(size, pl.lit(n)))
    own_text = (size > 0) & (
        ((pl.col("own") >= need) & (pl.col("own") > 0))
        | (pl.col("longest_own") >= 2 * n + 1)
        | ((pl.col("runs_own") >= 3) & (pl.col("own_grams") >= pl.col("n_item") / 4))
    )
    all_phrasing = (size <= 0) & (
        (pl.col("score") >= 0.5)
        | (pl.col("longest_all") >= 2 * n + 1)
        | ((pl.col("runs_all") >= 3) & (pl.col("score") >= 0.25))
    )
    return shared.join(found.filter(own_text | all_phrasing).select(pair), on=pair, how="semi")


_DIGITS = r"^\d+$"
# an option a task is found by (`_options_hits`): of this many words or more, that fewer than `_SHARED_BY` items give
_OPTION_WORDS = 4


def _options_hits(t_tokens: pl.DataFrame, opt_tokens: pl.DataFrame, b: Benchmark, ngram: int) -> pl.DataFrame:
    """(_r, item, method `options`, score) where a task (`_r`: its row; `t_tokens`, `opt_tokens`: its prompt's and its
    own options' tokens) holds more than half of an MCQ item's options, at least two of them options of
    `_OPTION_WORDS` words or more that fewer than `_SHARED_BY` items give, and those together `2 * ngram` words or more
    (each option's tokens in a row, `_contained`; any order, any labels): the item reworded ("Which statement is
    correct?" for "Which of the following is true?"). Score: the share of its options found. "True"/"False",
    "I and II only", "None of the above" tell no item."""
    none = pl.DataFrame(schema={"_r": pl.UInt32, "item": pl.UInt32, "method": pl.String, "score": pl.Float64})
    if b.needs is None:
        return none
    opts = b.needs.select("item", "options").with_columns(pl.col("options").list.len().alias("n")).explode("options")
    words = _words(_normalized(opts["options"].fill_null("")))
    tokens = _tokens(words)
    opts = opts.with_columns(
        words.list.join(" ").alias("key"),
        pl.Series(_sizes(tokens, words.list.len())).alias("size"),
        b.items["item_id"].gather(opts["item"]).alias("id"),
    ).with_row_index("o")
    common = opts.select("key", "id").unique().group_by("key").len("df").filter(pl.col("df") >= _SHARED_BY)
    told = opts.filter(pl.col("size") >= _WORD_WEIGHT * _OPTION_WORDS).join(common, on="key", how="anti")
    told = told.filter(pl.len().over("item") >= 2)
    if told.height == 0:
        return none
    # every such option at once: `_contained` of options as items, none too long for it
    found = pl.concat(
        [
            _contained(x, words.gather(told["o"]), told["size"].to_numpy(), _OPTION_WORDS, 1 << 30)
            for x in (t_tokens, opt_tokens)
            if x.height
        ]
    ).unique()
    if found.height == 0:
        return none
    hit = (
        found.join(told.with_row_index("_o").select(pl.col("_o").alias("item"), "o", "size"), on="item")
        .join(opts.select("o", pl.col("item").alias("mcq"), "n"), on="o")
        .group_by("_r", "mcq")
        .agg(pl.col("o").n_unique().alias("k"), pl.col("size").sum(), pl.col("n").first())
        .filter((pl.col("k") >= 2) & (2 * pl.col("k") > pl.col("n")) & (pl.col("size") >= 2 * ngram * _WORD_WEIGHT))
    )
    return hit.select(
        "_r", pl.col("mcq").alias("item"), pl.lit("options").alias("method"), (pl.col("k") / pl.col("n")).alias("score")
    ).cast(none.schema)


def _contained(
    t_tokens: pl.DataFrame,
    i_words: pl.Series,
    i_sizes: np.ndarray,
    min_tokens: int,
    ngram: int,
    texts: list[str] | None = None,
) -> pl.DataFrame:
    """(_r, item) where a benchmark item of `min_tokens` to `ngram - 1` tokens (too short for an n-gram) appears
    whole and in order in a task's tokens (`_r`: the task's row). Indexed by the hash of each such item's first
    `min_tokens` tokens: one pass over the tasks' runs of that length and a join, then each candidate run is read
    on to the item's length and compared. A match whose item starts (ends) with a number is no hit when the task's
    token before (after) it is a number too: the item's numbers are then part of a longer expression (`What is 2 +
    2?` in `What is 2 + 2 + 3?`, `3.12` for an item starting with 12); but for one across a sentence's end, read in
    the task's normalised text (`texts`, by row: `_numbers_apart`): "... costs $5. 12 apples are ..." holds the
    item "12 apples are shared by 4 children." (before, the 5 hid it)."""
    none = pl.DataFrame(schema={"_r": pl.UInt32, "item": pl.UInt32})
    lens = i_words.list.len().fill_null(0)
    items = pl.DataFrame({"words": i_words, "k": lens, "size": i_sizes}).with_row_index("item")
    # by weight (`_sizes`): a Chinese item of 8 to 15 Han characters, as one of 4 to 7 words
    items = items.filter((pl.col("size") >= _WORD_WEIGHT * min_tokens) & (pl.col("size") < _WORD_WEIGHT * ngram))
    if items.height == 0 or t_tokens.height == 0:
        return none
    items = items.select(
        "item",
        "k",
        pl.col("words").list.head(min_tokens).list.join(" ").hash(0).alias("gram"),
        pl.col("words").list.join(" ").alias("full"),
        pl.col("words").list.first().str.contains(_DIGITS).alias("first_num"),
        pl.col("words").list.last().str.contains(_DIGITS).alias("last_num"),
    )
    cand = _runs(t_tokens, min_tokens).join(items, on="gram")
    if cand.height == 0:
        return none
    w, r, n = t_tokens["w"], t_tokens["_r"], t_tokens.height
    found: list[pl.DataFrame] = []
    for (k,), group in cand.group_by("k"):
        at = group["at"].cast(pl.Int64)
        group = group.filter(at + k <= n)  # the run would end past the last token
        if group.height == 0:
            continue
        at, row = group["at"].cast(pl.Int64), group["_r"]
        run = pl.concat_str([w.gather(at + j) for j in range(k)], separator=" ")
        before, after = (at - 1).clip(0, n - 1), (at + k).clip(0, n - 1)
        num_before = (at > 0) & (r.gather(before) == row) & w.gather(before).str.contains(_DIGITS)
        num_after = (at + k < n) & (r.gather(after) == row) & w.gather(after).str.contains(_DIGITS)
        same = (r.gather(at + k - 1) == row) & (run == group["full"])
        edge = (group["first_num"] & num_before) | (group["last_num"] & num_after)
        found.append(group.filter(same & ~edge).select("_r", "item"))
        if texts is not None:
            recheck = group.filter(same & edge).select("_r", "item", "full").unique()
            apart = [
                _numbers_apart(full.split(" "), texts[x])
                for x, full in zip(recheck["_r"], recheck["full"], strict=True)
            ]
            found.append(recheck.filter(pl.Series(apart, dtype=pl.Boolean)).select("_r", "item"))
    return pl.concat([none, *found]).unique() if found else none


_FUZZY_CHUNK = 4_096  # texts of `a` scored in one `cdist` call


def _fuzzy_pairs(a: list[str], b: list[str], cutoff: float, workers: int) -> Iterator[tuple[int, int, float]]:
    """(row of `a`, row of `b`, ratio) of every pair whose `fuzz.ratio` is at least `cutoff` (0..100).

    The ratio is 100 * (1 - d / (la + lb)) with d the Indel distance, at least |la - lb|: a pair can reach `cutoff`
    only if the shorter text is at least f / (2 - f) of the longer one's length (f = cutoff / 100; 0.905 for the
    default 0.95). So `a` is scored in chunks of close lengths, each against the texts of `b` in its window alone:
    the same pairs as scoring every pair (which grew with the product: ~50 s for 200k tasks and 14k short items)."""
    if not a or not b:
        return
    f = cutoff / 100
    la = np.fromiter(map(len, a), dtype=np.int64, count=len(a))
    lb = np.fromiter(map(len, b), dtype=np.int64, count=len(b))
    oa, ob = np.argsort(la, kind="stable"), np.argsort(lb, kind="stable")
    la_s, lb_s = la[oa], lb[ob]
    s = 0
    while s < oa.shape[0]:
        # a chunk spans lengths within 10% of its first (and at most _FUZZY_CHUNK texts)
        e = min(s + _FUZZY_CHUNK, int(np.searchsorted(la_s, la_s[s] * 1.1 + 1, side="right")))
        lo = np.floor(la_s[s] * f / (2 - f)) - 1  # one character of slack either side against rounding
        hi = np.ceil(la_s[e - 1] * (2 - f) / f) + 1
        j0, j1 = int(np.searchsorted(lb_s, lo, side="left")), int(np.searchsorted(lb_s, hi, side="right"))
        if j0 < j1:
            rows, cols = oa[s:e], ob[j0:j1]
            m = cdist(
                [a[k] for k in rows],
                [b[k] for k in cols],
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                workers=workers,
                dtype=np.float32,
            )
            for r, c in zip(*np.nonzero(m), strict=True):
                yield int(rows[r]), int(cols[c]), float(m[r, c])
        s = e


def find_contamination(
    tasks: pl.DataFrame, benchmarks: Sequence[Benchmark], cfg: DecontamConfig, workers: int = -1
) -> pl.DataFrame:
    """Hits (task_id, benchmark, benchmark_item, method, score) of `tasks` (task_id, prompt; optionally options, an
    MCQ's choices as text, read only for the items that need their options found, `_needs_met`) on `benchmarks`."""
    out: list[pl.DataFrame] = [pl.DataFrame(schema=hit_schema())]
    if tasks.height == 0:
        return out[0]
    t = tasks.select("task_id", pl.col("prompt").alias("text"))
    t_norm_series = _normalized(t["text"])  # once for every check
    t_words_list = _words(t_norm_series)  # the word tokens (`_WORD`), in order
    t_tokens = _tokens(t_words_list)
    t_runs = _grams(t_tokens, cfg.ngram)
    t_keyed = t_runs.select(t["task_id"].gather(t_runs["_r"]), "gram")  # a task's prompt and bare question: one task
    t_words = _sizes(t_tokens, t_words_list.list.len())  # weights: a Han or kana character is less than a word
    t_norm = t_norm_series.to_list()
    # the short prompts' `_form_keys` (a text and one written otherwise have the same words: both are short or neither)
    short_t = np.flatnonzero(t_words < _WORD_WEIGHT * cfg.short_prompt_words)
    t_keys = pl.DataFrame({"_r": short_t, "key": _form_keys(t_norm_series.gather(short_t))}).filter(pl.col("key") != "")
    # an MCQ's own options (a task stored without them in its prompt), for `_options_hits`
    given = tasks["options"] if "options" in tasks.columns else pl.Series([None] * tasks.height, dtype=pl.String)
    opt_tokens = _tokens(_words(_normalized(given.fill_null(""))))
    for b in benchmarks:
        items = b.items
        i_norm_series = _normalized(items["text"])  # once for every check, as the tasks'
        i_words_list = _words(i_norm_series)
        # keyed by the item's row, not its id: items sharing an id are still scored one by one
        i_tokens = _tokens(i_words_list)
        i_pos = _grams(i_tokens, cfg.ngram, at=True).rename({"_r": "item"})  # (item, at, gram)
        i_grams = i_pos.select("item", "gram").unique()
        if b.needs is not None:
            # a generic question's n-grams are no hit of the text with its passage (`_needs_met`), nor those that
            # run from it into the passage's first words ("... title for the passage the ..." of every passage
            # starting "The")
            alone = b.needs.filter(pl.col("whole").is_not_null() & pl.col("item").is_in(list(b.generic)))
            if alone.height:
                head = pl.DataFrame(
                    {
                        "w": i_words_list.gather(alone["whole"]),
                        "k": i_words_list.gather(alone["item"]).list.len() + (cfg.ngram - 1),
                    }
                ).select(pl.col("w").list.head(pl.col("k")))["w"]
                own = _ngrams(_tokens(head), alone["whole"].alias("item"), cfg.ngram)
                i_grams = i_grams.join(own, on=["item", "gram"], how="anti")
        i_words = _sizes(i_tokens, i_words_list.list.len())
        i_norm = i_norm_series.to_list()
        shared = _ngram_hits(t_keyed, i_grams, i_pos, items["item_id"], cfg)
        shared = _short_ngram_checks(shared, i_words, i_norm, t, t_norm, cfg)
        found = [
            shared.select(
                "task_id",
                pl.col("item").cast(pl.UInt32),
                pl.lit("ngram").alias("method"),
                pl.col("score").cast(pl.Float64),
            )
        ]
        contained = _contained(t_tokens, i_words_list, i_words, cfg.contained_min_tokens, cfg.ngram, t_norm)
        if contained.height:
            agree = [
                _operators_agree(i_norm[i], t_norm[r])
                for r, i in zip(contained["_r"].to_list(), contained["item"].to_list(), strict=True)
            ]
            contained = contained.filter(pl.Series(agree, dtype=pl.Boolean))
        if contained.height:
            found.append(
                pl.DataFrame(
                    {
                        "task_id": t["task_id"].gather(contained["_r"]),
                        "item": contained["item"],
                        "method": "contained",
                        "score": 1.0,
                    },
                    schema=_ITEM_HIT,
                )
            )
        by_options = _options_hits(t_tokens, opt_tokens, b, cfg.ngram)
        if by_options.height:
            found.append(by_options.select(t["task_id"].gather(by_options["_r"]), "item", "method", "score"))
        # fuzzy for short texts on either side
        short_i = np.flatnonzero(i_words < _WORD_WEIGHT * cfg.short_prompt_words)
        hits: list[tuple[str, int, float]] = []
        for t_idx, i_idx in ((short_t, np.arange(items.height)), (np.arange(t.height), short_i)):
            if not t_idx.size or not i_idx.size:
                continue
            a = [t_norm[k] for k in t_idx]
            bb = [i_norm[k] for k in i_idx]
            for r, c, score in _fuzzy_pairs(a, bb, cfg.fuzzy_threshold * 100, workers):
                ti, ii = int(t_idx[r]), int(i_idx[c])
                if cfg.fuzzy_match_numbers and (
                    _numbers(t_norm[ti]) != _numbers(i_norm[ii]) or _operators(t_norm[ti]) != _operators(i_norm[ii])
                ):
                    continue
                hits.append((t["task_id"][ti], ii, score / 100.0))
        # a short item written otherwise (whitespace, case, punctuation): `fuzzy`, score 1.0, whatever the ratio (a
        # longer one is the n-gram check's)
        i_keys = pl.DataFrame({"item": short_i, "key": _form_keys(i_norm_series.gather(short_i))})
        same = t_keys.join(i_keys, on="key")
        hits.extend(zip(t["task_id"].gather(same["_r"]).to_list(), same["item"].to_list(), repeat(1.0)))
        if hits:
            found.append(
                pl.DataFrame(
                    {
                        "task_id": [h[0] for h in hits],
                        "item": [h[1] for h in hits],
                        "method": "fuzzy",
                        "score": [h[2] for h in hits],
                    },
                    schema=_ITEM_HIT,
                )
            )
        kept = _needs_met(pl.concat(found), b, i_words, tasks, t_words_list, t_words, cfg)
        out.append(
            _as_hits(
                kept.select(
                    "task_id",
                    pl.lit(b.name).alias("benchmark"),
                    items["item_id"].gather(kept["item"]).alias("benchmark_item"),
                    "method",
                    "score",
                )
            )
        )
    return _one_per_pair(pl.concat(out))


_ITEM_HIT = {"task_id": pl.String, "item": pl.UInt32, "method": pl.String, "score": pl.Float64}


def _short_ngram_checks(
    shared: pl.DataFrame,
    i_words: np.ndarray,
    i_norm: list[str],
    t: pl.DataFrame,
    t_norm: list[str],
    cfg: DecontamConfig,
) -> pl.DataFrame:
    """The n-gram hits `shared` (task_id, item, ...) but those of a short item (under `short_prompt_words` words, as
    the fuzzy check's) whose shared runs of `ngram` tokens the task holds only with other operators
    (`_operator_match`): the n-gram check reads words and numbers, so "What is the value of 12 - 7 * 3 + 2?" was the
    item "What is the value of 12 + 7 * 3 - 2?" (9 tokens: too long for `contained`, whose operators are checked);
    and, with `fuzzy_match_numbers`, those whose task lacks one of the item's numbers (`_numbers`, as often as the
    item has it): "Tom has 15 apples and gives 9 to Ann. How many apples does Tom have left?" shares the 8-gram "to ann
    how many apples does tom have left" with the item asking it of 12 and 7, and was a hit."""
    short = np.flatnonzero(i_words < _WORD_WEIGHT * cfg.short_prompt_words)
    check = shared.filter(pl.col("item").is_in(pl.Series(short, dtype=pl.UInt32).implode()))
    if check.height == 0:
        return shared
    rows = t.select("task_id").with_row_index("_r").filter(pl.col("task_id").is_in(check["task_id"].unique().implode()))
    rows_of: dict[str, list[int]] = {}
    for r, task_id in rows.iter_rows():
        rows_of.setdefault(task_id, []).append(r)
    drop = []
    for task_id, item in check.select("task_id", "item").iter_rows():
        if cfg.fuzzy_match_numbers:
            need = Counter(_numbers(i_norm[item]))
            if need and not any(need <= Counter(_numbers(t_norm[r])) for r in rows_of[task_id]):
                drop.append((task_id, item))
                continue
        found = [_operator_match(i_norm[item], t_norm[r], cfg.ngram) for r in rows_of[task_id]]
        if False in found and True not in found:
            drop.append((task_id, item))
    if not drop:
        return shared
    gone = pl.DataFrame(drop, schema={"task_id": pl.String, "item": shared.schema["item"]}, orient="row")
    return shared.join(gone, on=["task_id", "item"], how="anti")


def _needs_met(
    hits: pl.DataFrame,
    b: Benchmark,
    i_words: np.ndarray,
    tasks: pl.DataFrame,
    t_words_list: pl.Series,
    t_words: np.ndarray,
    cfg: DecontamConfig,
) -> pl.DataFrame:
    """The hits (task_id, item row, method, score) on `b` but those whose item text is not the whole item
    (`Benchmark.needs`) where the task lacks the rest:
    - an MCQ item whose question is under `short_prompt_words` words, or a question with options read alone beside
      its passage: more than half of its options must be in the task (each option's tokens in a row in the task's
      prompt, bare question or choices: any order, any labels). A short question alone is most often an exam stem
      many items share ("Which of the following is true?"); the item is the question with its options.
    - a question without options read alone beside its passage (BoolQ, DROP): the task must hold no passage of its
      own (its prompt under `short_prompt_words` words more than the question): the same question about another
      passage ("Who scored the first touchdown of the game?") is another item."""
    if b.needs is None or hits.height == 0:
        return hits
    needs = b.needs.filter(pl.col("item").is_in(hits["item"].unique().implode()))
    flat = needs.select("item", "options").explode("options").drop_nulls("options")
    options: dict[int, set[str]] = {}
    for item, run in zip(flat["item"].to_list(), _words(_normalized(flat["options"])).to_list(), strict=True):
        if run:
            options.setdefault(item, set()).add(" ".join(run))
    short = _WORD_WEIGHT * cfg.short_prompt_words
    rule: dict[int, str] = {}
    for item, whole in needs.select("item", "whole").iter_rows():
        if item not in b.generic:  # a question the benchmark asks once: found by itself
            continue
        alone = whole is not None
        if len(options.get(item, ())) >= 2 and (alone or i_words[item] < short):
            rule[item] = "options"
        elif alone:
            rule[item] = "no_passage"
    gated = pl.col("item").is_in(list(rule))
    check = hits.filter(gated)
    if check.height == 0:
        return hits
    rows = tasks.with_row_index("_r").filter(pl.col("task_id").is_in(check["task_id"].unique().implode()))
    texts: dict[str, list[str]] = {}
    size: dict[str, int] = {}
    given = rows["options"] if "options" in rows.columns else pl.Series([None] * rows.height, dtype=pl.String)
    own = _words(_normalized(given.fill_null(""))).to_list()
    words = t_words_list.gather(rows["_r"]).to_list()
    for task_id, r, tokens, choices in zip(rows["task_id"], rows["_r"], words, own, strict=True):
        texts.setdefault(task_id, []).extend(" " + " ".join(x or []) + " " for x in (tokens, choices))
        size[task_id] = max(size.get(task_id, 0), int(t_words[r]))
    keep = []
    for task_id, item in check.select("task_id", "item").iter_rows():
        if rule[item] == "options":
            found = sum(any(f" {o} " in x for x in texts[task_id]) for o in options[item])
            keep.append(2 * found > len(options[item]))
        else:
            keep.append(size[task_id] < i_words[item] + short)
    return pl.concat([hits.filter(~gated), check.filter(pl.Series(keep, dtype=pl.Boolean))])


def _one_per_pair(hits: pl.DataFrame) -> pl.DataFrame:
    """One hit per (task, benchmark, item, method), the highest scored (a chat's two item texts share its id:
    `_user_texts`); and no `contained` hit for a pair another check found (`contained` records what the
    whole-text checks miss). Sorted."""
    hits = hits.sort("score", descending=True, maintain_order=True).unique(
        ["task_id", "benchmark", "benchmark_item", "method"], keep="first", maintain_order=True
    )
    pair = ["task_id", "benchmark", "benchmark_item"]
    contained = pl.col("method").is_in(["contained", "options"])
    found = hits.filter(~contained)
    hits = pl.concat([found, hits.filter(contained).join(found.select(pair), on=pair, how="anti")])
    return hits.sort("task_id", "benchmark", "benchmark_item", "method")


def with_questions(tasks: pl.DataFrame) -> pl.DataFrame:
    """(task_id, prompt, options) plus, for an MCQ (verifier `mcq`) whose prompt lists its options, a second row with
    the bare question (`choices.bare_question`: without ingest's appended block, or without the prompt's own list of
    exactly its options, `A) ...` or inline): a benchmark item holds the question alone, and a short one is only found
    by the fuzzy check. `options`: an MCQ's choices, one a line, on its prompt's row (a task stored without them in
    its prompt still shows them to `_needs_met`). Other tasks are not parsed."""
    extra: list[tuple[str, str, str | None]] = []
    given: dict[str, str] = {}
    mcq = tasks.filter(pl.col("verifier") == "mcq")
    for task_id, prompt, args in mcq.select("task_id", "prompt", "verifier_args").iter_rows():
        try:
            choices = json.loads(args).get("choices") if args else None
        except (ValueError, AttributeError):
            choices = None
        if isinstance(choices, dict) and choices:
            options = {str(k): str(v) for k, v in choices.items()}
            given[task_id] = "\n".join(options.values())
            question = bare_question(prompt, options)
            if question != prompt:
                extra.append((task_id, question, None))
    base = tasks.select(
        "task_id",
        "prompt",
        pl.col("task_id").replace_strict(given, default=None, return_dtype=pl.String).alias("options"),
    )
    if not extra:
        return base
    return pl.concat([base, pl.DataFrame(extra, schema=base.schema, orient="row")])


def system_hits(
    tasks: pl.DataFrame, benchmarks: Sequence[Benchmark], cfg: DecontamConfig, workers: int = -1
) -> pl.DataFrame:
    """Hits of the tasks' (task_id, system) own system prompts: sent with every request of a task and carried by
    the dataset's rows, a benchmark question there is training data as in the prompt. Each distinct system prompt
    is checked once (a source often gives every row the same one) and its hits are each of its tasks'."""
    systems = tasks.select("task_id", "system").filter(pl.col("system").str.strip_chars().str.len_chars() > 0)
    if systems.height == 0:
        return pl.DataFrame(schema=hit_schema())
    distinct = systems.select("system").unique(maintain_order=True).with_row_index("_k")
    texts = distinct.select(pl.col("_k").cast(pl.String).alias("task_id"), pl.col("system").alias("prompt"))
    found = find_contamination(texts, benchmarks, cfg, workers)
    if found.height == 0:
        return found
    owners = systems.join(distinct, on="system").select(pl.col("_k").cast(pl.String), "task_id")
    return _as_hits(found.rename({"task_id": "_k"}).join(owners, on="_k"))


def decontaminate(
    store: Store, benchmarks: Sequence[Benchmark], cfg: DecontamConfig | None = None, batch: str | None = None
) -> pl.DataFrame:
    """Check stored tasks (all, or one ingest batch) against `benchmarks`: their prompts, an MCQ's bare question
    (`with_questions`) and their own system prompts (`system_hits`); replace those benchmarks' hits for the checked
    tasks in `contamination`. Returns the hits."""
    cfg = cfg or DecontamConfig()
    where, params = ("ingest_batch = ?", [batch]) if batch else (None, None)
    columns = ["task_id", "prompt", "system", "verifier", "verifier_args"]
    tasks = store.read("tasks", where=where, params=params, columns=columns)
    hits = find_contamination(with_questions(tasks), benchmarks, cfg)
    if benchmarks:
        hits = _one_per_pair(pl.concat([hits, system_hits(tasks, benchmarks, cfg)]))
    names = [b.name for b in benchmarks]
    with store.writing() as w:
        if names:
            marks = ", ".join("?" for _ in names)
            where = f"benchmark IN ({marks})"
            args: list[object] = list(names)
            if batch:
                where += " AND task_id IN (SELECT task_id FROM tasks WHERE ingest_batch = ?)"
                args.append(batch)
            w.delete("contamination", where, args)
        if hits.height:
            w.insert("contamination", hits.with_columns(pl.lit(now_utc()).alias("created_at")), on_conflict="ignore")
    return hits


def run(
    store: Store,
    cfg: ThinkmillConfig,
    *,
    benchmarks: Sequence[BenchmarkConfig] | None = None,
    batch: str | None = None,
    ngram: int | None = None,
) -> StageReport:
    """The decontaminate stage: check stored tasks (all, or one ingest batch) against `benchmarks` (default: the
    config's `decontam.benchmarks`). In = tasks checked, out = tasks clean; drops = contaminated tasks by
    `contamination:<benchmark>`."""
    report = StageReport("decontaminate")
    bcfgs = list(benchmarks) if benchmarks is not None else list(cfg.decontam.benchmarks)
    dcfg = cfg.decontam.model_copy(update={"ngram": ngram} if ngram else {})
    with report.timed("load"):
        loaded = load_benchmarks(bcfgs, cfg.base_dir)
    with report.timed("check"):
        hits = decontaminate(store, loaded, dcfg, batch=batch) if loaded else pl.DataFrame(schema=hit_schema())
        checked = store.count("tasks", "ingest_batch = ?", [batch]) if batch else store.count("tasks")
    per_bench = {b.name: 0 for b in loaded}
    for name, n in hits.group_by("benchmark").agg(pl.col("task_id").n_unique()).iter_rows():
        per_bench[name] = n
    contaminated = hits["task_id"].n_unique()
    report.rows_in, report.rows_out = checked, checked - contaminated
    report.add_drops({f"contamination:{k}": v for k, v in per_bench.items()})
    report.set(
        checked=checked,
        contaminated=contaminated,
        hits=hits.height,
        benchmarks=len(loaded),
        by_benchmark=per_bench,
        read={b.name: list(b.sources) for b in loaded},
        left_out_files=[{"benchmark": b.name, "path": x.path, "split": x.split} for b in loaded for x in b.left_out],
        skipped_items={b.name: b.skipped for b in loaded if b.skipped},
    )
    report.summary = [f"checked {checked:,} tasks: {contaminated:,} contaminated ({hits.height:,} hits)"]
    report.summary += [f"  {name:<24} {n:>8,} tasks" for name, n in per_bench.items()]
    # what a Hub benchmark, or one that left splits out, read (without `split`, its held-out splits)
    report.summary += [
        f"  {b.name}: read {', '.join(b.sources)}"
        for b in loaded
        if b.left_out or any(x.startswith("hf://") for x in b.sources)
    ]
    report.summary += [
        f"  {b.name}: {x.path}: named for split {x.split}, left out (set the benchmark's split to read it)"
        for b in loaded
        for x in b.left_out
    ]
    report.summary += [
        f"  {b.name}: {b.skipped:,} blank item{'s' if b.skipped != 1 else ''} skipped (rows whose text is empty: "
        "nothing to compare)"
        for b in loaded
        if b.skipped
    ]
    if not loaded:
        report.summary.append("no benchmarks configured (decontam.benchmarks): tasks are not decontaminated")
    return report


def load_benchmarks(cfgs: Sequence[BenchmarkConfig], base_dir: Path | None = None) -> list[Benchmark]:
    return [load_benchmark(c, base_dir) for c in cfgs]


def read_clean_tasks(store: Store, batch: str | None = None, *, limit: int | None = None) -> pl.DataFrame:
    """Tasks (contract columns, ordered by task_id) with no contamination hit and not retired (`thinkmill tasks
    retire`, `pipeline.ingest.retire`); only those of one ingest batch when `batch` is given. This is what the
    generate stage reads. A task whose verifier compares with a reference and whose answer is blank (stored before
    ingest quarantined such rows) is left out: it could never pass."""
    no_answer = ", ".join(f"'{v}'" for v in VERIFIERS_WITHOUT_ANSWER)
    where = (
        "task_id NOT IN (SELECT task_id FROM contamination) AND task_id NOT IN (SELECT task_id FROM retired_tasks) "
        "AND (verifier IN "
        f"({no_answer}) OR (answer IS NOT NULL AND NOT regexp_full_match(answer, '\\s*')))"
    )
    params: list[object] = []
    if batch:
        where += " AND ingest_batch = ?"
        params.append(batch)
    if limit is None:
        return store.read("tasks", where=where, params=params)
    cols = TASK.column_names
    df = store.query(f"SELECT {', '.join(cols)} FROM tasks WHERE {where} ORDER BY task_id LIMIT {int(limit)}", params)
    schema = TASK.polars_schema()
    return df.cast({c: schema[c] for c in cols}, strict=False) if df.height else TASK.empty_frame()


def clean_task_ids(store: Store) -> list[str]:
    return read_clean_tasks(store)["task_id"].to_list()
