"""The `verdicts` asset: judge every generation without a current verdict (verifier + trace lints)."""

import dagster as dg
import polars as pl

from assets.metadata import data_version, materialized, number, report_metadata, table_spec
from assets.resources import ThinkmillResource
from pipeline.verify.db import disagreement_rates, run, verdicts_with_domain
from pipeline.verify.errors import SandboxUnavailableError
from pipeline.verify.metrics import mean_pass_at_k, pass_at_k_table, pass_rates, reason_counts, truncation_rates

# The run tag `thinkmill demo` sets (assets.demo). Only that run may go on without a usable sandbox: its code
# traces get `code:sandbox_unavailable`. Every other run refuses, as `thinkmill verify` does.
DEMO_RUN_TAG = ("thinkmill/run", "demo")


def _md_table(df: pl.DataFrame, float_cols: tuple[str, ...] = ()) -> str:
    if df.height == 0:
        return "_(none)_"
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    for row in df.iter_rows(named=True):
        cells = []
        for c, v in row.items():
            if v is None:
                cells.append("")
            elif isinstance(v, float) and (c in float_cols or c.startswith("pass")):
                cells.append(f"{v:.3f}")
            elif isinstance(v, float):
                cells.append(str(round(v, 4)))
            else:
                cells.append(str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dg.asset(
    deps=["generations"],
    group_name="verify",
    pool="duckdb",
    kinds={"duckdb", "polars"},
    tags={"stage": "verify"},
    metadata=table_spec("verdicts"),
    description="One verdict per generation: the task's verifier and the trace lints, with a machine-readable "
    "reason (`math:mismatch`, `lint:unclosed_think`, ...). Re-judges generations whose verdict came "
    "from an older verifier version.",
)
def verdicts(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    cfg = thinkmill.config()
    demo = context.run.tags.get(DEMO_RUN_TAG[0]) == DEMO_RUN_TAG[1]
    with thinkmill.store() as store:
        try:
            report = run(store, cfg, sandbox_optional=demo)
        except SandboxUnavailableError as exc:  # one clear line in the run's failure, not a wrapped traceback
            raise dg.Failure(description=str(exc), allow_retries=False) from None
        all_verdicts = verdicts_with_domain(store)
        preview = store.read(
            "verdicts",
            order_by="created_at DESC",
            columns=["generation_key", "task_id", "mode", "verifier", "passed", "reason", "score", "lint_flags"],
        ).head(10)
        total = store.count("verdicts")
        audit = disagreement_rates(store)
        version = data_version(store, ("verdicts",))
    m = report.metadata
    for err in m["errors"][:20]:
        context.log.warning(err)
    pak = pass_at_k_table(all_verdicts, by=("task_id", "mode")) if all_verdicts.height else pl.DataFrame()
    extra = {
        "audited_now": dg.MetadataValue.int(sum(m["audited"].values())),
        **{f"audit_disagreement_rate_now/{v}": number(r) for v, r in m["disagreement_rates"].items()},
    }
    if all_verdicts.height:
        overall = float(all_verdicts.get_column("passed").mean())  # type: ignore[arg-type]
        truncated = truncation_rates(all_verdicts)  # share of generations cut by max_tokens, per mode
        extra |= {
            "pass_rate": number(overall),
            "pass_rate_by_domain": dg.MetadataValue.md(_md_table(pass_rates(all_verdicts, "domain"))),
            "pass_rate_by_verifier": dg.MetadataValue.md(_md_table(pass_rates(all_verdicts, "verifier"))),
            "pass_rate_by_mode": dg.MetadataValue.md(_md_table(pass_rates(all_verdicts, "mode"))),
            "failures_by_reason": dg.MetadataValue.md(_md_table(reason_counts(all_verdicts))),
            "truncation_rate_by_mode": dg.MetadataValue.md(_md_table(truncated, float_cols=("share",))),
            **{f"truncation_rate/{r['mode']}": number(r["share"]) for r in truncated.iter_rows(named=True)},
            "audit_disagreement_by_verifier": dg.MetadataValue.md(_md_table(audit))
            if audit.height
            else dg.MetadataValue.text("no verdicts audited"),
            "pass_at_k_by_task": dg.MetadataValue.md(_md_table(pak.head(200))),
            **{f"mean_{k}": number(v) for k, v in mean_pass_at_k(pak).items()},
        }
    # this run's counts under `*_now` keys; the table-wide rates below
    keys = {
        "judged": "judged_now",
        "passed": "passed_now",
        "check_errors": "check_errors_now",
        "candidates": "candidates_now",
        "errors": "check_errors_first",
        "audited": "audited_now_by_verifier",
        "disagreements": "disagreements_now",
        "disagreement_rates": "audit_disagreement_rates_now",
    }
    return materialized(context, report_metadata(report, "verdicts", total, preview, keys=keys, **extra), version)
