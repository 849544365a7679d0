"""Signatures of documents: canonical bytes, sign and verify against the test CA, every
refusal, versions (a changed document leaves earlier signatures outdated), two required
signatures, the export zip (checked by openssl too) and a received pair.

Runs on SQLite and on PostgreSQL (``tests.both_databases``); the server's clock is fixed
at ``NOW`` (2026-03-10) so the expired and not-yet-valid certificates are refused by
date, not by chance.
"""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import shutil
import subprocess
import zipfile
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization

from server.db.models import AuditEvent, DocumentSignature
from tests.both_databases import database_url  # noqa: F401 (fixture)
from tests.conftest import make_settings
from tests.helpers import assert_problem, count, rows
from tests.org_helpers import create_org, join, ooo, sign_up
from tests.signing_pki import NOW, pki

BUYER = {"kind": "org", "name": "ООО «Покупатель»", "inn": "7707083893", "kpp": "773601001"}


@pytest.fixture
def settings(database_url, tmp_path):
    pki().trust_dir(tmp_path / "trust")
    return make_settings(tmp_path, database_url=database_url,
                         signature_trust_dir=str(tmp_path / "trust"))


def ticking_clock():
    """NOW, a second later at each reading (signatures keep their order)."""
    ticks = itertools.count()
    return lambda: NOW + timedelta(seconds=next(ticks))


@pytest.fixture
async def books(http, server_app):
    server_app.state.signatures.clock = ticking_clock()
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    buyer = (await http.post(f"{base}/counterparties", json=BUYER, headers=owner.h)).json()
    return Books(http, owner, org, base, buyer["id"])


class Books:
    def __init__(self, http, owner, org, base, buyer):
        self.http, self.owner, self.org, self.base, self.buyer = http, owner, org, base, buyer

    async def doc(self, doc_type="act", post=False, price="1234.50") -> dict:
        body = {"type": doc_type, "date": "2026-03-05", "counterparty_id": self.buyer,
                "post": post, "lines": [{"name": "Консультация", "quantity": "3",
                                         "unit": "час", "price": price, "vat_rate": "none"}]}
        resp = await self.http.post(f"{self.base}/documents", json=body, headers=self.owner.h)
        assert resp.status_code == 201, resp.text
        return resp.json()

    async def canonical(self, doc_id: str, who=None) -> dict:
        resp = await self.http.get(f"{self.base}/documents/{doc_id}/canonical",
                                   headers=(who or self.owner).h)
        assert resp.status_code == 200, resp.text
        return resp.json()

    async def sign(self, doc_id: str, user: str = "good", *, who=None, capacity="signer",
                   content: bytes | None = None, sha: str | None = None):
        c = await self.canonical(doc_id, who)
        data = content if content is not None else base64.b64decode(c["content_b64"])
        sig = getattr(pki(), user).sign(data)
        return await self.http.post(
            f"{self.base}/documents/{doc_id}/signatures",
            json={"capacity": capacity, "sha256": sha or c["sha256"],
                  "signature_b64": base64.b64encode(sig).decode()},
            headers=(who or self.owner).h)

    async def status(self, doc_id: str) -> dict:
        resp = await self.http.get(f"{self.base}/documents/{doc_id}/signatures",
                                   headers=self.owner.h)
        assert resp.status_code == 200, resp.text
        return resp.json()


async def test_canonical_bytes_are_exact_and_stable(books):
    doc = await books.doc()
    first, again = await books.canonical(doc["id"]), await books.canonical(doc["id"])
    assert first == again
    content = base64.b64decode(first["content_b64"])
    assert first["sha256"] == hashlib.sha256(content).hexdigest()
    body = json.loads(content)
    assert body["format"] == "buhta-document/1"
    assert body["document"]["id"] == doc["id"]
    assert body["document"]["total"] == "3703.50"  # 3 × 1234.50
    assert body["organisation"]["inn"] == "7707083893"
    # Canonical: sorted keys, no spaces, UTF-8 (not \\u escapes).
    assert content == json.dumps(body, ensure_ascii=False, sort_keys=True,
                                 separators=(",", ":")).encode()
    assert "Консультация".encode() in content
    assert first["summary"]["title"] == "Акт № 1 от 05.03.2026"
    assert first["summary"]["amount"] == "3703.50"
    assert first["summary"]["counterparty"] == "ООО «Покупатель»"


