"""Provides the wire contract of electronic signatures of documents.

The private key never travels: a signature request carries only a detached CMS
signature (DER, base64) and the capacity it is given in; every model forbids unknown
fields, so no field could carry a key, and ``SignatureIn`` refuses a body that looks like
a key or a PKCS#12 container (the server parses the CMS anyway).
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from core.contract.common import WireModel
from core.validation import InvalidInput

Capacity = Literal["director", "chief_accountant", "signer"]
"""In which capacity a signature is given: руководитель, главный бухгалтер, or a plain
signer (an ИП, a clerk); what a document type needs is data (``SignatureRules``)."""

SignatureState = Literal["valid", "outdated"]
"""``valid``: verified when given and made over the document as it is now; ``outdated``:
made over an earlier version (the document changed since)."""

CANONICAL_FORMAT = "buhta-document/1"
MAX_SIGNATURE_BYTES = 64 * 1024
MAX_CONTENT_BYTES = 8 * 1024 * 1024


def _looks_like_key(raw: bytes) -> bool:
    return b"PRIVATE KEY" in raw or b"ENCRYPTED" in raw[:64]


def _signature_b64(value: str) -> str:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("signature.not_base64") from None
    if not raw or len(raw) > MAX_SIGNATURE_BYTES:
        raise InvalidInput("signature.size")
    if _looks_like_key(raw):
        raise InvalidInput("signature.key_refused")
    return value


def _content_b64(value: str) -> str:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("signature.not_base64") from None
    if len(raw) > MAX_CONTENT_BYTES:
        raise InvalidInput("signature.size")
    return value


SignatureB64 = Annotated[str, Field(max_length=MAX_SIGNATURE_BYTES * 2),
                         AfterValidator(_signature_b64)]
ContentB64 = Annotated[str, Field(max_length=MAX_CONTENT_BYTES * 2),
                       AfterValidator(_content_b64)]
Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class SignSummary(WireModel):
    """What a person is shown before signing (the agent refuses a hash without it)."""

    doc_type: str
    title: str
    """«Акт № 3 от 05.03.2026»."""
    number: int
    date: date
    counterparty: str | None = None
    amount: str
    """The total as a decimal string, roubles: ``"3703.50"``."""
    organisation: str


class CanonicalOut(WireModel):
    """The exact bytes a signature of the document is made over, and their SHA-256."""

    document_id: str
    format: str = CANONICAL_FORMAT
    sha256: Sha256Hex
    content_b64: str
    summary: SignSummary


class SignatureIn(WireModel):
    """A detached CMS signature (DER, base64) of the canonical bytes with ``sha256``."""

    capacity: Capacity = "signer"
    signature_b64: SignatureB64
    sha256: Sha256Hex
    """The hash of the bytes the client signed: refused (409) when the document has
    changed since it was fetched."""


class CertificateInfo(WireModel):
    subject: str
    issuer: str
    serial: str
    """Hexadecimal, as signing tools show it."""
    not_before: datetime
    not_after: datetime
    thumbprint: str
    """SHA-1 of the DER certificate, hexadecimal (CryptoPro's «отпечаток»)."""
    key_usage: list[str] = Field(default_factory=list)
    algorithm: str
    """``rsa``, ``ecdsa``, ``gost2012-256`` or ``gost2012-512``."""


class SignatureOut(WireModel):
    id: str
    document_id: str
    capacity: Capacity
    user_id: str
    user_email: str | None = None
    signed_at: datetime
    sha256: Sha256Hex
    state: SignatureState
    certificate: CertificateInfo


class SignatureStatus(WireModel):
    """A document's signatures and whether it counts as signed."""

    document_id: str
    sha256: Sha256Hex
    """The hash of the document as it is now."""
    signatures: list[SignatureOut]
    required: list[Capacity]
    missing: list[Capacity]
    signed: bool
    """Every required capacity has a valid signature over the current version."""


class VerifyIn(WireModel):
    """A received document and its detached signature, both base64."""

    content_b64: ContentB64
    signature_b64: SignatureB64


class VerifyOut(WireModel):
    valid: bool
    code: str | None = None
    """Why not (``signature.digest_mismatch``, ``signature.revoked`` …) when not valid."""
    reason: str | None = None
    sha256: Sha256Hex
    certificate: CertificateInfo | None = None


class SignatureRule(WireModel):
    doc_type: str = Field(max_length=24)
    capacities: list[Capacity] = Field(min_length=1, max_length=3)


class SignatureRules(WireModel):
    """Which capacities each document type needs before it counts as signed; a type not
    listed needs one signature of any capacity."""

    rules: list[SignatureRule] = Field(max_length=20)


class TrustIn(WireModel):
    """A trust root (a CA certificate) or a CRL for the organisation, DER or PEM, base64."""

    kind: Literal["root", "crl"]
    data_b64: ContentB64
    label: str = Field(default="", max_length=200)


class TrustOut(WireModel):
    id: str
    kind: Literal["root", "crl"]
    label: str
    subject: str
    created_at: datetime


class TrustList(WireModel):
    items: list[TrustOut]
