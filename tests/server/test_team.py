"""The team: invitations (single use, expiring, one address), roles, block, remove, last manager."""

from __future__ import annotations

import uuid
from datetime import timedelta

from server.db.models import Invitation, Membership
from server.i18n import text
from server.services.tokens import human_digest
from tests.conftest import last_mail_token, mailbox
from tests.helpers import assert_problem, in_the_past, rows, set_columns
from tests.org_helpers import (
    Person,
    accept,
    create_org,
    invite,
    ip,
    join,
    ooo,
    sign_up,
)


async def start(http) -> tuple[Person, str]:
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    return owner, org["id"]


async def team(http, who: Person, org_id: str) -> dict:
    resp = await http.get(f"/orgs/{org_id}/team", headers=who.h)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def patch(http, who: Person, org_id: str, user_id: str, **body):
    return await http.patch(f"/orgs/{org_id}/members/{user_id}", json=body, headers=who.h)


def membership(app, org_id: str, user_id: str) -> Membership | None:
    found = rows(app, Membership, Membership.org_id == org_id, Membership.user_id == user_id)
    return found[0] if found else None


# --- invitations ---------------------------------------------------------------------


async def test_registered_invitee_accepts_with_the_role_offered(http, server_app):
    owner, org_id = await start(http)
    anna = await sign_up(http, "anna@example.ru")
    resp = await http.post(f"/orgs/{org_id}/invitations",
                           json={"email": " Anna@Example.RU ", "role": "director"},
                           headers=owner.h)
    assert resp.status_code == 201, resp.text
    invitation = resp.json()
    assert invitation["email"] == "anna@example.ru" and invitation["role"] == "director"
    token = await last_mail_token(http, "anna@example.ru")
    (mail,) = [x for x in await mailbox(http) if x["subject"] and "Ромашка" in x["subject"]]
    assert mail["recipient"] == "anna@example.ru"
    assert text("role.director", "ru") in mail["body"] and token in mail["body"]
    # The code is kept only as a hash; it lives 7 days.
    (stored,) = rows(server_app, Invitation)
    assert stored.token_hash == human_digest(token) and token not in stored.token_hash
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    pending = (await team(http, owner, org_id))["invitations"]
    assert [(i["email"], i["role"]) for i in pending] == [("anna@example.ru", "director")]

    # Not a member until she accepts.
    assert_problem(await http.get(f"/orgs/{org_id}", headers=anna.h), 404, "orgs.not_found")
    # Typed by hand: lower case, spaces instead of dashes.
    resp = await accept(http, anna, token.lower().replace("-", " "))
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"org_id": org_id, "role": "director"}

    got = await http.get(f"/orgs/{org_id}", headers=anna.h)
    assert got.status_code == 200 and got.json()["role"] == "director"
    mine = (await http.get("/orgs", headers=anna.h)).json()["items"]
    assert [(o["id"], o["role"], o["status"]) for o in mine] == [(org_id, "director", "active")]
    now = await team(http, owner, org_id)
    assert now["invitations"] == []
    assert {(x["email"], x["role"], x["status"]) for x in now["members"]} == {
        ("owner@example.ru", "accountant", "active"),
        ("anna@example.ru", "director", "active"),
    }
    assert stored.id == rows(server_app, Invitation, Invitation.accepted_by == anna.id)[0].id


async def test_unregistered_invitee_registers_then_accepts(http):
    owner, org_id = await start(http)
    _, token = await invite(http, owner, org_id, "newbie@example.ru", "primary")
    newbie = await sign_up(http, "newbie@example.ru")
    resp = await accept(http, newbie, token)
    assert resp.status_code == 200, resp.text
    assert resp.json()["role"] == "primary"
    assert (await http.get(f"/orgs/{org_id}/team", headers=newbie.h)).status_code == 200


