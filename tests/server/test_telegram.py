"""Telegram against a fake Bot API on 127.0.0.1 (a real HTTP server): linking a chat with
a one-time code sent as ``/start CODE``, messages through ``sendMessage``, the offset
(an update is read once), a Bot API that fails and recovers."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from server.db.models.notifications import Job, NotificationChannel
from server.db.types import utcnow
from server.services.notifications import notify
from tests.helpers import rows, running_app, set_columns, wait_for
from tests.org_helpers import create_org, ooo, sign_up

TOKEN = "123456:TEST-token"


class FakeBotApi:
    def __init__(self) -> None:
        self.updates: list[dict] = []
        self.sent: list[dict] = []
        self.offsets: list[int] = []
        self.fail_sends = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, code: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                if url.path != f"/bot{TOKEN}/getUpdates":
                    return self._answer(404, {"ok": False})
                offset = int(parse_qs(url.query).get("offset", ["0"])[0])
                api.offsets.append(offset)
                return self._answer(200, {"ok": True, "result": [
                    u for u in api.updates if u["update_id"] >= offset]})

            def do_POST(self):
                if self.path != f"/bot{TOKEN}/sendMessage":
                    return self._answer(404, {"ok": False})
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if api.fail_sends:
                    api.fail_sends -= 1
                    return self._answer(502, {"ok": False})
                api.sent.append(body)
                return self._answer(200, {"ok": True, "result": {"message_id": len(api.sent)}})

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def user_writes(self, chat_id: int, text: str, username: str = "ivan_buh") -> None:
        self.updates.append({"update_id": 1000 + len(self.updates), "message": {
            "message_id": len(self.updates) + 1, "text": text,
            "chat": {"id": chat_id, "type": "private", "username": username}}})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def bot():
    api = FakeBotApi()
    yield api
    api.close()


@pytest.fixture
async def world(tmp_path, bot):
    async with running_app(tmp_path, telegram_bot_token=TOKEN, telegram_api_base=bot.base,
                           telegram_poll_s=0.05, telegram_bot_username="buhta_test_bot") \
            as (app, http):
        owner = await sign_up(http, "owner@example.ru")
        org = await create_org(http, owner, ooo())
        yield app, http, owner, org["id"]


async def test_a_chat_is_linked_by_its_code_and_gets_messages(world, bot):
    app, http, owner, org_id = world
    resp = await http.post("/notifications/telegram/link", headers=owner.h)
    assert resp.status_code == 200, resp.text
    link = resp.json()
    assert link["command"] == f"/start {link['code']}" and len(link["code"]) == 8
    assert link["deep_link"] == f"https://t.me/buhta_test_bot?start={link['code']}"
    bot.user_writes(555, "/start WRONG123", username="intruder")
    bot.user_writes(777, f"/start {link['code']}")
    await wait_for(lambda: rows(app, NotificationChannel,
                                NotificationChannel.telegram_chat_id == "777"))
    settings = (await http.get("/notifications/settings", headers=owner.h)).json()
    assert settings["telegram"]["linked"] is True
    assert settings["telegram"]["chat_title"] == "@ivan_buh"
    await wait_for(lambda: len(bot.sent) == 2)
    replies = {m["chat_id"]: m["text"] for m in bot.sent}
    assert "Готово" in replies["777"] and "не подходит" in replies["555"]
    # The offset moved past both updates: they are not read (nor answered) again.
    await wait_for(lambda: bot.offsets and bot.offsets[-1] == 1002)
    assert len(bot.sent) == 2
    # The code is one-time: sent again from another chat, it links nothing.
    bot.user_writes(888, f"/start {link['code']}")
    await wait_for(lambda: len(bot.sent) == 3)
    assert "не подходит" in bot.sent[-1]["text"]

    with app.state.sessionmaker() as db, db.begin():
        notify(db, org_id, [owner.id], "payroll_approved", ("payroll_run", "r-1"),
               {"period": "март 2026"})
    await wait_for(lambda: len(bot.sent) == 4)
    assert bot.sent[-1] == {"chat_id": "777", "text": "Зарплата за март 2026 утверждена"}


async def test_a_failing_bot_api_is_retried(world, bot):
    app, _http, owner, org_id = world
    with app.state.sessionmaker() as db, db.begin():
        db.add(NotificationChannel(user_id=owner.id, email_digest=False, digest_hour=9,
                                   telegram_chat_id="42"))
    bot.fail_sends = 1
    with app.state.sessionmaker() as db, db.begin():
        notify(db, org_id, [owner.id], "task_overdue", ("task", "t-1"),
               {"title": "Сдать 6-НДФЛ", "due": "25.02.2026"})
    (job,) = await wait_for(lambda: rows(app, Job, Job.kind == "telegram", Job.attempts == 1))
    assert job.status == "pending" and job.last_status_code == 502
    set_columns(app, Job, Job.id == job.id, run_at=utcnow() - timedelta(seconds=1))
    app.state.outbox.wake()
    await wait_for(lambda: bot.sent)
    assert bot.sent == [{"chat_id": "42",
                         "text": "Задача «Сдать 6-НДФЛ» просрочена (срок был 25.02.2026)"}]


async def test_unlinking_stops_messages(world, bot):
    app, http, owner, org_id = world
    with app.state.sessionmaker() as db, db.begin():
        db.add(NotificationChannel(user_id=owner.id, email_digest=False, digest_hour=9,
                                   telegram_chat_id="42"))
    resp = await http.delete("/notifications/telegram", headers=owner.h)
    assert resp.json()["telegram"]["linked"] is False
    with app.state.sessionmaker() as db, db.begin():
        notify(db, org_id, [owner.id], "payroll_approved", None, {"period": "март"})
    assert rows(app, Job, Job.kind == "telegram") == []


async def test_without_a_bot_token_no_code_is_given(tmp_path):
    async with running_app(tmp_path) as (_app, http):
        owner = await sign_up(http, "owner@example.ru")
        resp = await http.post("/notifications/telegram/link", headers=owner.h)
        assert resp.status_code == 409
        assert resp.json()["code"] == "notifications.telegram_off"
