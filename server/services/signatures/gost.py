"""Provides the verification of GOST R 34.10-2012 detached CMS signatures (gostcrypto).

pyhanko-certvalidator knows no GOST algorithms, so the whole check is here, on
asn1crypto structures: the content's Streebog digest against the ``messageDigest``
signed attribute, the signature over the signed attributes (or over the content when
there are none), the certificate's chain to a trusted root (every certificate's GOST
signature checked), and revocation by a CRL of each issuer (signed by it; none for an
issuer is a refusal: ``require``, as for RSA and ECDSA).

Byte orders (R 1323565.1.023, RFC 4491): the public key is the OCTET STRING x‖y with each
coordinate little-endian; the digest is read as a little-endian number; the signature
value is s‖r. gostcrypto wants big-endian coordinates, a big-endian digest and r‖s.
asn1crypto's key parser does not know the GOST key OIDs (``KeyError
'1.2.643.7.1.1.1.1'``): the key is parsed generically.
"""

from __future__ import annotations

from datetime import datetime

from asn1crypto import cms, core
from asn1crypto import x509 as ax
from gostcrypto import gostsignature as gs
from gostcrypto.gosthash import new as new_hash

from server.services.signatures.errors import SignatureRefused
from server.services.signatures.trust import TrustSet

KEY_OIDS = {"1.2.643.7.1.1.1.1": 32, "1.2.643.7.1.1.1.2": 64}
DIGESTS = {"1.2.643.7.1.1.2.2": "streebog256", "1.2.643.7.1.1.2.3": "streebog512"}
SIG_DIGEST = {"1.2.643.7.1.1.3.2": "streebog256", "1.2.643.7.1.1.3.3": "streebog512",
              "1.2.643.7.1.1.1.1": "streebog256", "1.2.643.7.1.1.1.2": "streebog512"}
_P256 = "id-tc26-gost-3410-2012-256-paramSet"
CURVES = {
    "1.2.643.7.1.2.1.1.1": _P256 + "A",
    "1.2.643.2.2.35.1": _P256 + "B", "1.2.643.7.1.2.1.1.2": _P256 + "B",
    "1.2.643.2.2.36.0": _P256 + "B",
    "1.2.643.2.2.35.2": _P256 + "C", "1.2.643.7.1.2.1.1.3": _P256 + "C",
    "1.2.643.2.2.35.3": _P256 + "D", "1.2.643.7.1.2.1.1.4": _P256 + "D",
    "1.2.643.2.2.36.1": _P256 + "D",
    "1.2.643.7.1.2.1.2.1": "id-tc26-gost-3410-12-512-paramSetA",
    "1.2.643.7.1.2.1.2.2": "id-tc26-gost-3410-12-512-paramSetB",
    "1.2.643.7.1.2.1.2.3": "id-tc26-gost-3410-2012-512-paramSetC",
}
MAX_CHAIN = 8


def is_gost(signer_info: cms.SignerInfo) -> bool:
    return signer_info["digest_algorithm"]["algorithm"].dotted.startswith("1.2.643.")


def digest(name: str, data: bytes) -> bytes:
    return bytes(new_hash(name, data=data).digest())


def _public_key(cert: ax.Certificate) -> tuple[bytes, str, int]:
    """(x‖y big-endian, the gostcrypto curve name, the coordinate size) of a GOST key."""
    spki = core.load(cert["tbs_certificate"]["subject_public_key_info"].dump())
    algorithm = spki[0]
    oid = algorithm[0].dotted
    if oid not in KEY_OIDS:
        raise SignatureRefused("signature.algorithm")
    size = KEY_OIDS[oid]
    params = core.load(algorithm[1].dump())
    curve = CURVES.get(params[0].dotted)
    if curve is None:
        raise SignatureRefused("signature.algorithm")
    point = core.OctetString.load(spki[1].contents[1:]).native
    if len(point) != 2 * size:
        raise SignatureRefused("signature.malformed")
    return point[:size][::-1] + point[size:][::-1], curve, size