async def test_token_used_by_another_address_is_refused_and_not_spent(http, server_app):
    owner, org_id = await start(http)
    anna = await sign_up(http, "anna@example.ru")
    boris = await sign_up(http, "boris@example.ru")
    _, token = await invite(http, owner, org_id, "anna@example.ru", "observer")

    assert_problem(await accept(http, boris, token), 403, "team.invitation_other_email")
    assert membership(server_app, org_id, boris.id) is None
    assert_problem(await http.get(f"/orgs/{org_id}", headers=boris.h), 404, "orgs.not_found")
    # The rightful invitee can still use it.
    assert (await accept(http, anna, token)).status_code == 200


async def test_token_works_once(http, server_app):
    owner, org_id = await start(http)
    anna = await sign_up(http, "anna@example.ru")
    boris = await sign_up(http, "boris@example.ru")
    _, token = await invite(http, owner, org_id, "anna@example.ru", "hr")
    assert (await accept(http, anna, token)).status_code == 200
    assert_problem(await accept(http, anna, token), 400, "team.invitation_invalid")
    assert_problem(await accept(http, boris, token), 400, "team.invitation_invalid")
    assert membership(server_app, org_id, boris.id) is None
    assert len(rows(server_app, Membership, Membership.org_id == org_id)) == 2


async def test_late_token_is_refused(http, server_app):
    owner, org_id = await start(http)
    anna = await sign_up(http, "anna@example.ru")
    invitation, token = await invite(http, owner, org_id, "anna@example.ru", "hr")
    set_columns(server_app, Invitation, Invitation.id == invitation["id"],
                expires_at=in_the_past(1))
    assert_problem(await accept(http, anna, token), 400, "team.invitation_expired")
    assert membership(server_app, org_id, anna.id) is None
    # An expired invitation is no longer listed as pending.
    assert (await team(http, owner, org_id))["invitations"] == []


async def test_revoked_or_unknown_token_is_refused(http, server_app):
    owner, org_id = await start(http)
    anna = await sign_up(http, "anna@example.ru")
    invitation, token = await invite(http, owner, org_id, "anna@example.ru", "hr")
    resp = await http.delete(f"/orgs/{org_id}/invitations/{invitation['id']}", headers=owner.h)
    assert resp.status_code == 204, resp.text
    assert (await team(http, owner, org_id))["invitations"] == []
    assert_problem(await accept(http, anna, token), 400, "team.invitation_invalid")
    assert_problem(await accept(http, anna, "ABCD-EFGH-JKLM"), 400, "team.invitation_invalid")
    assert_problem(await accept(http, anna, "код?!"), 422, "validation.failed")
    assert membership(server_app, org_id, anna.id) is None


async def test_invitee_cannot_choose_or_raise_the_role_offered(http, server_app):
    owner, org_id = await start(http)
    anna = await sign_up(http, "anna@example.ru")
    _, low = await invite(http, owner, org_id, "anna@example.ru", "observer")

    # The acceptance carries only the code: a role in it is refused, nothing happens.
    resp = await http.post("/invitations/accept", json={"token": low, "role": "accountant"},
                           headers=anna.h)
    body = assert_problem(resp, 422, "validation.failed")
    assert body["errors"][0]["field"] == "role"
    assert membership(server_app, org_id, anna.id) is None

    assert (await accept(http, anna, low)).json() == {"org_id": org_id, "role": "observer"}
    # Once in, she cannot promote herself or invite herself again as someone higher.
    resp = await patch(http, anna, org_id, anna.id, role="accountant")
    assert_problem(resp, 403, "orgs.forbidden")
    resp = await http.post(f"/orgs/{org_id}/invitations",
                           json={"email": "anna+2@example.ru", "role": "accountant"},
                           headers=anna.h)
    assert_problem(resp, 403, "orgs.forbidden")
    assert membership(server_app, org_id, anna.id).role == "observer"


