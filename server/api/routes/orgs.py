"""Provides the organisation routes: requisites, switching, the team, the audit log."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from core import contract as m
from server.api.access import require
from server.api.deps import CallerDep, DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.orgs import Orgs

router = APIRouter(tags=["organisations"])


def orgs(request: Request) -> Orgs:
    return request.app.state.orgs


@router.get("/orgs")
def list_orgs(request: Request, caller: CallerDep, db: DbDep) -> m.OrgList:
    return orgs(request).list_mine(db, caller.ctx)


@router.post("/orgs", status_code=status.HTTP_201_CREATED)
def create_org(body: m.OrgIn, request: Request, caller: CallerDep, db: DbDep) -> m.Org:
    return orgs(request).create(db, caller.ctx, body)


@router.post("/invitations/accept")
def accept_invitation(
    body: m.AcceptInvitation, request: Request, caller: CallerDep, db: DbDep
) -> m.Joined:
    return orgs(request).accept(db, caller.ctx, body.token)


@router.get("/orgs/{org_id}")
def get_org(request: Request, db: DbDep, oc: OrgCtx = require(Perm.ORG_READ)) -> m.Org:
    return orgs(request).get(db, oc)


@router.put("/orgs/{org_id}")
def update_org(
    body: m.OrgIn, request: Request, db: DbDep, oc: OrgCtx = require(Perm.ORG_EDIT)
) -> m.Org:
    return orgs(request).update(db, oc, body)


@router.post("/orgs/{org_id}/use", status_code=status.HTTP_204_NO_CONTENT)
def use_org(request: Request, db: DbDep, oc: OrgCtx = require(Perm.ORG_READ)) -> Response:
    orgs(request).use(db, oc)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/orgs/{org_id}/team")
def get_team(request: Request, db: DbDep, oc: OrgCtx = require(Perm.TEAM_READ)) -> m.Team:
    return orgs(request).team(db, oc)


@router.post("/orgs/{org_id}/invitations", status_code=status.HTTP_201_CREATED)
def invite(
    body: m.InviteIn, request: Request, db: DbDep, oc: OrgCtx = require(Perm.TEAM_MANAGE)
) -> m.InvitationOut:
    return orgs(request).invite(db, oc, body)


@router.delete("/orgs/{org_id}/invitations/{invitation_id}", status_code=204)
def revoke_invitation(
    invitation_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.TEAM_MANAGE),
) -> Response:
    orgs(request).revoke_invitation(db, oc, str(invitation_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.patch("/orgs/{org_id}/members/{user_id}")
def change_member(
    user_id: uuid.UUID, body: m.MemberPatch, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.TEAM_MANAGE),
) -> m.Member:
    return orgs(request).change_member(db, oc, str(user_id), body)


@router.delete("/orgs/{org_id}/members/{user_id}", status_code=204)
def remove_member(
    user_id: uuid.UUID, request: Request, db: DbDep, oc: OrgCtx = require(Perm.TEAM_MANAGE)
) -> Response:
    orgs(request).remove_member(db, oc, str(user_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/orgs/{org_id}/audit")
def audit_log(
    request: Request,
    db: DbDep,
    oc: OrgCtx = require(Perm.AUDIT_READ),
    user: Annotated[str | None, Query(max_length=320)] = None,
    object_type: Annotated[str | None, Query(max_length=40)] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> m.AuditPage:
    """Newest first. ``date_to`` is inclusive (the whole day)."""
    tz = datetime.now().astimezone().tzinfo
    start = datetime.combine(date_from, time.min, tz) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, tz) if date_to else None
    return orgs(request).audit_page(
        db, oc, user_email=user, object_type=object_type, date_from=start, date_to=end,
        cursor=cursor, limit=limit,
    )
