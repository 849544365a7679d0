"""Provides ``org_access``: may this caller do ``perm`` in this organisation?

The rule, checked on every organisation-scoped request (``server.api.access.require``):
- the caller is a member of that organisation: a stranger gets 404, exactly as for an
  organisation that does not exist, so nothing leaks;
- the membership is active: a blocked member gets 403 ``orgs.blocked``;
- the role has the permission: 403 ``orgs.forbidden`` otherwise.
Every refusal to a member, and every refused write, lands in the audit log.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from server.db.models import Membership
from server.domain.roles import Perm, Role, allows
from server.services import audit
from server.services.context import Ctx, OrgCtx
from server.services.errors import ServiceError

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def org_access(
    db: Session, ctx: Ctx, org_id: str, user_id: str, perm: Perm, method: str, path: str
) -> OrgCtx:
    """The caller's ``OrgCtx`` in ``org_id`` when their role allows ``perm``; else a refusal.

    ``method`` and ``path`` are the request's, for the audit log of a stranger's refusal.
    """
    try:
        org_id = str(uuid.UUID(org_id))
    except ValueError:
        raise ServiceError(404, "orgs.not_found") from None
    denied: str | None = None
    with db.begin():
        membership = db.get(Membership, (org_id, user_id))
        if membership is None:
            denied = "orgs.not_found"
            status = 404
        elif membership.status != "active":
            denied, status = "orgs.blocked", 403
        elif not allows(membership.role, perm):
            denied, status = "orgs.forbidden", 403
        if denied and (membership is not None or method in WRITES):
            audit.record(
                db, ctx, f"denied.{perm.value}",
                org_id=org_id if membership is not None else None,
                outcome="denied",
                # In the organisation's log in words; a stranger's attempt (in no
                # organisation's log) keeps the request for whoever investigates it.
                summary=(audit.refusal(denied, membership.role) if membership is not None
                         else f"{method} {path}: {denied}"),
            )
    if denied:
        raise ServiceError(status, denied)
    assert membership is not None
    return OrgCtx(ctx=ctx, org_id=org_id, user_id=user_id, role=Role(membership.role))