@pytest.mark.parametrize("user", ["good", "rsa"])
async def test_sign_and_verify(books, server_app, user):
    doc = await books.doc()
    resp = await books.sign(doc["id"], user)
    assert resp.status_code == 201, resp.text
    out = resp.json()
    cert = getattr(pki(), user).cert
    assert out["state"] == "valid"
    assert out["certificate"]["serial"] == format(cert.serial_number, "X")
    assert out["certificate"]["algorithm"] == ("rsa" if user == "rsa" else "ecdsa")
    assert "nonRepudiation" in out["certificate"]["key_usage"]
    assert out["user_email"] == "owner@example.ru"
    status = await books.status(doc["id"])
    assert status["signed"] is True and status["missing"] == []
    assert [s["id"] for s in status["signatures"]] == [out["id"]]
    [row] = rows(server_app, DocumentSignature)
    assert row.sha256 == status["sha256"] and row.cms[:1] == b"\x30"
    assert count(server_app, AuditEvent, AuditEvent.action == "signatures.sign") == 1


@pytest.mark.parametrize(("user", "code"), [
    ("expired", "signature.expired"),
    ("future", "signature.not_yet_valid"),
    ("stranger", "signature.untrusted"),
    ("no_sign", "signature.key_usage"),
    ("revoked", "signature.revoked"),
])
async def test_refusals_by_certificate(books, server_app, user, code):
    doc = await books.doc()
    resp = await books.sign(doc["id"], user)
    assert_problem(resp, 422, code)
    assert count(server_app, DocumentSignature) == 0


async def test_a_changed_byte_and_a_moved_signature_are_refused(books):
    doc, other = await books.doc(), await books.doc(price="1234.50")
    c = await books.canonical(doc["id"])
    content = base64.b64decode(c["content_b64"])
    changed = content.replace(b"3703.50", b"3703.51")
    assert changed != content
    resp = await books.sign(doc["id"], content=changed)
    assert_problem(resp, 422, "signature.digest_mismatch")
    # A good signature of one document posted to another with the same lines.
    other_c = await books.canonical(other["id"])
    sig = pki().good.sign(content)
    resp = await books.http.post(
        f"{books.base}/documents/{other['id']}/signatures",
        json={"sha256": other_c["sha256"], "signature_b64": base64.b64encode(sig).decode()},
        headers=books.owner.h)
    assert_problem(resp, 422, "signature.digest_mismatch")


async def test_a_changed_document_leaves_the_signature_outdated(books):
    doc = await books.doc()
    old = await books.canonical(doc["id"])
    assert (await books.sign(doc["id"])).status_code == 201
    body = {"type": "act", "date": "2026-03-05", "counterparty_id": books.buyer, "post": False,
            "lines": [{"name": "Консультация", "quantity": "4", "unit": "час",
                       "price": "1234.50", "vat_rate": "none"}]}
    resp = await books.http.put(f"{books.base}/documents/{doc['id']}", json=body,
                                headers=books.owner.h)
    assert resp.status_code == 200, resp.text
    status = await books.status(doc["id"])
    assert status["sha256"] != old["sha256"]
    assert [s["state"] for s in status["signatures"]] == ["outdated"]
    assert status["signed"] is False
    # Signing the old bytes again is refused before any verification: it changed.
    resp = await books.sign(doc["id"], content=base64.b64decode(old["content_b64"]),
                            sha=old["sha256"])
    assert_problem(resp, 409, "signature.document_changed")
    # Posting the draft is no change of what was signed.
    assert (await books.sign(doc["id"])).status_code == 201
    resp = await books.http.post(f"{books.base}/documents/{doc['id']}/post",
                                 headers=books.owner.h)
    assert resp.status_code == 200, resp.text
    status = await books.status(doc["id"])
    assert [s["state"] for s in status["signatures"]] == ["outdated", "valid"]
    assert status["signed"] is True


