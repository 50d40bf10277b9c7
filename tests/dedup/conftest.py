import polars as pl
import pytest

from testing_support.dedup_corpus import planted_corpus


@pytest.fixture(scope="session")
def planted() -> pl.DataFrame:
    """A small labelled corpus: ~300-word traces with near, exact and hard-negative copies."""
    return planted_corpus(600, seed=11)
