"""Provides ``CertificateStore``: the certificates with their private keys on this device.

Kept in ``<data dir>/signing`` (0700): an imported PKCS#12 is copied there as it is,
still encrypted with its password (``<thumbprint>.p12``, 0600); a PKCS#12 the user only
points at stays where it is (``<thumbprint>.ref`` holds its path). Beside each, the
public certificate (``<thumbprint>.cer``) so the list shows owner, issuer and validity
without asking the password. The password is never stored, the key never leaves: nothing
here talks to the server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from client import paths
from client.signing.certinfo import CertInfo
from client.signing.errors import SigningError

MAX_PFX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Stored:
    info: CertInfo
    source: Path
    """The PKCS#12 file: the copy in the store, or the user's own file pointed at."""
    copied: bool


@dataclass(frozen=True)
class Loaded:
    info: CertInfo
    key: object
    cert: x509.Certificate
    extra: list[x509.Certificate]


def read_pfx(data: bytes, password: str | None) -> Loaded:
    """Open a PKCS#12: a clear refusal for a wrong password, a file that is not one, or a
    file without a key."""
    secret = password.encode() if password else None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
    except ValueError as exc:
        text = str(exc).lower()
        if password is None or "password" in text or "mac" in text or "decrypt" in text:
            # cryptography says "Invalid password or PKCS12 data": try without a password
            # to tell a wrong password from a broken file.
            if _is_pkcs12(data):
                raise SigningError("signing.wrong_password") from None
        raise SigningError("signing.not_pkcs12") from None
    except Exception:  # hostile bytes: the parser may raise anything
        raise SigningError("signing.not_pkcs12") from None
    if cert is None or key is None:
        raise SigningError("signing.no_key")
    return Loaded(CertInfo.of(cert), key, cert, list(extra or []))


def _is_pkcs12(data: bytes) -> bool:
    """Does ``data`` parse as a PKCS#12 PFX structure (whatever its password)?"""
    try:
        from asn1crypto.pkcs12 import Pfx

        parsed = Pfx.load(data)
        return parsed["auth_safe"]["content_type"].native in {"data", "signed_data"}
    except Exception:
        return False


class CertificateStore:
    def __init__(self, root: Path | str | None = None) -> None:
        self.dir = paths.data_dir(root) / "signing"

    def _ensure(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o700)

    def _write(self, path: Path, data: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(path, 0o600)

    def import_file(self, path: Path | str, password: str | None, *,
                    copy: bool = True) -> Stored:
        """Import a ``.pfx``/``.p12`` (copied into the store), or with ``copy=False`` only
        point at it. The password opens it once to check it; it is not kept."""
        source = Path(path).expanduser()
        try:
            if source.stat().st_size > MAX_PFX_BYTES:
                raise SigningError("signing.not_pkcs12")
            data = source.read_bytes()
        except OSError:
            raise SigningError("signing.file_unreadable", path=str(source)) from None
        loaded = read_pfx(data, password)
        self._ensure()
        thumb = loaded.info.thumbprint
        self._write(self.dir / f"{thumb}.cer",
                    loaded.cert.public_bytes(serialization.Encoding.DER))
        if copy:
            self._write(self.dir / f"{thumb}.p12", data)
            (self.dir / f"{thumb}.ref").unlink(missing_ok=True)
            return Stored(loaded.info, self.dir / f"{thumb}.p12", True)
        self._write(self.dir / f"{thumb}.ref", str(source.resolve()).encode())
        return Stored(loaded.info, source.resolve(), False)

    def list(self) -> list[Stored]:
        out = []
        if not self.dir.is_dir():
            return out
        for cer in sorted(self.dir.glob("*.cer")):
            thumb = cer.stem
            try:
                info = CertInfo.of(x509.load_der_x509_certificate(cer.read_bytes()))
            except (OSError, ValueError):
                continue
            p12, ref = self.dir / f"{thumb}.p12", self.dir / f"{thumb}.ref"
            if p12.is_file():
                out.append(Stored(info, p12, True))
            elif ref.is_file():
                out.append(Stored(info, Path(ref.read_text().strip()), False))
        return sorted(out, key=lambda s: (s.info.owner, s.info.not_after))

    def find(self, thumbprint: str) -> Stored:
        for s in self.list():
            if s.info.thumbprint == thumbprint.lower():
                return s
        raise SigningError("signing.not_found")

    def load(self, thumbprint: str, password: str | None) -> Loaded:
        stored = self.find(thumbprint)
        try:
            data = stored.source.read_bytes()
        except OSError:
            raise SigningError("signing.file_unreadable", path=str(stored.source)) from None
        return read_pfx(data, password)

    def remove(self, thumbprint: str) -> None:
        for suffix in (".p12", ".ref", ".cer"):
            (self.dir / f"{thumbprint.lower()}{suffix}").unlink(missing_ok=True)
