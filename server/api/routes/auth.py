"""Provides the identity routes. Thin: parse, call the service, answer."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from core import contract as m
from server.api.deps import AuthDep, CallerDep, CtxDep, DbDep
from server.services.auth import user_out

router = APIRouter(tags=["auth"])

# Routes are plain ``def``: FastAPI runs them in a thread pool, so argon2 and
# the database never block the event loop the embedded app's UI runs on.


@router.post("/auth/sms-codes", status_code=status.HTTP_202_ACCEPTED)
def send_sms_code(body: m.SmsCodeRequest, db: DbDep, ctx: CtxDep, auth: AuthDep) -> m.SmsCodeSent:
    return auth.send_sms_code(db, ctx, body.phone)


@router.post("/auth/register", status_code=status.HTTP_202_ACCEPTED)
def register(body: m.RegisterRequest, db: DbDep, ctx: CtxDep, auth: AuthDep) -> m.Accepted:
    return auth.register(db, ctx, body)


@router.post("/auth/email-confirmations")
def confirm_email(body: m.TokenRequest, db: DbDep, ctx: CtxDep, auth: AuthDep) -> m.Confirmed:
    return auth.confirm_email(db, ctx, body.token)


@router.post("/auth/email-confirmations/resend", status_code=status.HTTP_202_ACCEPTED)
def resend_confirmation(
    body: m.EmailRequest, db: DbDep, ctx: CtxDep, auth: AuthDep
) -> m.Accepted:
    return auth.resend_confirmation(db, ctx, body.email)


@router.post("/auth/login")
def login(body: m.LoginRequest, db: DbDep, ctx: CtxDep, auth: AuthDep) -> m.TokenPair:
    return auth.login(db, ctx, body)


@router.post("/auth/refresh")
def refresh(body: m.RefreshRequest, db: DbDep, ctx: CtxDep, auth: AuthDep) -> m.TokenPair:
    return auth.refresh(db, ctx, body.refresh_token)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(caller: CallerDep, db: DbDep, auth: AuthDep) -> Response:
    auth.logout(db, caller.ctx, caller.device.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/auth/password-reset", status_code=status.HTTP_202_ACCEPTED)
def request_password_reset(
    body: m.EmailRequest, db: DbDep, ctx: CtxDep, auth: AuthDep
) -> m.Accepted:
    return auth.request_reset(db, ctx, body.email)


@router.post("/auth/password-reset/confirm")
def reset_password(
    body: m.PasswordResetConfirm, db: DbDep, ctx: CtxDep, auth: AuthDep
) -> m.Confirmed:
    return auth.reset_password(db, ctx, body)


@router.get("/me")
def me(caller: CallerDep) -> m.User:
    return user_out(caller.user)
