"""Keep secrets and addresses out of what a version stores and what its card shows.

Two strengths: `scrub_credentials` (what the database keeps: URLs lose their `user:password@`, values under
secret-looking keys become `***`) and, for the public card, `strip_urls` / `drop_secret_keys` (no URL, host or
secret-looking key at all).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s`'\"<>()\[\]{}|]*")
_USERINFO_RE = re.compile(r"\b[\w.~%!$&*+=-]+:[^\s@/`'\"|]+@[\w.-]+")  # user:secret@host without a scheme
# keys that may hold a secret (api_key, auth_token, password, ...; not max_tokens or top_k)
_SECRET_RE = r"secret|passw|api_?key|auth|cred|cookie|bearer|(^|_)key$|(^|_)token$"
SECRET_KEY_RE = re.compile(_SECRET_RE, re.IGNORECASE)
# ... or an address
ADDRESS_KEY_RE = re.compile(_SECRET_RE + r"|url|endpoint|host", re.IGNORECASE)
URL_REMOVED = "[url removed]"
MASK = "***"


def strip_urls(text: str) -> str:
    """Every URL (scheme://...) and user:password@host in free text replaced by `[url removed]`."""
    return _USERINFO_RE.sub(URL_REMOVED, _URL_RE.sub(URL_REMOVED, text))


def drop_secret_keys(value: Any) -> Any:
    """A JSON value without keys that may hold secrets or addresses, and without URLs in its strings."""
    if isinstance(value, dict):
        return {k: drop_secret_keys(v) for k, v in value.items() if not ADDRESS_KEY_RE.search(str(k))}
    if isinstance(value, list):
        return [drop_secret_keys(v) for v in value]
    if isinstance(value, str):
        return strip_urls(value)
    return value


def _without_userinfo(match: re.Match[str]) -> str:
    url = match.group(0)
    try:
        parts = urlsplit(url)
    except ValueError:
        return URL_REMOVED
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _is_secret(key: Any, value: Any) -> bool:
    """A value under a secret-looking key; names of env vars (`api_key_env`) and flags are not secrets."""
    name = str(key)
    return bool(SECRET_KEY_RE.search(name)) and not name.endswith("_env") and isinstance(value, str) and value != ""


def scrub_credentials(value: Any) -> Any:
    """A JSON value with URL credentials removed and values under secret-looking keys masked; structure kept."""
    if isinstance(value, dict):
        return {k: MASK if _is_secret(k, v) else scrub_credentials(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_credentials(v) for v in value]
    if isinstance(value, str):
        return _URL_RE.sub(_without_userinfo, value)
    return value