async def test_a_second_invitation_does_not_change_a_members_role(http, server_app):
    owner, org_id = await start(http)
    anna = await sign_up(http, "anna@example.ru")
    _, low = await invite(http, owner, org_id, "anna@example.ru", "observer")
    _, high = await invite(http, owner, org_id, "anna@example.ru", "accountant")
    assert (await accept(http, anna, low)).status_code == 200
    assert_problem(await accept(http, anna, high), 409, "team.already_member")
    assert membership(server_app, org_id, anna.id).role == "observer"
    # And a member cannot be invited again.
    resp = await http.post(f"/orgs/{org_id}/invitations",
                           json={"email": "anna@example.ru", "role": "director"},
                           headers=owner.h)
    assert_problem(resp, 409, "team.already_member")


async def test_ids_of_another_organisation_are_not_found(http, server_app):
    owner, org_id = await start(http)
    stranger = await sign_up(http, "stranger@example.ru")
    other = (await create_org(http, stranger, ip()))["id"]
    theirs, token = await invite(http, stranger, other, "anna@example.ru", "hr")

    resp = await patch(http, owner, org_id, stranger.id, status="blocked")
    assert_problem(resp, 404, "team.member_not_found")
    resp = await http.delete(f"/orgs/{org_id}/members/{stranger.id}", headers=owner.h)
    assert_problem(resp, 404, "team.member_not_found")
    resp = await http.delete(f"/orgs/{org_id}/invitations/{theirs['id']}", headers=owner.h)
    assert_problem(resp, 404, "team.invitation_not_found")
    resp = await patch(http, owner, org_id, str(uuid.uuid4()), role="hr")
    assert_problem(resp, 404, "team.member_not_found")

    assert membership(server_app, other, stranger.id).status == "active"
    anna = await sign_up(http, "anna@example.ru")
    assert (await accept(http, anna, token)).json() == {"org_id": other, "role": "hr"}


# --- block, unblock, change role, remove ------------------------------------------------


async def test_blocked_member_is_refused_at_once_and_unblocked_again(http):
    owner, org_id = await start(http)
    anna = await join(http, owner, org_id, "anna@example.ru", "director")
    assert (await http.get(f"/orgs/{org_id}/audit", headers=anna.h)).status_code == 200

    resp = await patch(http, owner, org_id, anna.id, status="blocked")
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "blocked" and resp.json()["role"] == "director"
    for path in (f"/orgs/{org_id}", f"/orgs/{org_id}/team", f"/orgs/{org_id}/audit"):
        assert_problem(await http.get(path, headers=anna.h), 403, "orgs.blocked")
    assert_problem(await http.post(f"/orgs/{org_id}/use", headers=anna.h), 403, "orgs.blocked")
    mine = (await http.get("/orgs", headers=anna.h)).json()["items"]
    assert [(o["id"], o["status"]) for o in mine] == [(org_id, "blocked")]

    resp = await patch(http, owner, org_id, anna.id, status="active")
    assert resp.status_code == 200 and resp.json()["status"] == "active"
    assert (await http.get(f"/orgs/{org_id}/audit", headers=anna.h)).status_code == 200


async def test_changed_role_applies_to_the_next_request(http):
    owner, org_id = await start(http)
    anna = await join(http, owner, org_id, "anna@example.ru", "observer")
    audit = f"/orgs/{org_id}/audit"
    assert_problem(await http.get(audit, headers=anna.h), 403, "orgs.forbidden")

    resp = await patch(http, owner, org_id, anna.id, role="director")
    assert resp.status_code == 200, resp.text
    assert resp.json() == {**resp.json(), "role": "director", "status": "active", "you": False}
    assert (await http.get(audit, headers=anna.h)).status_code == 200

    assert (await patch(http, owner, org_id, anna.id, role="hr")).status_code == 200
    assert_problem(await http.get(audit, headers=anna.h), 403, "orgs.forbidden")
    got = await http.get(f"/orgs/{org_id}", headers=anna.h)
    assert got.json()["role"] == "hr"


