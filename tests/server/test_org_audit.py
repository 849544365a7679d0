"""The organisation audit log: every write and refusal; filters; server-side cursor paging."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

from server.db.models import AuditEvent
from server.db.types import utcnow
from tests.helpers import assert_problem, rows, set_columns
from tests.org_helpers import Person, accept, create_org, invite, ip, join, ooo, sign_up


async def audit(http, who: Person, org_id: str, **params) -> dict:
    resp = await http.get(f"/orgs/{org_id}/audit", params=params, headers=who.h)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def everything(http, who: Person, org_id: str, **params) -> list[dict]:
    return (await audit(http, who, org_id, limit=200, **params))["items"]


def local_today():
    return datetime.now().astimezone().date()


async def test_every_write_records_who_from_which_device_when_what_and_on_what(http, server_app):
    start = utcnow()
    owner = await sign_up(http, "owner@example.ru", device_name="Ноутбук бухгалтера")
    org = await create_org(http, owner, ooo())
    org_id = org["id"]
    resp = await http.put(f"/orgs/{org_id}", json=ooo(short_name="ООО «Ромашка-2»"),
                          headers=owner.h)
    assert resp.status_code == 200, resp.text
    anna = await sign_up(http, "anna@example.ru", device_name="Планшет Анны")
    invitation, token = await invite(http, owner, org_id, "anna@example.ru", "observer")
    dropped, _ = await invite(http, owner, org_id, "boris@example.ru", "hr")
    resp = await http.delete(f"/orgs/{org_id}/invitations/{dropped['id']}", headers=owner.h)
    assert resp.status_code == 204
    assert (await accept(http, anna, token)).status_code == 200
    resp = await http.patch(f"/orgs/{org_id}/members/{anna.id}", json={"role": "director"},
                            headers=owner.h)
    assert resp.status_code == 200
    resp = await http.delete(f"/orgs/{org_id}/members/{anna.id}", headers=owner.h)
    assert resp.status_code == 204
    end = utcnow()

    items = await everything(http, owner, org_id)
    assert [e["action"] for e in items] == [
        "team.remove", "team.change", "team.join", "team.invitation_revoke",
        "team.invite", "team.invite", "org.update", "org.create",
    ]
    ids = [e["id"] for e in items]
    assert ids == sorted(ids, reverse=True)
    for entry in items:
        assert entry["outcome"] == "ok"
        assert start <= datetime.fromisoformat(entry["created_at"]) <= end
        by_anna = entry["action"] == "team.join"
        assert entry["user_email"] == ("anna@example.ru" if by_anna else "owner@example.ru")
        assert entry["device_name"] == ("Планшет Анны" if by_anna else "Ноутбук бухгалтера")
        assert entry["summary"]

    by_action = {e["action"]: e for e in items}  # newest first: the first invite wins
    create, update = by_action["org.create"], by_action["org.update"]
    assert (create["object_type"], create["object_id"]) == ("org", org_id)
    assert create["summary"].startswith("после: ООО «Ромашка»; ИНН 7707083893; КПП 773601001")
    assert "044525225/40817810899910004312" in create["summary"]
    # Before and after: the old short name, then the new one.
    assert "ООО «Ромашка»" in update["summary"] and "ООО «Ромашка-2»" in update["summary"]
    assert update["summary"].index("ООО «Ромашка»") < update["summary"].index("ООО «Ромашка-2»")
    assert (update["object_type"], update["object_id"]) == ("org", org_id)
    assert by_action["team.invite"]["object_type"] == "invitation"
    assert by_action["team.invite"]["object_id"] == invitation["id"]
    assert by_action["team.invite"]["summary"] == "anna@example.ru: Наблюдатель"
    assert by_action["team.invitation_revoke"]["object_id"] == dropped["id"]
    for action in ("team.join", "team.change", "team.remove"):
        assert (by_action[action]["object_type"], by_action[action]["object_id"]) == (
            "member", anna.id)
    assert by_action["team.change"]["summary"] == (
        "anna@example.ru: Наблюдатель, доступ открыт → Директор, доступ открыт")
    assert by_action["team.remove"]["summary"] == "anna@example.ru: Директор, доступ открыт"
    # The address is kept too (not shown in the list).
    events = rows(server_app, AuditEvent, AuditEvent.org_id == org_id)
    assert {e.ip for e in events} == {"10.0.0.1"}
    assert {e.device_id for e in events} == {owner.device_id, anna.device_id}


async def test_denied_attempts_are_recorded(http, server_app):
    owner = await sign_up(http, "owner@example.ru")
    org_id = (await create_org(http, owner, ooo()))["id"]
    watcher = await join(http, owner, org_id, "watcher@example.ru", "observer")
    stranger = await sign_up(http, "stranger@example.ru")
    await create_org(http, stranger, ip())

    assert_problem(await http.get(f"/orgs/{org_id}/audit", headers=watcher.h), 403,
                   "orgs.forbidden")
    assert_problem(await http.put(f"/orgs/{org_id}", json=ooo(short_name="Взлом"),
                                  headers=watcher.h), 403, "orgs.forbidden")
    await http.patch(f"/orgs/{org_id}/members/{watcher.id}", json={"status": "blocked"},
                     headers=owner.h)
    assert_problem(await http.get(f"/orgs/{org_id}", headers=watcher.h), 403, "orgs.blocked")

    denied = await everything(http, owner, org_id)
    denied = [e for e in denied if e["outcome"] == "denied"]
    assert [(e["action"], e["user_email"], e["summary"]) for e in denied] == [
        # In words (issue #12 pt 9), not «PUT /api/v1/orgs/…: orgs.forbidden».
        ("denied.org.read", "watcher@example.ru", "Доступ к организации заблокирован"),
        ("denied.org.edit", "watcher@example.ru", "Роли «Наблюдатель» это не разрешено"),
        ("denied.audit.read", "watcher@example.ru", "Роли «Наблюдатель» это не разрешено"),
    ]
    assert all(e["device_name"] == "terminal" for e in denied)

    # A stranger's write attempt is recorded, but outside the organisation's log: telling
    # the organisation about it would tell the stranger's address to its members.
    before = len(rows(server_app, AuditEvent))
    assert_problem(await http.put(f"/orgs/{org_id}", json=ooo(), headers=stranger.h), 404,
                   "orgs.not_found")
    (attempt,) = rows(server_app, AuditEvent, AuditEvent.id > before)
    assert (attempt.user_id, attempt.org_id, attempt.outcome) == (stranger.id, None, "denied")
    assert attempt.action == "denied.org.edit"
    assert attempt.summary == f"PUT /api/v1/orgs/{org_id}: orgs.not_found"
    # A stranger's read is not (nothing was attempted that could change anything).
    await http.get(f"/orgs/{org_id}", headers=stranger.h)
    assert len(rows(server_app, AuditEvent)) == before + 1
    assert len([e for e in await everything(http, owner, org_id)
                if e["outcome"] == "denied"]) == 3


async def test_filters_by_user_object_type_and_period(http, server_app):
    owner = await sign_up(http, "owner@example.ru")
    org_id = (await create_org(http, owner, ooo()))["id"]
    anna = await join(http, owner, org_id, "anna@example.ru", "director")
    await http.put(f"/orgs/{org_id}", json=ooo(short_name="ООО «Ромашка-2»"), headers=owner.h)
    await http.put(f"/orgs/{org_id}", json=ooo(), headers=anna.h)  # denied: director
    await http.patch(f"/orgs/{org_id}/members/{anna.id}", json={"role": "observer"},
                     headers=owner.h)
    # The organisation was created ten days ago.
    created = utcnow() - timedelta(days=10)
    set_columns(server_app, AuditEvent, AuditEvent.action == "org.create", created_at=created)

    def actions(items):
        return [e["action"] for e in items]

    everyone = await everything(http, owner, org_id)
    assert actions(everyone) == [
        "team.change", "denied.org.edit", "org.update", "team.join",
        "team.invite", "org.create"]
    by_anna = await everything(http, owner, org_id, user="ANNA@example")
    assert actions(by_anna) == ["denied.org.edit", "team.join"]
    assert actions(await everything(http, owner, org_id, user="nobody")) == []
    assert actions(await everything(http, owner, org_id, object_type="org")) == [
        "org.update", "org.create"]
    assert actions(await everything(http, owner, org_id, object_type="member")) == [
        "team.change", "team.join"]
    assert actions(await everything(http, owner, org_id, object_type="member",
                                    user="anna")) == ["team.join"]

    today = local_today()
    old = await everything(http, owner, org_id, date_to=str(today - timedelta(days=5)))
    assert actions(old) == ["org.create"]
    recent = await everything(http, owner, org_id, date_from=str(today - timedelta(days=5)))
    assert actions(recent) == actions(everyone)[:-1]
    # date_to is inclusive: the whole of the day.
    day = created.astimezone().date()  # the server's local day of that moment
    assert actions(await everything(http, owner, org_id, date_from=str(day),
                                    date_to=str(day))) == ["org.create"]
    assert actions(await everything(http, owner, org_id,
                                    date_to=str(day - timedelta(days=1)))) == []
    assert actions(await everything(http, owner, org_id, date_from=str(today),
                                    date_to=str(today - timedelta(days=1)))) == []
    resp = await http.get(f"/orgs/{org_id}/audit", params={"date_from": "вчера"},
                          headers=owner.h)
    assert_problem(resp, 422, "validation.failed")


async def test_cursor_paging_is_done_by_the_server(http, server_app):
    owner = await sign_up(http, "owner@example.ru")
    org_id = (await create_org(http, owner, ooo()))["id"]
    for n in range(6):
        await invite(http, owner, org_id, f"guest{n}@example.ru", "observer")
    stranger = await sign_up(http, "stranger@example.ru")
    other_id = (await create_org(http, stranger, ip()))["id"]
    await invite(http, stranger, other_id, "theirs@example.ru", "hr")

    full = await everything(http, owner, org_id)
    assert len(full) == 7 and "theirs@example.ru" not in str(full)

    seen: list[dict] = []
    cursor = None
    pages = 0
    while True:
        page = await audit(http, owner, org_id, limit=3, **({"cursor": cursor} if cursor else {}))
        pages += 1
        assert len(page["items"]) <= 3
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(page["items"]) == 3
    assert pages == 3 and seen == full

    # A filter holds across pages.
    first = await audit(http, owner, org_id, object_type="invitation", limit=4)
    assert len(first["items"]) == 4 and first["next_cursor"]
    rest = await audit(http, owner, org_id, object_type="invitation", limit=4,
                       cursor=first["next_cursor"])
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    assert {e["object_type"] for e in first["items"] + rest["items"]} == {"invitation"}
    # Exactly the page size left: no empty extra page.
    exact = await audit(http, owner, org_id, limit=7)
    assert len(exact["items"]) == 7 and exact["next_cursor"] is None

    # A cursor past the other organisation's newer events still shows only this one's.
    newest_anywhere = max(e.id for e in rows(server_app, AuditEvent))
    crafted = base64.urlsafe_b64encode(f"a:{newest_anywhere + 1}".encode()).decode().rstrip("=")
    assert (await audit(http, owner, org_id, cursor=crafted, limit=200))["items"] == full

    for bad in ("%%%", "zzzz", base64.urlsafe_b64encode(b"b:5").decode(),
                base64.urlsafe_b64encode(b"a:x").decode()):
        resp = await http.get(f"/orgs/{org_id}/audit", params={"cursor": bad}, headers=owner.h)
        assert_problem(resp, 422, "validation.cursor")
    for limit in (0, 201):
        resp = await http.get(f"/orgs/{org_id}/audit", params={"limit": limit}, headers=owner.h)
        assert_problem(resp, 422, "validation.failed")
