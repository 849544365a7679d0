"""The support centre end to end through the real app, on SQLite and PostgreSQL: a request
with its context, the agent answering through ``buhta-server support`` (its main() on the
same database), the reply as an in-app notification, statuses, callbacks with their window
in UTC and the user's zone, rate and size limits, and nobody reading another's request."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from core.contract import support as sp
from server.db.models import RateEvent
from server.db.models.support import SupportCallback, SupportTicket
from server.services.support import Support
from server.services.support import cli as support_cli
from tests.both_databases import database_url, settings  # noqa: F401  (fixtures)
from tests.helpers import assert_problem, rows
from tests.org_helpers import create_org, ooo, sign_up

NOW = datetime(2026, 3, 5, 6, 0, tzinfo=UTC)  # 09:00 in Moscow


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(server_app, settings):
    fixed = Clock(NOW)
    server_app.state.support = Support(settings, clock=fixed)
    return fixed


def command(settings, *args: str, text_in: str = "") -> tuple[int, str]:
    """``buhta-server support ARGS`` in-process on the app's own database."""
    out = io.StringIO()
    code = support_cli.main(["--database-url", settings.database_url, *args], out=out,
                            stdin=io.StringIO(text_in), clock=lambda: NOW)
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    # The command sets BUHTA_DATABASE_URL from --database-url: undo it after each test.
    monkeypatch.setenv("BUHTA_DATABASE_URL", os.environ.get("BUHTA_DATABASE_URL", ""))


REQUEST = {"topic": "bank", "text": "Выписка не загружается\nФайл из Сбербанка, март",
           "context": {"screen": "bank.statement", "period": "2026-03",
                       "error_code": "bank_file.encoding",
                       "request_id": "0b6f7c1e-3d2a-4b8e-9f00-1a2b3c4d5e6f"}}


async def test_contacts_and_topics_need_no_sign_in(http):
    info = (await http.get("/support/info")).json()
    assert info["phone"] == "8 800 000-00-00" and info["hours"] == "24/7"
    assert info["email"] == "support@buhta.local" and info["grant_hours"] == 24
    assert [t["code"] for t in info["topics"]] == list(sp.TOPICS)
    assert info["topics"][2] == {"code": "bank", "name": "Банк и выписки"}
    assert info["attach_kinds"] == ["screen", "period", "error_code", "request_id"]
    english = (await http.get("/support/info", headers={"Accept-Language": "en"})).json()
    assert english["topics"][2]["name"] == "Bank and statements"


async def test_request_answered_through_the_command_arrives_as_a_notification(
        http, server_app, settings, clock):
    user = await sign_up(http, "user@example.ru")
    org = await create_org(http, user, ooo())
    resp = await http.post("/support/requests", json={**REQUEST, "org_id": org["id"]},
                           headers=user.h)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    number = created["id"]
    assert created["status"] == "new" and created["subject"] == "Выписка не загружается"
    assert created["topic_name"] == "Банк и выписки"
    assert created["org_short_name"] == "ООО «Ромашка»"
    assert created["context"] == REQUEST["context"]
    assert [m["text"] for m in created["messages"]] == [REQUEST["text"]]

    # The agent: a user made one by the command, then answering through it.
    agent = await sign_up(http, "agent@example.ru")
    assert (await http.get("/support/agent/requests", headers=agent.h)).status_code == 403
    code, out = command(settings, "grant", "agent@example.ru")
    assert code == 0 and "теперь агент поддержки" in out
    code, out = command(settings, "list")
    assert code == 0 and f"№ {number} [новое] Банк и выписки: Выписка не загружается" in out
    code, out = command(settings, "show", str(number))
    assert "контекст: screen=bank.statement, period=2026-03, error_code=bank_file.encoding" in out
    assert "Файл из Сбербанка, март" in out
    code, out = command(settings, "reply", str(number), "--agent", "agent@example.ru",
                        text_in="Пришлите, пожалуйста, файл выписки.\n")
    assert code == 0 and "[ждёт ответа пользователя]" in out
    # Someone who is not an agent cannot answer through the command either.
    with pytest.raises(SystemExit):
        command(settings, "reply", str(number), "--agent", "user@example.ru", "--text", "x")

    mine = (await http.get(f"/support/requests/{number}", headers=user.h)).json()
    assert mine["status"] == "waiting_user"
    assert [(m["from_support"], m["author"]) for m in mine["messages"]] == [
        (False, "user@example.ru"), (True, "Поддержка")]
    # The reply is an in-app notification pointing at the request.
    (note,) = (await http.get("/notifications", headers=user.h)).json()["items"]
    assert note["title"] == "Ответ поддержки: Выписка не загружается"
    assert note["object"] == {"kind": "support_ticket", "id": str(number)}

    # The user answers: back to support («в работе»); open requests list it.
    resp = await http.post(f"/support/requests/{number}/messages",
                           json={"text": "Файл во вложении письма"}, headers=user.h)
    assert resp.status_code == 201 and resp.json()["status"] == "in_progress"
    open_ones = (await http.get("/support/requests?open=true", headers=user.h)).json()
    assert [r["id"] for r in open_ones["items"]] == [number]
    # The agent API shows the same conversation, naming the agent.
    shown = (await http.get(f"/support/agent/requests/{number}", headers=agent.h)).json()
    assert shown["messages"][1]["author"] == "Поддержка (agent@example.ru)"

    code, out = command(settings, "close", str(number), "--agent", "agent@example.ru")
    assert code == 0 and "[закрыто]" in out
    closed = await http.post(f"/support/requests/{number}/messages", json={"text": "ещё"},
                             headers=user.h)
    assert_problem(closed, 409, "support.closed")
    assert (await http.get("/support/requests?open=true", headers=user.h)).json()["items"] == []


