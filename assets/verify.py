"""The `verdicts` asset: judge every generation without a current verdict (verifier + trace lints)."""


import dagster as dg
import polars as pl

from assets.metadata import table_metadata
from assets.resources import ThinkmillResource
from pipeline.verify.db import disagreement_rates, verdicts_with_domain, verify_database
from pipeline.verify.metrics import mean_pass_at_k, pass_at_k_table, pass_rates, reason_counts


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
            else:
                cells.append(str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dg.asset(
    deps=["generations"],
    group_name="verify",
    pool="duckdb",
    description="One verdict per generation: the task's verifier and the trace lints, with a machine-readable "
                "reason (`math:mismatch`, `lint:unclosed_think`, ...). Re-judges generations whose verdict came "
                "from an older verifier version.",
)
def verdicts(context: dg.AssetExecutionContext, thinkmill: ThinkmillResource) -> dg.MaterializeResult:
    cfg = thinkmill.config().verify
    with thinkmill.store() as store:
        summary = verify_database(store, cfg)
        all_verdicts = verdicts_with_domain(store)
        preview = store.read("verdicts", order_by="created_at DESC", columns=[
            "generation_key", "task_id", "mode", "verifier", "passed", "reason", "score", "lint_flags"]).head(10)
        total = store.count("verdicts")
        audit = disagreement_rates(store)
    for err in summary.errors[:20]:
        context.log.warning(err)
    pak = pass_at_k_table(all_verdicts, by=("task_id", "mode")) if all_verdicts.height else pl.DataFrame()
    extra = {
        "judged_now": dg.MetadataValue.int(summary.judged),
        "passed_now": dg.MetadataValue.int(summary.passed),
        "check_errors_now": dg.MetadataValue.int(len(summary.errors)),
        "audited_now": dg.MetadataValue.int(sum(summary.audited.values())),
        **{f"audit_disagreement_rate_now/{v}": dg.MetadataValue.float(r)
           for v, r in summary.disagreement_rates().items()},
    }
    if all_verdicts.height:
        overall = float(all_verdicts.get_column("passed").mean())  # type: ignore[arg-type]
        extra |= {
            "pass_rate": dg.MetadataValue.float(overall),
            "pass_rate_by_domain": dg.MetadataValue.md(_md_table(pass_rates(all_verdicts, "domain"))),
            "pass_rate_by_verifier": dg.MetadataValue.md(_md_table(pass_rates(all_verdicts, "verifier"))),
            "pass_rate_by_mode": dg.MetadataValue.md(_md_table(pass_rates(all_verdicts, "mode"))),
            "failures_by_reason": dg.MetadataValue.md(_md_table(reason_counts(all_verdicts))),
            "audit_disagreement_by_verifier": dg.MetadataValue.md(_md_table(audit)) if audit.height
            else dg.MetadataValue.text("no verdicts audited"),
            "pass_at_k_by_task": dg.MetadataValue.md(_md_table(pak.head(200))),
            **{f"mean_{k}": dg.MetadataValue.float(v) for k, v in mean_pass_at_k(pak).items()},
        }
    return dg.MaterializeResult(metadata=table_metadata("verdicts", total, preview, **extra))
