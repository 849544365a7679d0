"""GOST R 34.10-2012 detached CMS signatures made by openssl's gost engine (Debian's
``libengine-gost-openssl``), verified by ``server.services.signatures`` (gostcrypto).

The vectors are made here: a GOST root CA, a user certificate, a revoked one and the
root's CRL, then ``openssl cms -sign -md md_gost12_256`` (and 512). Skipped, saying so,
only when openssl has no gost engine.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server.services.signatures.errors import SignatureRefused
from server.services.signatures.trust import TrustSet, load_certificates, load_crls
from server.services.signatures.verify import verify_detached


def _engine_present() -> bool:
    if shutil.which("openssl") is None:
        return False
    run = subprocess.run(["openssl", "engine", "gost"], capture_output=True, check=False)
    return run.returncode == 0


pytestmark = pytest.mark.skipif(
    not _engine_present(),
    reason="openssl's gost engine is absent (apt-get install libengine-gost-openssl)")

CONFIG = """openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
default_algorithms = ALL
[ca]
default_ca = test_ca
[test_ca]
dir = .
database = ./index.txt
new_certs_dir = .
serial = ./serial
crlnumber = ./crlnumber
default_md = md_gost12_256
default_days = 365
default_crl_days = 365
policy = anything
unique_subject = no
[anything]
commonName = supplied
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
[v3_user]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,nonRepudiation
"""
DATA = "Акт № 3 от 05.03.2026, 3 703,50 ₽".encode()


class Gost:
    def __init__(self, folder: Path) -> None:
        self.dir = folder
        (folder / "ca.cnf").write_text(CONFIG)
        (folder / "index.txt").write_text("")
        (folder / "serial").write_text("01\n")
        (folder / "crlnumber").write_text("01\n")
        self.env = {**os.environ, "OPENSSL_CONF": str(folder / "ca.cnf")}

    def run(self, *args: str) -> None:
        done = subprocess.run(["openssl", *args], cwd=self.dir, env=self.env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr

    def key(self, name: str, bits: int = 256) -> None:
        self.run("genpkey", "-algorithm", f"gost2012_{bits}", "-pkeyopt", "paramset:A",
                 "-out", f"{name}.key")

    def user(self, name: str, bits: int = 256) -> None:
        self.key(name, bits)
        self.run("req", "-new", "-key", f"{name}.key", "-subj", f"/CN={name}",
                 f"-md_gost12_{bits}", "-out", f"{name}.csr")
        self.run("ca", "-batch", "-config", "ca.cnf", "-cert", "root.pem", "-keyfile",
                 "root.key", "-extensions", "v3_user", "-in", f"{name}.csr", "-out",
                 f"{name}.pem")

    def sign(self, name: str, data: bytes, bits: int = 256) -> bytes:
        (self.dir / "data.bin").write_bytes(data)
        self.run("cms", "-sign", "-binary", "-md", f"md_gost12_{bits}", "-in", "data.bin",
                 "-signer", f"{name}.pem", "-inkey", f"{name}.key", "-outform", "DER",
                 "-out", f"{name}.sig")
        return (self.dir / f"{name}.sig").read_bytes()

    def read(self, name: str) -> bytes:
        return (self.dir / name).read_bytes()


@pytest.fixture(scope="module")
def gost(tmp_path_factory) -> Gost:
    g = Gost(tmp_path_factory.mktemp("gost"))
    g.key("root")
    g.run("req", "-new", "-x509", "-key", "root.key", "-subj", "/CN=GOST Root", "-days", "365",
          "-md_gost12_256", "-extensions", "v3_ca", "-config", "ca.cnf", "-out", "root.pem")
    g.user("good")
    g.user("revoked")
    g.user("big", 512)
    g.run("ca", "-config", "ca.cnf", "-cert", "root.pem", "-keyfile", "root.key",
          "-revoke", "revoked.pem")
    g.run("ca", "-config", "ca.cnf", "-cert", "root.pem", "-keyfile", "root.key", "-gencrl",
          "-out", "root.crl")
    return g


def trust(g: Gost, *, crl: bool = True) -> TrustSet:
    return TrustSet(roots=load_certificates(g.read("root.pem")),
                    crls=load_crls(g.read("root.crl")) if crl else [])


def now() -> datetime:
    """The certificates are made «now» by openssl: check a moment after that."""
    return datetime.now(UTC) + timedelta(seconds=5)


def test_a_good_gost_signature_verifies(gost):
    sig = gost.sign("good", DATA)
    verified = verify_detached(DATA, sig, trust(gost), now())
    assert verified.info.algorithm == "gost2012-256"
    assert verified.info.subject == "CN=good"
    assert "digitalSignature" in verified.info.key_usage


def test_a_512_bit_key_with_streebog_512(gost):
    sig = gost.sign("big", DATA, 512)
    assert verify_detached(DATA, sig, trust(gost), now()).info.algorithm == "gost2012-512"


@pytest.mark.parametrize(("case", "code"), [
    ("changed byte", "signature.digest_mismatch"),
    ("broken value", "signature.bad_signature"),
    ("revoked", "signature.revoked"),
    ("no root", "signature.untrusted"),
    ("no CRL", "signature.no_revocation_info"),
    ("expired", "signature.expired"),
    ("not yet valid", "signature.not_yet_valid"),
])
def test_gost_refusals(gost, case, code):
    data, moment, t = DATA, now(), trust(gost)
    sig = gost.sign("revoked" if case == "revoked" else "good", DATA)
    if case == "changed byte":
        data = DATA[:-1] + b"!"
    elif case == "broken value":
        # Flip one byte of the 64-byte signature value at the end of the SignerInfo.
        sig = sig[:-10] + bytes([sig[-10] ^ 1]) + sig[-9:]
    elif case == "no root":
        t = TrustSet()
    elif case == "no CRL":
        t = trust(gost, crl=False)
    elif case == "expired":
        moment = now() + timedelta(days=800)
    elif case == "not yet valid":
        moment = now() - timedelta(days=2)
    with pytest.raises(SignatureRefused) as err:
        verify_detached(data, sig, t, moment)
    assert err.value.code == code


async def test_a_gost_pair_through_the_api(http, server_app, gost):
    from tests.org_helpers import create_org, ooo, sign_up

    owner = await sign_up(http, "gost@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    for kind, name in (("root", "root.pem"), ("crl", "root.crl")):
        resp = await http.post(f"{base}/signature-trust", headers=owner.h, json={
            "kind": kind, "data_b64": base64.b64encode(gost.read(name)).decode()})
        assert resp.status_code == 201, resp.text
    sig = gost.sign("good", DATA)
    resp = await http.post(f"{base}/signatures/verify", headers=owner.h, json={
        "content_b64": base64.b64encode(DATA).decode(),
        "signature_b64": base64.b64encode(sig).decode()})
    assert resp.status_code == 200 and resp.json()["valid"] is True, resp.text
