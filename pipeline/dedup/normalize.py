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

from collections.abc import Callable

import polars as pl

# Characters where casefold differs from lowercase (non-ASCII: applied only to rows with non-ASCII text).
_FOLD: tuple[tuple[str, str], ...] = (("ß", "ss"), ("ς", "σ"))

# LaTeX spelling (applied only to rows with a backslash or `$`).
_LATEX: tuple[tuple[str, str], ...] = (
    (r"\\[dt]frac\b", "\\frac"),
    (r"\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)\s*([()\[\]|.]|\\[{}|])", "$1"),
    (r"\\(?:quad|qquad)\b|\\[,;:! ]", " "),
    (r"\\[\[\]()]|\$\$", " "),
)

# Whitespace (every row).
_SPACE: tuple[tuple[str, str], ...] = (
    (r"\s{2,}|[^\S ]", " "),  # = `\s+` -> " ", but skips the single spaces (most of the text)
    (r" ?([{}^_]) ?|([(\[]) | ([)\]])", "$1$2$3"),
)

# `\left.` / `\right.` are invisible delimiters: after the rule above they leave a stray "." only when the
# source had one, which is what a reader sees too, so it is kept.


def _fold(e: pl.Expr) -> pl.Expr:
    for a, b in _FOLD:
        e = e.str.replace_all(a, b, literal=True)
    return e


def _latex(e: pl.Expr) -> pl.Expr:
    for pattern, repl in _LATEX:
        e = e.str.replace_all(pattern, repl)
    return e


def _space(e: pl.Expr) -> pl.Expr:
    for pattern, repl in _SPACE:
        e = e.str.replace_all(pattern, repl)
    return e.str.strip_chars()


def normalize_expr(expr: pl.Expr) -> pl.Expr:
    """The normalisation as one polars expression over a string column (nulls stay null).

    `normalize_series` gives the same result faster by running the Unicode and LaTeX steps only on the rows
    that need them.
    """
    return _space(_latex(_fold(expr.str.normalize("NFKC").str.to_lowercase())))


def _apply_where(texts: pl.Series, pattern: str, step: Callable[[pl.Expr], pl.Expr]) -> pl.Series:
    rows = texts.str.contains(pattern).fill_null(False).arg_true()
    if rows.len():
        texts = texts.scatter(rows, pl.select(step(pl.lit(texts.gather(rows)))).to_series())
    return texts


def normalize_series(texts: pl.Series) -> pl.Series:
    """Normalise a string Series in bulk. Unicode steps run only on rows with non-ASCII characters (ASCII is
    NFKC- and fold-stable) and LaTeX steps only on rows with a backslash or `$`: about twice as fast as
    `normalize_expr` on English text."""
    name = texts.name
    texts = texts.cast(pl.String)
    texts = _apply_where(texts, r"[^\x00-\x7f]", lambda e: _fold(e.str.normalize("NFKC").str.to_lowercase()))
    texts = pl.select(pl.lit(texts).str.to_lowercase()).to_series()
    texts = _apply_where(texts, r"[\\$]", _latex)
    return pl.select(_space(pl.lit(texts))).to_series().alias(name)


def normalize_text(s: str) -> str:
    """Normalise one text (same rules as the bulk path)."""
    if not isinstance(s, str):
        raise TypeError(f"normalize_text expects str, got {type(s).__name__}")
    return normalize_series(pl.Series("t", [s], dtype=pl.String))[0]
