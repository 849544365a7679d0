"""Provides the daily e-mail digest: one message a day with the events marked for it
instead of one message per event.

Once a day, at the user's hour (Moscow time), a worker takes the user's digest with a
compare-and-set on ``last_digest_at`` (``UPDATE … WHERE last_digest_at < today's hour``):
of two nodes only one changes the row, so the digest is written once, as a mail in the
outbox, in the same transaction that clears the rows' ``digest_pending``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta, timezone

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from server.db.models import User
from server.db.models.notifications import Notification, NotificationChannel
from server.i18n import plural, text
from server.services.notifications import events
from server.services.outbox import enqueue_email

MOSCOW = timezone(timedelta(hours=3))
MAX_ITEMS = 200


def due_moment(now: datetime, hour: int) -> datetime:
    """Today's (Moscow) digest hour in UTC; yesterday's when today's has not come yet."""
    local = now.astimezone(MOSCOW)
    moment = datetime.combine(local.date(), time(hour), MOSCOW)
    if moment > local:
        moment -= timedelta(days=1)
    return moment.astimezone(UTC)


def send_due(db: Session, now: datetime) -> int:
    """Write the digests that are due; returns how many mails were written."""
    with db.begin():
        users = db.scalars(select(Notification.user_id).where(
            Notification.digest_pending.is_(True)).distinct()).all()
    written = 0
    for user_id in users:
        with db.begin():
            channel = db.get(NotificationChannel, user_id)
            user = db.get(User, user_id)
            if channel is None or user is None:
                continue
            moment = due_moment(now, channel.digest_hour)
            taken = db.execute(
                update(NotificationChannel).where(
                    NotificationChannel.user_id == user_id,
                    or_(NotificationChannel.last_digest_at.is_(None),
                        NotificationChannel.last_digest_at < moment))
                .values(last_digest_at=now).execution_options(synchronize_session=False))
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                continue
            rows = db.scalars(select(Notification).where(
                Notification.user_id == user_id, Notification.digest_pending.is_(True))
                .order_by(Notification.created_at).limit(MAX_ITEMS)).all()
            if not rows:
                continue
            lines = [f"• {events.title(n.event, json.loads(n.params or '{}'), 'ru')}"
                     for n in rows]
            if user.email_confirmed_at is not None and channel.email_digest:
                subject = plural("notify.digest.subject", len(rows), "ru")
                body = text("notify.digest.intro", "ru") + "\n\n" + "\n".join(lines) + "\n"
                enqueue_email(db, user.email, subject, body)
                written += 1
            for n in rows:
                n.digest_pending = False
    return written


__all__ = ["due_moment", "send_due"]
