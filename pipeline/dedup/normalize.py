"""Text normalisation for duplicate detection: two texts that differ only in form hash the same.

One implementation, as a polars expression, so the bulk path (millions of rows, Rust, multi-threaded) and the
single-text path (`normalize_text`) can never disagree.

Steps, in order:
1. Unicode NFKC (full-width digits, ligatures, non-breaking spaces fold to their plain forms).
2. Case folding (lowercase, plus the few characters where `str.casefold` differs from `lower`: ß, ς).
3. LaTeX spelling: `\\dfrac`/`\\tfrac` -> `\\frac`, `\\left(` -> `(` (all sizing commands dropped), thin
   spaces (`\\,` `\\;` `\\!` `\\:` `\\quad`) dropped, `\\[ \\]` / `\\( \\)` / `$$` delimiters dropped.
4. Whitespace: any run -> one space; none around `{ } ^ _` nor inside the edges of `( )` / `[ ]`, so
   `\\frac { 1 }{2}` == `\\frac{1}{2}`; stripped at both ends.
"""

from __future__ import annotations

import polars as pl

# (pattern, replacement, literal) applied in order.
_RULES: tuple[tuple[str, str, bool], ...] = (
    ("ß", "ss", True),
    ("ς", "σ", True),
    (r"\\[dt]frac\b", "\\frac", False),
    (r"\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)\s*([()\[\]|.]|\\[{}|])",
     "$1", False),
    (r"\\(?:quad|qquad)\b|\\[,;:! ]", " ", False),
    (r"\\[\[\]()]|\$\$", " ", False),
    (r"\s{2,}|[^\S ]", " ", False),  # = `\s+` -> " ", but skips the single spaces (most of the text)
    (r" ?([{}^_]) ?|([(\[]) | ([)\]])", "$1$2$3", False),
)

# `\left.` / `\right.` are invisible delimiters: after the rule above they leave a stray "." only when the
# source had one, which is what a reader sees too, so it is kept.


def normalize_expr(expr: pl.Expr, *, nfkc: bool = True) -> pl.Expr:
    """The normalisation as a polars expression over a string column (nulls stay null)."""
    out = (expr.str.normalize("NFKC") if nfkc else expr).str.to_lowercase()
    for pattern, repl, literal in _RULES:
        out = out.str.replace_all(pattern, repl, literal=literal)
    return out.str.strip_chars()


def normalize_series(texts: pl.Series) -> pl.Series:
    """Normalise a string Series in bulk. NFKC runs only on rows with non-ASCII characters (ASCII is NFKC-stable),
    which makes the whole normalisation about twice as fast on English text."""
    texts = texts.cast(pl.String)
    wide = texts.str.contains(r"[^\x00-\x7f]").fill_null(False).arg_true()
    if wide.len():
        texts = texts.scatter(wide, texts.gather(wide).str.normalize("NFKC"))
    return pl.select(normalize_expr(pl.lit(texts), nfkc=False)).to_series().alias(texts.name)


def normalize_text(s: str) -> str:
    """Normalise one text (same rules as the bulk path)."""
    if not isinstance(s, str):
        raise TypeError(f"normalize_text expects str, got {type(s).__name__}")
    return normalize_series(pl.Series("t", [s], dtype=pl.String))[0]
