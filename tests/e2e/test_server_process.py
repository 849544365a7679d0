"""A real ``buhta-server`` on loopback, driven by the real ApiClient, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from client.api import ApiClient
from client.errors import AuthError, Forbidden, SessionRevoked
from client.session import SessionStore
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Белый кит плывёт на север 42"
NEW_PASSWORD = "Новый пароль для Бухты 2025"
EMAIL = "ivan@example.ru"
PHONE = "+79123456789"
TOKEN_RE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b")
PG_SKIP = "BUHTA_TEST_DATABASE_URL not set: PostgreSQL e2e skipped"


def reset_postgres(url: str) -> None:
    """Drop every table of the public schema (alembic_version too): migrate from scratch."""
    from sqlalchemy import create_engine, text

    from server.db.session import normalize_url

    engine = create_engine(normalize_url(url))
    try:
        with engine.begin() as conn:
            names = conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars().all()
            for name in names:
                conn.execute(text(f'DROP TABLE IF EXISTS public."{name}" CASCADE'))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    url = os.environ.get("BUHTA_TEST_DATABASE_URL")
    if not url:
        pytest.skip(PG_SKIP)
    reset_postgres(url)
    return url


@pytest.fixture
def server(database_url, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUHTA_")}
    env.update({
        "BUHTA_DEV_OUTBOX": "1",
        "BUHTA_MAIL_BACKEND": "local",
        "BUHTA_SMS_BACKEND": "local",
        "BUHTA_ARGON2_TIME_COST": "1",
        "BUHTA_ARGON2_MEMORY_KIB": "1024",
        "BUHTA_ARGON2_PARALLELISM": "1",
        "BUHTA_OUTBOX_POLL_S": "0.1",
        "PYTHONUNBUFFERED": "1",
    })
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "--host", "127.0.0.1", "--port", str(port),
             "--database-url", database_url, "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"buhta-server exited with {proc.returncode}:\n"
                            + log_path.read_text(errors="replace"))
            try:
                if httpx.get(f"{base_url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("buhta-server did not answer /api/v1/health within 60 s:\n"
                            + log_path.read_text(errors="replace"))
            time.sleep(0.1)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    # A clean shutdown (no traceback in the log) is part of the contract.
    assert "Traceback" not in log_path.read_text(errors="replace"), log_path.read_text()


class Mailbox:
    """The server's local outbox, read over HTTP like the embedded app's mailbox screen."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def items(self) -> list[dict]:
        resp = await self.http.get("/api/v1/dev/outbox")
        assert resp.status_code == 200
        return resp.json()["items"]

    async def sms_code(self, phone: str) -> str:
        for msg in await self.items():
            if msg["channel"] == "sms" and msg["recipient"] == phone:
                return re.search(r"\b(\d{6})\b", msg["body"]).group(1)
        raise AssertionError(f"no SMS to {phone}")

    async def mail_token(self, email: str) -> str:
        for msg in await self.items():
            if msg["channel"] == "email" and msg["recipient"] == email:
                found = TOKEN_RE.search(msg["body"])
                if found:
                    return found.group(1)
        raise AssertionError(f"no mail with a code to {email}")


