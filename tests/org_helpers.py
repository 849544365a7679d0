"""Organisation fixtures for the server and client tests: valid requisites and two teams.

``two_orgs`` builds the world the organisation tests share: «Ромашка» (an ООО) whose
creator is its Бухгалтер and whose other members hold every other role (each joined
through an e-mailed invitation), and «ИП Петров», a stranger's own organisation.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import httpx

from server.domain.roles import Role
from tests.conftest import PASSWORD, bearer, last_mail_token, register

# Requisites from the reference examples (every checksum valid).
BANK_SBER = {
    "bik": "044525225",
    "account": "40817810899910004312",
    "corr_account": "30101810400000000225",
    "bank_name": "ПАО Сбербанк",
}
BANK_746 = {
    "bik": "049805746",
    "account": "40602810700000000025",
    "corr_account": "30101810800000000746",
    "bank_name": "Банк из письма ЦБ № 515",
}
OOO = {
    "kind": "ooo",
    "full_name": "Общество с ограниченной ответственностью «Ромашка»",
    "short_name": "ООО «Ромашка»",
    "inn": "7707083893",
    "kpp": "773601001",
    "ogrn": "1027700132195",
    "address": "г. Москва, ул. Вавилова, д. 19",
    "director": "Иванов Иван Иванович",
    "tax_regime": "usn_income",
    "vat_mode": "none",
    "bank_accounts": [BANK_SBER],
}
IP = {
    "kind": "ip",
    "full_name": "Индивидуальный предприниматель Петров Пётр Петрович",
    "short_name": "ИП Петров",
    "inn": "500100732259",
    "ogrn": "304500116000157",
    "address": "Московская обл., г. Химки, ул. Лесная, д. 1",
    "director": "Петров Пётр Петрович",
    "tax_regime": "usn_income_expense",
    "vat_mode": "none",
    "bank_accounts": [],
}

ROLES = tuple(Role)
OTHER_ROLES = tuple(r for r in Role if r is not Role.ACCOUNTANT)


def ooo(**over: Any) -> dict[str, Any]:
    return {**copy.deepcopy(OOO), **over}


def ip(**over: Any) -> dict[str, Any]:
    return {**copy.deepcopy(IP), **over}


@dataclass
class Person:
    email: str
    pair: dict[str, Any]

    @property
    def h(self) -> dict[str, str]:
        return bearer(self.pair)

    @property
    def id(self) -> str:
        return self.pair["user"]["id"]

    @property
    def device_id(self) -> str:
        return self.pair["device_id"]


@dataclass
class World:
    org: dict[str, Any]
    """«Ромашка», as its creator got it back."""
    other_org: dict[str, Any]
    """The stranger's own organisation."""
    members: dict[Role, Person]
    """One member of «Ромашка» per role; the accountant is its creator."""
    stranger: Person
    """The creator of ``other_org``; no member of «Ромашка»."""
    extra: dict[str, Person] = field(default_factory=dict)

    @property
    def owner(self) -> Person:
        return self.members[Role.ACCOUNTANT]

    @property
    def org_id(self) -> str:
        return self.org["id"]


_phones = iter(range(1000, 10_000))


def next_phone() -> str:
    return f"+791234{next(_phones):05d}"


async def sign_up(
    http: httpx.AsyncClient, email: str, *, device_name: str = "terminal"
) -> Person:
    """Register, confirm and sign in a new user."""
    await register(http, email=email, phone=next_phone())
    return await sign_in(http, email, device_name=device_name)


async def sign_in(http: httpx.AsyncClient, email: str, *, device_name: str = "terminal") -> Person:
    resp = await http.post(
        "/auth/login", json={"email": email, "password": PASSWORD, "device_name": device_name}
    )
    assert resp.status_code == 200, resp.text
    return Person(email, resp.json())


async def create_org(http: httpx.AsyncClient, who: Person, body: dict[str, Any]) -> dict[str, Any]:
    resp = await http.post("/orgs", json=body, headers=who.h)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def invite(
    http: httpx.AsyncClient, who: Person, org_id: str, email: str, role: str
) -> tuple[dict[str, Any], str]:
    """Invite ``email``; return the invitation and the code from the e-mail."""
    resp = await http.post(
        f"/orgs/{org_id}/invitations", json={"email": email, "role": role}, headers=who.h
    )
    assert resp.status_code == 201, resp.text
    return resp.json(), await last_mail_token(http, email)


async def accept(http: httpx.AsyncClient, who: Person, token: str) -> httpx.Response:
    return await http.post("/invitations/accept", json={"token": token}, headers=who.h)


async def join(
    http: httpx.AsyncClient, owner: Person, org_id: str, email: str, role: str
) -> Person:
    """Sign up ``email`` and bring them into the organisation with ``role``."""
    person = await sign_up(http, email)
    _, token = await invite(http, owner, org_id, email, role)
    resp = await accept(http, person, token)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"org_id": org_id, "role": role}
    return person


async def two_orgs(http: httpx.AsyncClient) -> World:
    owner = await sign_up(http, "owner@example.ru", device_name="Ноутбук бухгалтера")
    org = await create_org(http, owner, ooo())
    stranger = await sign_up(http, "stranger@example.ru")
    other_org = await create_org(http, stranger, ip())
    members = {Role.ACCOUNTANT: owner}
    for role in OTHER_ROLES:
        members[role] = await join(http, owner, org["id"], f"{role.value}@example.ru", role)
    return World(org=org, other_org=other_org, members=members, stranger=stranger)
