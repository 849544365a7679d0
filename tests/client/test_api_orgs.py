"""ApiClient's organisation methods against the real server app (httpx.ASGITransport)."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from pydantic import ValidationError

from client.api import ApiClient
from client.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core import contract as m
from server.db.models import AuditEvent, Organisation
from tests.conftest import PASSWORD, last_mail_token, register
from tests.helpers import count
from tests.org_helpers import BANK_746, ip, next_phone, ooo


@pytest.fixture
async def make_api(server_app, http):
    made: list[ApiClient] = []

    async def make(email: str, device_name: str = "terminal") -> ApiClient:
        await register(http, email=email, phone=next_phone())
        api = ApiClient(
            base_url="http://test",
            server_key="test",
            transport=httpx.ASGITransport(app=server_app),
            store=None,
            backoff_s=(0,),
            device_name=device_name,
        )
        made.append(api)
        await api.auth.login(email, PASSWORD, remember=False)
        return api

    yield make
    for api in made:
        await api.aclose()


async def test_organisation_and_team_through_the_client(make_api, http):
    owner = await make_api("owner@example.ru", device_name="Ноутбук бухгалтера")
    org = await owner.orgs.create(m.OrgIn(**ooo()))
    assert isinstance(org, m.Org)
    assert (org.role, org.inn, org.kpp) == ("accountant", "7707083893", "773601001")
    assert org.bank_accounts[0].id and org.bank_accounts[0].account == "40817810899910004312"

    (summary,) = await owner.orgs.mine()
    assert (summary.id, summary.role, summary.status, summary.last_used) == (
        org.id, "accountant", "active", True)
    assert await owner.orgs.get(org.id) == org

    updated = await owner.orgs.update(org.id, m.OrgIn(**ooo(short_name="ООО «Ромашка-2»",
                                                          bank_accounts=[BANK_746])))
    assert updated.short_name == "ООО «Ромашка-2»"
    assert [a.bik for a in updated.bank_accounts] == ["049805746"]
    other = await owner.orgs.create(m.OrgIn(**ip()))
    assert await owner.orgs.use(org.id) is None
    assert [o.id for o in await owner.orgs.mine() if o.last_used] == [org.id]

    # Invitation, acceptance by another client.
    anna = await make_api("anna@example.ru")
    invitation = await owner.orgs.invite(org.id, "anna@example.ru", "observer")
    assert isinstance(invitation, m.InvitationOut) and invitation.role == "observer"
    token = await last_mail_token(http, "anna@example.ru")
    joined = await anna.orgs.accept_invitation(token.lower())
    assert joined == m.Joined(org_id=org.id, role="observer")
    assert [o.id for o in await anna.orgs.mine()] == [org.id]
    assert (await anna.orgs.get(org.id)).role == "observer"
    with pytest.raises(NotFound) as caught:
        await anna.orgs.get(other.id)
    assert caught.value.code == "orgs.not_found"

    team = await owner.orgs.team(org.id)
    assert isinstance(team, m.Team) and team.invitations == []
    by_email = {x.email: x for x in team.members}
    assert by_email["owner@example.ru"].you and not by_email["anna@example.ru"].you
    anna_id = by_email["anna@example.ru"].user_id

    member = await owner.orgs.change_member(org.id, anna_id, role="director")
    assert (member.role, member.status) == ("director", "active")
    member = await owner.orgs.change_member(org.id, anna_id, status="blocked")
    assert (member.role, member.status) == ("director", "blocked")
    with pytest.raises(Forbidden) as caught:
        await anna.orgs.team(org.id)
    assert caught.value.code == "orgs.blocked" and caught.value.detail
    await owner.orgs.change_member(org.id, anna_id, status="active")
    assert len((await anna.orgs.team(org.id)).members) == 2

    pending = await owner.orgs.invite(org.id, "boris@example.ru", "hr")
    assert [i.id for i in (await owner.orgs.team(org.id)).invitations] == [pending.id]
    assert await owner.orgs.revoke_invitation(org.id, pending.id) is None
    assert (await owner.orgs.team(org.id)).invitations == []

    assert await owner.orgs.remove_member(org.id, anna_id) is None
    with pytest.raises(NotFound) as caught:
        await anna.orgs.get(org.id)
    assert caught.value.code == "orgs.not_found"
    assert await anna.orgs.mine() == []


async def test_accept_invitation_refusals_are_typed(make_api, http, server_app):
    owner = await make_api("owner@example.ru")
    org = await owner.orgs.create(m.OrgIn(**ooo()))
    anna = await make_api("anna@example.ru")
    boris = await make_api("boris@example.ru")
    await owner.orgs.invite(org.id, "anna@example.ru", "primary")
    token = await last_mail_token(http, "anna@example.ru")

    with pytest.raises(Forbidden) as caught:
        await boris.orgs.accept_invitation(token)
    assert caught.value.code == "team.invitation_other_email"
    assert (await anna.orgs.accept_invitation(token.replace("-", " "))).role == "primary"
    with pytest.raises(ValidationFailed) as caught:
        await anna.orgs.accept_invitation(token)
    assert caught.value.code == "team.invitation_invalid"
    with pytest.raises(Conflict) as caught:
        await owner.orgs.invite(org.id, "anna@example.ru", "director")
    assert caught.value.code == "team.already_member"
    # A malformed code is refused by the wire model before anything is sent.
    before = count(server_app, AuditEvent)
    with pytest.raises(ValidationError):
        await anna.orgs.accept_invitation("код?!")
    assert count(server_app, AuditEvent) == before


async def test_server_refusals_of_org_writes_are_typed(make_api, http, server_app):
    owner = await make_api("owner@example.ru")
    org = await owner.orgs.create(m.OrgIn(**ooo()))
    watcher = await make_api("watcher@example.ru")
    await owner.orgs.invite(org.id, "watcher@example.ru", "observer")
    await watcher.orgs.accept_invitation(await last_mail_token(http, "watcher@example.ru"))

    # Bypass the local check (a client built before a rule changed): the server refuses too.
    bad = m.OrgIn.model_construct(**{**ooo(inn="7707083894"), "bank_accounts": []})
    with pytest.raises(ValidationFailed) as caught:
        await owner.orgs.create(bad)
    assert caught.value.status == 422 and caught.value.code == "validation.failed"
    assert [e["field"] for e in caught.value.errors] == ["inn"]
    assert count(server_app, Organisation) == 1

    with pytest.raises(Forbidden) as caught:
        await watcher.orgs.update(org.id, m.OrgIn(**ooo(short_name="Чужая")))
    assert caught.value.code == "orgs.forbidden"
    assert (await owner.orgs.get(org.id)).short_name == "ООО «Ромашка»"
    me = next(x for x in (await owner.orgs.team(org.id)).members if x.you)
    with pytest.raises(Conflict) as caught:
        await owner.orgs.change_member(org.id, me.user_id, role="observer")
    assert caught.value.code == "team.last_manager"
    with pytest.raises(Conflict):
        await owner.orgs.remove_member(org.id, me.user_id)
    # Ids go into paths only as UUIDs.
    with pytest.raises(ValueError):
        await owner.orgs.get("../devices")


async def test_audit_through_the_client(make_api):
    owner = await make_api("owner@example.ru", device_name="Ноутбук бухгалтера")
    org = await owner.orgs.create(m.OrgIn(**ooo()))
    for n in range(4):
        await owner.orgs.invite(org.id, f"guest{n}@example.ru", "observer")
    watcher = await make_api("watcher@example.ru")
    with pytest.raises(NotFound):
        await watcher.orgs.audit(org.id)

    page = await owner.orgs.audit(org.id, limit=2)
    assert isinstance(page, m.AuditPage) and len(page.items) == 2 and page.next_cursor
    seen = list(page.items)
    while page.next_cursor:
        page = await owner.orgs.audit(org.id, limit=2, cursor=page.next_cursor)
        seen.extend(page.items)
    assert [e.action for e in seen] == ["team.invite"] * 4 + ["org.create"]
    assert {e.device_name for e in seen} == {"Ноутбук бухгалтера"}

    assert [e.action for e in (await owner.orgs.audit(org.id, object_type="org")).items] == [
        "org.create"]
    assert len((await owner.orgs.audit(org.id, user="owner@")).items) == 5
    assert (await owner.orgs.audit(org.id, user="watcher")).items == []
    today = datetime.now().astimezone().date()
    assert len((await owner.orgs.audit(org.id, date_from=str(today - timedelta(days=1)),
                                  date_to=str(today + timedelta(days=1)))).items) == 5
    assert (await owner.orgs.audit(org.id, date_to=str(today - timedelta(days=2)))).items == []
    with pytest.raises(ValidationFailed) as caught:
        await owner.orgs.audit(org.id, cursor="zzzz")
    assert caught.value.code == "validation.cursor"