async def test_nobody_else_reads_or_answers_a_request(http, clock):
    user = await sign_up(http, "user@example.ru")
    other = await sign_up(http, "other@example.ru")
    number = (await http.post("/support/requests", json=REQUEST, headers=user.h)).json()["id"]
    for resp in (await http.get(f"/support/requests/{number}", headers=other.h),
                 await http.post(f"/support/requests/{number}/messages", json={"text": "я"},
                                 headers=other.h),
                 await http.post(f"/support/requests/{number}/close", headers=other.h)):
        assert_problem(resp, 404, "support.not_found")
    assert (await http.get("/support/requests", headers=other.h)).json()["items"] == []
    assert_problem(await http.get("/support/requests"), 401, "auth.unauthorized")
    # An organisation the user is no member of cannot be named.
    stranger_org = await create_org(http, other, ooo())
    resp = await http.post("/support/requests", json={**REQUEST, "org_id": stranger_org["id"]},
                           headers=user.h)
    body = assert_problem(resp, 404, "support.org_not_found")
    assert body["errors"][0]["field"] == "org_id"


async def test_bad_input_names_the_field(http, clock):
    user = await sign_up(http, "user@example.ru")

    async def refused(body: dict, field: str) -> None:
        resp = await http.post("/support/requests", json=body, headers=user.h)
        problem = assert_problem(resp, 422, "validation.failed")
        assert [e["field"] for e in problem["errors"]] == [field], problem

    await refused({**REQUEST, "text": "я" * (sp.MAX_TEXT + 1)}, "text")
    await refused({**REQUEST, "text": "   \n "}, "text")
    await refused({**REQUEST, "topic": "weather"}, "topic")
    # Only the kinds listed may be attached.
    await refused({**REQUEST, "context": {"screen": "x", "books": "всё"}}, "context.books")
    await refused({**REQUEST, "context": {"error_code": "DROP TABLE"}}, "context.error_code")
    await refused({**REQUEST, "context": {"request_id": "a" * 65}}, "context.request_id")
    resp = await http.post("/support/requests", json={**REQUEST, "text": "я" * sp.MAX_TEXT},
                           headers=user.h)
    assert resp.status_code == 201
    assert len(resp.json()["subject"]) == 80 and resp.json()["subject"].endswith("…")


async def test_rate_limits_per_user(http, server_app, clock):
    user = await sign_up(http, "user@example.ru")
    other = await sign_up(http, "other@example.ru")
    for _ in range(5):
        assert (await http.post("/support/requests", json=REQUEST,
                                headers=user.h)).status_code == 201
    sixth = await http.post("/support/requests", json=REQUEST, headers=user.h)
    body = assert_problem(sixth, 429, "support.rate_limited")
    assert sixth.headers["Retry-After"] == "3601" and body["retry_after"] == 3601
    assert len(rows(server_app, SupportTicket)) == 5
    # Another user is not held back; an hour later the first may write again.
    assert (await http.post("/support/requests", json=REQUEST,
                            headers=other.h)).status_code == 201
    clock.now += timedelta(hours=1, seconds=1)
    assert (await http.post("/support/requests", json=REQUEST,
                            headers=user.h)).status_code == 201
    assert len(rows(server_app, RateEvent, RateEvent.bucket.like("support.request:%"))) == 7


