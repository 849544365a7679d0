"""Provides the caller's in-app notifications (the list, the unread count, read/unread),
their channel settings, and the version tag a poll is answered 304 from.

``version`` is one indexed aggregate over the caller's rows (how many, how many unread,
the newest and the latest read): it changes whenever something the list shows changes,
so the route can answer ``If-None-Match`` with a bodiless 304 before building the list.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.contract import notifications as nm
from server.config import Settings
from server.db.models import Organisation, User
from server.db.models.notifications import Notification, NotificationChannel
from server.services.context import Ctx
from server.services.errors import ServiceError
from server.services.notifications import events, telegram


def _mine(user_id: str, org_id: str | None = None, unread: bool = False) -> list:
    where = [Notification.user_id == user_id, Notification.in_app.is_(True)]
    if org_id:
        where.append(Notification.org_id == org_id)
    if unread:
        where.append(Notification.read_at.is_(None))
    return where


def version(db: Session, user_id: str, *extra: object) -> str:
    """The caller's list version (a weak ETag), ``extra`` being the query asked."""
    with db.begin():
        total, unread, newest, last_read = db.execute(
            select(func.count(), func.count() - func.count(Notification.read_at),
                   func.max(Notification.created_at), func.max(Notification.read_at))
            .where(*_mine(user_id))).one()
    raw = f"{total}|{unread}|{newest}|{last_read}|{extra}"
    return f'W/"n{hashlib.sha256(raw.encode()).hexdigest()[:16]}"'


def _out(n: Notification, orgs: dict[str, str], lang: str) -> nm.NotificationOut:
    params = json.loads(n.params or "{}")
    return nm.NotificationOut(
        id=n.id, org_id=n.org_id, org_short_name=orgs.get(n.org_id or ""),
        event=n.event,  # type: ignore[arg-type]
        title=events.title(n.event, params, lang), body=params.get("body"),
        object=nm.ObjectRef(kind=n.object_kind, id=n.object_id)  # type: ignore[arg-type]
        if n.object_kind and n.object_id else None,
        created_at=n.created_at, read=n.read_at is not None, read_at=n.read_at)


def _cursor(value: str | None) -> tuple[datetime, str] | None:
    if not value:
        return None
    stamp, _, row_id = value.partition("|")
    try:
        return datetime.fromisoformat(stamp), row_id
    except ValueError:
        raise ServiceError(422, "notifications.bad_cursor", params={"field": "cursor"}) \
            from None


def page(db: Session, ctx: Ctx, user_id: str, *, org_id: str | None, unread: bool,
         cursor: str | None, limit: int) -> nm.NotificationPage:
    after = _cursor(cursor)
    with db.begin():
        query = select(Notification).where(*_mine(user_id, org_id, unread))
        if after is not None:
            stamp, row_id = after
            query = query.where((Notification.created_at < stamp)
                                | ((Notification.created_at == stamp)
                                   & (Notification.id < row_id)))
        rows = db.scalars(query.order_by(Notification.created_at.desc(),
                                         Notification.id.desc()).limit(limit + 1)).all()
        count = db.scalar(select(func.count()).where(*_mine(user_id, org_id, True))) or 0
        org_ids = {n.org_id for n in rows if n.org_id}
        orgs = dict(db.execute(select(Organisation.id, Organisation.short_name)
                               .where(Organisation.id.in_(org_ids))).all()) if org_ids else {}
        more = len(rows) > limit
        rows = rows[:limit]
        return nm.NotificationPage(
            items=[_out(n, orgs, ctx.lang) for n in rows], unread=count,
            next_cursor=f"{rows[-1].created_at.isoformat()}|{rows[-1].id}" if more else None)


def unread_count(db: Session, user_id: str) -> nm.UnreadCount:
    with db.begin():
        count, latest = db.execute(
            select(func.count() - func.count(Notification.read_at),
                   func.max(Notification.created_at)).where(*_mine(user_id))).one()
        return nm.UnreadCount(unread=count or 0, latest_at=latest)


def mark(db: Session, ctx: Ctx, user_id: str, notification_id: str,
         read: bool) -> nm.NotificationOut:
    with db.begin():
        n = db.get(Notification, notification_id)
        if n is None or n.user_id != user_id or not n.in_app:
            raise ServiceError(404, "notifications.not_found")
        if read and n.read_at is None:
            n.read_at = ctx.now
        elif not read:
            n.read_at = None
        orgs = {}
        if n.org_id:
            org = db.get(Organisation, n.org_id)
            orgs = {n.org_id: org.short_name} if org else {}
        return _out(n, orgs, ctx.lang)


def mark_many(db: Session, ctx: Ctx, user_id: str, body: nm.MarkRead) -> nm.UnreadCount:
    if not body.all and not body.ids:
        raise ServiceError(422, "validation.required", params={"field": "ids"})
    with db.begin():
        where = [*_mine(user_id, body.org_id, True)]
        if not body.all:
            where.append(Notification.id.in_(body.ids))
        db.execute(update(Notification).where(*where).values(read_at=ctx.now)
                   .execution_options(synchronize_session=False))
    return unread_count(db, user_id)


def _channel(db: Session, user_id: str) -> NotificationChannel:
    channel = db.get(NotificationChannel, user_id)
    if channel is None:
        channel = NotificationChannel(user_id=user_id, email_digest=False, digest_hour=9)
        db.add(channel)
        db.flush()
    return channel


def _settings_out(db: Session, user_id: str, settings: Settings) -> nm.ChannelSettings:
    user = db.get(User, user_id)
    channel = _channel(db, user_id)
    confirmed = bool(user and user.email_confirmed_at)
    return nm.ChannelSettings(
        email=nm.EmailChannel(address=user.email if user and confirmed else None,
                              confirmed=confirmed, digest=channel.email_digest,
                              digest_hour=channel.digest_hour),
        telegram=nm.TelegramChannel(
            linked=channel.telegram_chat_id is not None,
            chat_title=channel.telegram_chat_title, linked_at=channel.telegram_linked_at,
            bot_username=settings.telegram_bot_username))


def channel_settings(db: Session, user_id: str, settings: Settings) -> nm.ChannelSettings:
    with db.begin():
        return _settings_out(db, user_id, settings)


def change_settings(db: Session, user_id: str, settings: Settings,
                    body: nm.ChannelSettingsIn) -> nm.ChannelSettings:
    with db.begin():
        channel = _channel(db, user_id)
        if body.email_digest is not None:
            channel.email_digest = body.email_digest
        if body.digest_hour is not None:
            channel.digest_hour = body.digest_hour
        return _settings_out(db, user_id, settings)


def telegram_code(db: Session, ctx: Ctx, user_id: str,
                  settings: Settings) -> nm.TelegramLinkCode:
    if not settings.telegram_bot_token:
        raise ServiceError(409, "notifications.telegram_off")
    with db.begin():
        _channel(db, user_id)
        return telegram.new_code(db, user_id, ctx.now, settings)


def telegram_unlink(db: Session, user_id: str, settings: Settings) -> nm.ChannelSettings:
    with db.begin():
        channel = _channel(db, user_id)
        channel.telegram_chat_id = channel.telegram_chat_title = None
        channel.telegram_linked_at = None
        return _settings_out(db, user_id, settings)


__all__ = ["change_settings", "channel_settings", "mark", "mark_many", "page",
           "telegram_code", "telegram_unlink", "unread_count", "version"]
