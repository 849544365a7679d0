"""Provides AuthApi: registration, sign-in, password reset, devices, the local mailbox."""

from __future__ import annotations

from client.areas.base import Area, path_id
from core import contract as m


class AuthApi(Area):
    """``api.auth``: who the user is and the devices they are signed in on."""

    async def send_sms_code(self, phone: str) -> m.SmsCodeSent:
        body = m.SmsCodeRequest(phone=phone)
        return await self._call("POST", "/auth/sms-codes", m.SmsCodeSent, body, auth=False)

    async def register(self, email: str, phone: str, password: str, sms_code: str) -> m.Accepted:
        body = m.RegisterRequest(email=email, phone=phone, password=password, sms_code=sms_code)
        return await self._call("POST", "/auth/register", m.Accepted, body, auth=False)

    async def confirm_email(self, token: str) -> m.Confirmed:
        body = m.TokenRequest(token=token)
        return await self._call("POST", "/auth/email-confirmations", m.Confirmed, body, auth=False)

    async def resend_confirmation(self, email: str) -> m.Accepted:
        body = m.EmailRequest(email=email)
        return await self._call(
            "POST", "/auth/email-confirmations/resend", m.Accepted, body, auth=False
        )

    async def request_password_reset(self, email: str) -> m.Accepted:
        body = m.EmailRequest(email=email)
        return await self._call("POST", "/auth/password-reset", m.Accepted, body, auth=False)

    async def reset_password(self, token: str, new_password: str) -> m.Confirmed:
        body = m.PasswordResetConfirm(token=token, new_password=new_password)
        return await self._call(
            "POST", "/auth/password-reset/confirm", m.Confirmed, body, auth=False
        )

    async def login(self, email: str, password: str, *, remember: bool) -> m.User:
        body = m.LoginRequest(
            email=email, password=password, remember=remember, device_name=self._api.device_name
        )
        pair = await self._call("POST", "/auth/login", m.TokenPair, body, auth=False)
        self._api.session.accept(pair)
        return pair.user

    async def resume(self) -> m.User | None:
        """Sign in with the remembered device, if any; None when nothing is remembered."""
        return await self._api.session.resume()

    async def logout(self) -> None:
        session = self._api.session
        try:
            if session.access:
                await self._send("POST", "/auth/logout")
        finally:
            session.forget()

    async def me(self) -> m.User:
        return await self._call("GET", "/me", m.User)

    async def devices(self) -> list[m.Device]:
        return (await self._call("GET", "/devices", m.DeviceList)).items

    async def revoke_device(self, device_id: str) -> None:
        await self._send("DELETE", f"/devices/{path_id(device_id)}")
        session = self._api.session
        if device_id == session.device_id:
            session.forget()

    async def local_mailbox(self, after: int = 0) -> list[m.OutboxMessage]:
        """Messages kept by the embedded server instead of being sent (empty remotely)."""
        if not self._api.embedded:
            return []
        result = await self._call(
            "GET", "/dev/outbox", m.OutboxList, auth=False, params={"after": after}
        )
        return result.items
