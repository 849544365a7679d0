"""ApiClient against the real server app (httpx.ASGITransport), with a real SessionStore."""

from __future__ import annotations

import json
import stat

import httpx
import pytest

from client.api import ApiClient
from client.errors import AuthError, RateLimited, SessionRevoked, ValidationFailed
from client.session import SessionStore
from server.db.models import Device
from tests.conftest import PASSWORD, last_mail_token, last_sms_code
from tests.helpers import in_the_past, rows, set_columns

EMAIL = "ivan@example.ru"
PHONE = "+79123456789"
SERVER_KEY = "test"


@pytest.fixture
def store(tmp_path) -> SessionStore:
    return SessionStore(tmp_path / "home" / "credentials" / "credentials.v1.json")


@pytest.fixture
async def make_api(server_app, store):
    made: list[ApiClient] = []

    def make(*, store: SessionStore | None = store, device_name: str = "terminal") -> ApiClient:
        api = ApiClient(
            base_url="http://test",
            server_key=SERVER_KEY,
            transport=httpx.ASGITransport(app=server_app),
            store=store,
            backoff_s=(0,),
            device_name=device_name,
        )
        made.append(api)
        return api

    yield make
    for api in made:
        await api.aclose()


@pytest.fixture
def api(make_api) -> ApiClient:
    return make_api()


async def sign_up(api: ApiClient, http: httpx.AsyncClient, email=EMAIL, phone=PHONE) -> None:
    sent = await api.auth.send_sms_code(phone)
    assert sent.expires_in == 600
    code = await last_sms_code(http, phone)
    accepted = await api.auth.register(email, phone, PASSWORD, code)
    assert accepted.status == "accepted"
    token = await last_mail_token(http, email)
    assert (await api.auth.confirm_email(token)).status == "confirmed"


async def test_register_confirm_login_remember_writes_the_credentials_file(api, http, store):
    await sign_up(api, http)
    user = await api.auth.login(EMAIL, PASSWORD, remember=True)
    assert user.email == EMAIL and user.email_confirmed
    assert api.signed_in and api.device_id

    path = store.path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    entry = data["servers"][SERVER_KEY]
    assert entry["device_id"] == api.device_id
    assert entry["refresh_token"] == api.session.refresh
    assert entry["email"] == EMAIL
    assert PASSWORD not in raw
    # The short-lived access token it came with: another process of the device (buhta
    # export) adopts it instead of renewing, which would void this one (issue #12 pt 3).
    assert entry["access_token"] == api.session.access
    assert (await api.auth.me()).email == EMAIL


async def test_login_without_remember_writes_nothing(api, http, store):
    await sign_up(api, http)
    await api.auth.login(EMAIL, PASSWORD, remember=False)
    assert not store.path.exists()
    assert not store.path.parent.exists() or list(store.path.parent.iterdir()) == []
    assert (await api.auth.me()).email == EMAIL


async def test_resume_with_a_fresh_client_rotates_the_stored_token(api, make_api, http, store):
    await sign_up(api, http)
    await api.auth.login(EMAIL, PASSWORD, remember=True)
    saved = store.load(SERVER_KEY)

    fresh = make_api()
    try:
        assert not fresh.signed_in
        user = await fresh.auth.resume()
        assert user is not None and user.email == EMAIL
        assert fresh.device_id == saved.device_id
        rotated = store.load(SERVER_KEY)
        assert rotated.device_id == saved.device_id
        assert rotated.refresh_token != saved.refresh_token
        assert (await fresh.auth.me()).email == EMAIL
        devices = await fresh.auth.devices()
        assert [d.current for d in devices] == [True]
    finally:
        await fresh.aclose()


async def test_resume_with_nothing_remembered(api):
    assert await api.auth.resume() is None
    assert not api.signed_in


async def test_logout_deletes_the_file_and_ends_the_session(api, make_api, http, store):
    await sign_up(api, http)
    await api.auth.login(EMAIL, PASSWORD, remember=True)
    stolen = store.load(SERVER_KEY)
    await api.auth.logout()
    assert not store.path.exists()
    assert not api.signed_in
    with pytest.raises(AuthError):
        await api.auth.me()
    # The refresh token is worthless on the server too.
    store.save(SERVER_KEY, stolen)
    other = make_api()
    try:
        with pytest.raises(SessionRevoked):
            await other.auth.resume()
        assert not store.path.exists()
    finally:
        await other.aclose()


async def test_revoked_device_raises_session_revoked_and_drops_the_file(
    api, make_api, http, store, tmp_path
):
    await sign_up(api, http)
    await api.auth.login(EMAIL, PASSWORD, remember=True)
    office = make_api(store=SessionStore(tmp_path / "office" / "credentials.json"),
                      device_name="Офис")
    try:
        await office.auth.login(EMAIL, PASSWORD, remember=False)
        devices = {d.name: d for d in await office.auth.devices()}
        assert set(devices) == {"terminal", "Офис"}
        await office.auth.revoke_device(devices["terminal"].id)
    finally:
        await office.aclose()
    with pytest.raises(SessionRevoked) as caught:
        await api.auth.me()
    assert caught.value.code == "auth.session_revoked"
    assert caught.value.detail  # the server's own words
    assert not store.path.exists()
    assert not api.signed_in


async def test_revoking_the_own_device_forgets_it(api, http, store):
    await sign_up(api, http)
    await api.auth.login(EMAIL, PASSWORD, remember=True)
    await api.auth.revoke_device(api.device_id)
    assert not store.path.exists() and not api.signed_in


