"""Secret tokens (API tokens, calendar feed addresses): made here, kept only as a hash."""

from __future__ import annotations

import hashlib
import secrets


def token_hash(raw: str) -> str:
    """What is stored of a token: enough to recognise it, nothing to use it with."""
    return hashlib.sha256(raw.encode()).hexdigest()


def token_new(prefix: str = "") -> str:
    """A new unguessable token (256 bits of randomness), shown to its owner once."""
    return prefix + secrets.token_urlsafe(32)
