"""Provides the outbox worker: a thread that delivers queued mail and SMS with retries.

A failing mail server never rolls back the business operation: the message
waits in the outbox and is tried again with growing pauses (30 s, 1, 2, 4 …
minutes), up to ``outbox_max_attempts``. On PostgreSQL several nodes can run
workers side by side: rows are claimed with ``FOR UPDATE SKIP LOCKED``.

Bodies carry codes (confirmation, reset, SMS). Once a message is delivered, or given up
on, its body is scrubbed (:data:`SCRUBBED`); recipient, subject, attempts and times stay
for the audit. Not for a sender that keeps messages locally (the ``local`` backend of the
embedded app): there the outbox *is* the mailbox its screen reads the codes from, in the
user's own database file.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.config import Settings
from server.db.models import OutboxMessage
from server.db.types import utcnow
from server.delivery.senders import (
    KeepLocally,
    MailSender,
    SmsSender,
    mail_sender,
    sms_sender,
)
from server.services import ratelimit
from server.services.idempotency import purge as purge_idempotency
from server.services.task_events import sweep_due

log = logging.getLogger("buhta.delivery")
BATCH = 20
# A leased message is not picked again for this long (a node died mid-send).
LEASE = timedelta(minutes=5)
SCRUBBED = ""
"""What a delivered message's body becomes."""


class OutboxWorker:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: Settings,
        mail: MailSender | None = None,
        sms: SmsSender | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.mail = mail or mail_sender(settings)
        self.sms = sms or sms_sender(settings)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="buhta-outbox", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        housekeeping_at = utcnow()
        while not self._stop.is_set():
            try:
                while self.deliver_due() == BATCH and not self._stop.is_set():
                    pass
                if utcnow() >= housekeeping_at:
                    self.housekeeping()
                    housekeeping_at = utcnow() + timedelta(minutes=10)
            except Exception:
                log.exception("outbox worker pass failed")
            self._wake.wait(self.settings.outbox_poll_s)
            self._wake.clear()

    def deliver_due(self) -> int:
        """Send one batch of due messages; returns how many were tried.

        Rows are leased in a short transaction and sent outside it, so a slow
        mail server never holds a database lock (SQLite has one writer).
        """
        now = utcnow()
        with self.sessions() as db, db.begin():
            rows = db.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.sent_at.is_(None),
                    OutboxMessage.failed_at.is_(None),
                    OutboxMessage.next_attempt_at <= now,
                )
                .order_by(OutboxMessage.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                row.next_attempt_at = now + LEASE
            work = [(r.id, r.channel, r.recipient, r.subject or "", r.body) for r in rows]
        for msg_id, channel, recipient, subject, body in work:
            error: str | None = None
            try:
                if channel == "email":
                    self.mail.send(recipient, subject, body)
                else:
                    self.sms.send(recipient, body)
            except Exception as exc:  # any sender failure is retried later
                error = f"{type(exc).__name__}: {exc}"[:2000]
            self._settle(msg_id, error, self._keeps_locally(channel))
        return len(work)

    def _keeps_locally(self, channel: str) -> bool:
        return isinstance(self.mail if channel == "email" else self.sms, KeepLocally)

    def _settle(self, msg_id: int, error: str | None, keep_body: bool = False) -> None:
        now = utcnow()
        with self.sessions() as db, db.begin():
            row = db.get(OutboxMessage, msg_id)
            if row is None:
                return
            row.attempts += 1
            if error is None:
                row.sent_at = now
                if not keep_body:
                    row.body = SCRUBBED
                return
            row.last_error = error
            if row.attempts >= self.settings.outbox_max_attempts:
                row.failed_at = now
                if not keep_body:
                    row.body = SCRUBBED
                log.error("giving up on outbox message %s: %s", msg_id, error)
            else:
                row.next_attempt_at = now + timedelta(seconds=30 * 2 ** (row.attempts - 1))
                log.warning("outbox message %s failed: %s", msg_id, error)

    def housekeeping(self) -> None:
        now = utcnow()
        with self.sessions() as db, db.begin():
            ratelimit.purge(db, now - timedelta(days=1))
            purge_idempotency(db)
        with self.sessions() as db:  # tasks due soon and overdue (its own transactions)
            sweep_due(db, now)


__all__ = ["OutboxWorker"]