async def test_expired_access_is_renewed_transparently(api, http, server_app, store):
    await sign_up(api, http)
    await api.auth.login(EMAIL, PASSWORD, remember=True)
    before = store.load(SERVER_KEY)
    old_access = api.session.access
    set_columns(server_app, Device, Device.id == api.device_id, access_expires_at=in_the_past())
    assert (await api.auth.me()).email == EMAIL
    assert api.session.access != old_access
    after = store.load(SERVER_KEY)
    assert after.refresh_token != before.refresh_token
    # The device is still the same single device, not revoked.
    (device,) = rows(server_app, Device)
    assert device.revoked_at is None


async def test_a_renewal_made_by_another_process_is_picked_up(make_api, http, server_app,
                                                              store):
    """The app and ``buhta export`` share the remembered session of a device: when the
    other process renewed it, the app renews with the newer stored token instead of
    replaying its spent one (which the server takes for theft and revokes the device)."""
    app_api = make_api()
    await sign_up(app_api, http)
    await app_api.auth.login(EMAIL, PASSWORD, remember=True)
    # "buhta export": another client restores the same remembered device and renews.
    other = make_api()
    assert await other.auth.resume()
    set_columns(server_app, Device, Device.id == other.device_id, access_expires_at=in_the_past())
    assert (await other.auth.me()).email == EMAIL
    # Now the app's access token expires too: it must not be signed out.
    set_columns(server_app, Device, Device.id == app_api.device_id,
                access_expires_at=in_the_past())
    assert (await app_api.auth.me()).email == EMAIL
    (device,) = rows(server_app, Device)
    assert device.revoked_at is None


async def test_expired_refresh_on_renewal_drops_the_session(api, http, server_app, store):
    await sign_up(api, http)
    await api.auth.login(EMAIL, PASSWORD, remember=True)
    set_columns(server_app, Device, Device.id == api.device_id,
                access_expires_at=in_the_past(), refresh_expires_at=in_the_past())
    with pytest.raises(SessionRevoked):
        await api.auth.me()
    assert not store.path.exists()


async def test_server_refusals_become_typed_errors(api, http):
    with pytest.raises(ValidationFailed) as caught:
        await api.auth.confirm_email("AAAA-BBBB-CCCC")
    assert caught.value.code == "auth.token_invalid" and caught.value.status == 400
    with pytest.raises(AuthError) as caught:
        await api.auth.login("nobody@example.ru", "что-нибудь 12", remember=False)
    assert caught.value.code == "auth.invalid_credentials"
    assert not isinstance(caught.value, SessionRevoked)
    for _ in range(3):
        await api.auth.send_sms_code(PHONE)
    with pytest.raises(RateLimited) as caught:
        await api.auth.send_sms_code(PHONE)
    assert caught.value.retry_after and caught.value.retry_after > 3000


async def test_password_reset_through_the_client(api, http):
    await sign_up(api, http)
    await api.auth.login(EMAIL, PASSWORD, remember=True)
    assert (await api.auth.request_password_reset(EMAIL)).status == "accepted"
    token = await last_mail_token(http, EMAIL)
    assert (await api.auth.reset_password(token, "Новый пароль для Бухты")).status == "confirmed"
    with pytest.raises(SessionRevoked):
        await api.auth.me()
    await api.auth.login(EMAIL, "Новый пароль для Бухты", remember=False)
    assert (await api.auth.me()).email == EMAIL


class LoseFirstResponse(httpx.AsyncBaseTransport):
    """Passes requests to the server but loses the first answer to ``path``.

    The server has done the work when the client sees the timeout: exactly the
    case the Idempotency-Key exists for.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, path: str) -> None:
        self.inner, self.path = inner, path
        self.keys: list[str | None] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path.endswith(self.path):
            self.keys.append(request.headers.get("idempotency-key"))
            if len(self.keys) == 1:
                await response.aread()
                raise httpx.ReadTimeout("answer lost", request=request)
        return response


async def test_a_lost_refresh_answer_does_not_kill_the_session(http, server_app, store):
    """Without idempotent replay the retry would present a spent refresh token
    and the server would revoke the device as stolen."""
    lossy = LoseFirstResponse(httpx.ASGITransport(app=server_app), "/auth/refresh")
    api = ApiClient(base_url="http://test", server_key=SERVER_KEY, transport=lossy,
                    store=store, backoff_s=(0,))
    try:
        await sign_up(api, http)
        await api.auth.login(EMAIL, PASSWORD, remember=True)
        set_columns(server_app, Device, Device.id == api.device_id,
                    access_expires_at=in_the_past())
        assert (await api.auth.me()).email == EMAIL
        assert len(lossy.keys) == 2 and lossy.keys[0] == lossy.keys[1] is not None
        (device,) = rows(server_app, Device)
        assert device.revoked_at is None
        assert store.load(SERVER_KEY) is not None
    finally:
        await api.aclose()


async def test_a_lost_registration_answer_is_retried_without_a_second_account(
    http, server_app, store
):
    lossy = LoseFirstResponse(httpx.ASGITransport(app=server_app), "/auth/register")
    api = ApiClient(base_url="http://test", server_key=SERVER_KEY, transport=lossy,
                    store=store, backoff_s=(0,))
    try:
        await api.auth.send_sms_code(PHONE)
        code = await last_sms_code(http, PHONE)
        # The SMS code is spent by the first (lost) attempt: only a replay can succeed.
        assert (await api.auth.register(EMAIL, PHONE, PASSWORD, code)).status == "accepted"
        assert len(lossy.keys) == 2 and lossy.keys[0] == lossy.keys[1]
    finally:
        await api.aclose()
