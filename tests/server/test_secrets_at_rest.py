"""Secrets at rest: a delivered message's body (it carries codes) is scrubbed from the
outbox, except where the outbox is the mailbox itself (the ``local`` backend of the
embedded app, read by its mailbox screen); the dev outbox never listens beyond loopback."""

from __future__ import annotations

import pytest

from server import cli
from server.db.models import OutboxMessage
from server.delivery.senders import KeepLocally
from server.delivery.worker import SCRUBBED, OutboxWorker
from tests.conftest import last_mail_token, register
from tests.helpers import rows, running_app, wait_for
from tests.server.test_delivery import FlakySender, enqueue, make_due, message, outbox_db  # noqa: F401


def test_a_delivered_message_keeps_no_body(outbox_db):
    settings, sessions = outbox_db
    worker = OutboxWorker(sessions, settings, mail=FlakySender(0), sms=FlakySender(0))
    mail_id = enqueue(sessions)
    sms_id = enqueue(sessions, channel="sms", recipient="+79123456789")
    assert worker.deliver_due() == 2
    for msg_id in (mail_id, sms_id):
        row = message(sessions, msg_id)
        assert row.sent_at is not None
        assert row.body == SCRUBBED  # the code is gone ...
    # ... what the audit needs stays: to whom, what, when.
    row = message(sessions, mail_id)
    assert (row.recipient, row.subject, row.attempts) == ("ivan@example.ru", "Тема", 1)


def test_a_message_given_up_on_keeps_no_body(outbox_db):
    settings, sessions = outbox_db
    worker = OutboxWorker(sessions, settings, mail=FlakySender(100), sms=FlakySender(0))
    msg_id = enqueue(sessions)
    for attempt in range(1, settings.outbox_max_attempts + 1):
        make_due(sessions, msg_id)
        worker.deliver_due()
        # Kept while it may still be sent (the retry needs it), scrubbed on giving up.
        expected = "Текст" if attempt < settings.outbox_max_attempts else SCRUBBED
        assert message(sessions, msg_id).body == expected
    assert message(sessions, msg_id).failed_at is not None


def test_the_local_mailbox_keeps_its_bodies(outbox_db):
    """For the local backend the outbox is the mailbox (F8 in the embedded app)."""
    settings, sessions = outbox_db
    worker = OutboxWorker(sessions, settings, mail=KeepLocally(), sms=KeepLocally())
    msg_id = enqueue(sessions)
    assert worker.deliver_due() == 1
    row = message(sessions, msg_id)
    assert row.sent_at is not None and row.body == "Текст"


async def test_codes_sent_through_the_log_are_not_kept(tmp_path):
    async with running_app(tmp_path, mail_backend="log", sms_backend="log") as (app, http):
        await http.post("/auth/sms-codes", json={"phone": "+79123456789"})
        await wait_for(lambda: (got := rows(app, OutboxMessage)) and all(r.sent_at for r in got))
        (sms,) = rows(app, OutboxMessage)
        assert sms.body == SCRUBBED


async def test_the_embedded_mailbox_still_shows_codes_after_delivery(http, server_app):
    """The tests' server is configured like the embedded app (local backends)."""
    await register(http, confirm=False)
    await wait_for(lambda: (got := rows(server_app, OutboxMessage)) and all(r.sent_at for r in got))
    assert await last_mail_token(http, "ivan@example.ru")


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "buhta.example.ru"])
def test_the_dev_outbox_refuses_a_non_loopback_bind(host, monkeypatch, capsys):
    started: list[str] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: started.append(kw["host"]))
    monkeypatch.setenv("BUHTA_DEV_OUTBOX", "1")
    with pytest.raises(SystemExit) as caught:
        cli.main(["--host", host])
    assert caught.value.code == 2
    assert "BUHTA_DEV_OUTBOX" in capsys.readouterr().err
    assert started == []


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_the_dev_outbox_starts_on_loopback(host, monkeypatch):
    started: list[str] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: started.append(kw["host"]))
    monkeypatch.setenv("BUHTA_DEV_OUTBOX", "1")
    cli.main(["--host", host])
    assert started == [host]


def test_without_the_dev_outbox_any_bind_is_allowed(monkeypatch):
    started: list[str] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: started.append(kw["host"]))
    monkeypatch.delenv("BUHTA_DEV_OUTBOX", raising=False)
    cli.main(["--host", "0.0.0.0"])
    assert started == ["0.0.0.0"]