async def test_removed_member_is_refused_at_once(http, server_app):
    owner, org_id = await start(http)
    anna = await join(http, owner, org_id, "anna@example.ru", "primary")
    resp = await http.delete(f"/orgs/{org_id}/members/{anna.id}", headers=owner.h)
    assert resp.status_code == 204, resp.text
    assert_problem(await http.get(f"/orgs/{org_id}", headers=anna.h), 404, "orgs.not_found")
    assert_problem(await http.get(f"/orgs/{org_id}/team", headers=anna.h), 404, "orgs.not_found")
    assert (await http.get("/orgs", headers=anna.h)).json()["items"] == []
    assert membership(server_app, org_id, anna.id) is None
    resp = await http.delete(f"/orgs/{org_id}/members/{anna.id}", headers=owner.h)
    assert_problem(resp, 404, "team.member_not_found")
    emails = [x["email"] for x in (await team(http, owner, org_id))["members"]]
    assert emails == ["owner@example.ru"]
    # She can come back only through a new invitation.
    _, token = await invite(http, owner, org_id, "anna@example.ru", "observer")
    assert (await accept(http, anna, token)).json()["role"] == "observer"


# --- the last manager --------------------------------------------------------------------


async def test_the_last_manager_cannot_be_demoted_blocked_or_removed(http, server_app):
    owner, org_id = await start(http)
    anna = await join(http, owner, org_id, "anna@example.ru", "director")

    for body in ({"role": "director"}, {"status": "blocked"},
                 {"role": "observer", "status": "blocked"}):
        assert_problem(await patch(http, owner, org_id, owner.id, **body), 409,
                       "team.last_manager")
    resp = await http.delete(f"/orgs/{org_id}/members/{owner.id}", headers=owner.h)
    assert_problem(resp, 409, "team.last_manager")
    ms = membership(server_app, org_id, owner.id)
    assert (ms.role, ms.status) == ("accountant", "active")
    # A patch that keeps the right is not a demotion.
    assert (await patch(http, owner, org_id, owner.id, role="accountant")).status_code == 200
    # Other members remain freely manageable.
    assert (await patch(http, owner, org_id, anna.id, status="blocked")).status_code == 200


async def test_a_blocked_accountant_does_not_count_as_a_manager(http, server_app):
    owner, org_id = await start(http)
    boris = await join(http, owner, org_id, "boris@example.ru", "accountant")
    assert (await patch(http, owner, org_id, boris.id, status="blocked")).status_code == 200
    # Boris is an accountant, but blocked: the owner is still the last one who manages.
    assert_problem(await patch(http, owner, org_id, owner.id, role="observer"), 409,
                   "team.last_manager")
    assert (await patch(http, owner, org_id, boris.id, status="active")).status_code == 200

    # With Boris active the owner may step down; then Boris is the last one.
    resp = await patch(http, owner, org_id, owner.id, role="observer")
    assert resp.status_code == 200, resp.text
    assert resp.json()["you"] is True
    assert_problem(await patch(http, owner, org_id, boris.id, status="blocked"), 403,
                   "orgs.forbidden")  # the owner no longer manages the team
    for body in ({"status": "blocked"}, {"role": "director"}):
        assert_problem(await patch(http, boris, org_id, boris.id, **body), 409,
                       "team.last_manager")
    resp = await http.delete(f"/orgs/{org_id}/members/{boris.id}", headers=boris.h)
    assert_problem(resp, 409, "team.last_manager")
    # Boris can remove the former owner, who no longer manages anything.
    resp = await http.delete(f"/orgs/{org_id}/members/{owner.id}", headers=boris.h)
    assert resp.status_code == 204, resp.text
    assert [(m.user_id, m.role, m.status) for m in rows(
        server_app, Membership, Membership.org_id == org_id)] == [
        (boris.id, "accountant", "active")]
