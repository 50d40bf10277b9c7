import polars as pl
import pytest

from pipeline.dedup.normalize import normalize_expr, normalize_series, normalize_text


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
