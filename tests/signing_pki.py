"""A test PKI made with ``cryptography``: a root, an intermediate and users signed by it.

Users: ``good`` (ECDSA P-256, digitalSignature + nonRepudiation), ``rsa`` (RSA 2048),
``revoked`` (listed in the intermediate's CRL), ``expired`` (2020–2021), ``future``
(from 2099), ``no_sign`` (keyEncipherment only) and ``stranger`` (under another root,
not trusted). Built once per test session (RSA keys take a moment).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import NameOID

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
"""Every certificate but ``expired`` and ``future`` is valid from 2025 to 2027."""


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Тест УЦ"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass
class Issued:
    cert: x509.Certificate
    key: object

    def pfx(self, password: bytes | None = b"secret") -> bytes:
        enc = (serialization.BestAvailableEncryption(password) if password
               else serialization.NoEncryption())
        return pkcs12.serialize_key_and_certificates(b"test", self.key, self.cert, None, enc)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    def sign(self, data: bytes) -> bytes:
        """A detached CMS signature (DER), as the client makes it."""
        return (pkcs7.PKCS7SignatureBuilder().set_data(data)
                .add_signer(self.cert, self.key, hashes.SHA256())
                .sign(serialization.Encoding.DER,
                      [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]))


def _cert(subject: str, key, issuer: Issued | None, *, ca: bool, start: datetime,
          end: datetime, usage: dict[str, bool] | None = None) -> Issued:
    issuer_name = issuer.cert.subject if issuer else _name(subject)
    signing_key = issuer.key if issuer else key
    ku = {"digital_signature": False, "content_commitment": False, "key_encipherment": False,
          "data_encipherment": False, "key_agreement": False, "key_cert_sign": False,
          "crl_sign": False, "encipher_only": False, "decipher_only": False}
    ku.update(usage or ({"key_cert_sign": True, "crl_sign": True} if ca else
                        {"digital_signature": True, "content_commitment": True}))
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(issuer_name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(end)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(**ku), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False))
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False)
    return Issued(builder.sign(signing_key, hashes.SHA256()), key)


def _ec():
    return ec.generate_private_key(ec.SECP256R1())


@dataclass
class Pki:
    root: Issued
    intermediate: Issued
    users: dict[str, Issued] = field(default_factory=dict)
    crl: bytes = b""
    root_crl: bytes = b""
    stranger_root: Issued | None = None

    def __getattr__(self, name: str) -> Issued:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def chain_pems(self) -> bytes:
        return b"".join(c.cert.public_bytes(serialization.Encoding.PEM)
                        for c in (self.intermediate,))

    def trust_dir(self, path) -> None:
        """Write the root, the intermediate and the CRL as an operator's trust folder."""
        path.mkdir(parents=True, exist_ok=True)
        (path / "root.pem").write_bytes(self.root.cert.public_bytes(serialization.Encoding.PEM))
        (path / "intermediate.cer").write_bytes(self.intermediate.der)
        (path / "ca.crl").write_bytes(self.crl)
        (path / "root.crl").write_bytes(self.root_crl)


@functools.cache
def pki() -> Pki:
    start, end = datetime(2025, 1, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)
    root = _cert("Тестовый корневой УЦ", _ec(), None, ca=True, start=start,
                 end=datetime(2035, 1, 1, tzinfo=UTC))
    inter = _cert("Тестовый УЦ 1", _ec(), root, ca=True, start=start,
                  end=datetime(2034, 1, 1, tzinfo=UTC))
    out = Pki(root, inter)
    out.users["good"] = _cert("Иванов Иван Иванович", _ec(), inter, ca=False, start=start,
                              end=end)
    out.users["rsa"] = _cert("Петрова Анна Сергеевна",
                             rsa.generate_private_key(public_exponent=65537, key_size=2048),
                             inter, ca=False, start=start, end=end)
    out.users["revoked"] = _cert("Отозванный", _ec(), inter, ca=False, start=start, end=end)
    out.users["expired"] = _cert("Просроченный", _ec(), inter, ca=False,
                                 start=datetime(2020, 1, 1, tzinfo=UTC),
                                 end=datetime(2021, 1, 1, tzinfo=UTC))
    out.users["future"] = _cert("Будущий", _ec(), inter, ca=False,
                                start=datetime(2099, 1, 1, tzinfo=UTC),
                                end=datetime(2100, 1, 1, tzinfo=UTC))
    out.users["no_sign"] = _cert("Без подписи", _ec(), inter, ca=False, start=start, end=end,
                                 usage={"key_agreement": True})
    out.users["soon"] = _cert("Скоро истекает", _ec(), inter, ca=False, start=start,
                              end=NOW + timedelta(days=10))
    stranger_root = _cert("Чужой УЦ", _ec(), None, ca=True, start=start,
                          end=datetime(2035, 1, 1, tzinfo=UTC))
    out.stranger_root = stranger_root
    out.users["stranger"] = _cert("Чужой", _ec(), stranger_root, ca=False, start=start,
                                  end=end)
    out.root_crl = _crl(root, [])
    revoked = (x509.RevokedCertificateBuilder()
               .serial_number(out.users["revoked"].cert.serial_number)
               .revocation_date(datetime(2025, 6, 1, tzinfo=UTC)).build())
    out.crl = _crl(inter, [revoked])
    return out


def _crl(issuer: Issued, revoked: list) -> bytes:
    builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer.cert.subject)
               .last_update(datetime(2025, 1, 1, tzinfo=UTC))
               .next_update(datetime(2027, 12, 1, tzinfo=UTC))
               .add_extension(x509.CRLNumber(1), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   issuer.key.public_key()), critical=False))
    for r in revoked:
        builder = builder.add_revoked_certificate(r)
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
