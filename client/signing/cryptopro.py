"""Provides the hand-off to CryptoPro CSP's ``cryptcp`` for a qualified signature.

Only a certified tool makes a qualified electronic signature (КЭП): where CryptoPro is
installed, ``cryptcp -sign -thumbprint <SHA-1> -detached -der FILE`` signs with the
certificate in its store and writes ``FILE.sgn`` (a detached CMS), which is uploaded as
it is. Always an argument list, never a shell.
"""

from __future__ import annotations

import base64
import binascii
import subprocess
import tempfile
from pathlib import Path

from client.signing.errors import SigningError

CRYPTCP = Path("/opt/cprocsp/bin/cryptcp")
TIMEOUT_S = 300  # cryptcp may ask for the container's PIN in its own window


def available(exe: Path = CRYPTCP) -> bool:
    return exe.is_file()


def command(exe: Path, thumbprint: str, file: Path) -> list[str]:
    thumb = "".join(thumbprint.split()).lower()
    if len(thumb) != 40 or any(c not in "0123456789abcdef" for c in thumb):
        raise SigningError("signing.bad_thumbprint")
    return [str(exe), "-sign", "-thumbprint", thumb, "-detached", "-der", str(file)]


def sign(data: bytes, thumbprint: str, exe: Path = CRYPTCP) -> bytes:
    """A detached CMS (DER) of ``data`` made by ``cryptcp`` with the certificate
    ``thumbprint``; a refusal naming cryptcp's message when it fails."""
    if not available(exe):
        raise SigningError("signing.cryptopro_absent")
    with tempfile.TemporaryDirectory(prefix="buhta-sign-") as tmp:
        file = Path(tmp) / "document.json"
        file.write_bytes(data)
        try:
            done = subprocess.run(command(exe, thumbprint, file), capture_output=True,
                                  timeout=TIMEOUT_S, check=False, cwd=tmp)
        except (OSError, subprocess.TimeoutExpired):
            raise SigningError("signing.cryptopro_failed", message="—") from None
        out = Path(str(file) + ".sgn")
        if done.returncode != 0 or not out.is_file():
            message = (done.stderr or done.stdout).decode(errors="replace").strip()[-300:]
            raise SigningError("signing.cryptopro_failed", message=message or "—")
        raw = out.read_bytes()
    if raw[:1] != b"\x30":  # base64 when -der was not honoured
        try:
            raw = base64.b64decode(b"".join(raw.split()), validate=True)
        except (binascii.Error, ValueError):
            raise SigningError("signing.cryptopro_failed", message="не DER") from None
    return raw
