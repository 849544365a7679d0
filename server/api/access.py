"""Provides ``require(perm)``: the one permission check of every organisation-scoped route.

A route under ``/orgs/{org_id}`` declares ``oc: OrgCtx = require(Perm.X)`` and
checks nothing by hand. The check, on every request:
- the caller is signed in (401 otherwise);
- the caller is a member of that organisation: a stranger gets 404, exactly as
  for an organisation that does not exist, so nothing leaks;
- the membership is active: a blocked member gets 403 ``orgs.blocked``;
- the role has the permission: 403 ``orgs.forbidden`` otherwise.
Every refusal to a member, and every refused write, lands in the audit log.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Depends, Request

from server.api.deps import CallerDep, DbDep
from server.db.models import Membership
from server.domain.roles import Perm, Role, allows
from server.services import audit
from server.services.context import OrgCtx
from server.services.errors import ServiceError

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def require(perm: Perm) -> Any:
    """A dependency granting an ``OrgCtx`` when the caller's role has ``perm``."""

    def check(org_id: str, request: Request, caller: CallerDep, db: DbDep) -> OrgCtx:
        ctx = caller.ctx
        try:
            org_id = str(uuid.UUID(org_id))
        except ValueError:
            raise ServiceError(404, "orgs.not_found") from None
        denied: str | None = None
        with db.begin():
            membership = db.get(Membership, (org_id, caller.user.id))
            if membership is None:
                denied = "orgs.not_found"
                status = 404
            elif membership.status != "active":
                denied, status = "orgs.blocked", 403
            elif not allows(membership.role, perm):
                denied, status = "orgs.forbidden", 403
            if denied and (membership is not None or request.method in WRITES):
                audit.record(
                    db, ctx, f"denied.{perm.value}",
                    org_id=org_id if membership is not None else None,
                    outcome="denied",
                    summary=f"{request.method} {request.url.path}: {denied}",
                )
        if denied:
            raise ServiceError(status, denied)
        assert membership is not None
        return OrgCtx(ctx=ctx, org_id=org_id, user_id=caller.user.id, role=Role(membership.role))

    check.perm = perm  # type: ignore[attr-defined]  # read by the route sweep test
    return Depends(check)
