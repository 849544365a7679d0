"""Support reads an organisation only under a live grant from a request: GET routes with
an observer's rights, every read in the organisation's activity log, nothing once it
expires (a fixed clock) or is revoked, never a write; without a grant an agent is a
stranger on every organisation route (the route sweep of test_org_access, with support).
On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.db.models import AuditEvent
from server.domain.roles import ROLE_PERMS, Role
from server.services.support import Support
from tests.both_databases import database_url, settings  # noqa: F401  (fixtures)
from tests.helpers import assert_problem, rows
from tests.org_helpers import Person, sign_up, two_orgs
from tests.server.test_org_access import assert_no_org_data, org_routes_of, send

NOW = datetime(2026, 3, 5, 6, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def world(http, server_app, settings):
    clock = Clock()
    support = Support(settings, clock=clock)
    server_app.state.support = support
    world = await two_orgs(http)
    agent = await sign_up(http, "agent@example.ru")
    with server_app.state.sessionmaker() as db:
        support.make_agent(db, agent.email, "test")
    owner = world.owner
    resp = await http.post("/support/requests", json={
        "topic": "accounting", "text": "Не сходится ОСВ", "org_id": world.org_id},
        headers=owner.h)
    assert resp.status_code == 201
    return world, agent, resp.json()["id"], clock


async def grant(http, who: Person, number: int, **body) -> dict:
    resp = await http.post(f"/support/requests/{number}/access", json=body, headers=who.h)
    assert resp.status_code == 201, resp.text
    return resp.json()


def support_reads(app, org_id: str) -> list[AuditEvent]:
    return rows(app, AuditEvent, AuditEvent.org_id == org_id,
                AuditEvent.action == "support.read")


async def test_a_grant_lets_support_read_until_it_expires(http, server_app, world):
    world, agent, number, clock = world
    org_id = world.org_id
    assert_problem(await http.get(f"/orgs/{org_id}", headers=agent.h), 404, "orgs.not_found")

    given = await grant(http, world.owner, number)
    assert given["live"] and given["org_id"] == org_id
    assert given["expires_at"].startswith("2026-03-06T06:00:00")  # 24 h by default
    card = await http.get(f"/orgs/{org_id}", headers=agent.h)
    assert card.status_code == 200 and card.json()["inn"] == world.org["inn"]
    assert (await http.get(f"/orgs/{org_id}/entries", headers=agent.h)).status_code == 200
    # An observer's rights: the books, never pay, never the activity log.
    assert_problem(await http.get(f"/orgs/{org_id}/employees", headers=agent.h), 403,
                   "orgs.forbidden")
    # Never a write: a stranger's 404, and nothing written.
    write = await http.put(f"/orgs/{org_id}", json={**world.org}, headers=agent.h)
    assert write.status_code == 404
    # Only the organisation granted.
    other = world.other_org["id"]
    assert_problem(await http.get(f"/orgs/{other}", headers=agent.h), 404, "orgs.not_found")
    # A stranger who is no agent gets nothing from the grant.
    assert_problem(await http.get(f"/orgs/{org_id}", headers=world.stranger.h), 404,
                   "orgs.not_found")

    # Each read is in the organisation's log, with the agent, the request and the path;
    # the owner sees them in the activity log.
    reads = support_reads(server_app, org_id)
    assert [r.summary for r in reads] == [
        f"Поддержка прочитала /api/v1/orgs/{org_id} (обращение № {number})",
        f"Поддержка прочитала /api/v1/orgs/{org_id}/entries (обращение № {number})"]
    assert {r.user_id for r in reads} == {agent.id}
    log = (await http.get(f"/orgs/{org_id}/audit", headers=world.owner.h)).json()
    actions = [item["action"] for item in log["items"]]
    assert "support.grant" in actions and actions.count("support.read") == 2

    clock.now = NOW + timedelta(hours=24) - timedelta(seconds=1)
    assert (await http.get(f"/orgs/{org_id}", headers=agent.h)).status_code == 200
    clock.now = NOW + timedelta(hours=24)
    resp = await http.get(f"/orgs/{org_id}", headers=agent.h)
    assert_problem(resp, 404, "orgs.not_found")
    assert_no_org_data(resp, world)
    assert len(support_reads(server_app, org_id)) == 3  # the expired attempt is no read
    mine = (await http.get(f"/support/requests/{number}", headers=world.owner.h)).json()
    assert [g["live"] for g in mine["grants"]] == [False]


async def test_revoking_and_closing_end_the_access(http, server_app, world):
    world, agent, number, _clock = world
    org_id = world.org_id
    given = await grant(http, world.owner, number, hours=2)
    assert given["expires_at"].startswith("2026-03-05T08:00:00")
    assert (await http.get(f"/orgs/{org_id}", headers=agent.h)).status_code == 200
    resp = await http.delete(f"/support/requests/{number}/access/{given['id']}",
                             headers=world.owner.h)
    assert resp.status_code == 200 and resp.json()["live"] is False
    assert_problem(await http.get(f"/orgs/{org_id}", headers=agent.h), 404, "orgs.not_found")
    assert rows(server_app, AuditEvent, AuditEvent.action == "support.revoke")

    await grant(http, world.owner, number)
    assert (await http.get(f"/orgs/{org_id}", headers=agent.h)).status_code == 200
    closed = await http.post(f"/support/requests/{number}/close", headers=world.owner.h)
    assert closed.json()["status"] == "closed"
    assert_problem(await http.get(f"/orgs/{org_id}", headers=agent.h), 404, "orgs.not_found")
    assert_problem(await http.post(f"/support/requests/{number}/access", json={},
                                   headers=world.owner.h), 409, "support.closed")


async def test_who_may_grant(http, world):
    world, _agent, number, _clock = world
    # Only the request's author, and only for an organisation where their role reads at
    # least what support would.
    hr = world.members[Role.HR]
    resp = await http.post(f"/support/requests/{number}/access", json={}, headers=hr.h)
    assert_problem(resp, 404, "support.not_found")
    hr_request = (await http.post("/support/requests", json={
        "topic": "payroll", "text": "Вопрос", "org_id": world.org_id}, headers=hr.h)).json()
    resp = await http.post(f"/support/requests/{hr_request['id']}/access", json={},
                           headers=hr.h)
    assert_problem(resp, 403, "support.grant_forbidden")
    # A request without an organisation needs one named.
    plain = (await http.post("/support/requests", json={"topic": "other", "text": "Вопрос"},
                             headers=world.owner.h)).json()
    resp = await http.post(f"/support/requests/{plain['id']}/access", json={},
                           headers=world.owner.h)
    assert assert_problem(resp, 422, "support.grant_no_org")["errors"][0]["field"] == "org_id"
    resp = await http.post(f"/support/requests/{plain['id']}/access",
                           json={"org_id": world.other_org["id"]}, headers=world.owner.h)
    assert_problem(resp, 404, "support.org_not_found")
    resp = await http.post(f"/support/requests/{number}/access", json={"hours": 169},
                           headers=world.owner.h)
    assert resp.status_code == 422


async def test_route_sweep_with_support(http, server_app, world):
    world, agent, number, _clock = world
    org_id = world.org_id
    routes = org_routes_of(server_app)
    observer = ROLE_PERMS[Role.OBSERVER]
    # Without a grant an agent is a stranger on every route: the same 404, nothing leaked.
    for route in routes:
        resp = await send(http, route, org_id, agent)
        assert_problem(resp, 404, "orgs.not_found")
        assert_no_org_data(resp, world)
    assert support_reads(server_app, org_id) == []

    await grant(http, world.owner, number)
    reads = 0
    for route in routes:
        resp = await send(http, route, org_id, agent)
        where = (route.method, route.path)
        if route.method not in ("GET", "HEAD"):
            assert_problem(resp, 404, "orgs.not_found")  # never a write
            assert_no_org_data(resp, world)
        elif route.perm not in observer:
            assert_problem(resp, 403, "orgs.forbidden")
        else:
            reads += 1
            assert resp.status_code < 500, (where, resp.text)
            json_body = resp.headers.get("content-type", "").startswith(
                ("application/json", "application/problem+json"))
            code = resp.json().get("code", "") if resp.content and json_body else ""
            assert not code.startswith("orgs."), (where, resp.text)
        # Another organisation stays closed whatever the route.
        assert (await send(http, route, world.other_org["id"], agent)).status_code == 404
        assert (await send(http, route, str(uuid.uuid4()), agent)).status_code == 404
    assert reads > 10
    assert len(support_reads(server_app, org_id)) == reads
