"""Access to organisation-scoped routes: the route sweep and the role × write matrix.

The sweep is built from the application's route table, so a route added later
under ``/orgs/{org_id}`` is checked without anyone remembering to add it here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.routing import APIRoute
from sqlalchemy import select

from core import contract as m
from core.contract import closing as cm
from core.contract import notifications as nm
from core.contract import signatures as sm
from server.api.routes import orgs as org_routes
from server.db.models import AuditEvent, Counterparty, Invitation, Membership, Organisation
from server.domain.roles import ROLE_ORDER, ROLE_PERMS, Perm, Role, allows, can_manage_team
from tests.helpers import PROBLEM, assert_problem, count, db, rows
from tests.org_helpers import OTHER_ROLES, Person, World, invite, join, ooo, two_orgs

PREFIX = "/api/v1"
PROBLEM_KEYS = {"type", "title", "status", "code", "detail"}

# A valid body for every request model an organisation route takes, so that the
# answer is the permission check's and not a validation error.
SAMPLE_BODIES: dict[type, dict[str, Any]] = {
    m.OrgIn: ooo(short_name="ООО «Чужая правка»"),
    m.InviteIn: {"email": "newcomer@example.ru", "role": "observer"},
    m.MemberPatch: {"role": "observer"},
    m.SubAccountIn: {"parent": "51", "code": "51.01", "name": "Сбербанк"},
    m.EntryIn: {"date": "2026-03-05", "description": "Оплата от покупателя",
                "postings": [{"debit": "51", "credit": "62.01", "amount": "1000.00"}]},
    m.ReverseIn: {"reason": "ошибка"},
    m.ReopenIn: {"reason": "исправление"},
    m.CounterpartyIn: {"kind": "org", "name": "ООО «Поставщик»", "inn": "7707083893",
                       "kpp": "773601001"},
    m.DocumentIn: {"type": "cash_in", "date": "2026-03-05", "amount": "1000.00",
                   "purpose": "Выручка"},
    m.CancelIn: {"reason": "ошибка"},
    m.ItemIn: {"name": "Чайник", "unit": "шт"},
    m.WarehouseIn: {"name": "Склад № 2"},
    m.StockSettings: {"oversell": "warn"},
    m.ImportLineChange: {"debit": "51", "credit": "62.01"},
    m.BankRuleIn: {"inn": "7707083893", "account": "60.01"},
    m.PaymentOrderIn: {"kind": "tax", "date": "2026-03-05", "amount": "1000.00",
                       "purpose": "Единый налоговый платёж", "oktmo": "45383000"},
    m.PaymentExportIn: {"ids": ["00000000-0000-4000-8000-000000000000"]},
    m.EmployeeIn: {"full_name": "Иванов Иван Иванович", "position": "Менеджер",
                   "hired_on": "2026-01-01", "salary": "50000.00", "pay_method": "cash"},
    m.PayrollRunIn: {"year": 2026, "month": 1},
    m.PayrollPayIn: {"date": "2026-01-20", "part": "advance"},
    m.TaskIn: {"title": "Сдать 6-НДФЛ", "due": "2026-04-27", "priority": "high"},
    m.TaskPatch: {"status": "in_progress"},
    m.CommentIn: {"text": "Жду выписку"},
    # Signatures (issue 16): valid in shape; the service refuses them after the check.
    sm.SignatureIn: {"sha256": "0" * 64, "signature_b64": "MAA="},
    sm.VerifyIn: {"content_b64": "", "signature_b64": "MAA="},
    sm.SignatureRules: {"rules": [{"doc_type": "act", "capacities": ["director"]}]},
    sm.TrustIn: {"kind": "crl", "data_b64": "MAA="},
    # Notifications (issue 15).
    nm.MatrixIn: {"cells": []},
    nm.WebhookIn: {"url": "https://hooks.example.ru/buhta"},
    nm.WebhookPatch: {"enabled": False},
    # Opening balances and month closing (issue 13 points 6, 7).
    cm.OpeningBalancesIn: {"start_date": "2026-01-01",
                           "lines": [{"account": "51", "debit": "1000.00"}]},
    cm.ClosingSettingsIn: {"cost_mode": "sales"},
}


@dataclass(frozen=True)
class OrgRoute:
    method: str
    path: str
    """The full path, with the /api/v1 prefix."""
    perm: Perm
    body_model: type | None


def _api_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(full path, route or effective route context) for every FastAPI route, however nested."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "effective_route_contexts"):  # an included router (FastAPI ≥ 0.130)
            for ctx in route.effective_route_contexts():
                if isinstance(ctx.original_route, APIRoute):
                    yield prefix + ctx.path, ctx
        elif hasattr(route, "routes"):  # a Mount or an old-style included router
            yield from _api_routes(route.routes, prefix + getattr(route, "path", ""))


def _perm_deps(dependant: Any) -> list[Any]:
    return [d for d in dependant.dependencies if hasattr(d.call, "perm")]


def _all_perm_deps(dependant: Any) -> list[Any]:
    found = []
    for dep in dependant.dependencies:
        if hasattr(dep.call, "perm"):
            found.append(dep)
        found.extend(_all_perm_deps(dep))
    return found


def org_routes_of(app: Any) -> list[OrgRoute]:
    out = []
    for path, route in _api_routes(app.router.routes):
        if "{org_id}" not in path:
            continue
        checks = _perm_deps(route.dependant)
        assert len(checks) == 1, f"{path}: {len(checks)} permission dependencies, want exactly 1"
        # ... and no second check hidden deeper in the dependency tree.
        assert len(_all_perm_deps(route.dependant)) == 1, path
        perm = checks[0].call.perm
        assert isinstance(perm, Perm), (path, perm)
        body = route.body_field.field_info.annotation if route.body_field else None
        for method in sorted(route.methods):
            out.append(OrgRoute(method, path, perm, body))
    return out


def fill(route: OrgRoute, org_id: str) -> str:
    path = route.path.removeprefix(PREFIX)
    return re.sub(
        r"\{(\w+)\}",
        lambda match: org_id if match.group(1) == "org_id" else str(uuid.uuid4()),
        path,
    )


async def send(
    http: httpx.AsyncClient, route: OrgRoute, org_id: str, who: Person | None
) -> httpx.Response:
    kwargs: dict[str, Any] = {"headers": who.h if who else {}}
    if route.body_model is not None:
        assert route.body_model in SAMPLE_BODIES, (
            f"{route.method} {route.path}: add a valid sample body for {route.body_model}"
        )
        sample = SAMPLE_BODIES[route.body_model]
        route.body_model.model_validate(sample)  # the sample itself must be valid
        kwargs["json"] = sample
    return await http.request(route.method, fill(route, org_id), **kwargs)


def assert_no_org_data(resp: httpx.Response, world: World) -> None:
    body = resp.json()
    assert set(body) <= PROBLEM_KEYS, body
    for secret in (world.org["short_name"], world.org["inn"], world.org["ogrn"], world.org_id,
                   world.owner.email):
        assert secret not in resp.text, (secret, resp.text)


# --- the route table ---------------------------------------------------------------


async def test_every_org_route_has_exactly_one_permission_check(server_app):
    routes = org_routes_of(server_app)
    found = {(r.method, r.path.removeprefix(PREFIX)): r.perm for r in routes}
    # The walk must really reach the included routers (not silently find nothing).
    assert found[("GET", "/orgs/{org_id}")] is Perm.ORG_READ
    assert found[("PUT", "/orgs/{org_id}")] is Perm.ORG_EDIT
    assert found[("POST", "/orgs/{org_id}/invitations")] is Perm.TEAM_MANAGE
    assert found[("PATCH", "/orgs/{org_id}/members/{user_id}")] is Perm.TEAM_MANAGE
    assert found[("DELETE", "/orgs/{org_id}/members/{user_id}")] is Perm.TEAM_MANAGE
    assert found[("GET", "/orgs/{org_id}/audit")] is Perm.AUDIT_READ
    # Tasks: every member reaches them; who sees and changes which is the service's rule.
    for method, path in (("GET", "/tasks"), ("POST", "/tasks"), ("GET", "/tasks/{task_id}"),
                         ("PATCH", "/tasks/{task_id}"), ("POST", "/tasks/{task_id}/comments"),
                         ("GET", "/tasks/{task_id}/history")):
        assert found[(method, "/orgs/{org_id}" + path)] is Perm.ORG_READ
    # The tax calendar is read by every member role (amounts filtered inside).
    assert found[("GET", "/orgs/{org_id}/calendar")] is Perm.ORG_READ
    # The dashboard too: what each role sees in it is the service's rule.
    assert found[("GET", "/orgs/{org_id}/dashboard")] is Perm.ORG_READ
    # Every route the orgs router declares under {org_id} is in the sweep.
    declared = {
        (method, route.path)
        for route in org_routes.router.routes
        if isinstance(route, APIRoute) and "{org_id}" in route.path
        for method in route.methods
    }
    assert declared <= set(found), declared - set(found)
    # A permission nobody holds would make a route unreachable.
    for route in routes:
        assert any(allows(role, route.perm) for role in Role), route


async def test_org_routes_need_a_signed_in_caller(http, server_app):
    some_org = str(uuid.uuid4())
    for route in org_routes_of(server_app):
        resp = await send(http, route, some_org, None)
        assert_problem(resp, 401, "auth.unauthorized")


async def test_route_sweep(http, server_app):
    world = await two_orgs(http)
    routes = org_routes_of(server_app)
    assert len(routes) >= 9
    org_id = world.org_id

    for route in routes:
        where = f"{route.method} {route.path}"
        # A stranger (a member of another organisation) learns nothing: 404, exactly
        # as for an organisation that does not exist.
        resp = await send(http, route, org_id, world.stranger)
        body = assert_problem(resp, 404, "orgs.not_found")
        assert resp.headers["content-type"].startswith(PROBLEM)
        assert_no_org_data(resp, world)
        missing = await send(http, route, str(uuid.uuid4()), world.stranger)
        assert missing.json() == body, where
        # A malformed organisation id is the same "not found", never a 422 or 500.
        malformed = await send(http, route, "not-a-uuid", world.stranger)
        assert malformed.json() == body, where

        # Every role without the right: 403, and nothing about the organisation either.
        for role in Role:
            if allows(role, route.perm):
                continue
            resp = await send(http, route, org_id, world.members[role])
            assert_problem(resp, 403, "orgs.forbidden")
            assert_no_org_data(resp, world)

    # Nothing the refused callers sent was applied.
    with db(server_app) as s:
        org = s.get(Organisation, org_id)
        assert org.short_name == world.org["short_name"]
    assert count(server_app, Invitation, Invitation.email == "newcomer@example.ru") == 0
    assert count(server_app, Counterparty) == 0
    assert {ms.role for ms in rows(server_app, Membership, Membership.org_id == org_id)} == set(
        Role
    )

    # Every role holding the right gets past the check (whatever the use case says next).
    for route in routes:
        for role in Role:
            if not allows(role, route.perm):
                continue
            resp = await send(http, route, org_id, world.members[role])
            json_body = resp.headers.get("content-type", "").startswith(
                ("application/json", PROBLEM))  # the journal export answers text/plain
            code = resp.json().get("code", "") if resp.content and json_body else ""
            assert resp.status_code < 500, (route, role, resp.text)
            assert not code.startswith("orgs."), (route, role, resp.text)

    # A blocked member is refused on every route, even on those the role allows.
    observer = world.members[Role.OBSERVER]
    resp = await http.patch(f"/orgs/{org_id}/members/{observer.id}", json={"status": "blocked"},
                            headers=world.owner.h)
    assert resp.status_code == 200, resp.text
    for route in routes:
        resp = await send(http, route, org_id, observer)
        assert_problem(resp, 403, "orgs.blocked")
        assert_no_org_data(resp, world)


# --- the role matrix ---------------------------------------------------------------

# The intended rights, written out by hand (the module docstring of server.domain.roles).
EXPECTED_PERMS: dict[Role, set[Perm]] = {
    Role.ACCOUNTANT: set(Perm),
    Role.PRIMARY: {Perm.ORG_READ, Perm.TEAM_READ, Perm.LEDGER_READ, Perm.DOCUMENTS_WRITE,
                   Perm.BANK_WRITE, Perm.COUNTERPARTIES_WRITE},
    Role.HR: {Perm.ORG_READ, Perm.TEAM_READ, Perm.PAYROLL_READ, Perm.PAYROLL_WRITE},
    Role.DIRECTOR: {Perm.ORG_READ, Perm.TEAM_READ, Perm.AUDIT_READ, Perm.LEDGER_READ,
                    Perm.PAYROLL_READ, Perm.TASKS_READ_ALL, Perm.APPROVE},
    Role.OBSERVER: {Perm.ORG_READ, Perm.TEAM_READ, Perm.LEDGER_READ},
}


def test_role_permissions_are_as_specified():
    assert {role: set(perms) for role, perms in ROLE_PERMS.items()} == EXPECTED_PERMS
    assert sorted(ROLE_ORDER) == sorted(Role) and len(ROLE_ORDER) == len(Role)
    assert ROLE_ORDER[0] is Role.ACCOUNTANT
    assert [r for r in Role if can_manage_team(r)] == [Role.ACCOUNTANT]
    # Nobody but the accountant writes anything the director may only read.
    assert not any(p.value.endswith((".write", ".manage", ".edit", ".close"))
                   for p in ROLE_PERMS[Role.DIRECTOR])


WRITE_KINDS = (
    "edit requisites",
    "invite",
    "revoke invitation",
    "change member",
    "block member",
    "remove member",
    "switch to",
)
# The answer to a write that is allowed.
OK_STATUS = {
    "edit requisites": 200,
    "invite": 201,
    "revoke invitation": 204,
    "change member": 200,
    "block member": 200,
    "remove member": 204,
    "switch to": 204,
}
# Who may do each kind of write in «Ромашка» (by hand, not from ROLE_PERMS).
MAY_WRITE = {
    "edit requisites": {Role.ACCOUNTANT},
    "invite": {Role.ACCOUNTANT},
    "revoke invitation": {Role.ACCOUNTANT},
    "change member": {Role.ACCOUNTANT},
    "block member": {Role.ACCOUNTANT},
    "remove member": {Role.ACCOUNTANT},
    "switch to": set(Role),
}


async def test_role_matrix_of_writes(http, server_app):
    world = await two_orgs(http)
    org_id = world.org_id
    # The objects the writes act on: a member nobody else needs, a pending invitation each.
    targets = {
        kind: await join(http, world.owner, org_id, f"target{i}@example.ru", "observer")
        for i, kind in enumerate(("change member", "block member", "remove member"))
    }
    pending, _ = await invite(http, world.owner, org_id, "pending@example.ru", "hr")

    async def attempt(kind: str, role: Role) -> httpx.Response:
        who = world.members[role].h
        if kind == "edit requisites":
            body = ooo(short_name=f"ООО «Ромашка-{role.value}»")
            return await http.put(f"/orgs/{org_id}", json=body, headers=who)
        if kind == "invite":
            body = {"email": f"by-{role.value}@example.ru", "role": "observer"}
            return await http.post(f"/orgs/{org_id}/invitations", json=body, headers=who)
        if kind == "revoke invitation":
            return await http.delete(f"/orgs/{org_id}/invitations/{pending['id']}", headers=who)
        if kind == "change member":
            return await http.patch(f"/orgs/{org_id}/members/{targets[kind].id}",
                                    json={"role": "primary"}, headers=who)
        if kind == "block member":
            return await http.patch(f"/orgs/{org_id}/members/{targets[kind].id}",
                                    json={"status": "blocked"}, headers=who)
        if kind == "remove member":
            return await http.delete(f"/orgs/{org_id}/members/{targets[kind].id}", headers=who)
        assert kind == "switch to"
        return await http.post(f"/orgs/{org_id}/use", headers=who)

    def state() -> tuple:
        with db(server_app) as s:
            org = s.get(Organisation, org_id)
            return (
                org.short_name,
                sorted((i.email, i.revoked_at is None) for i in s.scalars(
                    select(Invitation).where(Invitation.org_id == org_id))),
                sorted((ms.user_id, ms.role, ms.status) for ms in s.scalars(
                    select(Membership).where(Membership.org_id == org_id))),
            )

    actual: dict[tuple[str, str], int] = {}
    expected: dict[tuple[str, str], int] = {}
    for kind in WRITE_KINDS:
        # Those who may not go first: the object must still be there for the accountant.
        for role in (*OTHER_ROLES, Role.ACCOUNTANT):
            before = state()
            denied_before = count(server_app, AuditEvent, AuditEvent.org_id == org_id,
                                  AuditEvent.outcome == "denied")
            resp = await attempt(kind, role)
            actual[(kind, role.value)] = resp.status_code
            allowed = role in MAY_WRITE[kind]
            expected[(kind, role.value)] = OK_STATUS[kind] if allowed else 403
            if not allowed and resp.status_code == 403:
                assert resp.json()["code"] == "orgs.forbidden"
                assert state() == before, (kind, role)
                denied_after = count(server_app, AuditEvent, AuditEvent.org_id == org_id,
                                     AuditEvent.outcome == "denied")
                assert denied_after == denied_before + 1, (kind, role)
    assert actual == expected

    # The allowed writes took effect.
    short_name, invitations, members = state()
    assert short_name == "ООО «Ромашка-accountant»"
    assert ("by-accountant@example.ru", True) in invitations
    assert not any(email.startswith("by-") and email != "by-accountant@example.ru"
                   for email, _ in invitations)
    assert ("pending@example.ru", False) in invitations
    roles = {uid: (role, status) for uid, role, status in members}
    assert roles[targets["change member"].id] == ("primary", "active")
    assert roles[targets["block member"].id] == ("observer", "blocked")
    assert targets["remove member"].id not in roles
