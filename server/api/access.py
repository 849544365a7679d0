"""Provides ``require(perm)``: the one permission check of every organisation-scoped route.

A route under ``/orgs/{org_id}`` declares ``oc: OrgCtx = require(Perm.X)`` and
checks nothing by hand. The check, on every request (``server.services.access``):
- the caller is signed in (401 otherwise);
- the caller is a member of that organisation: a stranger gets 404, exactly as
  for an organisation that does not exist, so nothing leaks;
- the membership is active: a blocked member gets 403 ``orgs.blocked``;
- the role has the permission: 403 ``orgs.forbidden`` otherwise.
Every refusal to a member, and every refused write, lands in the audit log.

A support agent (``server.services.support``) is a stranger too, but while a user's grant
from a support request is live the agent READS that organisation (GET routes, an
observer's rights), each read in its activity log; writes stay a stranger's 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request

from server.api.deps import CallerDep, DbDep
from server.domain.roles import Perm
from server.services.access import org_access
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.support import service_of
from server.services.support.access import support_read


def require(perm: Perm) -> Any:
    """A dependency granting an ``OrgCtx`` when the caller's role has ``perm``."""

    def check(org_id: str, request: Request, caller: CallerDep, db: DbDep) -> OrgCtx:
        try:
            return org_access(db, caller.ctx, org_id, caller.user.id, perm, request.method,
                              request.url.path)
        except ServiceError as refusal:
            if refusal.code != "orgs.not_found":
                raise
            granted = support_read(service_of(request.app.state), db, caller.ctx, org_id,
                                   caller.user.id, perm, request.method, request.url.path)
            if granted is None:
                raise
            return granted

    check.perm = perm  # type: ignore[attr-defined]  # read by the route sweep test
    return Depends(check)
