"""Provides ``notify``: an event for some users, written in the caller's transaction.

``notify(db, org_id, user_ids, event, obj, params)`` decides, per user and channel, from
the matrix (the user's choice, else the organisation's, else the event's default), and
writes what each channel needs in the same transaction as the change that caused it:

- ``in_app``: a ``notifications`` row (read/unread, the object to open);
- ``email``: to the confirmed address only: a mail in the outbox now, or, with the daily
  digest chosen, the row marked for the digest;
- ``telegram``: a job sending the text to the linked chat;
- ``webhook``: one job per enabled endpoint of the organisation (not per user), its
  signed body fixed now, so every retry sends the same bytes under the same event id.

Nothing is sent here: the worker sends after the commit. Each user's writes run in a
savepoint, and any error in them is logged and swallowed, so a notification can never
fail or roll back the action that caused it.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contract import notifications as nm
from server.db.models import Membership, User
from server.db.models.notifications import (
    Job,
    Notification,
    NotificationChannel,
    NotificationOrgPref,
    NotificationUserPref,
    WebhookEndpoint,
)
from server.db.types import utcnow
from server.services import jobs
from server.services.notifications import events
from server.services.outbox import enqueue_email

log = logging.getLogger("buhta.notifications")


def org_cells(db: Session, org_id: str) -> dict[tuple[str, str], bool]:
    return {(p.event, p.channel): p.enabled for p in db.scalars(
        select(NotificationOrgPref).where(NotificationOrgPref.org_id == org_id))}


def user_cells(db: Session, org_id: str, user_id: str) -> dict[tuple[str, str], bool]:
    return {(p.event, p.channel): p.enabled for p in db.scalars(
        select(NotificationUserPref).where(NotificationUserPref.org_id == org_id,
                                           NotificationUserPref.user_id == user_id))}


def resolved(event: str, channel: str, org: dict[tuple[str, str], bool],
             user: dict[tuple[str, str], bool] | None = None) -> tuple[bool, str]:
    """Whether ``event`` goes to ``channel`` and where that comes from."""
    if user is not None and (event, channel) in user:
        return user[(event, channel)], "user"
    if (event, channel) in org:
        return org[(event, channel)], "org"
    return channel in events.DEFAULTS[event], "default"


def notify(
    db: Session, org_id: str | None, user_ids: Iterable[str], event: nm.EventType,
    obj: tuple[str, str] | None = None, params: dict[str, Any] | None = None, *,
    now: datetime | None = None, dedupe: str | None = None, by: str | None = None,
) -> int:
    """Record ``event`` for ``user_ids`` (not ``by``, the one who acted); returns how many
    users got something. ``obj`` is ``(kind, id)``; ``dedupe`` makes a repeated call
    (a sweep run twice) write nothing the second time."""
    now = now or utcnow()
    params = dict(params or {})
    wanted = [u for u in dict.fromkeys(user_ids) if u and u != by]
    try:
        org = org_cells(db, org_id) if org_id else {}
    except Exception:
        log.exception("notify %s: reading the matrix failed", event)
        return 0
    reached = 0
    for user_id in wanted:
        try:
            with db.begin_nested():
                reached += _for_user(db, org_id, user_id, event, obj, params, org, now, dedupe)
        except Exception:
            log.exception("notify %s for user %s failed; the action stands", event, user_id)
    if org_id:
        try:
            with db.begin_nested():
                _webhooks(db, org_id, event, obj, params, org, now, dedupe)
        except Exception:
            log.exception("notify %s: queuing webhooks failed; the action stands", event)
    return reached


def notify_roles(
    db: Session, org_id: str, roles: Iterable[str], event: nm.EventType,
    obj: tuple[str, str] | None = None, params: dict[str, Any] | None = None, *,
    now: datetime | None = None, by: str | None = None, dedupe: str | None = None,
) -> int:
    """``notify`` the active members of ``org_id`` holding one of ``roles``."""
    people = db.scalars(select(Membership.user_id).where(
        Membership.org_id == org_id, Membership.status == "active",
        Membership.role.in_([str(r) for r in roles])).order_by(Membership.user_id)).all()
    return notify(db, org_id, people, event, obj, params, now=now, by=by, dedupe=dedupe)


def _for_user(db: Session, org_id: str | None, user_id: str, event: str,
              obj: tuple[str, str] | None, params: dict[str, Any],
              org: dict[tuple[str, str], bool], now: datetime, dedupe: str | None) -> int:
    key = f"{dedupe}:{user_id}" if dedupe else None
    if key and db.scalar(select(Notification.id).where(Notification.dedupe_key == key)):
        return 0
    user_prefs = user_cells(db, org_id, user_id) if org_id else {}
    on = {c: resolved(event, c, org, user_prefs)[0] for c in nm.USER_CHANNELS}
    channel = db.get(NotificationChannel, user_id)
    user = db.get(User, user_id)
    if user is None:
        return 0
    digest = bool(on["email"] and channel and channel.email_digest
                  and user.email_confirmed_at is not None)
    wrote = False
    if on["in_app"] or digest or key:
        db.add(Notification(
            user_id=user_id, org_id=org_id, event=event,
            object_kind=obj[0] if obj else None, object_id=obj[1] if obj else None,
            params=json.dumps(params, ensure_ascii=False, default=str),
            in_app=on["in_app"], digest_pending=digest, dedupe_key=key, created_at=now))
        db.flush()
        wrote = on["in_app"] or digest
    line = events.title(event, params, "ru")
    if on["email"] and not digest and user.email_confirmed_at is not None:
        enqueue_email(db, user.email, line, _mail_body(line, params))
        wrote = True
    if on["telegram"] and channel and channel.telegram_chat_id:
        jobs.enqueue(db, "telegram", {"chat_id": channel.telegram_chat_id, "text": line},
                     now=now, org_id=org_id, ref_id=user_id, event=event)
        wrote = True
    return int(wrote)


def _mail_body(line: str, params: dict[str, Any]) -> str:
    extra = params.get("body")
    return f"{line}\n\n{extra}\n" if extra else f"{line}\n"


def webhook_body(event_id: str, event: str, org_id: str | None, now: datetime,
                 obj: tuple[str, str] | None, params: dict[str, Any]) -> str:
    data: dict[str, Any] = dict(params)
    if obj:
        data["object"] = {"kind": obj[0], "id": obj[1]}
    payload = nm.WebhookPayload(id=event_id, type=events.webhook_type(event), timestamp=now,
                                org_id=org_id, data=data)
    return payload.model_dump_json()


def _webhooks(db: Session, org_id: str, event: str, obj: tuple[str, str] | None,
              params: dict[str, Any], org: dict[tuple[str, str], bool], now: datetime,
              dedupe: str | None) -> None:
    if not resolved(event, "webhook", org)[0]:
        return
    endpoints = db.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.org_id == org_id, WebhookEndpoint.enabled.is_(True))).all()
    event_id = f"msg_{uuid.uuid4().hex}"
    for ep in endpoints:
        wanted = json.loads(ep.events) if ep.events else None
        if wanted is not None and event not in wanted:
            continue
        key = f"{dedupe}:webhook:{ep.id}" if dedupe else None
        if key and db.scalar(select(Job.id).where(Job.dedupe_key == key)):
            continue
        body = webhook_body(event_id, event, org_id, now, obj, params)
        jobs.enqueue(db, "webhook", {"body": body}, now=now, org_id=org_id, ref_id=ep.id,
                     event=event, event_id=event_id, dedupe_key=key)


__all__ = ["notify", "notify_roles", "org_cells", "resolved", "user_cells", "webhook_body"]
