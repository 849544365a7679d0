"""Provides ``support_read``: the organisation access of a support agent holding a live
grant (``server.api.access.require`` asks it after a stranger's 404).

Only reads (GET, HEAD), only what an observer (Наблюдатель) may read; each read is a line
of the organisation's activity log naming the agent, the request and the path. Without a
live grant (none, expired, revoked, the request closed) the agent is a stranger: None,
and the caller answers 404 as for any stranger.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from server.domain.roles import Perm, Role
from server.i18n import text
from server.services import audit
from server.services.context import Ctx, OrgCtx
from server.services.errors import ServiceError
from server.services.support.service import AUDIT_LANG, SUPPORT_PERMS, Support

READS = {"GET", "HEAD"}


def support_read(support: Support, db: Session, ctx: Ctx, org_id: str, user_id: str,
                 perm: Perm, method: str, path: str) -> OrgCtx | None:
    if method not in READS:
        return None
    try:
        org_id = str(uuid.UUID(org_id))
    except ValueError:
        return None
    with db.begin():
        grant = support.live_grant(db, user_id, org_id)
        if grant is None:
            return None
        if perm not in SUPPORT_PERMS:
            audit.record(db, ctx, f"denied.{perm.value}", org_id=org_id, outcome="denied",
                         object_type="support_grant", object_id=grant.id,
                         summary=text("audit.support_denied", AUDIT_LANG,
                                      number=grant.ticket_id, path=path))
            denied = True
        else:
            audit.record(db, ctx, "support.read", org_id=org_id, object_type="support_grant",
                         object_id=grant.id, summary=text("audit.support_read", AUDIT_LANG,
                                                          number=grant.ticket_id, path=path))
            denied = False
    if denied:
        raise ServiceError(403, "orgs.forbidden")
    return OrgCtx(ctx=ctx, org_id=org_id, user_id=user_id, role=Role.OBSERVER)
