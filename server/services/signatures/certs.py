"""Provides the particulars of a certificate (any algorithm, GOST included) for display."""

from __future__ import annotations

import hashlib

from asn1crypto import core
from asn1crypto import x509 as ax

from core.contract import signatures as sm

GOST_KEYS = {
    "1.2.643.7.1.1.1.1": "gost2012-256",
    "1.2.643.7.1.1.1.2": "gost2012-512",
}
_USAGE_NAMES = {
    "digital_signature": "digitalSignature", "non_repudiation": "nonRepudiation",
    "key_encipherment": "keyEncipherment", "data_encipherment": "dataEncipherment",
    "key_agreement": "keyAgreement", "key_cert_sign": "keyCertSign", "crl_sign": "cRLSign",
    "encipher_only": "encipherOnly", "decipher_only": "decipherOnly",
}


_NAME_KEYS = {
    "common_name": "CN", "surname": "SN", "given_name": "G", "title": "T",
    "organization_name": "O", "organizational_unit_name": "OU", "locality_name": "L",
    "state_or_province_name": "S", "country_name": "C", "email_address": "E",
    "street_address": "STREET",
    # Russian qualified certificates (Приказ ФСБ № 795)
    "1.2.643.3.131.1.1": "ИНН", "1.2.643.100.4": "ИНН ЮЛ", "1.2.643.100.1": "ОГРН",
    "1.2.643.100.5": "ОГРНИП", "1.2.643.100.3": "СНИЛС",
}


def name_text(name: ax.Name) -> str:
    """``CN=Иванов Иван Иванович, O=Тест УЦ, C=RU``: the most specific part first."""
    parts = []
    for rdn in reversed(list(name.chosen)):
        for attr in rdn:
            key = attr["type"].native
            value = attr["value"].native
            parts.append(f"{_NAME_KEYS.get(key, key)}={value}")
    return ", ".join(parts)


def key_algorithm(cert: ax.Certificate) -> str:
    # Read generically: asn1crypto's key parser raises KeyError on the GOST key OIDs.
    spki = core.load(cert["tbs_certificate"]["subject_public_key_info"].dump())
    oid = spki[0][0].dotted
    if oid in GOST_KEYS:
        return GOST_KEYS[oid]
    return {"1.2.840.113549.1.1.1": "rsa", "1.2.840.10045.2.1": "ecdsa"}.get(oid, oid)


def key_usage(cert: ax.Certificate) -> set[str]:
    """The key usage bits set (asn1crypto's names); empty when the extension is absent."""
    value = cert.key_usage_value
    return set(value.native) if value is not None else set()


def info(cert: ax.Certificate) -> sm.CertificateInfo:
    tbs = cert["tbs_certificate"]
    validity = tbs["validity"]
    return sm.CertificateInfo(
        subject=name_text(cert.subject),
        issuer=name_text(cert.issuer),
        serial=format(tbs["serial_number"].native, "X"),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        thumbprint=hashlib.sha1(cert.dump()).hexdigest(),
        key_usage=sorted(_USAGE_NAMES.get(u, u) for u in key_usage(cert)),
        algorithm=key_algorithm(cert),
    )
