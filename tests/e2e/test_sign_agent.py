"""The signing agent over a real Unix socket: it is sent the hash and the summary, shows
them, signs only after the confirmation, never signs a bare hash, and the server verifies
what it made; then the real ``buhta-sign-agent`` process answering on its stdin, as the
user at the keyboard would."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys

import httpx
import pytest

from client.api import ApiClient
from client.signing.agent import AgentClient, SignAgent
from client.signing.errors import SigningError
from client.signing.flow import sign_via_agent
from client.signing.store import CertificateStore
from core import contract as m
from tests.conftest import PASSWORD, make_settings, register
from tests.helpers import wait_for
from tests.org_helpers import next_phone, ooo
from tests.signing_pki import NOW, pki


@pytest.fixture
def settings(tmp_path):
    pki().trust_dir(tmp_path / "trust")
    return make_settings(tmp_path, signature_trust_dir=str(tmp_path / "trust"))


@pytest.fixture
async def api(server_app, http):
    server_app.state.signatures.clock = lambda: NOW
    await register(http, email="owner@example.ru", phone=next_phone())
    client = ApiClient(base_url="http://test", server_key="test",
                       transport=httpx.ASGITransport(app=server_app), store=None,
                       backoff_s=(0,))
    await client.auth.login("owner@example.ru", PASSWORD, remember=False)
    yield client
    await client.aclose()


async def act(api) -> tuple[str, str]:
    org = await api.orgs.create(m.OrgIn(**ooo()))
    cp = await api.counterparties.create(org.id, m.CounterpartyIn(
        kind="org", name="ООО «Покупатель»", inn="7707083893", kpp="773601001"))
    doc = await api.documents.create(org.id, m.DocumentIn(
        type="act", date="2026-03-05", post=False, counterparty_id=cp.id,
        lines=[m.DocumentLineIn(name="Услуга", quantity="2", unit="шт", price="150.25",
                                vat_rate="none")]))
    return org.id, doc.id


def device_store(tmp_path, user="good") -> CertificateStore:
    source = tmp_path / f"{user}.p12"
    source.write_bytes(getattr(pki(), user).pfx(b"secret"))
    store = CertificateStore(tmp_path / "laptop")
    store.import_file(source, "secret")
    return store


async def test_the_agent_signs_after_the_confirmation(api, tmp_path):
    org_id, doc_id = await act(api)
    store = device_store(tmp_path)
    shown: list[dict] = []
    answers = [(False, None), (True, "secret")]

    def confirm(summary, info):
        shown.append(summary)
        return answers.pop(0)

    agent = SignAgent(store, store.list()[0].info.thumbprint, confirm)
    path = tmp_path / "run" / "agent.sock"
    server = await agent.serve(path)
    try:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
        # Declined: nothing signed, nothing uploaded.
        with pytest.raises(SigningError) as err:
            await sign_via_agent(api, org_id, doc_id, socket=str(path))
        assert err.value.key == "signing.agent_declined"
        assert (await api.signatures.status(org_id, doc_id)).signatures == []
        out = await sign_via_agent(api, org_id, doc_id, socket=str(path),
                                   capacity="director")
        assert out.state == "valid"
        assert out.certificate.serial == format(pki().good.cert.serial_number, "X")
        # The user was shown what is signed: the document, the counterparty, the amount.
        assert shown[-1]["title"] == "Акт № 1 от 05.03.2026"
        assert shown[-1]["counterparty"] == "ООО «Покупатель»"
        assert shown[-1]["amount"] == "300.50"  # 2 × 150.25
        status = await api.signatures.status(org_id, doc_id)
        assert status.signed
    finally:
        server.close()
        await server.wait_closed()


async def test_the_agent_never_signs_a_bare_hash(tmp_path):
    store = device_store(tmp_path)
    asked: list[dict] = []
    agent = SignAgent(store, store.list()[0].info.thumbprint,
                      lambda s, i: (asked.append(s), (True, "secret"))[1])
    path = tmp_path / "agent.sock"
    server = await agent.serve(path)
    try:
        client = AgentClient(path)
        for summary in (None, {}, {"title": "Акт", "amount": ""}, "Акт"):
            with pytest.raises(SigningError) as err:
                await client.request({"op": "sign", "sha256": "ab" * 32, "summary": summary})
            assert err.value.key == "signing.agent_no_summary"
        with pytest.raises(SigningError) as err:
            await client.request({"op": "sign", "sha256": "zz",
                                  "summary": {"doc_type": "act", "title": "Акт № 1",
                                              "number": 1, "date": "2026-03-05",
                                              "amount": "1.00", "organisation": "ООО"}})
        assert err.value.key == "signing.bad_hash"
        assert asked == []  # the user was never asked to sign any of these
        # Garbage on the line is an answer, not a crash; the agent keeps serving.
        reader, writer = await asyncio.open_unix_connection(str(path))
        writer.write(b"not json\n")
        await writer.drain()
        assert b"signing.agent_bad_request" in await reader.readline()
        writer.close()
        assert (await client.request({"op": "info"}))["owner"] == "Иванов Иван Иванович"
    finally:
        server.close()
        await server.wait_closed()


async def test_the_agent_process_confirms_on_its_terminal(api, tmp_path):
    org_id, doc_id = await act(api)
    device_store(tmp_path)
    path = tmp_path / "s" / "agent.sock"
    env = {**os.environ, "BUHTA_DATA_DIR": str(tmp_path / "laptop")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "client.signing.agent", "--socket", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        text=True)
    try:
        await wait_for(path.exists, timeout=20)
        # The user types «да» and the password at the agent's terminal.
        proc.stdin.write("да\nsecret\n")
        proc.stdin.flush()
        out = await sign_via_agent(api, org_id, doc_id, socket=str(path))
        assert out.state == "valid"
    finally:
        proc.terminate()
        stdout, _ = proc.communicate(timeout=10)
    assert "Акт № 1 от 05.03.2026" in stdout and "300.50" in stdout
    assert "Подписать?" in stdout
