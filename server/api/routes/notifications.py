"""Provides the notification routes: the caller's in-app list (polled with ETag: an
unchanged poll is a bodiless 304), their channels, the event × channel matrix and the
organisation's webhooks. The paths are listed in ``core.contract.notifications``.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from core.contract import notifications as nm
from server.api.access import require
from server.api.deps import CallerDep, DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.notifications import inbox, prefs
from server.services.notifications.webhooks import Webhooks

router = APIRouter(tags=["notifications"])

Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=200)]


def _webhooks(request: Request) -> Webhooks:
    return request.app.state.webhooks


def _not_modified(request: Request, tag: str) -> Response | None:
    wanted = request.headers.get("if-none-match", "")
    if tag in [t.strip() for t in wanted.split(",")]:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return None


@router.get("/notifications", response_model=nm.NotificationPage)
def list_notifications(
    request: Request, response: Response, db: DbDep, caller: CallerDep,
    org_id: uuid.UUID | None = None, unread: bool = False, cursor: Cursor = None,
    limit: Limit = 30,
) -> nm.NotificationPage | Response:
    """The caller's notifications, newest first; ``If-None-Match`` with the last ``ETag``
    answers 304 with no body while nothing changed."""
    tag = inbox.version(db, caller.user.id, "list", org_id, unread, cursor, limit,
                        caller.ctx.lang)
    if (same := _not_modified(request, tag)) is not None:
        return same
    response.headers["ETag"] = tag
    return inbox.page(db, caller.ctx, caller.user.id, org_id=str(org_id) if org_id else None,
                      unread=unread, cursor=cursor, limit=limit)


@router.get("/notifications/unread", response_model=nm.UnreadCount)
def unread(request: Request, response: Response, db: DbDep,
           caller: CallerDep) -> nm.UnreadCount | Response:
    tag = inbox.version(db, caller.user.id, "unread")
    if (same := _not_modified(request, tag)) is not None:
        return same
    response.headers["ETag"] = tag
    return inbox.unread_count(db, caller.user.id)


@router.post("/notifications/read")
def mark_read(body: nm.MarkRead, db: DbDep, caller: CallerDep) -> nm.UnreadCount:
    return inbox.mark_many(db, caller.ctx, caller.user.id, body)


@router.post("/notifications/{notification_id}/read")
def read_one(notification_id: uuid.UUID, db: DbDep, caller: CallerDep) -> nm.NotificationOut:
    return inbox.mark(db, caller.ctx, caller.user.id, str(notification_id), True)


@router.post("/notifications/{notification_id}/unread")
def unread_one(notification_id: uuid.UUID, db: DbDep,
               caller: CallerDep) -> nm.NotificationOut:
    return inbox.mark(db, caller.ctx, caller.user.id, str(notification_id), False)


@router.get("/notifications/settings")
def get_settings(request: Request, db: DbDep, caller: CallerDep) -> nm.ChannelSettings:
    return inbox.channel_settings(db, caller.user.id, request.app.state.settings)


@router.put("/notifications/settings")
def put_settings(body: nm.ChannelSettingsIn, request: Request, db: DbDep,
                 caller: CallerDep) -> nm.ChannelSettings:
    return inbox.change_settings(db, caller.user.id, request.app.state.settings, body)


@router.post("/notifications/telegram/link")
def telegram_link(request: Request, db: DbDep, caller: CallerDep) -> nm.TelegramLinkCode:
    return inbox.telegram_code(db, caller.ctx, caller.user.id, request.app.state.settings)


@router.delete("/notifications/telegram")
def telegram_unlink(request: Request, db: DbDep, caller: CallerDep) -> nm.ChannelSettings:
    return inbox.telegram_unlink(db, caller.user.id, request.app.state.settings)


@router.get("/orgs/{org_id}/notifications/matrix")
def org_matrix(db: DbDep, oc: OrgCtx = require(Perm.ORG_READ)) -> nm.NotificationMatrix:
    return prefs.matrix(db, oc, "org")


@router.put("/orgs/{org_id}/notifications/matrix")
def put_org_matrix(body: nm.MatrixIn, db: DbDep,
                   oc: OrgCtx = require(Perm.ORG_READ)) -> nm.NotificationMatrix:
    return prefs.change(db, oc, "org", body)


@router.get("/orgs/{org_id}/notifications/matrix/me")
def my_matrix(db: DbDep, oc: OrgCtx = require(Perm.ORG_READ)) -> nm.NotificationMatrix:
    return prefs.matrix(db, oc, "user")


@router.put("/orgs/{org_id}/notifications/matrix/me")
def put_my_matrix(body: nm.MatrixIn, db: DbDep,
                  oc: OrgCtx = require(Perm.ORG_READ)) -> nm.NotificationMatrix:
    return prefs.change(db, oc, "user", body)


@router.get("/orgs/{org_id}/webhooks")
def list_webhooks(request: Request, db: DbDep,
                  oc: OrgCtx = require(Perm.ORG_READ)) -> nm.WebhookList:
    return _webhooks(request).list(db, oc)


@router.post("/orgs/{org_id}/webhooks", status_code=status.HTTP_201_CREATED)
def create_webhook(body: nm.WebhookIn, request: Request, db: DbDep,
                   oc: OrgCtx = require(Perm.ORG_READ)) -> nm.WebhookCreated:
    return _webhooks(request).create(db, oc, body)


@router.get("/orgs/{org_id}/webhooks/{webhook_id}")
def get_webhook(webhook_id: uuid.UUID, request: Request, db: DbDep,
                oc: OrgCtx = require(Perm.ORG_READ)) -> nm.WebhookOut:
    return _webhooks(request).get(db, oc, str(webhook_id))


@router.patch("/orgs/{org_id}/webhooks/{webhook_id}")
def change_webhook(webhook_id: uuid.UUID, body: nm.WebhookPatch, request: Request,
                   db: DbDep, oc: OrgCtx = require(Perm.ORG_READ)) -> nm.WebhookOut:
    return _webhooks(request).update(db, oc, str(webhook_id), body)


@router.delete("/orgs/{org_id}/webhooks/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(webhook_id: uuid.UUID, request: Request, db: DbDep,
                   oc: OrgCtx = require(Perm.ORG_READ)) -> None:
    _webhooks(request).delete(db, oc, str(webhook_id))


@router.post("/orgs/{org_id}/webhooks/{webhook_id}/secret")
def rotate_secret(webhook_id: uuid.UUID, request: Request, db: DbDep,
                  oc: OrgCtx = require(Perm.ORG_READ)) -> nm.WebhookCreated:
    return _webhooks(request).rotate(db, oc, str(webhook_id))


@router.post("/orgs/{org_id}/webhooks/{webhook_id}/test")
def test_webhook(webhook_id: uuid.UUID, request: Request, db: DbDep,
                 oc: OrgCtx = require(Perm.ORG_READ)) -> nm.WebhookDeliveryOut:
    return _webhooks(request).test(db, oc, str(webhook_id))


@router.get("/orgs/{org_id}/webhooks/{webhook_id}/deliveries")
def webhook_deliveries(webhook_id: uuid.UUID, request: Request, db: DbDep,
                       oc: OrgCtx = require(Perm.ORG_READ),
                       limit: Limit = 20) -> nm.WebhookDeliveryList:
    return _webhooks(request).deliveries(db, oc, str(webhook_id), limit)
