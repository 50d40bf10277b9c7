"""`thinkmill ingest` and `thinkmill decontaminate`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from pipeline.cli_common import UsageError, common_options, db_path, echo_report, load
from pipeline.store import Store

_CONFIG_HELP = (
    "Config YAML (default: $THINKMILL_CONFIG, else ./thinkmill.yaml). Required, except for "
    "`ingest PATHS` and `decontaminate --benchmark`, which use built-in defaults without one."
)


def _kv(pairs: tuple[str, ...], what: str) -> dict[str, str]:
    out = {}
    for p in pairs:
        if "=" not in p:
            raise UsageError(f"{what} {p!r}: expected FIELD=VALUE")
        k, v = p.split("=", 1)
        out[k.strip()] = v.strip()
    return out


# task fields that hold an object: a `--default` value for them is JSON (`verifier_args={"rel_tol": 0.01}`)
_OBJECT_FIELDS = ("verifier_args", "metadata")


def _defaults(pairs: tuple[str, ...]) -> dict[str, Any]:
    """`--default` pairs; an object field's value is read as a JSON object (it was stored as the text, and every row
    was quarantined `wrong_type:verifier_args`)."""
    out: dict[str, Any] = dict(_kv(pairs, "--default"))
    for field in _OBJECT_FIELDS:
        if field in out:
            try:
                value = json.loads(out[field])
            except json.JSONDecodeError:
                value = None
            if not isinstance(value, dict):
                raise UsageError(
                    f"--default {field}={out[field]!r}: expected a JSON object, e.g. {field}='{{\"rel_tol\": 0.01}}'"
                )
            out[field] = value
    return out


def _mapping(items: tuple[str, ...]) -> dict[str, str | list[str]]:
    """`--map` pairs; `choices=a,b,c` names one column per option, `context=a,b` several texts for the prompt."""
    out: dict[str, str | list[str]] = dict(_kv(items, "--map"))
    for field in ("choices", "context"):
        cols = out.get(field)
        if isinstance(cols, str) and "," in cols:
            out[field] = [c.strip() for c in cols.split(",") if c.strip()]
    return out


@click.command("ingest")
@click.argument("paths", nargs=-1)
@common_options(need="defaults", config_help=_CONFIG_HELP)
@click.option(
    "--source",
    "source_name",
    default=None,
    help="Source name for PATHS (default: local). Without PATHS: ingest only this configured source.",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Field mapping for PATHS; choices=COL1,COL2,... for one column per option; context=COL (or COL1,COL2) "
    "for the text the prompt is about.",
)
@click.option(
    "--answer-regex",
    default=None,
    metavar="REGEX",
    help="For PATHS: the answer is this regex's first capture group (GSM8K: '####\\s*(.+?)\\s*$').",
)
@click.option(
    "--answer-index-base",
    type=click.Choice(["0", "1"]),
    default=None,
    help="For PATHS: an integer MCQ answer counts options from 0 (0 = A) or 1 (1 = A, Winogrande). Unset: 0, and "
    "a file whose answers look 1-based stops with an error.",
)
@click.option(
    "--integer-answer",
    type=click.Choice(["text"]),
    default=None,
    help="For PATHS: text: an integer MCQ answer is its option's text, never an index (options [3, 5, 7, 9] with "
    "answer 7 is C). Unset: an index; a row whose answer is one option's text and another's index is quarantined "
    "as ambiguous, and a file whose integer answers read both ways stops with an error.",
)
@click.option(
    "--shuffle-choices/--keep-choice-order",
    default=None,
    help="For PATHS: shuffle each MCQ's options (deterministically) before letters are given, for files that hold "
    "the right answer in a fixed column; or keep their order. Unset: keep it (GPQA's Correct Answer / Incorrect "
    "Answer N columns are shuffled), and a file whose answers sit in one position stops with an error.",
)
@click.option(
    "--answer-list",
    type=click.Choice(["any"]),
    default=None,
    help="For PATHS: a list answer of several values accepts any of them (NQ-open, WebQuestions, SQuAD's spans). "
    "Unset: a row whose answer lists several values is quarantined.",
)
@click.option(
    "--decimal-comma/--no-decimal-comma",
    "decimal_comma",
    default=None,
    help="For PATHS: a CSV read with ';' writes math/numeric answers with a decimal comma (2,5 is 2.5, 1.000 is "
    "1000), or not (--no-decimal-comma: as written). Unset: such answers are quarantined as ambiguous.",
)
@click.option(
    "--context-optional",
    is_flag=True,
    default=None,
    help="For PATHS: a row whose --map context column is missing or empty gets no context (ScienceQA's hint, empty "
    "for most rows). Unset: such a row is quarantined missing_field:context.",
)
@click.option(
    "--split",
    default=None,
    metavar="NAME",
    help="For PATHS: the split to read (a saved DatasetDict's, or the files of a folder or glob named for it: "
    "train-00000-of-00001.parquet, test.jsonl). Unset: train, and a folder's validation/test files are left out.",
)
@click.option("--default", "defaults", multiple=True, metavar="FIELD=VALUE", help="Per-source default for PATHS.")
@click.option("--license", "license_", default=None, help="Licence of the rows in PATHS.")
@click.option("--no-dedup", is_flag=True, help="Skip task dedup (exact repeats of one id are still collapsed).")
@click.option(
    "--reread",
    is_flag=True,
    help="Read files already ingested again, though neither they nor the settings they are read with changed (after "
    "an upgrade of thinkmill, or a verifier plugin installed): stored rows count as already_ingested, and each "
    "file's quarantine records are replaced.",
)
def ingest_cmd(
    paths: tuple[str, ...],
    db: Path | None,
    config_path: Path | None,
    source_name: str | None,
    mapping: tuple[str, ...],
    defaults: tuple[str, ...],
    license_: str | None,
    answer_regex: str | None,
    answer_index_base: str | None,
    integer_answer: str | None,
    shuffle_choices: bool | None,
    answer_list: str | None,
    context_optional: bool | None,
    decimal_comma: bool | None,
    split: str | None,
    no_dedup: bool,
    reread: bool,
    as_json: bool,
) -> None:
    """Ingest task files (JSONL, JSON, Parquet, CSV, folders, globs, saved datasets) or the configured sources.

    Re-ingesting an unchanged file with the same settings adds nothing (a changed mapping, default or ingest check
    reads it again); every row read is ingested, quarantined or a duplicate.
    """
    from pipeline.config import keep_demo_apart
    from pipeline.ingest.api import run

    cfg = load(config_path, "defaults" if paths else "required")
    if no_dedup:
        cfg.ingest.dedup = False
    if not paths and not cfg.ingest.sources:
        raise UsageError("give PATHS or a --config with ingest.sources")
    with Store.open(db_path(db)) as store:
        keep_demo_apart(store, cfg, db_path(db))
        try:
            report = run(
                store,
                cfg,
                paths=paths,
                source=source_name or "local",
                mapping=_mapping(mapping),
                defaults=_defaults(defaults),
                license=license_,
                answer_regex=answer_regex,
                answer_index_base=int(answer_index_base) if answer_index_base is not None else None,
                integer_answer=integer_answer,
                shuffle_choices=shuffle_choices,
                answer_list=answer_list,
                context_optional=context_optional or None,
                decimal_comma=decimal_comma,
                split=split,
                names=[source_name] if source_name and not paths else None,
                reread=reread,
            )
        except ValidationError as exc:
            raise UsageError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
    echo_report(report, as_json)


@click.command("decontaminate")
@common_options(need="defaults", config_help=_CONFIG_HELP)
@click.option(
    "--benchmark",
    "benchmarks",
    multiple=True,
    metavar="[NAME=]PATH",
    help="Benchmark file/folder/saved dataset (repeatable); default: decontam.benchmarks of the config.",
)
@click.option("--text-field", default=None, help="Column with the item text for --benchmark paths.")
@click.option("--batch", default=None, help="Only check tasks of this ingest batch.")
@click.option("--ngram", type=click.IntRange(min=1), default=None, help="Word n-gram size (default from config: 8).")
def decontaminate_cmd(
    db: Path | None,
    config_path: Path | None,
    benchmarks: tuple[str, ...],
    text_field: str | None,
    batch: str | None,
    ngram: int | None,
    as_json: bool,
) -> None:
    """Flag tasks that overlap evaluation benchmarks (n-gram, fuzzy, contained); they never reach generation."""
    from pipeline.ingest.config import BenchmarkConfig
    from pipeline.ingest.decontam import run

    cfg = load(config_path, "defaults" if benchmarks else "required")
    bcfgs = None
    if benchmarks:  # paths on the command line are relative to the working folder
        bcfgs = []
        for spec in benchmarks:
            name, _, path = spec.rpartition("=") if "=" in spec else (Path(spec).stem, "", spec)
            bcfgs.append(
                BenchmarkConfig(name=name, path=str(Path(path).expanduser().absolute()), text_field=text_field)
            )
    elif not cfg.decontam.benchmarks:
        raise UsageError("give --benchmark PATH or a --config with decontam.benchmarks")
    with Store.open(db_path(db), create=False) as store:
        report = run(store, cfg, benchmarks=bcfgs, batch=batch, ngram=ngram)
    echo_report(report, as_json)


COMMANDS = [ingest_cmd, decontaminate_cmd]