async def test_an_invoice_needs_the_director_and_the_chief_accountant(books):
    director = await join(books.http, books.owner, books.org["id"], "dir@example.ru",
                          "director")
    observer = await join(books.http, books.owner, books.org["id"], "obs@example.ru",
                          "observer")
    doc = await books.doc("invoice")
    status = await books.status(doc["id"])
    assert status["required"] == ["director", "chief_accountant"]
    assert (await books.sign(doc["id"], capacity="chief_accountant")).status_code == 201
    status = await books.status(doc["id"])
    assert status["signed"] is False and status["missing"] == ["director"]
    resp = await books.sign(doc["id"], "rsa", who=observer, capacity="director")
    assert_problem(resp, 403, "signature.capacity_forbidden")
    resp = await books.sign(doc["id"], "rsa", who=director, capacity="chief_accountant")
    assert_problem(resp, 403, "signature.capacity_forbidden")
    assert (await books.sign(doc["id"], "rsa", who=director,
                             capacity="director")).status_code == 201
    status = await books.status(doc["id"])
    assert status["signed"] is True and status["missing"] == []
    # The same signature again is one signature.
    resp = await books.sign(doc["id"], "rsa", who=director, capacity="director")
    assert_problem(resp, 409, "signature.duplicate")


async def test_rules_are_data(books):
    doc = await books.doc("act")
    assert (await books.status(doc["id"]))["required"] == []
    resp = await books.http.put(f"{books.base}/signature-rules", json={"rules": [
        {"doc_type": "act", "capacities": ["chief_accountant", "director"]}]},
        headers=books.owner.h)
    assert resp.status_code == 200, resp.text
    assert {"doc_type": "act", "capacities": ["director", "chief_accountant"]} in \
        resp.json()["rules"]
    assert (await books.sign(doc["id"], capacity="director")).status_code == 201
    status = await books.status(doc["id"])
    assert status["required"] == ["director", "chief_accountant"]
    assert status["missing"] == ["chief_accountant"] and status["signed"] is False


async def test_no_key_ever_travels(books, server_app):
    doc = await books.doc()
    c = await books.canonical(doc["id"])
    good = pki().good
    sig = base64.b64encode(good.sign(base64.b64decode(c["content_b64"]))).decode()
    url = f"{books.base}/documents/{doc['id']}/signatures"
    # No field could carry a key: an unknown field is refused.
    resp = await books.http.post(url, json={"sha256": c["sha256"], "signature_b64": sig,
                                            "private_key": "x"}, headers=books.owner.h)
    assert resp.status_code == 422
    key_pem = good.key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    for blob in (key_pem, good.pfx()):
        resp = await books.http.post(url, json={
            "sha256": c["sha256"], "signature_b64": base64.b64encode(blob).decode()},
            headers=books.owner.h)
        assert resp.status_code == 422, resp.text
    assert count(server_app, DocumentSignature) == 0


async def test_the_raw_der_route(books):
    doc = await books.doc()
    c = await books.canonical(doc["id"])
    sig = pki().good.sign(base64.b64decode(c["content_b64"]))
    resp = await books.http.post(
        f"{books.base}/documents/{doc['id']}/signatures/der",
        params={"sha256": c["sha256"], "capacity": "director"}, content=sig,
        headers={**books.owner.h, "Content-Type": "application/pkcs7-signature"})
    assert resp.status_code == 201, resp.text
    assert resp.json()["capacity"] == "director"
    resp = await books.http.post(
        f"{books.base}/documents/{doc['id']}/signatures/der",
        params={"sha256": c["sha256"]}, content=b"\x30\x03\x02\x01\x00",
        headers={**books.owner.h, "Content-Type": "application/pkcs7-signature"})
    assert_problem(resp, 422, "signature.malformed")


