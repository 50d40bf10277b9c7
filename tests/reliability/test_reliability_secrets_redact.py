"""What `pipeline.dataset.redact` masks (the database's config) and drops (the public card), key by key."""

from __future__ import annotations

import json

import pytest

from pipeline.dataset.redact import MASK, drop_secret_keys, scrub_credentials

SECRET = "sk-live-CANARY0123456789"


@pytest.mark.parametrize(
    "key",
    [
        "api_key",
        "api-key",  # Azure OpenAI's header name
        "X-API-Key",
        "x-api-key",
        "apiKey",
        "APIKey",
        "accessToken",
        "access-token",
        "access_token",
        "refresh-token",
        "sessionToken",
        "X-Auth-Token",
        "Authorization",
        "hf_token",
        "private_key",
        "client_secret",
        "X-Amz-Signature",
    ],
)
def test_a_secret_under_any_spelling_of_its_key_is_masked_and_left_off_the_card(key: str) -> None:
    value = {"extra_body": {key: SECRET, "min_p": 0.1}, "default_headers": {key: SECRET}}
    assert scrub_credentials(value) == {"extra_body": {key: MASK, "min_p": 0.1}, "default_headers": {key: MASK}}
    assert SECRET not in json.dumps(drop_secret_keys(value))


@pytest.mark.parametrize(
    "key",
    ["max_tokens", "maxTokens", "top_k", "topK", "tokenizer", "min_tokens", "api_key_env", "apiKeyEnv", "keep_cots"],
)
def test_keys_that_hold_no_secret_keep_their_value(key: str) -> None:
    assert scrub_credentials({key: "value"}) == {key: "value"}


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        (f"http://gpu1:8000/v1?api_key={SECRET}", "http://gpu1:8000/v1?api_key=***"),
        (
            f"http://gpu1:8000/v1?api-version=2024-06-01&key={SECRET}",
            "http://gpu1:8000/v1?api-version=2024-06-01&key=***",
        ),
        (f"https://user:{SECRET}@gpu1/v1", "https://gpu1/v1"),
        (f"https://gpu1/v1#access_token={SECRET}", "https://gpu1/v1#access_token=***"),
        (
            f"s3://bucket/shards?X-Amz-Credential=AKIA0001&X-Amz-Signature={SECRET}&region=eu",
            "s3://bucket/shards?X-Amz-Credential=***&X-Amz-Signature=***&region=eu",
        ),
        ("http://gpu1:8000/v1?timeout=30", "http://gpu1:8000/v1?timeout=30"),
    ],
)
def test_secrets_in_a_url_are_masked_where_the_database_keeps_it(url: str, stored: str) -> None:
    assert scrub_credentials({"base_urls": [url]}) == {"base_urls": [stored]}
    assert scrub_credentials({"note": f"served at {url} today"}) == {"note": f"served at {stored} today"}
