"""Provides opaque list cursors: the client hands them back, it never builds one."""

from __future__ import annotations

import base64

from server.services.errors import ServiceError


def encode_cursor_value(value: str, kind: str) -> str:
    """An opaque list position: the client hands it back, it never builds one."""
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def decode_cursor_value(cursor: str, kind: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except ValueError:
        raise ServiceError(422, "validation.cursor") from None
    found, _, value = raw.partition(":")
    if found != kind or not value:
        raise ServiceError(422, "validation.cursor")
    return value


def encode_cursor(last_id: int) -> str:
    return encode_cursor_value(str(last_id), "a")


def decode_cursor(cursor: str) -> int:
    value = decode_cursor_value(cursor, "a")
    if not value.isdigit():
        raise ServiceError(422, "validation.cursor")
    return int(value)
