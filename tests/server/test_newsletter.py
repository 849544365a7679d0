"""Newsletter: consent recorded as proof (38-ФЗ ст. 18: time, the exact text, source, IP;
a withdrawal is a new row), the signed one-click unsubscribe link (RFC 8058) working
without signing in and refusing a forged token, and ``newsletter send`` resumable and
never twice, delivered to a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import hashlib
import re

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from server.db.models.newsletter import (
    NewsletterConsent,
    NewsletterDelivery,
    NewsletterSubscriber,
)
from server.services import jobs
from server.services.newsletter import command, links, mail, topics
from tests.conftest import make_settings
from tests.helpers import free_port, rows
from tests.org_helpers import sign_up

TOPIC = "law_changes"


class Collector:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def settings(tmp_path):
    # The jobs here are run by the test's own runner (or the command): the app's
    # in-process worker would race it for them.
    return make_settings(tmp_path, run_worker=False)


@pytest.fixture
def smtp_server():
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


async def subscribe(http, who, topic: str = TOPIC) -> dict:
    listing = (await http.get("/newsletter/topics", headers=who.h)).json()
    shown = next(t for t in listing["items"] if t["topic"] == topic)
    resp = await http.put(f"/newsletter/subscriptions/{topic}", headers=who.h, json={
        "consent_text_id": shown["consent_text_id"],
        "consent_text_sha256": shown["consent_text_sha256"], "source": "app"})
    assert resp.status_code == 200, resp.text
    return shown


def token_of(app, who_email: str, topic: str = TOPIC) -> str:
    service = app.state.newsletter
    with app.state.sessionmaker() as db:
        secret = service.secret(db)
        (sub,) = [s for s in rows(app, NewsletterSubscriber, NewsletterSubscriber.topic == topic)
                  if _email_of(app, s.user_id) == who_email]
    return links.make_token(secret, sub.id, topic)


def _email_of(app, user_id: str) -> str:
    from server.db.models import User

    with app.state.sessionmaker() as db:
        return db.scalars(select(User.email).where(User.id == user_id)).one()


async def test_consent_is_recorded_with_its_proof_and_withdrawal_is_a_new_row(server_app, http):
    ivan = await sign_up(http, "ivan@example.ru")
    shown = await subscribe(http, ivan)
    # The exact text names the address and the topic, and its hash is of those bytes.
    assert "ivan@example.ru" in shown["consent_text"]
    assert "«Изменения в законах»" in shown["consent_text"]
    assert shown["consent_text_sha256"] == hashlib.sha256(
        shown["consent_text"].encode()).hexdigest()
    listing = (await http.get("/newsletter/topics", headers=ivan.h)).json()
    state = {t["topic"]: t["subscribed"] for t in listing["items"]}
    assert state == {"service_news": False, "law_changes": True, "tips": False}

    resp = await http.delete(f"/newsletter/subscriptions/{TOPIC}", headers=ivan.h)
    assert resp.status_code == 200 and resp.json()["subscribed"] is False
    history = (await http.get("/newsletter/consents", headers=ivan.h)).json()["items"]
    assert [h["action"] for h in history] == ["subscribe", "unsubscribe"]
    given, withdrawn = history
    assert given["consent_text"] == shown["consent_text"]
    assert given["consent_text_id"] == "v2/ru"
    assert given["consent_text_sha256"] == shown["consent_text_sha256"]
    assert (given["source"], given["ip"], given["email"]) == ("app", "10.0.0.1",
                                                              "ivan@example.ru")
    assert withdrawn["at"] >= given["at"] and withdrawn["consent_text"] is None
    (first, _) = rows(server_app, NewsletterConsent)
    assert first.device_id == ivan.device_id  # which signed-in terminal gave it


async def test_a_text_not_shown_is_refused(server_app, http):
    ivan = await sign_up(http, "ivan@example.ru")
    listing = (await http.get("/newsletter/topics", headers=ivan.h)).json()
    shown = listing["items"][0]
    for text_id, digest in (("v0/ru", shown["consent_text_sha256"]),
                            (shown["consent_text_id"], "0" * 64)):
        resp = await http.put(f"/newsletter/subscriptions/{shown['topic']}", headers=ivan.h,
                              json={"consent_text_id": text_id, "consent_text_sha256": digest})
        assert resp.status_code == 409 and resp.json()["code"] == "newsletter.consent_outdated"
    assert rows(server_app, NewsletterConsent) == []
    # The text of v1 (which named a path the app never had, «Аккаунт → Рассылки») is no
    # longer the one in force: a client still showing it is refused, its exact bytes too;
    # the text in force names the keys of the app (u → l).
    old = topics.consent_text(shown["topic"], "ivan@example.ru", "ru", "v1")
    assert "Аккаунт → Рассылки" in old.text and shown["consent_text_id"] == "v2/ru"
    assert "клавиша u" in shown["consent_text"] and "Аккаунт" not in shown["consent_text"]
    resp = await http.put(f"/newsletter/subscriptions/{shown['topic']}", headers=ivan.h,
                          json={"consent_text_id": old.id, "consent_text_sha256": old.sha256})
    assert resp.status_code == 409 and resp.json()["code"] == "newsletter.consent_outdated"
    assert rows(server_app, NewsletterConsent) == []
    resp = await http.put("/newsletter/subscriptions/spam", headers=ivan.h,
                          json={"consent_text_id": "v2/ru", "consent_text_sha256": "0" * 64})
    assert resp.status_code == 422


async def test_unsubscribe_link_works_without_signing_in(server_app, http):
    ivan = await sign_up(http, "ivan@example.ru")
    await subscribe(http, ivan)
    token = token_of(server_app, "ivan@example.ru")
    page = await http.get(f"http://test/u/{token}")  # no Authorization header
    assert page.status_code == 200 and "<form method=\"post\"" in page.text
    assert "ivan@example.ru" in page.text
    # Only looking (a link scanner's GET) unsubscribes nobody.
    assert rows(server_app, NewsletterSubscriber)[0].active is True
    resp = await http.post(f"http://test/u/{token}", content=b"List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status_code == 200 and "Вы отписались" in resp.text
    (sub,) = rows(server_app, NewsletterSubscriber)
    assert sub.active is False and sub.unsubscribed_at is not None
    last = rows(server_app, NewsletterConsent)[-1]
    assert (last.action, last.source, last.ip) == ("unsubscribe", "link", "10.0.0.1")
    # Again: a no-op, not a second withdrawal.
    assert (await http.post(f"http://test/u/{token}")).status_code == 200
    assert len(rows(server_app, NewsletterConsent)) == 2


async def test_a_forged_or_guessed_token_is_refused(server_app, http):
    ivan = await sign_up(http, "ivan@example.ru")
    petr = await sign_up(http, "petr@example.ru")
    await subscribe(http, ivan)
    await subscribe(http, petr)
    good = token_of(server_app, "ivan@example.ru")
    head, _, tag = good.partition(".")
    petr_head = token_of(server_app, "petr@example.ru").partition(".")[0]
    flipped = tag[:-1] + ("A" if tag[-1] != "A" else "B")
    forged = [
        f"{head}.{flipped}",            # one letter of the tag changed
        f"{petr_head}.{tag}",           # ivan's tag on petr's subscription
        f"{head}.",                     # no tag
        head,                           # no dot
        "0" * 32 + "." + tag,           # a subscriber that does not exist
        "not-a-token",
    ]
    for token in forged:
        for method in ("GET", "POST"):
            resp = await http.request(method, f"http://test/u/{token}")
            assert resp.status_code == 404, (token, method)
            assert "Ссылка недействительна" in resp.text
    assert all(s.active for s in rows(server_app, NewsletterSubscriber))
    # Another secret signs differently: the tag is the server's, not computable.
    assert links.make_token(b"x" * 32, rows(server_app, NewsletterSubscriber)[0].id, TOPIC) \
        not in (good, token_of(server_app, "petr@example.ru"))


class Stop(Exception):
    pass


async def test_send_is_resumable_and_never_twice(server_app, http, tmp_path, smtp_server):
    controller, collector = smtp_server
    people = [await sign_up(http, f"reader{i}@example.ru") for i in range(6)]
    for who in people[:5]:
        await subscribe(http, who)
    await subscribe(http, people[5], topic="tips")  # another topic: not sent this issue
    issue = tmp_path / "issue.md"
    issue.write_text("# Новые ставки НДФЛ\n\nС 2026 года **ставки** изменились.\n\n"
                     "<script>alert(1)</script>\n", encoding="utf-8")
    sessions = server_app.state.sessionmaker
    settings = make_settings(tmp_path, mail_backend="smtp", smtp_host="127.0.0.1",
                             smtp_port=controller.port, smtp_security="none",
                             smtp_timeout_s=5, public_url="https://buhta.example.ru",
                             newsletter_unsubscribe_mailto="unsubscribe@buhta.example.ru")

    def stop_after_two(result):
        if result.queued >= 2:
            raise Stop  # the run dies here, as if killed

    with pytest.raises(Stop):
        command.send(sessions, settings, TOPIC, issue, batch=1, progress=stop_after_two)
    assert len(rows(server_app, NewsletterDelivery)) == 2
    again = command.send(sessions, settings, TOPIC, issue, batch=1)
    assert (again.audience, again.before, again.queued, again.complete) == (5, 2, 3, True)
    third = command.send(sessions, settings, TOPIC, issue)
    assert (third.before, third.queued) == (5, 0)

    runner = jobs.JobRunner(sessions, {mail.KIND: mail.handler(sessions, settings)},
                            on_success={mail.KIND: mail.mark_sent})
    assert runner.run_due() == 5
    assert runner.run_due() == 0
    recipients = sorted(r for e in collector.envelopes for r in e.rcpt_tos)
    assert recipients == [f"reader{i}@example.ru" for i in range(5)]  # exactly 5, once each
    assert all(d.sent_at for d in rows(server_app, NewsletterDelivery))

    msg = email.message_from_bytes(collector.envelopes[0].original_content,
                                   policy=email.policy.default)
    assert msg["Subject"] == "Новые ставки НДФЛ"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    found = re.fullmatch(r"<(https://buhta\.example\.ru/u/([^>]+))>, "
                         r"<mailto:unsubscribe@buhta\.example\.ru\?subject=[^>]+>",
                         msg["List-Unsubscribe"])
    assert found, msg["List-Unsubscribe"]
    text = msg.get_body(("plain",)).get_content()
    page = msg.get_body(("html",)).get_content()
    assert "**ставки**" in text and found.group(1) in text
    assert "<strong>ставки</strong>" in page and "<script>" not in page
    # The mail's own link unsubscribes its reader, one click, no sign-in.
    resp = await http.post(f"http://test/u/{found.group(2)}",
                           content=b"List-Unsubscribe=One-Click")
    assert resp.status_code == 200
    assert sum(s.active for s in rows(server_app, NewsletterSubscriber)) == 5  # 4 + tips


async def test_the_command_line_sends_with_a_count(server_app, http, tmp_path, smtp_server,
                                                   monkeypatch, capsys):
    controller, collector = smtp_server
    for i in range(3):
        await subscribe(http, await sign_up(http, f"cli{i}@example.ru"), topic="tips")
    issue = tmp_path / "tips.txt"
    issue.write_text("Совет недели\n\nЗакрывайте месяц клавишей c.\n", encoding="utf-8")
    for name, value in {"DATABASE_URL": server_app.state.settings.database_url,
                        "MAIL_BACKEND": "smtp", "SMTP_HOST": "127.0.0.1",
                        "SMTP_PORT": str(controller.port), "SMTP_SECURITY": "none"}.items():
        monkeypatch.setenv(f"BUHTA_{name}", value)
    argv = ["send", "--topic", "tips", "--file", str(issue), "--wait"]
    from server import cli

    with pytest.raises(SystemExit) as done:
        cli.main(["newsletter", *argv])  # buhta-server newsletter send …
    assert done.value.code == 0
    first = capsys.readouterr().err
    assert "подписчиков 3, поставлено в очередь сейчас 3" in first
    assert "Отправлено 3 из 3" in first
    assert command.main(argv) == 0  # the same issue again: nobody gets it twice
    assert "поставлено в очередь сейчас 0, раньше 3" in capsys.readouterr().err
    assert len(collector.envelopes) == 3
    msg = email.message_from_bytes(collector.envelopes[0].original_content,
                                   policy=email.policy.default)
    assert msg["Subject"] == "Совет недели"
    assert "<p>Закрывайте месяц клавишей c.</p>" in msg.get_body(("html",)).get_content()
    # Another text under the same issue id is refused, with the reason.
    issue.write_text("Совет недели\n\nДругой текст.\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        command.main(["send", "--topic", "nope", "--file", str(issue)])
    first_id = rows(server_app, NewsletterDelivery)[0].issue_id
    assert command.main(["send", "--topic", "tips", "--file", str(issue),
                         "--issue", first_id]) == 2
    assert "другим текстом" in capsys.readouterr().err


async def test_the_servers_own_worker_delivers_an_issue(tmp_path, smtp_server):
    """The job kind is the delivery worker's: queued issues go out without ``--wait``."""
    from server.db.models import User
    from tests.conftest import PASSWORD, register
    from tests.helpers import running_app, set_columns, utcnow, wait_for
    from tests.org_helpers import Person, next_phone

    controller, collector = smtp_server
    async with running_app(tmp_path, mail_backend="smtp", smtp_host="127.0.0.1",
                           smtp_port=controller.port, smtp_security="none",
                           smtp_timeout_s=5) as (app, http):
        await register(http, "olga@example.ru", phone=next_phone(), confirm=False)
        set_columns(app, User, User.email == "olga@example.ru", email_confirmed_at=utcnow())
        resp = await http.post("/auth/login", json={"email": "olga@example.ru",
                                                    "password": PASSWORD})
        await subscribe(http, Person("olga@example.ru", resp.json()), topic="service_news")
        issue = tmp_path / "news.md"
        issue.write_text("# Бухта 2.0\n\nНовый экран уведомлений.\n", encoding="utf-8")
        result = command.send(app.state.sessionmaker, app.state.settings, "service_news", issue)
        assert result.queued == 1

        def issues_mailed():
            return [e for e in collector.envelopes if b"List-Unsubscribe-Post" in
                    e.original_content]

        (envelope,) = await wait_for(issues_mailed)
        assert envelope.rcpt_tos == ["olga@example.ru"]
        await wait_for(lambda: all(d.sent_at for d in rows(app, NewsletterDelivery)))
