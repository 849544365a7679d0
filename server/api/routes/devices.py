"""Provides the routes for the user's devices (list, revoke)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from core import contract as m
from server.api.deps import AuthDep, CallerDep, DbDep

router = APIRouter(tags=["devices"])


@router.get("/devices")
def list_devices(caller: CallerDep, db: DbDep, auth: AuthDep) -> m.DeviceList:
    return auth.list_devices(db, caller.ctx, caller.user.id)


@router.delete("/devices/{device_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_device(device_id: uuid.UUID, caller: CallerDep, db: DbDep, auth: AuthDep) -> Response:
    auth.revoke_device(db, caller.ctx, caller.user.id, str(device_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
