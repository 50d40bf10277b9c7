import polars as pl
import pytest

from bench.dedup_bench import planted_corpus


@pytest.fixture(scope="session")
def planted() -> pl.DataFrame:
    """A small labelled corpus: ~300-word traces with near, exact and hard-negative copies."""
    return planted_corpus(600, seed=11)