CALLBACK = {"phone": "8 912 345-67-89", "topic": "payroll", "day": "2026-03-05",
            "start": "10:00", "end": "12:00", "timezone": "Asia/Yekaterinburg"}


async def test_callback_window_in_utc_with_the_zone(http, server_app, settings, clock):
    user = await sign_up(http, "user@example.ru")
    resp = await http.post("/support/callbacks", json=CALLBACK, headers=user.h)
    assert resp.status_code == 201, resp.text
    out = resp.json()
    # Yekaterinburg is UTC+5: 10:00–12:00 there is 05:00–07:00 UTC.
    assert out["phone"] == "+79123456789" and out["topic_name"] == "Зарплата"
    assert out["window_start"].startswith("2026-03-05T05:00:00")
    assert out["window_end"].startswith("2026-03-05T07:00:00")
    assert out["local_window"] == "05.03.2026 10:00–12:00 (Asia/Yekaterinburg)"
    (row,) = rows(server_app, SupportCallback)
    assert row.timezone == "Asia/Yekaterinburg"
    assert row.window_start == datetime(2026, 3, 5, 5, 0, tzinfo=UTC)
    assert [c["id"] for c in (await http.get("/support/callbacks",
                                             headers=user.h)).json()["items"]] == [out["id"]]

    # Due: the window began at 05:00 UTC; the command's clock says 06:00.
    await sign_up(http, "agent@example.ru")
    command(settings, "grant", "agent@example.ru")
    code, listed = command(settings, "callbacks-due")
    assert code == 0 and "+79123456789 Зарплата: 05.03.2026 10:00–12:00" in listed
    code, _done = command(settings, "callback-done", out["id"], "--agent", "agent@example.ru")
    assert code == 0
    assert "звонков: 0" in command(settings, "callbacks-due")[1]

    async def refused(over: dict, field: str, code: str = "validation.failed") -> None:
        resp = await http.post("/support/callbacks", json={**CALLBACK, **over}, headers=user.h)
        problem = assert_problem(resp, 422, code)
        assert [e["field"] for e in problem["errors"]] == [field], problem

    await refused({"phone": "12345"}, "phone")
    await refused({"end": "09:00"}, "end")
    await refused({"timezone": "Mars/Olympus"}, "timezone")
    await refused({"day": "2026-03-04"}, "day", "support.window_past")
    await refused({"day": "2026-05-05"}, "day", "support.window_far")


async def test_callbacks_limited_per_day(http, clock):
    user = await sign_up(http, "user@example.ru")
    for _ in range(3):
        assert (await http.post("/support/callbacks", json=CALLBACK,
                                headers=user.h)).status_code == 201
    fourth = await http.post("/support/callbacks", json=CALLBACK, headers=user.h)
    assert_problem(fourth, 429, "support.rate_limited")


async def test_the_command_as_a_real_process(http, settings, clock):
    user = await sign_up(http, "user@example.ru")
    number = (await http.post("/support/requests", json=REQUEST, headers=user.h)).json()["id"]
    await sign_up(http, "agent@example.ru")

    def run(*args: str, text_in: str = "") -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "BUHTA_DATABASE_URL": settings.database_url}
        return subprocess.run([sys.executable, "-m", "server.cli", "support", *args],
                              input=text_in, capture_output=True, text=True, env=env,
                              timeout=60, check=False)

    assert run("grant", "agent@example.ru").returncode == 0
    listed = run("list")
    assert listed.returncode == 0 and f"№ {number} [новое]" in listed.stdout, listed.stderr
    empty = run("reply", str(number), "--agent", "agent@example.ru", text_in="  \n")
    assert empty.returncode == 2  # an empty answer is refused, nothing sent
    answered = run("reply", str(number), "--agent", "agent@example.ru", text_in="Готово")
    assert answered.returncode == 0 and "[ждёт ответа пользователя]" in answered.stdout
    missing = run("show", "999999")
    assert missing.returncode == 1 and "Обращение не найдено" in missing.stderr
    mine = (await http.get(f"/support/requests/{number}", headers=user.h)).json()
    assert [m["text"] for m in mine["messages"]][-1] == "Готово"
