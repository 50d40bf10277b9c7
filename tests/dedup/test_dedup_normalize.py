import polars as pl
import pytest

from pipeline.dedup.normalize import (
    normalize_expr,
    normalize_series,
    normalize_text,
    rewrite_each_where,
    rewrite_where,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (r"\frac { 1 }{2}", r"\frac{1}{2}"),
        (r"\dfrac{1}{2}", r"\frac{1}{2}"),
        (r"\left( x + 1 \right)", "(x + 1)"),
        (r"x^ {2} _ 1", "x^{2}_1"),
        (r"\[ a \,+\, b \]", "a + b"),
        ("Hello   WORLD", "hello world"),
        ("tab\tand\nnewline\r\n", "tab and newline"),
        ("Ｆｕｌｌ１２", "full12"),  # full-width forms (NFKC)
        ("ﬁne", "fine"),  # ligature (NFKC)
        ("non\u00a0breaking", "non breaking"),
        ("STRASSE", "Straße"),  # casefold
        ("Café", "cafe\u0301"),  # composed vs decomposed accent
    ],
)
def test_forms_that_differ_only_in_spelling_normalise_equal(a: str, b: str) -> None:
    assert normalize_text(a) == normalize_text(b)


def test_different_content_stays_different() -> None:
    assert normalize_text("x = 2") != normalize_text("x = 3")
    assert normalize_text(r"\frac{1}{2}") != normalize_text(r"\frac{2}{1}")


def test_bulk_path_matches_single_text_path_and_keeps_nulls() -> None:
    texts = ["A  b", "Ｆｕｌｌ", r"\left( y \right)", "", None, "ß"]
    bulk = normalize_series(pl.Series("t", texts))
    assert bulk.to_list()[4] is None
    assert [bulk[i] for i in (0, 1, 2, 3, 5)] == [normalize_text(t) for t in texts if t is not None]
    expr = pl.select(normalize_expr(pl.lit(pl.Series(texts)))).to_series()
    assert expr.to_list() == bulk.to_list()


def test_non_string_is_rejected() -> None:
    with pytest.raises(TypeError):
        normalize_text(3)  # type: ignore[arg-type]


def test_compiled_plain_rows_equal_the_polars_expression() -> None:
    """The compiled pass for plain rows (ASCII, no backslash or `$`) gives what the polars expression gives, on
    generated rows dense in the characters its rules treat specially: every ASCII whitespace (and \\x1c-\\x1f,
    which polars' `\\s` does not count), { } ^ _ ( [ ) ], capitals, at the ends and in runs. Non-plain rows
    (accents, LaTeX, `$`) mixed in take the polars path; nulls stay null; a sliced Series reads its own rows."""
    import random

    rng = random.Random(11)
    alphabet = [" ", " ", "  ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "{", "}", "^", "_", "(", "[", ")"]
    alphabet += ["]", "A", "b", "Z", "q", "1", ".", "x y", "( ", " )", " {", "} "]
    rows: list[str | None] = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(3000)]
    rows += ["", " ", "  ", "\t", "{", " { ", "( )", "[ ]", "( [ x ] )", "a _ b ^ c", "é {x}", r"\frac {1}{2}"]
    rows += ["$x$ ( y )", None, "Straße  ( B )", "x\u00a0y", "\x00 A"]
    series = pl.Series("t", ["ignored", *rows], dtype=pl.String).slice(1)
    expect = pl.select(normalize_expr(pl.lit(series))).to_series()
    got = normalize_series(series)
    bad = [(r, g, e) for r, g, e in zip(rows, got.to_list(), expect.to_list(), strict=True) if g != e]
    assert not bad, bad[:5]
    assert got.name == "t"


def test_rewrite_where_touches_only_the_rows_found_and_never_its_input() -> None:
    texts = pl.Series("t", ["a 1", None, "b", "c 2"])
    out = rewrite_where(texts, r"\d", lambda e: e.str.replace_all(r"\d", "#"))
    assert out.to_list() == ["a #", None, "b", "c #"]
    assert out.name == "t"
    assert texts.to_list() == ["a 1", None, "b", "c 2"]  # the caller's Series is not scattered into
    calls: list[str] = []
    out = rewrite_each_where(texts, r"\d", lambda x: calls.append(x) or x.upper())
    assert out.to_list() == ["A 1", None, "b", "C 2"]
    assert calls == ["a 1", "c 2"]  # the function sees only the rows found, never a null
    assert texts.to_list() == ["a 1", None, "b", "c 2"]
    assert rewrite_where(texts, r"z", lambda e: e.str.to_uppercase()) is texts
