"""The events hooked into the areas: each lands in the in-app list of the people concerned
(not of the one who acted), written by the action's own transaction: a task assigned and
commented, an invitation accepted, a login from a new device, payroll approved, a bank
statement posted, a tax deadline N days ahead (the sweep, once)."""

from __future__ import annotations

from datetime import UTC, datetime

from server.db.models.notifications import Notification
from server.services.notifications import sweeps
from tests.conftest import last_mail_token
from tests.helpers import rows
from tests.org_helpers import create_org, join, ooo, sign_in, sign_up
from tests.server.test_bank_import import MARCH, SECTIONS, exchange, upload
from tests.server.test_bank_import import bank as bank
from tests.server.test_payroll import books as books
from tests.server.test_payroll import compute


async def titles(http, person) -> list[str]:
    resp = await http.get("/notifications", headers=person.h)
    assert resp.status_code == 200, resp.text
    return [i["title"] for i in resp.json()["items"]]


async def test_task_assigned_and_commented(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    clerk = await join(http, owner, org["id"], "clerk@example.ru", "primary")
    resp = await http.post(f"/orgs/{org['id']}/tasks", headers=owner.h, json={
        "title": "Сдать 6-НДФЛ", "assignee_id": clerk.id, "due": "2027-02-25"})
    assert resp.status_code == 201, resp.text
    task = resp.json()
    assert await titles(http, clerk) == ["Вам назначена задача «Сдать 6-НДФЛ»"]
    item = (await http.get("/notifications", headers=clerk.h)).json()["items"][0]
    assert item["object"] == {"kind": "task", "id": task["id"]}
    resp = await http.post(f"/orgs/{org['id']}/tasks/{task['id']}/comments", headers=clerk.h,
                           json={"text": "Жду данные"})
    assert resp.status_code == 201, resp.text
    assert "Новый комментарий к задаче «Сдать 6-НДФЛ»" in await titles(http, owner)
    assert len(await titles(http, clerk)) == 1  # not told of their own comment


async def test_invitation_accepted_tells_who_invited(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    await join(http, owner, org["id"], "clerk@example.ru", "primary")
    assert "clerk@example.ru принял приглашение в ООО «Ромашка»" in await titles(http, owner)


async def test_login_from_a_new_device(http, server_app):
    owner = await sign_up(http, "owner@example.ru", device_name="Ноутбук")
    assert await titles(http, owner) == []
    await sign_in(http, "owner@example.ru", device_name="Ноутбук")  # known: nothing
    assert await titles(http, owner) == []
    again = await sign_in(http, "owner@example.ru", device_name="Чужой телефон")
    (line,) = await titles(http, again)
    assert line == "Вход в ваш аккаунт с нового устройства «Чужой телефон» (IP 10.0.0.1)"
    (n,) = rows(server_app, Notification)
    assert (n.org_id, n.object_kind) == (None, "device")


async def test_payroll_approved(books, server_app):
    http, owner, org, base, _ids = books
    director = await join(http, owner, org["id"], "director@example.ru", "director")
    run = await compute(http, owner.h, base, 2026, 1)
    resp = await http.post(f"{base}/payroll/runs/{run['id']}/approve", headers=owner.h)
    assert resp.status_code == 200, resp.text
    assert await titles(http, director) == ["Зарплата за январь 2026 утверждена"]
    assert not [t for t in await titles(http, owner) if "Зарплата" in t]  # who approved


async def test_statement_posted(bank, server_app):
    http, h, base, org_id = bank
    director = await sign_up(http, "director@example.ru")
    resp = await http.post(f"/orgs/{org_id}/invitations", headers=h,
                           json={"email": "director@example.ru", "role": "director"})
    assert resp.status_code == 201, resp.text
    token = await last_mail_token(http, "director@example.ru")
    resp = await http.post("/invitations/accept", json={"token": token}, headers=director.h)
    assert resp.status_code == 200, resp.text
    pv = (await upload(http, h, base, exchange(SECTIONS, MARCH))).json()
    resp = await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h)
    assert resp.status_code == 200, resp.text
    assert "Выписка «kl_to_1c.txt» проведена, строк: 7" in await titles(http, director)


async def test_tax_deadlines_are_announced_once(http, server_app):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())  # УСН «доходы», no staff
    # 25.04.2026: the УСН advance for the 1st quarter is due 28.04.2026 (3 days on).
    now = datetime(2026, 4, 25, 9, 0, tzinfo=UTC)
    with server_app.state.sessionmaker() as db:
        assert sweeps.tax_deadlines(db, now, 3) >= 1
        assert sweeps.tax_deadlines(db, now, 3) == 0  # already told
    found = rows(server_app, Notification, Notification.event == "tax_deadline",
                 Notification.org_id == org["id"])
    assert found and all(n.user_id == owner.id for n in found)
    lines = await titles(http, owner)
    assert any("28.04.2026" in line and line.startswith("Через 3 дн.") for line in lines), lines
