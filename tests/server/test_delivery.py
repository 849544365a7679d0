"""The outbox: retries with backoff, a failing mail server, real SMTP delivery."""

from __future__ import annotations

import email
import email.policy
import re
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from server.config import Settings
from server.db.models import OutboxMessage
from server.db.session import make_engine, make_sessionmaker, migrate
from server.db.types import utcnow
from server.delivery.worker import SCRUBBED, OutboxWorker
from tests.conftest import last_mail_token, login, make_settings, register
from tests.helpers import free_port, rows, running_app, set_columns, wait_for

TOKEN_RE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b")


class FlakySender:
    """Fails the first ``failures`` sends, then delivers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[tuple[str, ...]] = []
        self.calls = 0

    def send(self, *args: str) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionRefusedError("mail relay down")
        self.sent.append(args)


@pytest.fixture
def outbox_db(tmp_path):
    settings = make_settings(tmp_path, outbox_max_attempts=3)
    engine = make_engine(settings.database_url)
    migrate(engine)
    sessions = make_sessionmaker(engine)
    yield settings, sessions
    engine.dispose()


def enqueue(sessions, channel="email", recipient="ivan@example.ru") -> int:
    with sessions() as db, db.begin():
        row = OutboxMessage(channel=channel, recipient=recipient, subject="Тема", body="Текст")
        db.add(row)
        db.flush()
        return row.id


def message(sessions, msg_id: int) -> OutboxMessage:
    with sessions() as db:
        return db.get(OutboxMessage, msg_id)


def make_due(sessions, msg_id: int) -> None:
    with sessions() as db, db.begin():
        db.get(OutboxMessage, msg_id).next_attempt_at = utcnow() - timedelta(seconds=1)


def test_failed_send_is_retried_later_with_backoff(outbox_db):
    settings, sessions = outbox_db
    mail = FlakySender(failures=2)
    worker = OutboxWorker(sessions, settings, mail=mail, sms=FlakySender(0))
    msg_id = enqueue(sessions)

    before = utcnow()
    assert worker.deliver_due() == 1
    row = message(sessions, msg_id)
    assert row.attempts == 1 and row.sent_at is None and row.failed_at is None
    assert "ConnectionRefusedError: mail relay down" in row.last_error
    first_wait = row.next_attempt_at - before
    assert timedelta(seconds=25) < first_wait <= timedelta(seconds=31)
    # Not due yet: the next pass leaves it alone.
    assert worker.deliver_due() == 0
    assert mail.calls == 1

    make_due(sessions, msg_id)
    before = utcnow()
    assert worker.deliver_due() == 1
    row = message(sessions, msg_id)
    assert row.attempts == 2
    second_wait = row.next_attempt_at - before
    assert second_wait > first_wait  # the pause grows

    make_due(sessions, msg_id)
    assert worker.deliver_due() == 1
    row = message(sessions, msg_id)
    assert row.sent_at is not None and row.attempts == 3
    assert mail.sent == [("ivan@example.ru", "Тема", "Текст")]
    assert worker.deliver_due() == 0


def test_worker_gives_up_after_max_attempts(outbox_db):
    settings, sessions = outbox_db
    mail = FlakySender(failures=100)
    worker = OutboxWorker(sessions, settings, mail=mail, sms=FlakySender(0))
    msg_id = enqueue(sessions)
    for _ in range(settings.outbox_max_attempts):
        make_due(sessions, msg_id)
        assert worker.deliver_due() == 1
    row = message(sessions, msg_id)
    assert row.failed_at is not None and row.sent_at is None
    assert row.attempts == settings.outbox_max_attempts
    make_due(sessions, msg_id)
    assert worker.deliver_due() == 0
    assert mail.calls == settings.outbox_max_attempts


def test_sms_go_to_the_sms_sender(outbox_db):
    settings, sessions = outbox_db
    mail, sms = FlakySender(0), FlakySender(0)
    worker = OutboxWorker(sessions, settings, mail=mail, sms=sms)
    enqueue(sessions, channel="sms", recipient="+79123456789")
    assert worker.deliver_due() == 1
    assert sms.sent == [("+79123456789", "Текст")] and mail.sent == []


def test_a_leased_message_is_not_sent_twice(outbox_db):
    settings, sessions = outbox_db
    entered, release = threading.Event(), threading.Event()

    class SlowSender:
        calls = 0

        def send(self, *args: str) -> None:
            SlowSender.calls += 1
            entered.set()
            release.wait(5)

    a = OutboxWorker(sessions, settings, mail=SlowSender(), sms=SlowSender())
    b = OutboxWorker(sessions, settings, mail=SlowSender(), sms=SlowSender())
    enqueue(sessions)
    thread = threading.Thread(target=a.deliver_due)
    thread.start()
    assert entered.wait(5)
    try:
        assert b.deliver_due() == 0  # leased by a, which is still sending
    finally:
        release.set()
        thread.join(5)
    assert SlowSender.calls == 1


async def test_a_dead_mail_server_does_not_fail_registration(tmp_path):
    dead_port = free_port()  # nothing listens here
    async with running_app(
        tmp_path, mail_backend="smtp", smtp_host="127.0.0.1", smtp_port=dead_port,
        smtp_security="none", smtp_timeout_s=2,
    ) as (app, http):
        await register(http, confirm=False)  # asserts 202
        token = await last_mail_token(http, "ivan@example.ru")

        def failed_once():
            found = rows(app, OutboxMessage, OutboxMessage.channel == "email")
            return found if found and found[0].attempts >= 1 else None

        (row,) = await wait_for(failed_once)
        assert row.sent_at is None and row.failed_at is None
        assert row.last_error and "refused" in row.last_error.lower()
        assert row.next_attempt_at > utcnow()
        # The business operation stood: the account exists and can be confirmed.
        resp = await http.post("/auth/email-confirmations", json={"token": token})
        assert resp.status_code == 200
        await login(http)


class Collector:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


async def test_confirmation_mail_arrives_over_smtp(tmp_path, smtp_server):
    controller, handler = smtp_server
    async with running_app(
        tmp_path, mail_backend="smtp", smtp_host="127.0.0.1", smtp_port=controller.port,
        smtp_security="none", smtp_timeout_s=5, mail_from="Бухта <no-reply@buhta.test>",
    ) as (app, http):
        await register(http, confirm=False)
        (envelope,) = await wait_for(lambda: list(handler.envelopes))
        assert envelope.rcpt_tos == ["ivan@example.ru"]
        assert envelope.mail_from == "no-reply@buhta.test"
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert msg["Subject"] == "Подтвердите адрес почты"
        assert msg["To"] == "ivan@example.ru"
        text = msg.get_content()
        token = TOKEN_RE.search(text).group(1)
        (sent,) = await wait_for(lambda: rows(app, OutboxMessage,
                                              OutboxMessage.sent_at.is_not(None),
                                              OutboxMessage.channel == "email"))
        # Delivered: the outbox keeps no copy of the code (issue 19, point 15) ...
        assert sent.body == SCRUBBED and token not in sent.body
        # ... and the code in the mail is the one the server expects.
        resp = await http.post("/auth/email-confirmations", json={"token": token})
        assert resp.status_code == 200
        # SMS stay with their own sender: only the one mail went through SMTP.
        assert len(handler.envelopes) == 1


async def test_smtp_failure_then_recovery(tmp_path, smtp_server):
    """The mail relay is down for the first try; the retry delivers."""
    controller, handler = smtp_server
    dead_port = free_port()
    async with running_app(
        tmp_path, mail_backend="smtp", smtp_host="127.0.0.1", smtp_port=dead_port,
        smtp_security="none", smtp_timeout_s=2,
    ) as (app, http):
        await register(http, confirm=False)
        await wait_for(lambda: rows(app, OutboxMessage, OutboxMessage.attempts >= 1,
                                    OutboxMessage.channel == "email"))
        # The relay comes back (the worker reads its settings on every send).
        worker = app.state.outbox
        worker.mail.s = Settings(**{**worker.mail.s.model_dump(), "smtp_port": controller.port})
        set_columns(app, OutboxMessage, OutboxMessage.channel == "email",
                    next_attempt_at=utcnow() - timedelta(seconds=1))
        worker.wake()
        await wait_for(lambda: list(handler.envelopes))
        (row,) = await wait_for(lambda: rows(
            app, OutboxMessage, OutboxMessage.sent_at.is_not(None), OutboxMessage.channel == "email"
        ))
        assert row.attempts == 2 and row.failed_at is None
