"""Read the candidates of a dataset version from the database: selected, verified traces of clean tasks.

Input tables: tasks, generations, verdicts, trace_selection (selected rows), contamination. A selected trace that
cannot be used (failed or missing verdict, contaminated task, empty text) is dropped with a machine-readable
reason, counted in the version's stats.

Streaming: the selected traces are read from DuckDB one Arrow batch at a time (`Store.batches`), the drop rules
run as polars expressions over the batch, and only the compact candidate columns of a batch are kept; the raw
text of a generation is read only where the stored think/answer split is missing or a no-think leak is checked.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from pipeline.dataset.messages import request_system, user_prompt
from pipeline.store import Store
from pipeline.trace import THINK_IN_NO_THINK, count_tokens, parse_trace, trim
from pipeline.verify.result import not_judged_sql

# Two queries, so that no DuckDB hash table holds a generation's text: the narrow facts of every selected trace
# (task, verdict, contamination) are read whole; the generations' texts are streamed by a semi join on the
# selected keys (a scan, not a hash-join build side). No ORDER BY: the compact candidates are sorted instead.
_SELECTED_SQL = """
SELECT s.generation_key, s.task_id, t.domain, t.source, t.license, t.prompt, t.prompt_hash,
       v.passed, v.think_tokens, v.answer_tokens,
       EXISTS (SELECT 1 FROM contamination c WHERE c.task_id = s.task_id) AS contaminated
FROM trace_selection s
JOIN tasks t ON t.task_id = s.task_id
LEFT JOIN verdicts v ON v.generation_key = s.generation_key
WHERE s.selected
"""
# A part of a response (the text, or what follows a think tag) whose first line, after blank lines, is indented:
# the stored split is stripped, which lost that indentation (an indented line elsewhere keeps it)
# (text on a tag's own line loses its spaces in any case: `trim`)
_INDENTED_START = r"(?:\A(?:[ \t]*\r?\n)*|(?:<think>|</think>)(?:[ \t]*\r?\n)+)[ \t]+\S"
# A response whose stored split is parsed again from raw_text (`trace_parts`): one holding code (a backtick, a ~~~
# fence) or a part starting indented (`_INDENTED_START`).
REPARSE_SQL = (
    f"contains(g.raw_text, '`') OR contains(g.raw_text, '~~~') OR regexp_matches(g.raw_text, '{_INDENTED_START}')"
)
# raw_text only where it is read: a missing think/answer split to parse, or a no-think answer's leak check
_TEXTS_SQL = f"""
SELECT g.key AS generation_key, g.mode, CAST(g.messages AS VARCHAR) AS request_messages,
       CASE WHEN g.mode IS DISTINCT FROM 'think' OR g.answer IS NULL OR g.think IS NULL
                 OR {REPARSE_SQL} THEN g.raw_text END
           AS raw_text,
       g.think, g.answer, g.model, g.error IS NOT NULL AS failed
FROM generations g
WHERE g.key IN (SELECT generation_key FROM trace_selection WHERE selected)
"""
BATCH_ROWS = 20_000

# a verdict that never judged its response (no sandbox, an unreachable judge: `NOT_JUDGED`) is left out of the rate
_PASS_RATE_SQL = f"""
SELECT task_id, mode, count(*) FILTER (WHERE NOT {not_judged_sql()}) AS n,
       sum(CASE WHEN passed THEN 1 ELSE 0 END) AS passed