async def test_full_identity_flow_against_a_real_server(server, tmp_path):
    store = SessionStore(tmp_path / "home" / "credentials" / "credentials.v1.json")
    made: list[ApiClient] = []

    def client(name: str = "terminal") -> ApiClient:
        api = ApiClient(base_url=server, server_key=server, store=store, device_name=name,
                        backoff_s=(0.1,), timeout_s=15)
        made.append(api)
        return api

    async with httpx.AsyncClient(base_url=server, timeout=10) as raw:
        mail = Mailbox(raw)
        try:
            # register → confirm
            api = client("Ноутбук")
            await api.auth.send_sms_code("8 912 345-67-89")
            code = await mail.sms_code(PHONE)
            assert (await api.auth.register(EMAIL, PHONE, PASSWORD, code)).status == "accepted"
            with pytest.raises(Forbidden) as caught:
                await api.auth.login(EMAIL, PASSWORD, remember=True)
            assert caught.value.code == "auth.email_not_confirmed"
            confirmed = await api.auth.confirm_email(await mail.mail_token(EMAIL))
            assert confirmed.status == "confirmed"

            # login, remembered on disk
            user = await api.auth.login(EMAIL, PASSWORD, remember=True)
            assert user.email == EMAIL and user.phone == PHONE
            saved = store.load(server)
            assert saved is not None and saved.device_id == api.device_id
            assert PASSWORD not in store.path.read_text(encoding="utf-8")

            # resume with a brand-new client (the app restarted)
            again = client()
            resumed = await again.auth.resume()
            assert resumed is not None and resumed.email == EMAIL
            assert again.device_id == saved.device_id
            assert store.load(server).refresh_token != saved.refresh_token
            assert (await again.auth.me()).id == user.id

            # devices: a second login shows up; revoke it from the first
            office = client("Офис")
            await office.auth.login(EMAIL, PASSWORD, remember=False)
            devices = {d.name: d for d in await again.auth.devices()}
            assert set(devices) == {"Ноутбук", "Офис"}
            assert devices["Ноутбук"].current and not devices["Офис"].current
            await again.auth.revoke_device(devices["Офис"].id)
            with pytest.raises(SessionRevoked):
                await office.auth.me()

            # logout drops the remembered device
            await again.auth.logout()
            assert store.load(server) is None
            assert not again.signed_in

            # reset the password; the old one stops working
            fresh = client()
            assert (await fresh.auth.request_password_reset(EMAIL)).status == "accepted"
            token = await mail.mail_token(EMAIL)
            assert (await fresh.auth.reset_password(token, NEW_PASSWORD)).status == "confirmed"
            with pytest.raises(AuthError) as caught:
                await fresh.auth.login(EMAIL, PASSWORD, remember=False)
            assert caught.value.code == "auth.invalid_credentials"
            user = await fresh.auth.login(EMAIL, NEW_PASSWORD, remember=False)
            assert user.email == EMAIL
            assert (await fresh.auth.me()).email == EMAIL
            assert store.load(server) is None  # remember=False wrote nothing
        finally:
            for api in made:
                await api.aclose()


async def test_idempotent_retry_against_a_real_server(server):
    """The same Idempotency-Key over a real socket: one SMS, the replay flagged."""
    async with httpx.AsyncClient(base_url=server, timeout=10) as raw:
        headers = {"Idempotency-Key": "e2e-sms-1"}
        body = {"phone": PHONE}
        first = await raw.post("/api/v1/auth/sms-codes", json=body, headers=headers)
        second = await raw.post("/api/v1/auth/sms-codes", json=body, headers=headers)
        assert first.status_code == second.status_code == 202
        assert second.headers.get("idempotent-replayed") == "true"
        items = (await raw.get("/api/v1/dev/outbox")).json()["items"]
        assert [m["recipient"] for m in items if m["channel"] == "sms"] == [PHONE]
        # Gzip on the wire for a large body.
        resp = await raw.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
        assert resp.headers.get("content-encoding") == "gzip"


async def test_organisation_team_and_audit_against_a_real_server(server, tmp_path):
    """The organisation side on SQLite and PostgreSQL alike: create, invite, accept, refuse."""
    from client.errors import Forbidden as Refused
    from core import contract as m

    made: list[ApiClient] = []

    def client() -> ApiClient:
        api = ApiClient(base_url=server, server_key=server, backoff_s=(0.1,), timeout_s=15)
        made.append(api)
        return api

    async def sign_up(api: ApiClient, email: str, phone: str) -> None:
        await api.auth.send_sms_code(phone)
        await api.auth.register(email, phone, PASSWORD, await mail.sms_code(phone))
        await api.auth.confirm_email(await mail.mail_token(email))
        await api.auth.login(email, PASSWORD, remember=False)

    async with httpx.AsyncClient(base_url=server, timeout=10) as raw:
        mail = Mailbox(raw)
        try:
            owner, clerk = client(), client()
            await sign_up(owner, EMAIL, PHONE)
            await sign_up(clerk, "olga@example.ru", "+79161234567")
            org = await owner.orgs.create(m.OrgIn.model_validate({
                "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
                "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
                "address": "г. Москва", "director": "Иванов И. И.",
                "tax_regime": "usn_income", "usn_rate": "4", "bank_accounts": [{
                    "bik": "044525225", "account": "40817810899910004312",
                    "corr_account": "30101810400000000225", "bank_name": "ПАО Сбербанк"}],
            }))
            assert org.role == "accountant" and str(org.usn_rate) == "4"
            await owner.orgs.invite(org.id, "olga@example.ru", "primary")
            joined = await clerk.orgs.accept_invitation(await mail.mail_token("olga@example.ru"))
            assert joined.role == "primary"
            assert [o.short_name for o in await clerk.orgs.mine()] == ["Ромашка"]
            with pytest.raises(Refused) as caught:
                await clerk.orgs.invite(org.id, "x@example.ru", "observer")
            assert caught.value.code == "orgs.forbidden"
            page = await owner.orgs.audit(org.id)
            actions = [e.action for e in page.items]
            assert actions[:4] == ["denied.team.manage", "team.join", "team.invite", "org.create"]
        finally:
            for api in made:
                await api.aclose()
