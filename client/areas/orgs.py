"""Provides OrgsApi: organisations, their team, invitations and the audit log."""

from __future__ import annotations

from typing import Any

from client.areas.base import Area, path_id, present
from core import contract as m


class OrgsApi(Area):
    """``api.orgs``: the organisations the user works in."""

    async def mine(self) -> list[m.OrgSummary]:
        """The organisations the user belongs to (any status)."""
        return (await self._call("GET", "/orgs", m.OrgList)).items

    async def create(self, data: m.OrgIn) -> m.Org:
        return await self._call("POST", "/orgs", m.Org, data)

    async def get(self, org_id: str) -> m.Org:
        return await self._call("GET", f"/orgs/{path_id(org_id)}", m.Org)

    async def update(self, org_id: str, data: m.OrgIn) -> m.Org:
        return await self._call("PUT", f"/orgs/{path_id(org_id)}", m.Org, data)

    async def use(self, org_id: str) -> None:
        """Mark the organisation as the last used (the next start opens it)."""
        await self._send("POST", f"/orgs/{path_id(org_id)}/use")

    async def team(self, org_id: str) -> m.Team:
        return await self._call("GET", f"/orgs/{path_id(org_id)}/team", m.Team)

    async def invite(self, org_id: str, email: str, role: str) -> m.InvitationOut:
        body = m.InviteIn(email=email, role=role)  # type: ignore[arg-type]
        path = f"/orgs/{path_id(org_id)}/invitations"
        return await self._call("POST", path, m.InvitationOut, body)

    async def revoke_invitation(self, org_id: str, invitation_id: str) -> None:
        await self._send("DELETE", f"/orgs/{path_id(org_id)}/invitations/{path_id(invitation_id)}")

    async def change_member(
        self, org_id: str, user_id: str, *, role: str | None = None, status: str | None = None
    ) -> m.Member:
        body = m.MemberPatch(role=role, status=status)  # type: ignore[arg-type]
        path = f"/orgs/{path_id(org_id)}/members/{path_id(user_id)}"
        return await self._call("PATCH", path, m.Member, body)

    async def remove_member(self, org_id: str, user_id: str) -> None:
        await self._send("DELETE", f"/orgs/{path_id(org_id)}/members/{path_id(user_id)}")

    async def accept_invitation(self, token: str) -> m.Joined:
        body = m.AcceptInvitation(token=token)
        return await self._call("POST", "/invitations/accept", m.Joined, body)

    async def audit(
        self,
        org_id: str,
        *,
        user: str | None = None,
        object_type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> m.AuditPage:
        params: dict[str, Any] = {"limit": limit, **present(
            user=user, object_type=object_type, date_from=date_from, date_to=date_to,
            cursor=cursor)}
        return await self._call("GET", f"/orgs/{path_id(org_id)}/audit", m.AuditPage,
                                params=params)