FROM verdicts GROUP BY task_id, mode
"""

CANDIDATE_SCHEMA: dict[str, pl.DataType] = {
    "generation_key": pl.String(),
    "task_id": pl.String(),
    "mode": pl.String(),
    "origin": pl.String(),  # think, no_think, or think_answer (a think trace reduced to its answer)
    "domain": pl.String(),
    "source": pl.String(),
    "license": pl.String(),
    "model": pl.String(),
    "prompt": pl.String(),
    "prompt_hash": pl.String(),  # the task's `tasks.prompt_hash`: tasks of one prompt share a split (`split.py`)
    "system": pl.String(),  # the task's own system prompt as sent (without the reasoning prompt), or null
    "think": pl.String(),
    "answer": pl.String(),
    "think_tokens": pl.Int64(),
    "answer_tokens": pl.Int64(),
    "think_tags": pl.Boolean(),  # no-think answer that holds think tags (leakage)
}


@dataclass
class Candidates:
    rows: pl.DataFrame
    pass_rates: pl.DataFrame  # task_id, think_pass_rate, no_think_pass_rate
    dropped: Counter[str] = field(default_factory=Counter)


IDENTICAL = "version:identical_example"


def merge_identical(cands: Candidates) -> Candidates:
    """One candidate of those whose example would be identical (the same mode, prompt, system prompt, think text and
    answer, stripped as `messages.build_messages` writes them: two samples with the same text; with
    `no_think_from_think_answers`, a think answer equal to the task's own no-think answer), the first by generation
    key, the others counted in `dropped` as `version:identical_example`. Before, the balance picked each copy and the
    build merged them afterwards: the version missed the think share the balance had met (every merged copy a
    no-think row: 0.63 for a target of 0.5), and copies spent `max_rows_per_task` slots."""
    rows = cands.rows
    if rows.height < 2:
        return cands
    think = pl.col("mode") == "think"
    key = rows.select(
        "mode",
        "prompt",
        "system",
        pl.when(think).then(pl.col("think").str.strip_chars()).alias("think"),
        pl.col("answer").str.strip_chars(),
    )
    first = key.with_row_index("_i").unique(subset=key.columns, keep="first", maintain_order=True)["_i"]
    if first.len() == rows.height:
        return cands
    dropped = Counter(cands.dropped)
    dropped[IDENTICAL] += rows.height - first.len()
    return Candidates(rows=rows[first], pass_rates=cands.pass_rates, dropped=dropped)


# the start of the answer, a line or a sentence, and what may stand before its first word (emphasis); not a quotation
# mark: '"Wait," she said.' is a character's word in a story or dialogue the task asks for, not deliberation
_SENTENCE_OPENS = r"(?:^|(?<=[.!?;:\n]))[ \t*_]*"


def hesitation_pattern(words: list[str]) -> re.Pattern[str] | None:
    """Deliberation in an answer, from `hesitation_words`, at the start of the answer, a line or a sentence: a phrase
    of several words ("On second thought, ...", "Let me double-check: ...", "Hold on, ..."; not "hold on to the
    rope"), a single word only as an interjection, followed by punctuation ("Wait, ...", "Hmm.", "**Wait** -"; not
    "Tom will wait 15 minutes", "Wait times are long"); never in quotation marks (a story's '"Wait," she said.').
    The word found is group `w` or `p` (`hesitation_word`). Search an answer `without_code`."""
    if not words:
        return None
    single = [w for w in words if len(w.split()) == 1]
    several = [w for w in words if len(w.split()) > 1]
    parts = []
    if single:
        alts = "|".join(re.escape(w) + re.escape(w[-1]) + "*" for w in sorted(single, key=len, reverse=True))
        parts.append(rf"{_SENTENCE_OPENS}(?P<w>{alts})(?![\w'])[*_\"'\u201d]*[ \t]*(?=[,.!?;:\u2026\u2014\u2013-]|$)")
    if several:
        alts = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in sorted(several, key=len, reverse=True))
        parts.append(rf"{_SENTENCE_OPENS}(?P<p>{alts})\b")
    return re.compile("|".join(parts), re.IGNORECASE | re.MULTILINE)


# Code in an answer: a fenced block (``` or ~~~ opening a line, closed by a line of at least as many of that
# character) or inline code (a run of backticks closed on the same line). Unclosed, its marks are text, as for think
# tags (`pipeline.trace.think_tags`).
_FENCED_CODE = re.compile(
    r"^[ \t]*(?P<f>(?P<c>[`~])(?P=c){2,})[^\n]*\n.*?^[ \t]*(?P=f)(?P=c)*[ \t]*$", re.MULTILINE | re.DOTALL
)
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)[^\n]*?(?<!`)\1(?!`)")


def without_code(text: str) -> str:
    """`text` with its code left out (a fenced block as a line break, inline code as a space), where hesitation
    words are looked for: a shell script's `wait` builtin on its own line, or a program printing "Hmm...", is code,
    not deliberation."""
    if "`" not in text and "~~~" not in text:
        return text
    return _INLINE_CODE.sub(" ", _FENCED_CODE.sub("\n", text))


def hesitation_word(m: re.Match[str]) -> str:
    """The hesitation word or phrase a `hesitation_pattern` match found, lower-case."""
    return " ".join((m.group("w") if m.groupdict().get("w") else m.group("p")).lower().split())


def _pass_rates(store: Store) -> pl.DataFrame:
    df = store.query(_PASS_RATE_SQL)
    if df.height == 0:
        return pl.DataFrame(
            schema={"task_id": pl.String, "think_pass_rate": pl.Float64, "no_think_pass_rate": pl.Float64}
        )
    rate = pl.col("passed").cast(pl.Float64) / pl.col("n")
    df = df.with_columns(pl.when(pl.col("n") > 0).then(rate).alias("rate"))  # none judged: no rate
    out = df.pivot(on="mode", index="task_id", values="rate")
    for mode in ("think", "no_think"):
        if mode not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=pl.Float64).alias(mode))
    return out.select(
        "task_id", pl.col("think").alias("think_pass_rate"), pl.col("no_think").alias("no_think_pass_rate")
    )


_DROP = (
    pl.when(pl.col("failed") | (pl.col("raw_text").is_null() & pl.col("answer").is_null()))
    .then(pl.lit("balance:no_output"))
    .when(pl.col("passed").is_null())
    .then(pl.lit("balance:no_verdict"))
    .when(~pl.col("passed"))
    .then(pl.lit("balance:not_passed"))
    .when(pl.col("contaminated"))
    .then(pl.lit("balance:contaminated"))
    .when(~pl.col("mode").is_in(["think", "no_think"]).fill_null(False))
    .then(pl.lit("balance:unknown_mode"))
)


def load_candidates(store: Store, *, from_think_answers: bool = False, batch_rows: int = BATCH_ROWS) -> Candidates:
    """Selected, verified traces as candidate rows (one per generation and origin), by generation key."""
    dropped: Counter[str] = Counter()
    parts: list[pl.DataFrame] = []
    selected = store.query(_SELECTED_SQL)
    for batch in store.batches(_TEXTS_SQL, rows=batch_rows):
        texts = pl.from_arrow(batch)
        assert isinstance(texts, pl.DataFrame)
        df = texts.join(selected, on="generation_key", how="inner").with_columns(_DROP.alias("_drop"))
        for reason, n in df.get_column("_drop").drop_nulls().value_counts().iter_rows():
            dropped[reason] += int(n)
        parts.append(_batch_rows(df.filter(pl.col("_drop").is_null()), from_think_answers, dropped))
    rows = pl.concat(parts) if parts else pl.DataFrame(schema={**CANDIDATE_SCHEMA, "_origin": pl.Int8()})
    # by generation key; a think trace's answer-only row right after it (origin order think, think_answer)
    rows = rows.sort("generation_key", "_origin").drop("_origin")
    return Candidates(rows=rows, pass_rates=_pass_rates(store), dropped=dropped)


def _batch_rows(raw: pl.DataFrame, from_think_answers: bool, dropped: Counter[str]) -> pl.DataFrame:
    """Candidate rows of one batch of usable traces (per row: the prompt as sent, the think/answer split)."""
    out: list[dict] = []
    cols = (
        "generation_key", "task_id", "mode", "domain", "source", "license", "model", "prompt", "prompt_hash",
        "request_messages", "raw_text", "think", "answer", "think_tokens",
    )  # fmt: skip
    for (
        key, task, mode, domain, source, lic, model, prompt, prompt_hash, request_json, raw_text, think, answer, tt
    ) in raw.select(cols).iter_rows():  # fmt: skip
        try:
            request = json.loads(request_json) if request_json else None
        except json.JSONDecodeError:
            request = None
        prompt = user_prompt(request, prompt)
        system = request_system(request)
        think, answer = trace_parts(mode, raw_text, think, answer)
        if not answer:
            dropped["balance:empty_answer"] += 1
            continue
        base = {
            "generation_key": key,
            "task_id": task,
            "domain": domain,
            "source": source,
            "license": lic,
            "model": model,
            "prompt": prompt,
            "prompt_hash": prompt_hash,
            "system": system,
            "answer": answer,
        }
        answer_tokens = count_tokens(answer)
        if mode == "think":
            if not think or not think.strip():
                dropped["balance:empty_think"] += 1
                continue
            out.append(
                {
                    **base,
                    "mode": "think",
                    "origin": "think",
                    "think": trim(think),
                    "think_tokens": tt if tt is not None else count_tokens(think),
                    "answer_tokens": answer_tokens,
                    "think_tags": False,
                    "_origin": 0,
                }
            )
            if from_think_answers:
                out.append(
                    {
                        **base,
                        "mode": "no_think",
                        "origin": "think_answer",
                        "think": None,
                        "think_tokens": 0,
                        "answer_tokens": answer_tokens,
                        "think_tags": _has_think_tags(answer),
                        "_origin": 1,
                    }
                )
        else:
            leaked = _has_think_tags(raw_text or answer) or _has_think_tags(answer)
            out.append(
                {
                    **base,
                    "mode": "no_think",
                    "origin": "no_think",
                    "think": None,
                    "think_tokens": 0,
                    "answer_tokens": answer_tokens,
                    "think_tags": leaked,
                    "_origin": 0,
                }
            )
    schema = {**CANDIDATE_SCHEMA, "_origin": pl.Int8()}
    frame = pl.DataFrame(out, schema=schema) if out else pl.DataFrame(schema=schema)
    return frame.select(list(schema))


# a response holding code (a backtick, a ~~~ fence): its split is parsed again from raw_text, never taken as stored.
# Generations stored before lints 14 split at a think tag inside the answer's code (`s.index('</think>')`): the
# stored answer is cut there; judged again such a response passes, and the version took the cut answer. So is one
# whose part starts indented (`_INDENTED_START`): the stored split is stripped, which drops that indentation.
_HOLDS_CODE = re.compile(r"`|~~~|" + _INDENTED_START)


def trace_parts(mode: str, raw_text: str | None, think: str | None, answer: str | None) -> tuple[str | None, str]:
    """(think, answer) of a generation as a candidate row uses them: the stored split, else (or for a response
    holding code or a part starting indented, `_HOLDS_CODE`) `raw_text` parsed in the generation's mode, both
    `trim`med (the indentation of a first line that is indentation kept, as the model wrote it). The lineage check
    (`pipeline.checks.evaluate_lineage`) compares a think-answer row with this answer, so both must read a trace the
    same way."""
    if raw_text is not None and (
        answer is None or (mode == "think" and think is None) or _HOLDS_CODE.search(raw_text) is not None
    ):
        parsed = parse_trace(raw_text, mode, keep_indent=True)
        think, answer = parsed.think, parsed.answer
    return think, trim(answer or "")


def _has_think_tags(text: str) -> bool:
    return THINK_IN_NO_THINK in parse_trace(text, "no_think").flags