def _verify(cert: ax.Certificate, hash_name: str, message: bytes, signature: bytes) -> bool:
    key, curve, size = _public_key(cert)
    if len(signature) != 2 * size:
        return False
    mode = gs.MODE_256 if size == 32 else gs.MODE_512
    signer = gs.new(mode, gs.CURVES_R_1323565_1_024_2019[curve])
    value = digest(hash_name, message)[::-1]
    try:
        return bool(signer.verify(bytearray(key), bytearray(value),
                                  bytearray(signature[size:] + signature[:size])))
    except gs.GOSTSignatureError:
        return False


def _cert_signed_by(cert: ax.Certificate, issuer: ax.Certificate) -> bool:
    hash_name = SIG_DIGEST.get(cert["signature_algorithm"]["algorithm"].dotted)
    if hash_name is None:
        return False
    try:
        return _verify(issuer, hash_name, cert["tbs_certificate"].dump(),
                       cert["signature_value"].native)
    except SignatureRefused:
        return False


def _in_window(cert: ax.Certificate, moment: datetime) -> None:
    validity = cert["tbs_certificate"]["validity"]
    if moment < validity["not_before"].native:
        raise SignatureRefused("signature.not_yet_valid")
    if moment > validity["not_after"].native:
        raise SignatureRefused("signature.expired")


def _check_revocation(cert: ax.Certificate, issuer: ax.Certificate, trust: TrustSet,
                      moment: datetime) -> None:
    found = False
    for item in trust.crls:
        tbs = item["tbs_cert_list"]
        if tbs["issuer"] != cert.issuer:
            continue
        hash_name = SIG_DIGEST.get(item["signature_algorithm"]["algorithm"].dotted)
        if hash_name is None or not _verify(issuer, hash_name, tbs.dump(),
                                            item["signature"].native):
            continue
        found = True
        for revoked in tbs["revoked_certificates"]:
            if (revoked["user_certificate"].native == cert.serial_number
                    and revoked["revocation_date"].native <= moment):
                raise SignatureRefused("signature.revoked")
    if not found:
        raise SignatureRefused("signature.no_revocation_info")


def _chain(cert: ax.Certificate, extra: list[ax.Certificate], trust: TrustSet,
           moment: datetime) -> None:
    """A path from ``cert`` to a trusted root, every link's signature, validity and CRL."""
    roots = {r.dump(): r for r in trust.roots}
    pool = [*trust.intermediates, *extra, *trust.roots]
    current = cert
    for _ in range(MAX_CHAIN):
        if current.dump() in roots:
            return
        issuer = next((c for c in pool if c.subject == current.issuer and c.ca
                       and _cert_signed_by(current, c)), None)
        if issuer is None:
            raise SignatureRefused("signature.untrusted")
        _in_window(issuer, moment)
        _check_revocation(current, issuer, trust, moment)
        current = issuer
    raise SignatureRefused("signature.untrusted")


def verify(content: bytes, signed_data: cms.SignedData, signer_info: cms.SignerInfo,
           cert: ax.Certificate, trust: TrustSet, moment: datetime) -> None:
    """Raise ``SignatureRefused`` unless the GOST signature is good and trusted."""
    hash_name = DIGESTS.get(signer_info["digest_algorithm"]["algorithm"].dotted)
    if hash_name is None:
        raise SignatureRefused("signature.algorithm")
    content_digest = digest(hash_name, content)
    attrs = signer_info["signed_attrs"]
    signature = signer_info["signature"].native
    if len(attrs):
        claimed = next((a["values"][0].native for a in attrs
                        if a["type"].native == "message_digest"), None)
        if claimed != content_digest:
            raise SignatureRefused("signature.digest_mismatch")
        message = attrs.untag().dump()
    else:
        message = content
    if not _verify(cert, hash_name, message, signature):
        raise SignatureRefused("signature.digest_mismatch" if not len(attrs)
                               else "signature.bad_signature")
    extra = [c.chosen for c in signed_data["certificates"] if c.name == "certificate"]
    _chain(cert, extra, trust, moment)
