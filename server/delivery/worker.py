"""Provides the delivery worker: a thread that delivers queued mail and SMS and the
notification jobs (webhooks, Telegram) with retries, and does the periodic work (the
daily digests, the Telegram poll, the due-date sweeps, purges).

Both queues run on the job mechanism of ``server.services.jobs`` (claimed with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several nodes run workers side by side).
A failing mail server never rolls back the business operation: the message waits in
the outbox and is tried again with growing pauses (30 s, 1, 2, 4 … minutes), up to
``outbox_max_attempts``; notification jobs follow ``jobs.RETRY_DELAYS``.

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
from server.services import jobs, ratelimit
from server.services.idempotency import purge as purge_idempotency
from server.services.notifications import digest, sweeps, telegram, webhooks
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
        clock: jobs.Clock = utcnow,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.mail = mail or mail_sender(settings)
        self.sms = sms or sms_sender(settings)
        self.clock = clock
        self.jobs = job_runner(sessions, settings, clock)
        self.telegram = telegram.TelegramPoller(sessions, settings)
        self._telegram_at = clock()
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
                while self.jobs.run_due() == jobs.BATCH and not self._stop.is_set():
                    pass
                self.periodic()
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
            ids = jobs.claim(db, OutboxMessage.id, OutboxMessage.next_attempt_at,
                             [OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)],
                             now, lease=LEASE, batch=BATCH)
            rows = db.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                              .order_by(OutboxMessage.id)).all() if ids else []
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

    def periodic(self) -> None:
        """The daily digests and the Telegram poll (each step on its own)."""
        now = self.clock()
        for step in (lambda: self._digests(now), lambda: self._telegram_poll(now)):
            try:
                step()
            except Exception:
                log.exception("delivery worker periodic step failed")

    def _digests(self, now) -> None:  # type: ignore[no-untyped-def]
        with self.sessions() as db:
            digest.send_due(db, now)

    def _telegram_poll(self, now) -> None:  # type: ignore[no-untyped-def]
        if self.settings.telegram_bot_token and now >= self._telegram_at:
            self._telegram_at = now + timedelta(seconds=self.settings.telegram_poll_s)
            self.telegram.poll(now)

    def housekeeping(self) -> None:
        now = utcnow()
        with self.sessions() as db, db.begin():
            ratelimit.purge(db, now - timedelta(days=1))
            purge_idempotency(db)
        with self.sessions() as db:  # tasks due soon and overdue (its own transactions)
            sweep_due(db, now)
        with self.sessions() as db:  # tax deadlines N days ahead
            sweeps.tax_deadlines(db, now, self.settings.tax_deadline_notice_days)


def job_runner(sessions: sessionmaker[Session], settings: Settings,
               clock: jobs.Clock = utcnow) -> jobs.JobRunner:
    """The runner of the notification jobs: webhooks and Telegram messages."""
    from server.db.models.notifications import WebhookEndpoint

    def webhook(job):  # type: ignore[no-untyped-def]
        with sessions() as db:
            endpoint = db.get(WebhookEndpoint, job.ref_id)
            if endpoint is None or not endpoint.enabled:
                return jobs.Outcome(error="endpoint_gone", final=True)
            db.expunge(endpoint)
        return webhooks.send(settings, endpoint, job, clock())

    from server.services.newsletter import mail as newsletter

    return jobs.JobRunner(
        sessions, {"webhook": webhook, "telegram": telegram.handler(settings),
                   newsletter.KIND: newsletter.handler(sessions, settings)},
        on_give_up={"webhook": webhooks.mark_failing},
        on_success={"webhook": webhooks.mark_active, newsletter.KIND: newsletter.mark_sent},
        clock=clock)


__all__ = ["OutboxWorker", "job_runner"]
