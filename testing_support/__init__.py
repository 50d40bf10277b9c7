"""Shared fakes and fixtures-as-functions for `tests/` and `bench/`: the OpenAI-compatible stub server
(`openai_stub`), the Hub stub (`hub_stub`), a fault-injecting proxy and loopback helpers (`servers`), tiny
random-weight model builders (`tiny_models`), database seeding (`seed`), the planted dedup corpus
(`dedup_corpus`) and the verifier accuracy measurement (`verifier_accuracy`).

Why a top-level package: `bench/` must not import `tests/` (a test tree is not a library, and its conftest
files carry fixtures) and `tests/` must not import `bench/` (benches are scripts); both import this. It is not
shipped in the wheel (pyproject includes only pipeline, assets, schemas) and it imports nothing heavy at import
time: torch, transformers and huggingface_hub are imported inside the functions that need them.
"""
