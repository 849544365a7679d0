"""In-app notifications and the e-mail channel: the list polled with ETag (an unchanged
poll is a bodiless 304), read/unread, the event × channel matrix, mail to the confirmed
address only, the daily digest, a real SMTP server that fails and recovers, and a
notification that fails never rolls back the action that caused it."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from server.db.models import OutboxMessage, User
from server.db.models.notifications import Notification, NotificationChannel
from server.db.types import utcnow
from server.services.notifications import digest, dispatch, notify
from tests.helpers import free_port, rows, running_app, set_columns, wait_for
from tests.org_helpers import create_org, join, ooo, sign_up


@pytest.fixture
async def world(tmp_path):
    async with running_app(tmp_path) as (app, http):
        owner = await sign_up(http, "owner@example.ru")
        org = await create_org(http, owner, ooo())
        yield app, http, owner, org["id"]


def fire(app, org_id, users, event="task_assigned", obj=("task", "t-1"), **params):
    with app.state.sessionmaker() as db, db.begin():
        return notify(db, org_id, users, event, obj, {"title": "Сдать 6-НДФЛ", **params})


def mails_to(app, address):
    return [m for m in rows(app, OutboxMessage, OutboxMessage.channel == "email",
                            OutboxMessage.recipient == address)]


async def test_the_list_and_the_304_poll(world):
    app, http, owner, org_id = world
    first = await http.get("/notifications", headers=owner.h)
    assert first.status_code == 200 and first.json() == {"items": [], "unread": 0,
                                                         "next_cursor": None}
    tag = first.headers["etag"]
    again = await http.get("/notifications", headers={**owner.h, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag

    fire(app, org_id, [owner.id])
    changed = await http.get("/notifications", headers={**owner.h, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    (item,) = changed.json()["items"]
    assert item["title"] == "Вам назначена задача «Сдать 6-НДФЛ»"
    assert item["object"] == {"kind": "task", "id": "t-1"} and item["read"] is False
    assert item["org_short_name"] == "ООО «Ромашка»" and changed.json()["unread"] == 1
    english = await http.get("/notifications", headers={**owner.h, "Accept-Language": "en"})
    assert english.json()["items"][0]["title"] == "You were assigned the task “Сдать 6-НДФЛ”"

    unread = await http.get("/notifications/unread", headers=owner.h)
    assert unread.json()["unread"] == 1
    utag = unread.headers["etag"]
    assert (await http.get("/notifications/unread",
                           headers={**owner.h, "If-None-Match": utag})).status_code == 304
    resp = await http.post(f"/notifications/{item['id']}/read", headers=owner.h)
    assert resp.json()["read"] is True
    after = await http.get("/notifications/unread", headers={**owner.h, "If-None-Match": utag})
    assert after.status_code == 200 and after.json()["unread"] == 0
    resp = await http.post(f"/notifications/{item['id']}/unread", headers=owner.h)
    assert resp.json()["read"] is False
    resp = await http.post("/notifications/read", json={"all": True}, headers=owner.h)
    assert resp.json()["unread"] == 0


async def test_nobody_reads_another_users_notifications(world):
    app, http, owner, org_id = world
    fire(app, org_id, [owner.id])
    other = await sign_up(http, "other@example.ru")
    assert (await http.get("/notifications", headers=other.h)).json()["items"] == []
    (n,) = rows(app, Notification)
    resp = await http.post(f"/notifications/{n.id}/read", headers=other.h)
    assert resp.status_code == 404


async def test_paging_by_cursor(world):
    app, http, owner, org_id = world
    for i in range(5):
        fire(app, org_id, [owner.id], title=f"Задача {i}")
    got, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await http.get("/notifications", params=params, headers=owner.h)).json()
        got += [i["title"] for i in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert len(got) == 5 and len(set(got)) == 5


async def test_mail_goes_to_the_confirmed_address_only(world):
    app, _http, owner, org_id = world
    fire(app, org_id, [owner.id])
    (_mail,) = [m for m in mails_to(app, "owner@example.ru")
               if m.subject == "Вам назначена задача «Сдать 6-НДФЛ»"]
    set_columns(app, User, User.email == "owner@example.ru", email_confirmed_at=None)
    before = len(mails_to(app, "owner@example.ru"))
    fire(app, org_id, [owner.id])
    assert len(mails_to(app, "owner@example.ru")) == before
    assert len(rows(app, Notification)) == 2  # in-app still there


async def test_the_matrix_decides_per_organisation_and_per_user(world):
    app, http, owner, org_id = world
    clerk = await join(http, owner, org_id, "clerk@example.ru", "primary")
    matrix = (await http.get(f"/orgs/{org_id}/notifications/matrix", headers=owner.h)).json()
    assert matrix["channels"] == ["in_app", "email", "telegram", "webhook"]
    assert matrix["editable"] is True and len(matrix["events"]) == 11
    cell = next(c for c in matrix["cells"]
                if (c["event"], c["channel"]) == ("task_assigned", "email"))
    assert cell == {"event": "task_assigned", "channel": "email", "enabled": True,
                    "source": "default"}
    # The organisation turns task mail off for everybody ...
    resp = await http.put(f"/orgs/{org_id}/notifications/matrix", headers=owner.h, json={
        "cells": [{"event": "task_assigned", "channel": "email", "enabled": False}]})
    assert resp.status_code == 200
    before = len(mails_to(app, "clerk@example.ru"))
    fire(app, org_id, [clerk.id])
    assert len(mails_to(app, "clerk@example.ru")) == before
    # ... the clerk turns it back on for themself, and in-app off.
    mine = (await http.put(f"/orgs/{org_id}/notifications/matrix/me", headers=clerk.h, json={
        "cells": [{"event": "task_assigned", "channel": "email", "enabled": True},
                  {"event": "task_assigned", "channel": "in_app", "enabled": False}]})).json()
    assert mine["channels"] == ["in_app", "email", "telegram"] and mine["scope"] == "user"
    assert {(c["channel"], c["enabled"], c["source"]) for c in mine["cells"]
            if c["event"] == "task_assigned"} >= {("email", True, "user"),
                                                  ("in_app", False, "user")}
    fire(app, org_id, [clerk.id])
    assert len(mails_to(app, "clerk@example.ru")) == before + 1
    listed = (await http.get("/notifications", headers=clerk.h)).json()["items"]
    assert len(listed) == 1  # only the first event: the second was not in-app
    # A clerk may not change the organisation's matrix, nor give themself a webhook cell.
    resp = await http.put(f"/orgs/{org_id}/notifications/matrix", headers=clerk.h, json={
        "cells": [{"event": "task_assigned", "channel": "email", "enabled": True}]})
    assert resp.status_code == 403
    resp = await http.put(f"/orgs/{org_id}/notifications/matrix/me", headers=clerk.h, json={
        "cells": [{"event": "task_assigned", "channel": "webhook", "enabled": True}]})
    assert resp.status_code == 422
    # null goes back to the organisation's choice.
    mine = (await http.put(f"/orgs/{org_id}/notifications/matrix/me", headers=clerk.h, json={
        "cells": [{"event": "task_assigned", "channel": "email", "enabled": None}]})).json()
    cell = next(c for c in mine["cells"]
                if (c["event"], c["channel"]) == ("task_assigned", "email"))
    assert (cell["enabled"], cell["source"]) == (False, "org")


async def test_the_daily_digest_replaces_one_mail_per_event(world):
    app, http, owner, org_id = world
    resp = await http.put("/notifications/settings", json={"email_digest": True,
                                                           "digest_hour": 9},
                          headers=owner.h)
    assert resp.json()["email"] == {"address": "owner@example.ru", "confirmed": True,
                                    "digest": True, "digest_hour": 9}
    # Today's digest counts as sent (so the running worker leaves the new events alone);
    # the next one is due at the next 09:00 Moscow time, 06:00 UTC.
    now = utcnow()
    set_columns(app, NotificationChannel, NotificationChannel.user_id == owner.id,
                last_digest_at=now)
    before = len(mails_to(app, "owner@example.ru"))
    fire(app, org_id, [owner.id], title="Первая")
    fire(app, org_id, [owner.id], "task_overdue", title="Вторая", due="01.03.2026")
    assert len(mails_to(app, "owner@example.ru")) == before
    nine = datetime.combine(now.date(), datetime.min.time(), UTC).replace(hour=6)
    if nine <= now:
        nine += timedelta(days=1)
    with app.state.sessionmaker() as db:
        assert digest.send_due(db, nine - timedelta(minutes=1)) == 0
        assert digest.send_due(db, nine + timedelta(minutes=1)) == 1
        assert digest.send_due(db, nine + timedelta(hours=1)) == 0  # once a day
    (mail,) = [m for m in mails_to(app, "owner@example.ru") if "Сводка" in (m.subject or "")]
    assert mail.subject == "Сводка Бухты за день: 2 события"
    assert "«Первая»" in mail.body and "«Вторая» просрочена" in mail.body
    assert rows(app, Notification, Notification.digest_pending.is_(True)) == []


async def test_a_failing_notification_never_rolls_back_the_action(world, monkeypatch):
    app, _http, owner, org_id = world

    def broken(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(dispatch.events, "title", broken)
    with app.state.sessionmaker() as db, db.begin():
        user = db.scalar(select(User).where(User.email == "owner@example.ru"))
        user.phone = "+79990000000"  # the action
        assert notify(db, org_id, [owner.id], "task_assigned", ("task", "t"), {}) == 0
    with app.state.sessionmaker() as db:
        assert db.scalar(select(User.phone).where(User.email == "owner@example.ru")) \
            == "+79990000000"
        assert db.scalars(select(Notification)).all() == []  # its savepoint rolled back


async def test_a_sweep_event_is_written_once(world):
    app, _http, owner, org_id = world
    for _ in range(2):
        with app.state.sessionmaker() as db, db.begin():
            notify(db, org_id, [owner.id], "tax_deadline", ("deadline", "usn_advance:2026-Q1"),
                   {"deadline": "Аванс по УСН", "due": "28.04.2026", "days": 3},
                   dedupe="tax_deadline:x:usn_advance:2026-Q1")
    assert len(rows(app, Notification, Notification.event == "tax_deadline")) == 1


class FlakySmtp:
    """Refuses the first ``failures`` messages with 451, then accepts."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        if self.failures:
            self.failures -= 1
            return "451 4.3.0 try again later"
        self.envelopes.append(envelope)
        return "250 OK"


