"""Provides the event × channel matrix of an organisation and of a user in it.

A cell of the organisation's matrix is its choice for every member (the webhook column
decides whether the organisation's endpoints hear of the event); a user's cell overrides
it for them (no webhook column: a webhook belongs to the organisation). A cell set to
``None`` is removed and follows the level above again (the event's default at the top).
The accountant and the director change the organisation's matrix; every member their own.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from core.contract import notifications as nm
from server.db.models.notifications import NotificationOrgPref, NotificationUserPref
from server.domain.roles import Role
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.notifications import events
from server.services.notifications.dispatch import org_cells, resolved, user_cells

MANAGERS = (Role.ACCOUNTANT, Role.DIRECTOR)


def _matrix(db: Session, oc: OrgCtx, scope: str) -> nm.NotificationMatrix:
    org = org_cells(db, oc.org_id)
    user = user_cells(db, oc.org_id, oc.user_id) if scope == "user" else None
    channels = nm.CHANNELS if scope == "org" else nm.USER_CHANNELS
    cells = []
    for event in nm.EVENT_TYPES:
        for channel in channels:
            enabled, source = resolved(event, channel, org, user)
            cells.append(nm.MatrixCell(event=event, channel=channel, enabled=enabled,
                                       source=source))  # type: ignore[arg-type]
    return nm.NotificationMatrix(
        org_id=oc.org_id, scope=scope,  # type: ignore[arg-type]
        events=[nm.MatrixEvent(event=e, title=events.event_name(e, oc.ctx.lang))
                for e in nm.EVENT_TYPES],
        channels=list(channels), cells=cells,
        editable=scope == "user" or oc.role in MANAGERS)


def matrix(db: Session, oc: OrgCtx, scope: str) -> nm.NotificationMatrix:
    with db.begin():
        return _matrix(db, oc, scope)


def change(db: Session, oc: OrgCtx, scope: str, body: nm.MatrixIn) -> nm.NotificationMatrix:
    if scope == "org" and oc.role not in MANAGERS:
        raise ServiceError(403, "notifications.matrix_forbidden")
    for cell in body.cells:
        if scope == "user" and cell.channel not in nm.USER_CHANNELS:
            raise ServiceError(422, "notifications.no_user_webhook",
                               params={"field": "cells"})
    with db.begin():
        for cell in body.cells:
            if scope == "org":
                db.execute(delete(NotificationOrgPref).where(
                    NotificationOrgPref.org_id == oc.org_id,
                    NotificationOrgPref.event == cell.event,
                    NotificationOrgPref.channel == cell.channel))
                if cell.enabled is not None:
                    db.add(NotificationOrgPref(org_id=oc.org_id, event=cell.event,
                                               channel=cell.channel, enabled=cell.enabled))
            else:
                db.execute(delete(NotificationUserPref).where(
                    NotificationUserPref.org_id == oc.org_id,
                    NotificationUserPref.user_id == oc.user_id,
                    NotificationUserPref.event == cell.event,
                    NotificationUserPref.channel == cell.channel))
                if cell.enabled is not None:
                    db.add(NotificationUserPref(org_id=oc.org_id, user_id=oc.user_id,
                                                event=cell.event, channel=cell.channel,
                                                enabled=cell.enabled))
            db.flush()
        return _matrix(db, oc, scope)


__all__ = ["change", "matrix"]
