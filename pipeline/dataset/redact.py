"""Keep secrets and addresses out of what a version stores and what its card shows.

Two strengths: `scrub_credentials` (what the database keeps: URLs lose their `user:password@` and the values of
secret-looking query parameters, values under secret-looking keys become `***`) and, for the public card,
`strip_urls` / `drop_secret_keys` (no URL, host or secret-looking key at all). A key is read in any spelling:
`X-API-Key`, `api-key`, `accessToken` and `refresh-token` are `x_api_key`, `api_key`, `access_token`, `refresh_token`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s`'\"<>()\[\]{}|]*")
_USERINFO_RE = re.compile(r"\b[\w.~%!$&*+=-]+:[^\s@/`'\"|]+@[\w.-]+")  # user:secret@host without a scheme
# keys that may hold a secret (api_key, auth_token, password, a signed URL's signature, ...; not max_tokens or
# top_k), matched on `key_words(key)`
_SECRET_RE = r"secret|passw|api_?key|auth|cred|cookie|bearer|signature|(^|_)key$|(^|_)token$|(^|_)sig$"
SECRET_KEY_RE = re.compile(_SECRET_RE)
# ... or an address
ADDRESS_KEY_RE = re.compile(_SECRET_RE + r"|url|endpoint|host")
_QUERY_PAIR_RE = re.compile(r"([^&;=]+)=([^&;]*)")
URL_REMOVED = "[url removed]"
MASK = "***"


def key_words(key: Any) -> str:
    """A key in one spelling, lower-case words joined by `_`: `X-API-Key` -> `x_api_key`, `accessToken` ->
    `access_token` (headers and camelCase fields name the same secrets as snake_case config keys)."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(key))
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower()


def strip_urls(text: str) -> str:
    """Every URL (scheme://...) and user:password@host in free text replaced by `[url removed]`."""
    return _USERINFO_RE.sub(URL_REMOVED, _URL_RE.sub(URL_REMOVED, text))


def drop_secret_keys(value: Any) -> Any:
    """A JSON value without keys that may hold secrets or addresses, and without URLs in its strings."""
    if isinstance(value, dict):
        return {k: drop_secret_keys(v) for k, v in value.items() if not ADDRESS_KEY_RE.search(key_words(k))}
    if isinstance(value, list):
        return [drop_secret_keys(v) for v in value]
    if isinstance(value, str):
        return strip_urls(value)
    return value


def _masked_pairs(text: str) -> str:
    """`a=1&api_key=sk-...` -> `a=1&api_key=***`: a query (or fragment) with secret-looking parameters masked."""
    return _QUERY_PAIR_RE.sub(lambda m: f"{m[1]}={MASK}" if SECRET_KEY_RE.search(key_words(m[1])) else m[0], text)


def _without_credentials(match: re.Match[str]) -> str:
    url = match.group(0)
    try:
        parts = urlsplit(url)
    except ValueError:
        return URL_REMOVED
    netloc = parts.netloc.rsplit("@", 1)[1] if "@" in parts.netloc else parts.netloc
    clean = parts._replace(netloc=netloc, query=_masked_pairs(parts.query), fragment=_masked_pairs(parts.fragment))
    return url if clean == parts else urlunsplit(clean)


def _is_secret(key: Any, value: Any) -> bool:
    """A value under a secret-looking key; names of env vars (`api_key_env`) and flags are not secrets."""
    name = key_words(key)
    return bool(SECRET_KEY_RE.search(name)) and not name.endswith("_env") and isinstance(value, str) and value != ""


def scrub_credentials(value: Any) -> Any:
    """A JSON value with URL credentials removed (`user:password@`, secret-looking query parameters masked) and
    values under secret-looking keys masked; structure kept."""
    if isinstance(value, dict):
        return {k: MASK if _is_secret(k, v) else scrub_credentials(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_credentials(v) for v in value]
    if isinstance(value, str):
        return _URL_RE.sub(_without_credentials, value)
    return value