async def test_a_notification_mail_survives_an_smtp_server_that_fails_and_recovers(tmp_path):
    handler = FlakySmtp(failures=0)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        async with running_app(tmp_path, mail_backend="smtp", smtp_host="127.0.0.1",
                               smtp_port=controller.port, smtp_security="none",
                               smtp_timeout_s=5) as (app, http):
            owner = await sign_up(http, "owner@example.ru")
            org = await create_org(http, owner, ooo())
            await wait_for(lambda: handler.envelopes)  # the confirmation mail went
            handler.failures = 1
            fire(app, org["id"], [owner.id])
            subject = "Вам назначена задача «Сдать 6-НДФЛ»"

            def tried():
                got = [m for m in mails_to(app, "owner@example.ru") if m.subject == subject]
                return got if got and got[0].attempts >= 1 else None

            (row,) = await wait_for(tried)
            assert row.sent_at is None and "451" in row.last_error
            assert row.next_attempt_at > utcnow()
            set_columns(app, OutboxMessage, OutboxMessage.id == row.id,
                        next_attempt_at=utcnow() - timedelta(seconds=1))
            app.state.outbox.wake()
            await wait_for(lambda: len(handler.envelopes) == 2)
            msg = email.message_from_bytes(handler.envelopes[-1].original_content,
                                           policy=email.policy.default)
            assert msg["Subject"] == subject and msg["To"] == "owner@example.ru"
            (sent,) = await wait_for(lambda: rows(app, OutboxMessage,
                                                  OutboxMessage.id == row.id,
                                                  OutboxMessage.sent_at.is_not(None)))
            assert sent.attempts == 2
    finally:
        controller.stop()
