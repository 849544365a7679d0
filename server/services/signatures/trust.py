"""Provides the trust a verification uses: roots, intermediate CAs and CRLs.

Two sources, added together: the operator's folder (``Settings.signature_trust_dir``:
``*.pem``/``*.crt``/``*.cer``/``*.der`` certificates, ``*.crl`` lists, PEM or DER; a
self-signed CA is a root, any other certificate an intermediate) and what an
organisation uploaded (``TrustAnchor`` rows, sorted the same way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import crl as acrl
from asn1crypto import pem
from asn1crypto import x509 as ax

CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


@dataclass
class TrustSet:
    roots: list[ax.Certificate] = field(default_factory=list)
    intermediates: list[ax.Certificate] = field(default_factory=list)
    crls: list[acrl.CertificateList] = field(default_factory=list)

    def __add__(self, other: TrustSet) -> TrustSet:
        return TrustSet(self.roots + other.roots, self.intermediates + other.intermediates,
                        self.crls + other.crls)


def _blobs(data: bytes) -> list[bytes]:
    if pem.detect(data):
        return [der for _, _, der in pem.unarmor(data, multiple=True)]
    return [data]


def load_certificates(data: bytes) -> list[ax.Certificate]:
    """Every certificate in ``data`` (DER, or PEM with one or more); ValueError if none."""
    out = []
    for der in _blobs(data):
        cert = ax.Certificate.load(der)
        # Parse now what is used later (not ``.native``: asn1crypto cannot parse a GOST key).
        cert.subject.native  # noqa: B018
        cert.issuer.native  # noqa: B018
        cert["tbs_certificate"]["validity"].native  # noqa: B018
        _ = cert.serial_number, cert.ca, cert.key_usage_value
        out.append(cert)
    if not out:
        raise ValueError("no certificate")
    return out


def load_crls(data: bytes) -> list[acrl.CertificateList]:
    out = []
    for der in _blobs(data):
        item = acrl.CertificateList.load(der)
        item["tbs_cert_list"]["issuer"].native  # noqa: B018
        out.append(item)
    if not out:
        raise ValueError("no CRL")
    return out


def _self_signed(cert: ax.Certificate) -> bool:
    return cert.self_issued and cert.ca


_dir_cache: dict[str, tuple[tuple, TrustSet]] = {}


def from_dir(path: str | None) -> TrustSet:
    """The operator's folder, re-read when a file in it changes; unreadable files skipped."""
    if not path:
        return TrustSet()
    folder = Path(path)
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return TrustSet()
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    cached = _dir_cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    out = TrustSet()
    for p in files:
        suffix = p.suffix.lower()
        try:
            data = p.read_bytes()
            if suffix == ".crl":
                out.crls.extend(load_crls(data))
            elif suffix in CERT_SUFFIXES:
                for cert in load_certificates(data):
                    (out.roots if _self_signed(cert) else out.intermediates).append(cert)
        except (OSError, ValueError, TypeError):
            continue
    _dir_cache[path] = (stamp, out)
    return out


def from_rows(rows: list[tuple[str, bytes]]) -> TrustSet:
    """An organisation's anchors: (kind, DER) pairs, ``root`` (a self-signed CA is a root,
    another CA an intermediate that helps build a path to one) or ``crl``."""
    out = TrustSet()
    for kind, der in rows:
        try:
            if kind == "crl":
                out.crls.extend(load_crls(der))
            else:
                for cert in load_certificates(der):
                    (out.roots if _self_signed(cert) else out.intermediates).append(cert)
        except (ValueError, TypeError):
            continue
    return out
