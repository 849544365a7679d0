"""Provides the per-request facts a service needs besides its arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from server.db.types import utcnow
from server.domain.roles import Role


@dataclass(frozen=True)
class Ctx:
    ip: str
    lang: str = "ru"
    user_id: str | None = None
    device_id: str | None = None
    now: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class OrgCtx:
    """The caller inside one organisation (after the permission check)."""

    ctx: Ctx
    org_id: str
    user_id: str
    role: Role
