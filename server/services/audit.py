"""Provides ``record``: one audit line per change (and per denied attempt)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.db.models import AuditEvent
from server.services.context import Ctx


def record(
    db: Session,
    ctx: Ctx,
    action: str,
    *,
    user_id: str | None = None,
    device_id: str | None = None,
    org_id: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    outcome: str = "ok",
    summary: str | None = None,
) -> None:
    db.add(
        AuditEvent(
            created_at=ctx.now,
            user_id=user_id or ctx.user_id,
            device_id=device_id or ctx.device_id,
            org_id=org_id,
            ip=ctx.ip,
            action=action,
            object_type=object_type,
            object_id=object_id,
            outcome=outcome,
            summary=summary,
        )
    )


def changes(before: dict[str, str], after: dict[str, str]) -> str:
    """``field: before → after`` for each field that changed, for an audit summary."""
    diff = [f"{k}: {before.get(k) or '—'} → {after[k] or '—'}"
            for k in after if before.get(k) != after[k]]
    return "; ".join(diff) or "без изменений"