async def test_verify_a_received_pair(books):
    data = "Договор поставки № 7".encode()
    sig = pki().good.sign(data)
    url = f"{books.base}/signatures/verify"

    async def check(content: bytes, signature: bytes) -> dict:
        resp = await books.http.post(url, json={
            "content_b64": base64.b64encode(content).decode(),
            "signature_b64": base64.b64encode(signature).decode()}, headers=books.owner.h)
        assert resp.status_code == 200, resp.text
        return resp.json()

    ok = await check(data, sig)
    assert ok["valid"] is True and ok["certificate"]["subject"] == \
        "CN=Иванов Иван Иванович, O=Тест УЦ, C=RU"
    bad = await check(data[:-1] + b"8", sig)
    assert bad["valid"] is False and bad["code"] == "signature.digest_mismatch"
    assert "изменён" in bad["reason"]
    revoked = await check(data, pki().revoked.sign(data))
    assert revoked["code"] == "signature.revoked"
    junk = await check(data, b"\x30\x80garbage")
    assert junk["code"] == "signature.malformed"


async def test_export_zip_verifies_with_openssl(books, tmp_path):
    doc = await books.doc()
    assert (await books.sign(doc["id"])).status_code == 201
    resp = await books.http.get(f"{books.base}/documents/{doc['id']}/signed.zip",
                                headers=books.owner.h)
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(resp.content))
    manifest = json.loads(z.read("manifest.json"))
    [entry] = manifest["signatures"]
    assert entry["content"] == "document.json" and entry["state"] == "valid"
    content, sig = z.read("document.json"), z.read(entry["file"])
    assert hashlib.sha256(content).hexdigest() == manifest["sha256"]
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed: the zip's own check above passed")
    (tmp_path / "d.json").write_bytes(content)
    (tmp_path / "d.sig").write_bytes(sig)
    p = pki()
    (tmp_path / "ca.pem").write_bytes(b"".join(
        c.cert.public_bytes(serialization.Encoding.PEM) for c in (p.root, p.intermediate)))
    run = subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "d.sig"),
         "-content", str(tmp_path / "d.json"), "-CAfile", str(tmp_path / "ca.pem"),
         "-purpose", "any", "-attime", str(int(NOW.timestamp())), "-out", "/dev/null"],
        capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


async def test_organisation_trust_without_an_operator_folder(http, server_app, tmp_path):
    server_app.state.signatures.settings = server_app.state.settings.model_copy(
        update={"signature_trust_dir": None})
    server_app.state.signatures.clock = lambda: NOW
    owner = await sign_up(http, "own@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    data = b"payload"
    body = {"content_b64": base64.b64encode(data).decode(),
            "signature_b64": base64.b64encode(pki().good.sign(data)).decode()}
    resp = await http.post(f"{base}/signatures/verify", json=body, headers=owner.h)
    assert resp.json()["code"] == "signature.untrusted"
    p = pki()
    for kind, blob in (("root", p.root.der), ("root", p.intermediate.der), ("crl", p.crl),
                       ("crl", p.root_crl)):
        resp = await http.post(f"{base}/signature-trust", headers=owner.h, json={
            "kind": kind, "data_b64": base64.b64encode(blob).decode()})
        assert resp.status_code == 201, resp.text
    resp = await http.post(f"{base}/signature-trust", headers=owner.h, json={
        "kind": "root", "data_b64": base64.b64encode(p.good.der).decode()})
    assert_problem(resp, 422, "signature.bad_trust_file")  # a user's, not a CA's
    listed = (await http.get(f"{base}/signature-trust", headers=owner.h)).json()["items"]
    assert len(listed) == 4
    resp = await http.post(f"{base}/signatures/verify", json=body, headers=owner.h)
    assert resp.json()["valid"] is True, resp.json()
