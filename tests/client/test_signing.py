"""Signing on the device: the PKCS#12 store (0600, never uploaded, the password never
kept), what a certificate shows, the expiry warning, wrong passwords, detached CMS
signatures verified by the server's verifier, the CryptoPro hand-off, and the whole
flow through ApiClient against the real server app."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from datetime import timedelta

import httpx
import pytest
from cryptography.hazmat.primitives import serialization

from client.api import ApiClient
from client.signing import cryptopro
from client.signing.cms import sign_detached, sign_digest
from client.signing.errors import SigningError
from client.signing.flow import sign_document, sign_with_cryptopro
from client.signing.store import CertificateStore
from core import contract as m
from server.services.signatures.trust import TrustSet, load_certificates, load_crls
from server.services.signatures.verify import verify_detached
from tests.conftest import PASSWORD, make_settings, register
from tests.org_helpers import next_phone, ooo
from tests.signing_pki import NOW, pki


def trust() -> TrustSet:
    p = pki()
    return TrustSet(roots=load_certificates(p.root.der),
                    intermediates=load_certificates(p.intermediate.der),
                    crls=load_crls(p.crl) + load_crls(p.root_crl))


@pytest.fixture
def store(tmp_path) -> CertificateStore:
    return CertificateStore(tmp_path / "data")


def pfx_file(tmp_path, name="good", password=b"secret"):
    path = tmp_path / f"{name}.p12"
    path.write_bytes(getattr(pki(), name).pfx(password))
    return path


def test_import_keeps_the_file_private_and_the_password_nowhere(store, tmp_path):
    source = pfx_file(tmp_path)
    stored = store.import_file(source, "secret")
    assert stored.copied and stored.source.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(os.stat(store.dir).st_mode) == 0o700
    for f in store.dir.iterdir():
        assert stat.S_IMODE(os.stat(f).st_mode) == 0o600, f
        assert b"secret" not in f.read_bytes()
    [listed] = store.list()
    info = listed.info
    cert = pki().good.cert
    assert info.owner == "Иванов Иван Иванович"
    assert info.issuer == "Тестовый УЦ 1"
    assert info.serial == format(cert.serial_number, "X")
    assert (info.not_before.year, info.not_after.year) == (2025, 2027)
    assert info.key_usage == ("digitalSignature", "nonRepudiation") and info.may_sign
    # It opens with the password only.
    assert store.load(info.thumbprint, "secret").cert == cert


def test_wrong_password_and_wrong_files_are_refused_clearly(store, tmp_path):
    source = pfx_file(tmp_path)
    with pytest.raises(SigningError) as err:
        store.import_file(source, "не тот")
    assert err.value.key == "signing.wrong_password"
    assert str(err.value) == "Неверный пароль к файлу сертификата (.p12/.pfx)"
    assert store.list() == []
    junk = tmp_path / "junk.p12"
    junk.write_bytes(b"\x30\x03\x02\x01\x03 not a pfx")
    with pytest.raises(SigningError) as err:
        store.import_file(junk, "secret")
    assert err.value.key == "signing.not_pkcs12"
    with pytest.raises(SigningError) as err:
        store.import_file(tmp_path / "absent.p12", "secret")
    assert err.value.key == "signing.file_unreadable"
    store.import_file(source, "secret")
    with pytest.raises(SigningError) as err:
        store.load(store.list()[0].info.thumbprint, "wrong")
    assert err.value.key == "signing.wrong_password"


def test_point_at_a_file_without_copying(store, tmp_path):
    source = pfx_file(tmp_path, "rsa")
    stored = store.import_file(source, "secret", copy=False)
    assert not stored.copied and stored.source == source.resolve()
    assert not list(store.dir.glob("*.p12"))
    assert store.list()[0].source == source.resolve()
    store.remove(stored.info.thumbprint)
    assert store.list() == [] and source.exists()


def test_expiry_warning_thirty_days_before(store, tmp_path):
    soon = store.import_file(pfx_file(tmp_path, "soon"), "secret").info
    good = store.import_file(pfx_file(tmp_path, "good"), "secret").info
    assert soon.expires_soon(NOW) and soon.days_left(NOW) == 10  # NOW + 10 days
    assert not good.expires_soon(NOW)
    # 31 days before the end: no warning yet; 30 days before: warned.
    assert not good.expires_soon(good.not_after - timedelta(days=31))
    assert good.expires_soon(good.not_after - timedelta(days=30))
    assert soon.expired(soon.not_after + timedelta(seconds=1))


@pytest.mark.parametrize("user", ["good", "rsa"])
def test_detached_and_digest_signatures_verify_on_the_server(user):
    data = "Акт № 1".encode()
    issued = getattr(pki(), user)
    for sig in (sign_detached(data, issued.key, issued.cert),
                sign_digest(hashlib.sha256(data).digest(), issued.key, issued.cert)):
        assert verify_detached(data, sig, trust(), NOW).info.algorithm in {"ecdsa", "rsa"}
        with pytest.raises(Exception) as err:
            verify_detached(data + b".", sig, trust(), NOW)
        assert getattr(err.value, "code", "") == "signature.digest_mismatch"


def fake_cryptcp(tmp_path, issued, log=None):
    """A stand-in for cryptcp: records its arguments, writes FILE.sgn signed with the key."""
    pem = serialization.Encoding.PEM
    (tmp_path / "key.pem").write_bytes(issued.key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp_path / "cert.pem").write_bytes(issued.cert.public_bytes(pem))
    signer = tmp_path / "signer.py"
    signer.write_text(
        "import sys, pathlib\n"
        "from cryptography import x509\n"
        "from cryptography.hazmat.primitives import hashes, serialization as s\n"
        "from cryptography.hazmat.primitives.serialization import pkcs7\n"
        f"d = pathlib.Path({str(tmp_path)!r})\n"
        + (f"pathlib.Path({str(log)!r}).write_text('\\n'.join(sys.argv[1:]))\n" if log else "")
        + "key = s.load_pem_private_key((d / 'key.pem').read_bytes(), None)\n"
        "cert = x509.load_pem_x509_certificate((d / 'cert.pem').read_bytes())\n"
        "f = pathlib.Path(sys.argv[-1])\n"
        "sig = pkcs7.PKCS7SignatureBuilder().set_data(f.read_bytes()).add_signer(\n"
        "    cert, key, hashes.SHA256()).sign(s.Encoding.DER,\n"
        "    [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])\n"
        "pathlib.Path(str(f) + '.sgn').write_bytes(sig)\n")
    script = tmp_path / "cryptcp"
    script.write_text(f"#!/bin/sh\nexec {sys.executable} {signer} \"$@\"\n")
    script.chmod(0o755)
    return script


def test_cryptopro_hand_off_with_an_argument_list(tmp_path):
    good = pki().good
    log = tmp_path / "argv.txt"
    script = fake_cryptcp(tmp_path, good, log)
    assert not cryptopro.available(tmp_path / "absent")
    with pytest.raises(SigningError) as err:
        cryptopro.sign(b"x", "a" * 40, tmp_path / "absent")
    assert err.value.key == "signing.cryptopro_absent"
    thumb = "AB" * 20
    sig = cryptopro.sign(b"document bytes", thumb, script)
    args = log.read_text().split("\n")
    assert args[:5] == ["-sign", "-thumbprint", "ab" * 20, "-detached", "-der"]
    assert args[5].endswith("document.json")
    assert verify_detached(b"document bytes", sig, trust(), NOW).info.serial == \
        format(good.cert.serial_number, "X")
    with pytest.raises(SigningError) as err:
        cryptopro.sign(b"x", "; rm -rf /", script)
    assert err.value.key == "signing.bad_thumbprint"


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


async def _act(api) -> tuple[str, str]:
    org = await api.orgs.create(m.OrgIn(**ooo()))
    cp = await api.counterparties.create(org.id, m.CounterpartyIn(
        kind="org", name="ООО «Покупатель»", inn="7707083893", kpp="773601001"))
    doc = await api.documents.create(org.id, m.DocumentIn(
        type="act", date="2026-03-05", post=False, counterparty_id=cp.id,
        lines=[m.DocumentLineIn(name="Услуга", quantity="1", unit="шт", price="100.00",
                                vat_rate="none")]))
    return org.id, doc.id


async def test_the_whole_flow_through_the_client(api, store, tmp_path):
    org_id, doc_id = await _act(api)
    thumb = store.import_file(pfx_file(tmp_path), "secret").info.thumbprint
    with pytest.raises(SigningError):
        await sign_document(api, org_id, doc_id, store=store, thumbprint=thumb,
                            password="wrong")
    out = await sign_document(api, org_id, doc_id, store=store, thumbprint=thumb,
                              password="secret", capacity="director")
    assert out.state == "valid" and out.capacity == "director"
    status = await api.signatures.status(org_id, doc_id)
    assert status.signed and [s.id for s in status.signatures] == [out.id]
    zipped = await api.signatures.export_zip(org_id, doc_id)
    assert zipped[:2] == b"PK"


async def test_an_expired_certificate_is_refused_before_the_upload(api, store, tmp_path):
    org_id, doc_id = await _act(api)
    thumb = store.import_file(pfx_file(tmp_path, "expired"), "secret").info.thumbprint
    with pytest.raises(SigningError) as err:
        await sign_document(api, org_id, doc_id, store=store, thumbprint=thumb,
                            password="secret")
    assert err.value.key == "signing.expired"
    assert (await api.signatures.status(org_id, doc_id)).signatures == []


async def test_cryptopro_flow_uploads_its_signature(api, tmp_path, monkeypatch):
    org_id, doc_id = await _act(api)
    script = fake_cryptcp(tmp_path, pki().rsa)
    out = await sign_with_cryptopro(api, org_id, doc_id, thumbprint="c" * 40, exe=script)
    assert out.certificate.algorithm == "rsa" and out.state == "valid"
