"""Provides ``record``: one audit line per change (and per denied attempt)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server import i18n
from server.db.models import AuditEvent
from server.services.context import Ctx

LANG = "ru"
"""The language summaries are written in (they are kept, and read by the whole team)."""
KIND_NAMES = {"ooo": "ООО", "ip": "ИП"}
STATUS_KEYS = {"active": "audit.status.active", "blocked": "audit.status.blocked"}


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


def role_name(role: str) -> str:
    """``primary`` → «Бухгалтер по первичке»."""
    return i18n.text(f"role.{role}", LANG)


def member_state(role: str, status: str) -> str:
    """«Бухгалтер по первичке, доступ открыт»."""
    return f"{role_name(role)}, {i18n.text(STATUS_KEYS.get(status, status), LANG)}"


def vat_name(mode: str) -> str:
    """``general`` → «НДС по общим ставкам»."""
    return i18n.text(f"audit.vat.{mode}", LANG)


def refusal(code: str, role: str | None = None) -> str:
    """Why a request was refused, in words: «Роли «Наблюдатель» это не разрешено»."""
    if code.endswith(".forbidden") and role:
        return i18n.text("audit.refused_role", LANG, role=role_name(role))
    if code == "orgs.blocked":
        return i18n.text("audit.refused_blocked", LANG)
    return i18n.text(f"error.{code}", LANG)
