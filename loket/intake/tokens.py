"""Tracking tokens: the residents' only key to their initiative.

A token is `secrets.token_urlsafe(32)` (256 bits of randomness). Only its SHA-256 is stored,
so a leaked database or backup reveals no working links.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters; accept a little slack, refuse anything else early.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def new_tracking_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_tracking_token(token: str) -> str:
    """The tracking token is stored only as its SHA-256: a leaked database reveals no links."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    return bool(token) and TOKEN_PATTERN.match(token) is not None
