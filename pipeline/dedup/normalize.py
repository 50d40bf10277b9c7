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
5. Only with `cjk_spacing` (the dedup engine's texts; not `prompt_hash`, whose stored values must not change): no
   space next to a Han or kana character or CJK punctuation. Chinese and Japanese put no spaces between words, so
   one there is typesetting ("小明有 3 个苹果" is "小明有3个苹果"). Hangul is not among them: Korean separates its words
   with spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numba
import numpy as np
import polars as pl
import pyarrow as pa

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

# Han, kana (with the long vowel mark U+30FC and the middle dot U+30FB) and CJK punctuation (U+3001-U+303F: 、。「」);
# the ideographic space U+3000 is a space after NFKC
CJK_LETTERS = r"\p{Han}\p{Hiragana}\p{Katakana}\x{30FB}\x{30FC}"
CJK_CHARS = CJK_LETTERS + r"\x{3001}-\x{303F}"
_CJK_SPACE: tuple[tuple[str, str], ...] = ((rf"([{CJK_CHARS}]) ", "$1"), (rf" ([{CJK_CHARS}])", "$1"))

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


def _cjk_space(e: pl.Expr) -> pl.Expr:
    """Step 5: drop the (single, after `_space`) spaces next to a Han or kana character or CJK punctuation."""
    for pattern, repl in _CJK_SPACE:
        e = e.str.replace_all(pattern, repl)
    return e


def normalize_expr(expr: pl.Expr, *, cjk_spacing: bool = False) -> pl.Expr:
    """The normalisation as one polars expression over a string column (nulls stay null).

    `normalize_series` gives the same result faster by running the Unicode and LaTeX steps only on the rows
    that need them.
    """
    out = _space(_latex(_fold(expr.str.normalize("NFKC").str.to_lowercase())))
    return _cjk_space(out) if cjk_spacing else out


def rewrite_where(texts: pl.Series, pattern: str, step: Callable[[pl.Expr], pl.Expr]) -> pl.Series:
    """`texts` with the polars expression `step` applied only to the rows the regex `pattern` finds (null rows
    never), the other rows as they are: a rare rewrite costs one regex scan instead of its steps on every row.
    `texts` itself is not changed."""
    rows = texts.str.contains(pattern).fill_null(False).arg_true()
    if not rows.len():
        return texts
    return texts.clone().scatter(rows, pl.select(step(pl.lit(texts.gather(rows)))).to_series())


def rewrite_each_where(texts: pl.Series, pattern: str, fn: Callable[[str], str]) -> pl.Series:
    """`rewrite_where` with a Python function of one text (for rewrites no expression can write)."""
    rows = texts.str.contains(pattern).fill_null(False).arg_true()
    if not rows.len():
        return texts
    return texts.clone().scatter(rows, pl.Series([fn(x) for x in texts.gather(rows).to_list()], dtype=pl.String))


def normalize_series(texts: pl.Series, *, cjk_spacing: bool = False) -> pl.Series:
    """Normalise a string Series in bulk, as `normalize_expr` does, about 3x faster on English prompts:

    - plain rows (ASCII, no backslash, no `$`: most prompts) are normalised by one compiled pass over their
      UTF-8 bytes (`_plain_rows`: lowercase, the whitespace rules, strip), which equals the polars expression
      on such rows (tests compare the two on generated edge cases);
    - the other rows by the polars steps, the Unicode steps only on rows with non-ASCII characters (ASCII is
      NFKC- and fold-stable) and the LaTeX steps only on rows with a backslash or `$`;
    - with `cjk_spacing`, step 5 (module docstring) on the rows holding a Han or kana character (never plain)."""
    name = texts.name
    texts = texts.cast(pl.String)
    data, offsets = utf8_buffers(texts)
    out_data, out_offsets, plain = _plain_rows(data, offsets)
    done = pl.Series(
        name,
        pa.LargeStringArray.from_buffers(len(plain), pa.py_buffer(out_offsets), pa.py_buffer(out_data)),
        dtype=pl.String,
    )
    rest = np.flatnonzero(~plain)
    if rest.size:
        done = done.scatter(rest, _normalize_polars(texts.gather(rest), cjk_spacing))
    if texts.null_count():
        done = pl.select(pl.when(pl.lit(texts).is_null()).then(None).otherwise(pl.lit(done))).to_series()
    return done.alias(name)


def _normalize_polars(texts: pl.Series, cjk_spacing: bool = False) -> pl.Series:
    texts = rewrite_where(texts, r"[^\x00-\x7f]", lambda e: _fold(e.str.normalize("NFKC").str.to_lowercase()))
    texts = pl.select(pl.lit(texts).str.to_lowercase()).to_series()
    texts = rewrite_where(texts, r"[\\$]", _latex)
    texts = pl.select(_space(pl.lit(texts))).to_series()
    return rewrite_where(texts, f"[{CJK_CHARS}]", _cjk_space) if cjk_spacing else texts


# Han numerals (Chinese, and Japanese kanji): a run of them is a number to the numbers rule ("三个苹果" is "3个苹果").
_HAN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_BIG = {"万": 10_000, "亿": 100_000_000}
HAN_NUMERAL_RE = "[" + "".join([*_HAN_DIGITS, *_HAN_UNITS, *_HAN_BIG]) + "]+"
_HAN_RUN = re.compile(HAN_NUMERAL_RE)


def han_numeral_value(run: str) -> str:
    """The digits of a run of Han numerals: "三" 3, "十二" 12, "二十" 20, "一百零五" 105, "两万三千" 23000; a run
    without units digit by digit ("二〇二四" 2024). A run that is no well-formed number ("万一", "十十") is read
    digit by digit too, units left out, so the same run always gives the same digits."""
    if not any(c in _HAN_UNITS or c in _HAN_BIG for c in run):
        return "".join(str(_HAN_DIGITS[c]) for c in run)
    total = section = 0
    digit: int | None = None
    ok = True
    for c in run:
        if c in _HAN_DIGITS:
            if digit not in (None, 0) and _HAN_DIGITS[c] != 0:
                ok = False  # two digits in a row without a unit ("三五十")
            digit = _HAN_DIGITS[c]
        elif c in _HAN_UNITS:
            section += (1 if digit is None and c == "十" else digit or 0) * _HAN_UNITS[c]
            ok = ok and not (digit is None and c != "十")
            digit = None
        else:
            section += digit or 0
            ok = ok and (section > 0 or total > 0)
            total += section * _HAN_BIG[c]
            section, digit = 0, None
    if not ok:
        return "".join(str(_HAN_DIGITS[c]) for c in run if c in _HAN_DIGITS)
    return str(total + section + (digit or 0))


def han_digits(text: str) -> str:
    """`text` with each run of Han numerals written as its digits (`han_numeral_value`)."""
    return _HAN_RUN.sub(lambda m: han_numeral_value(m.group(0)), text) if _HAN_RUN.search(text) else text


def han_numerals_as_digits(texts: pl.Series) -> pl.Series:
    """`han_digits` of each text, computed only for the texts that hold a Han numeral."""
    return rewrite_each_where(texts, HAN_NUMERAL_RE, han_digits)


def utf8_buffers(texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a string Series back to back, and each text's start offset (n + 1 offsets; a null is
    an empty text)."""
    arr = texts.cast(pl.String).fill_null("").to_arrow(compat_level=pl.CompatLevel.oldest())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    _, off_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(off_buf, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(1, dtype=np.uint8)
    return data, offsets


# Byte kinds for `_plain_rows` (bit flags); a space is dropped after a _K_LEFT byte and before a _K_RIGHT one.
# _K_SPACE: `\s` (Unicode White_Space, as polars' regex and `strip_chars` read it) among ASCII bytes is tab, line
# feed, vertical tab, form feed, carriage return and space (not the separators 0x1c-0x1f).
_K_PLAIN, _K_UPPER, _K_SPACE, _K_OTHER, _K_LEFT, _K_RIGHT = 1, 2, 4, 8, 16, 32
_KIND = np.full(256, _K_OTHER, dtype=np.uint8)
_KIND[:128] = _K_PLAIN
_KIND[ord("A") : ord("Z") + 1] = _K_UPPER
_KIND[[9, 10, 11, 12, 13, 32]] = _K_SPACE
for _c in "{}^_":
    _KIND[ord(_c)] = _K_LEFT | _K_RIGHT
for _c in "([":
    _KIND[ord(_c)] = _K_LEFT
for _c in ")]":
    _KIND[ord(_c)] = _K_RIGHT
_KIND[[ord("\\"), ord("$")]] = _K_OTHER


@numba.njit(cache=True, nogil=True)
def _plain_rows(data, offsets):  # type: ignore[no-untyped-def]
    """The normalised bytes of the plain rows (ASCII, no backslash or `$`) and which rows were plain; the other
    rows are left empty for the polars path. One pass per row, with the effect of `_space(to_lowercase(...))`:

    1. lowercase; every run of whitespace -> one space (`\\s{2,}|[^\\S ]` -> " "), so spaces are single and
       their neighbours are never removed;
    2. ` ?([{}^_]) ?|([(\\[]) | ([)\\]])` -> "$1$2$3" then removes exactly the spaces whose left neighbour is
       one of `{ } ^ _ ( [` or whose right neighbour is one of `{ } ^ _ ) ]` (every such character is matched
       where it stands, and a match only ever drops spaces next to it);
    3. strip: the leading and trailing space go."""
    n = offsets.shape[0] - 1
    plain = np.zeros(n, dtype=np.bool_)
    out_offsets = np.zeros(n + 1, dtype=np.int64)
    out = np.empty(offsets[n] - offsets[0], dtype=np.uint8)
    kind = _KIND
    pos = 0
    for d in range(n):
        start = pos
        prev = 0  # kind of the last byte written in this row (0: none yet, so a leading space is stripped)
        space = False  # whitespace seen since then
        ok = True
        for i in range(offsets[d], offsets[d + 1]):
            b = data[i]
            k = kind[b]
            if k == _K_PLAIN:
                if space:
                    if prev != 0 and not (prev & _K_LEFT):
                        out[pos] = 32
                        pos += 1
                    space = False
                out[pos] = b
                pos += 1
                prev = k
                continue
            if k == _K_OTHER:  # non-ASCII, backslash, $: the polars path
                ok = False
                break
            if k == _K_SPACE:
                space = True
                continue
            if space:
                if prev != 0 and not (prev & _K_LEFT) and not (k & _K_RIGHT):
                    out[pos] = 32
                    pos += 1
                space = False
            out[pos] = b + 32 if k == _K_UPPER else b
            pos += 1
            prev = k
        if not ok:
            pos = start
        plain[d] = ok
        out_offsets[d + 1] = pos
    return out[:pos].copy(), out_offsets, plain


def normalize_text(s: str, *, cjk_spacing: bool = False) -> str:
    """Normalise one text (same rules as the bulk path)."""
    if not isinstance(s, str):
        raise TypeError(f"normalize_text expects str, got {type(s).__name__}")
    return normalize_series(pl.Series("t", [s], dtype=pl.String), cjk_spacing=cjk_spacing)[0]
