"""Provides AuthSession (who is signed in) and TokenAuth (renewal as an ``httpx.Auth`` flow).

- the bearer access token lives in memory only; the refresh token (which rotates)
  is remembered in the SessionStore when the user asked for it;
- a 401 ``auth.access_expired`` renews once through ``/auth/refresh`` and the
  request is sent again; a second 401 ends the session;
- a session renewed by another process on the device (``buhta export``) is picked
  up from the store: renewing with our spent token would look like a stolen one
  and the server would sign the device out. The server keeps one access token per
  device, so that renewal voids ours (401 ``auth.unauthorized``): a process renews
  and writes the new pair while holding the store's cross-process lock, and a 401
  first takes that lock and adopts the pair the store holds (no renewal of its own,
  which would void the other's in turn) before it calls the session over;
- a revoked device drops its remembered credentials and raises SessionRevoked.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Generator

import httpx
from pydantic import ValidationError

from client.errors import AuthError, SessionRevoked
from client.i18n import t
from client.session import RememberedDevice, SessionStore
from client.transport import Transport, error_from, problem_code
from core import contract as m

# Codes after which the device's credentials are worthless.
DEAD_SESSION_CODES = frozenset({"auth.session_revoked", "auth.unauthorized"})


def _unauthorized() -> SessionRevoked:
    return SessionRevoked(401, "auth.unauthorized", t("error.auth.unauthorized"))


class AuthSession:
    """The signed-in session of one ApiClient: its tokens, user and device."""

    def __init__(
        self, transport: Transport, *, store: SessionStore | None, server_key: str
    ) -> None:
        self.transport = transport
        self.store = store
        self.server_key = server_key
        self.access: str | None = None
        self.refresh: str | None = None
        self.remember = False
        self.user: m.User | None = None
        self.device_id: str | None = None
        self._lock = asyncio.Lock()

    @property
    def signed_in(self) -> bool:
        return self.access is not None

    def auth(self) -> TokenAuth:
        """The ``httpx.Auth`` of one call: its retries share it, so it renews at most once."""
        return TokenAuth(self)

    def remembered(self) -> RememberedDevice | None:
        return self.store.load(self.server_key) if self.store else None

    def accept(self, pair: m.TokenPair) -> None:
        """Take a new token pair (login or renewal); remember it when asked to."""
        self.access = pair.access_token
        self.refresh = pair.refresh_token
        self.remember = pair.remember
        self.user = pair.user
        self.device_id = pair.device_id
        if pair.remember and self.store is not None:
            self.store.save(
                self.server_key,
                RememberedDevice(pair.device_id, pair.refresh_token, pair.user.email,
                                 pair.access_token),
            )

    def forget(self) -> None:
        """Signed out: tokens, cached answers and the remembered device are dropped."""
        self.transport.clear_cache()
        device_id = self.device_id
        self.access = self.refresh = None
        self.user = None
        self.device_id = None
        if self.store is not None:
            self.store.clear(self.server_key, device_id=device_id)

    async def resume(self) -> m.User | None:
        """Sign in with the remembered device, if any; None when nothing is remembered."""
        saved = self.remembered()
        if saved is None:
            return None
        self.refresh = saved.refresh_token
        self.remember = True
        await self.renew()
        return self.user

    def stored_newer(self) -> RememberedDevice | None:
        """This device's remembered pair when another process on the device (``buhta
        export``) has renewed the session since we did; None otherwise."""
        if not (self.remember and self.store is not None):
            return None
        stored = self.store.load(self.server_key)
        if stored is None or (self.device_id and stored.device_id != self.device_id):
            return None
        return stored if stored.refresh_token != self.refresh else None

    def newer_stored_token(self) -> str | None:
        """The refresh token of :meth:`stored_newer`, if any."""
        stored = self.stored_newer()
        return stored.refresh_token if stored is not None else None

    def _store_lock(self) -> contextlib.AbstractAsyncContextManager[None]:
        if self.remember and self.store is not None:
            return self.store.locked()
        return contextlib.nullcontext()

    async def renew(self) -> None:
        """Swap the refresh token for a new pair (one renewal at a time, across the
        processes of the device too)."""
        async with self._lock, self._store_lock():
            await self._renew()

    async def recover(self, sent: str | None, code: str | None, *,
                      may_renew: bool = True) -> str | None:
        """A call sent with the access token ``sent`` got a 401 ``code``: how it may be
        sent again — ``"current"``, ``"adopted"`` or ``"renewed"`` — or None when this
        session is over.

        Renewed meanwhile by another call of ours: the current token. Renewed by another
        process of the device (which voids our access token): the pair it wrote, read
        once its renewal is over, and no renewal of our own (it would void the other's).
        Expired: a renewal (when ``may_renew``). Unknown and nobody renewed: over."""
        async with self._lock:
            if self.access is not None and self.access != sent:
                return "current"
            async with self._store_lock():
                stored = self.stored_newer()
                if stored is not None and stored.access_token and stored.access_token != sent:
                    self.refresh, self.access = stored.refresh_token, stored.access_token
                    self.device_id = stored.device_id
                    return "adopted"
                if not may_renew or (stored is None and code != "auth.access_expired"):
                    return None
                await self._renew()
                return "renewed"

    async def _renew(self) -> None:
        newer = self.newer_stored_token()
        if newer is not None:
            self.refresh = newer
        token = self.refresh
        if token is None:
            raise _unauthorized()
        try:
            # A token the wire model refuses (a hand-edited or cut credentials
            # file) is as dead as a revoked one.
            body = m.RefreshRequest(refresh_token=token)
        except ValidationError:
            self.forget()
            raise _unauthorized() from None
        try:
            # Sent like any write: a lost answer is replayed under the same
            # Idempotency-Key, never presented again as a spent token.
            pair = await self.transport.call("POST", "/auth/refresh", m.TokenPair, body)
        except AuthError as exc:
            self.forget()
            raise SessionRevoked(exc.status, exc.code, exc.detail) from exc
        self.accept(pair)


class TokenAuth(httpx.Auth):
    """Sends with the access token; on a 401 takes a newer session (the store's, or a
    renewal) and sends again."""

    RECOVERIES = 3
    """Sends again at most this often (a pair adopted from another process may have
    expired too); it renews at most once."""

    def __init__(self, tokens: AuthSession) -> None:
        self.tokens = tokens
        self.recoveries = 0
        self.renewed = False

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        raise RuntimeError("the session renews asynchronously: use httpx.AsyncClient")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        tokens = self.tokens
        while True:
            if tokens.access is None:
                raise AuthError(401, "auth.unauthorized", t("error.auth.unauthorized"))
            sent = tokens.access
            request.headers["Authorization"] = f"Bearer {sent}"
            response = yield request
            if response.status_code != 401:
                return
            await response.aread()
            code = problem_code(response)
            if self.recoveries < self.RECOVERIES and tokens.refresh and code in (
                "auth.access_expired", "auth.unauthorized"
            ):
                self.recoveries += 1
                how = await tokens.recover(sent, code, may_renew=not self.renewed)
                self.renewed = self.renewed or how == "renewed"
                if how is not None:
                    continue
            if code in DEAD_SESSION_CODES or code == "auth.access_expired":
                tokens.forget()
                raise error_from(response, SessionRevoked)
            return
