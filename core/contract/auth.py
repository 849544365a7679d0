"""Provides the wire contract for registration, login, sessions, devices and the dev outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core import validation as v
from core.contract.common import DeviceName, Email, Password, Phone, SmsCode, Token, WireModel


class SmsCodeRequest(WireModel):
    phone: Phone


class RegisterRequest(WireModel):
    email: Email
    phone: Phone
    password: Password
    sms_code: SmsCode

    @model_validator(mode="after")
    def _password_shape(self) -> RegisterRequest:
        v.check_password_shape(self.password, self.email)
        return self


class EmailRequest(WireModel):
    email: Email


class TokenRequest(WireModel):
    token: Token


class LoginRequest(WireModel):
    email: Email
    # No shape check on login: an old password that no longer meets the rules must
    # still be refused as "wrong e-mail or password", not as a validation error.
    password: Annotated[str, Field(min_length=1, max_length=4 * v.PASSWORD_MAX)]
    remember: bool = False
    device_name: DeviceName = "terminal"


class RefreshRequest(WireModel):
    refresh_token: Annotated[str, Field(min_length=10, max_length=200)]


class PasswordResetConfirm(WireModel):
    token: Token
    new_password: Password

    @model_validator(mode="after")
    def _password_shape(self) -> PasswordResetConfirm:
        v.check_password_shape(self.new_password)
        return self


class Accepted(WireModel):
    """The same answer whether or not the address is known (no enumeration)."""

    status: Literal["accepted"] = "accepted"


class SmsCodeSent(WireModel):
    status: Literal["sent"] = "sent"
    expires_in: int


class Confirmed(WireModel):
    status: Literal["confirmed"] = "confirmed"


class User(WireModel):
    id: str
    email: str
    phone: str
    email_confirmed: bool
    created_at: datetime


class TokenPair(WireModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    device_id: str
    remember: bool
    user: User


class Device(WireModel):
    id: str
    name: str
    remembered: bool
    created_at: datetime
    last_seen_at: datetime
    current: bool


class DeviceList(WireModel):
    items: list[Device]


class OutboxMessage(WireModel):
    id: int
    channel: Literal["email", "sms"]
    recipient: str
    subject: str | None
    body: str
    created_at: datetime
    sent_at: datetime | None


class OutboxList(WireModel):
    items: list[OutboxMessage]
