"""Provides what a user is shown of a certificate: owner, issuer, serial, validity, key
usage, and the warning 30 days before it expires."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

WARN_BEFORE = timedelta(days=30)
_USAGES = (("digital_signature", "digitalSignature"), ("content_commitment", "nonRepudiation"),
           ("key_encipherment", "keyEncipherment"), ("data_encipherment", "dataEncipherment"),
           ("key_agreement", "keyAgreement"), ("key_cert_sign", "keyCertSign"),
           ("crl_sign", "cRLSign"))


def _cn(name: x509.Name) -> str:
    found = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(found[0].value) if found else name.rfc4514_string()


@dataclass(frozen=True)
class CertInfo:
    owner: str
    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    key_usage: tuple[str, ...]
    thumbprint: str
    """SHA-1 of the DER certificate, hexadecimal: the name CryptoPro knows it by."""

    @classmethod
    def of(cls, cert: x509.Certificate) -> CertInfo:
        try:
            ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
            usage = tuple(name for attr, name in _USAGES if getattr(ku, attr))
        except x509.ExtensionNotFound:
            usage = ()
        der = cert.public_bytes(serialization.Encoding.DER)
        return cls(owner=_cn(cert.subject), subject=cert.subject.rfc4514_string(),
                   issuer=_cn(cert.issuer), serial=format(cert.serial_number, "X"),
                   not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
                   key_usage=usage, thumbprint=hashlib.sha1(der).hexdigest())

    @property
    def may_sign(self) -> bool:
        return bool({"digitalSignature", "nonRepudiation"} & set(self.key_usage))

    def days_left(self, now: datetime | None = None) -> int:
        return (self.not_after - (now or datetime.now(UTC))).days

    def expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) > self.not_after

    def expires_soon(self, now: datetime | None = None) -> bool:
        """Within 30 days of its end (and not yet over)."""
        moment = now or datetime.now(UTC)
        return not self.expired(moment) and self.not_after - moment <= WARN_BEFORE
