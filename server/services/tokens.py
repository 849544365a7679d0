"""Provides random tokens and their stored hashes (tokens are never stored as given)."""

from __future__ import annotations

import hashlib
import secrets

_HUMAN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def opaque_token() -> str:
    """256 random bits for bearer and refresh tokens."""
    return secrets.token_urlsafe(32)


def human_token(groups: int = 3, size: int = 4) -> str:
    """A code a person types from an e-mail: ``K7QF-M2XD-9PRA`` (60 bits)."""
    raw = "".join(secrets.choice(_HUMAN_ALPHABET) for _ in range(groups * size))
    return "-".join(raw[i : i + size] for i in range(0, len(raw), size))


def sms_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def human_digest(token: str) -> str:
    """Hash of a typed code as the client normalises it (no dashes, upper case)."""
    return digest(token.replace("-", "").replace(" ", "").upper())
