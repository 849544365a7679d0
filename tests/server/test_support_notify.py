"""A support agent's reply is an in-app notification for the user who asked (event
``support_reply``, pointing at the request), through the same ``notify()`` as every event:
the unread count goes up, the user's own matrix can turn it off, and the user's own
message to support notifies nobody."""

from __future__ import annotations

import io
import os

import pytest

from server.services.support import cli as support_cli
from tests.org_helpers import create_org, ooo, sign_up

REQUEST = {"topic": "bank", "text": "Выписка не загружается"}


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    # The command sets BUHTA_DATABASE_URL from --database-url: undo it after each test.
    monkeypatch.setenv("BUHTA_DATABASE_URL", os.environ.get("BUHTA_DATABASE_URL", ""))


async def agent_of(http, settings):
    agent = await sign_up(http, "agent@example.ru")
    out = io.StringIO()
    code = support_cli.main(["--database-url", settings.database_url, "grant",
                             "agent@example.ru"], out=out)
    assert code == 0, out.getvalue()
    return agent


async def asked(http, user, org_id) -> int:
    resp = await http.post("/support/requests", json={**REQUEST, "org_id": org_id},
                           headers=user.h)
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


async def unread(http, user) -> int:
    return (await http.get("/notifications/unread", headers=user.h)).json()["unread"]


async def test_an_agents_reply_is_an_in_app_notification(http, settings):
    user = await sign_up(http, "user@example.ru")
    org = await create_org(http, user, ooo())
    agent = await agent_of(http, settings)
    await http.post("/notifications/read", json={"all": True}, headers=user.h)
    number = await asked(http, user, org["id"])
    before = await unread(http, user)
    # The user's own follow-up tells nobody.
    resp = await http.post(f"/support/requests/{number}/messages", json={"text": "ещё"},
                           headers=user.h)
    assert resp.status_code == 201 and await unread(http, user) == before

    resp = await http.post(f"/support/agent/requests/{number}/messages",
                           json={"text": "Пришлите файл выписки"}, headers=agent.h)
    assert resp.status_code == 201, resp.text
    assert await unread(http, user) == before + 1
    note = (await http.get("/notifications?unread=true", headers=user.h)).json()["items"][0]
    assert note["event"] == "support_reply" and note["read"] is False
    assert note["object"] == {"kind": "support_ticket", "id": str(number)}
    assert note["title"] == "Ответ поддержки: Выписка не загружается"
    assert note["org_id"] == org["id"]
    # The agent, who acted, hears nothing of it.
    agent_items = (await http.get("/notifications", headers=agent.h)).json()["items"]
    assert all(n["event"] != "support_reply" for n in agent_items)


async def test_the_users_matrix_can_turn_the_in_app_one_off(http, settings):
    user = await sign_up(http, "user@example.ru")
    org = await create_org(http, user, ooo())
    agent = await agent_of(http, settings)
    resp = await http.put(f"/orgs/{org['id']}/notifications/matrix/me", json={"cells": [
        {"event": "support_reply", "channel": "in_app", "enabled": False}]}, headers=user.h)
    assert resp.status_code == 200, resp.text
    number = await asked(http, user, org["id"])
    await http.post("/notifications/read", json={"all": True}, headers=user.h)
    resp = await http.post(f"/support/agent/requests/{number}/messages",
                           json={"text": "Готово"}, headers=agent.h)
    assert resp.status_code == 201, resp.text
    assert await unread(http, user) == 0
    items = (await http.get("/notifications", headers=user.h)).json()["items"]
    assert all(n["event"] != "support_reply" for n in items)
    # The reply itself stands.
    mine = (await http.get(f"/support/requests/{number}", headers=user.h)).json()
    assert [m["from_support"] for m in mine["messages"]] == [False, True]
