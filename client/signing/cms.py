"""Provides detached CMS signatures (DER, as Russian signing tools write ``.sig``).

``sign_detached`` signs bytes with ``cryptography``'s ``PKCS7SignatureBuilder``
(``DetachedSignature`` + ``Binary``). ``sign_digest`` signs a SHA-256 the signer never
saw the bytes of (the signing agent): it builds the signed attributes with asn1crypto —
contentType ``data``, signingTime, messageDigest = that hash — and signs their DER (a
SET OF) with the key; a verifier recomputes the hash from the document and compares it
with messageDigest, exactly as for ``sign_detached``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from asn1crypto import algos, cms
from asn1crypto import x509 as ax
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from client.signing.errors import SigningError


def sign_detached(data: bytes, key: object, cert: x509.Certificate,
                  extra: list[x509.Certificate] | None = None) -> bytes:
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError("signing.key_unsupported")
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(
        cert, key, hashes.SHA256())
    for c in extra or []:
        builder = builder.add_certificate(c)
    return builder.sign(serialization.Encoding.DER,
                        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])


def sign_digest(sha256: bytes, key: object, cert: x509.Certificate,
                extra: list[x509.Certificate] | None = None,
                now: datetime | None = None) -> bytes:
    """A detached CMS over content whose SHA-256 is ``sha256`` (32 bytes)."""
    if len(sha256) != 32:
        raise SigningError("signing.bad_hash")
    attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time",
                          "values": [cms.Time({"utc_time": now or datetime.now(UTC)})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [sha256]}),
    ])
    to_sign = attrs.dump()  # the SET OF, as RFC 5652 §5.4 has it signed
    if isinstance(key, rsa.RSAPrivateKey):
        value = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        sig_alg = {"algorithm": "sha256_rsa"}
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        value = key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        sig_alg = {"algorithm": "sha256_ecdsa"}
    else:
        raise SigningError("signing.key_unsupported")
    a_cert = ax.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": a_cert.issuer, "serial_number": a_cert.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
        "signed_attrs": attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm(sig_alg),
        "signature": value,
    })
    certificates = [a_cert] + [ax.Certificate.load(c.public_bytes(serialization.Encoding.DER))
                               for c in extra or []]
    signed = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
        "encap_content_info": {"content_type": "data"},
        "certificates": certificates,
        "signer_infos": [signer],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
