"""Provides random tokens, their stored hashes (tokens are never stored as given), and
sealing with a key derived from a token the caller holds."""

from __future__ import annotations

import hashlib
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

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


def _cipher(secret: str, purpose: str) -> AESGCM:
    return AESGCM(hashlib.sha256(f"buhta-{purpose}:{secret}".encode()).digest())


def seal(secret: str, purpose: str, data: bytes) -> bytes:
    """Encrypt ``data`` (AES-GCM) with a key derived from ``secret``, a token the caller
    holds: the stored bytes are of no use to anybody who does not hold it."""
    nonce = os.urandom(12)
    return nonce + _cipher(secret, purpose).encrypt(nonce, data, None)


def unseal(secret: str, purpose: str, sealed: bytes) -> bytes | None:
    """What :func:`seal` sealed, or None for another secret or damaged bytes."""
    try:
        return _cipher(secret, purpose).decrypt(sealed[:12], sealed[12:], None)
    except (InvalidTag, ValueError):
        return None
