"""Provides the declarative ``Base`` every model derives from and ``new_id`` (a UUID string)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import DeclarativeBase


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    pass
