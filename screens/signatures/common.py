"""Provides what the signing screens share: the words for capacities and states, a
certificate's lines and warning, the ways to sign (a certificate on this device, the
signing agent, CryptoPro) and the file work done off the event loop.

Local refusals (a wrong password, an unreadable file) become ``ApiError(0, key, text)``
so a worker's ``Failed`` handler shows them like a server's refusal.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from client.errors import ApiError, os_error_text
from client.i18n import t
from client.signing import cryptopro
from client.signing.agent import ENV as AGENT_ENV
from client.signing.certinfo import CertInfo
from client.signing.errors import SigningError
from client.signing.store import CertificateStore, Stored

if TYPE_CHECKING:
    from client.api import ApiClient
    from core.contract import signatures as sm

T = TypeVar("T")
CAPACITIES = ("director", "chief_accountant", "signer")


def capacity_name(capacity: str) -> str:
    return t(f"sig.capacity.{capacity}")


def state_name(state: str) -> str:
    return t(f"sig.state.{state}")


def day(moment: datetime) -> str:
    return f"{moment:%d.%m.%Y}"


def common_name(subject: str) -> str:
    """``CN=Иванов Иван, O=Тест УЦ, C=RU`` → ``Иванов Иван`` (the subject when no CN)."""
    for part in subject.split(", "):
        if part.startswith("CN="):
            return part[3:]
    return subject


def cert_warning(info: CertInfo, now: datetime | None = None) -> str:
    """«Срок действия сертификата истёк …» or «Сертификат истекает …: осталось дней — N»
    within 30 days of its end; "" otherwise."""
    moment = now or datetime.now(UTC)
    if info.expired(moment):
        return t("signing.expired", day=day(info.not_after))
    if info.expires_soon(moment):
        return t("signing.expires_soon", day=day(info.not_after),
                 days=max(info.days_left(moment), 0))
    return ""


def usage_text(info: CertInfo) -> str:
    """The key usages in words («цифровая подпись, неотрекаемость»)."""
    if not info.key_usage:
        return t("sig.no_usage")
    return ", ".join(t(f"sig.usage.{name}") for name in info.key_usage)


def cert_details(stored: Stored) -> list[str]:
    """The highlighted certificate's lines: issuer, serial, validity, usage, the file."""
    i = stored.info
    where = t("sig.copied") if stored.copied else t("sig.referenced", path=str(stored.source))
    return [t("sig.detail.issuer", issuer=i.issuer), t("sig.detail.serial", serial=i.serial),
            t("sig.detail.valid", start=day(i.not_before), end=day(i.not_after)),
            t("sig.detail.usage", usage=usage_text(i)), where]


@dataclass(frozen=True)
class Way:
    """A way to sign: a certificate on this device, the agent, or CryptoPro."""

    kind: str
    """``pkcs12``, ``agent`` or ``cryptopro``."""
    stored: Stored | None = None

    @property
    def label(self) -> str:
        if self.kind == "agent":
            return t("sig.way.agent", path=os.environ.get(AGENT_ENV, ""))
        if self.kind == "cryptopro":
            return t("sig.way.cryptopro")
        assert self.stored is not None
        i = self.stored.info
        return t("sig.way.pkcs12", owner=i.owner, end=day(i.not_after))

    @property
    def note(self) -> str:
        """What kind of signature it makes, plainly."""
        return t(f"sig.kind.{self.kind}")

    @property
    def warning(self) -> str:
        return cert_warning(self.stored.info) if self.stored is not None else ""


def ways(stored: list[Stored], *, agent: bool | None = None,
         crypto_pro: bool | None = None) -> list[Way]:
    """The agent first when BUHTA_SIGN_AGENT is set (the key is on the user's machine),
    then the certificates here, then CryptoPro where it is installed."""
    out: list[Way] = []
    if agent if agent is not None else bool(os.environ.get(AGENT_ENV)):
        out.append(Way("agent"))
    out.extend(Way("pkcs12", s) for s in stored)
    if crypto_pro if crypto_pro is not None else cryptopro.available():
        out.append(Way("cryptopro"))
    return out


def refusal(exc: SigningError) -> ApiError:
    return ApiError(0, exc.key, exc.text)


async def local(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args)`` in a thread; a signing refusal or a file error as an ApiError."""
    try:
        return await asyncio.to_thread(fn, *args, **kwargs)
    except SigningError as exc:
        raise refusal(exc) from None
    except OSError as exc:
        raise ApiError(0, "sig.file_error", t("sig.file_error", error=os_error_text(exc))) \
            from None


def store_of(data_dir: Path | None) -> CertificateStore:
    return CertificateStore(data_dir)


async def sign_with(api: ApiClient, org_id: str, document_id: str, way: Way, *,
                    capacity: str, secret: str | None,
                    store: CertificateStore) -> sm.SignatureOut:
    """Sign the document the chosen way and upload the signature; ``secret`` is the
    PKCS#12 password, or CryptoPro's certificate thumbprint."""
    from client.signing import flow

    try:
        if way.kind == "agent":
            return await flow.sign_via_agent(api, org_id, document_id, capacity=capacity)
        if way.kind == "cryptopro":
            return await flow.sign_with_cryptopro(api, org_id, document_id,
                                                  thumbprint=secret or "", capacity=capacity)
        assert way.stored is not None
        return await flow.sign_document(api, org_id, document_id, store=store,
                                        thumbprint=way.stored.info.thumbprint,
                                        password=secret or None, capacity=capacity)
    except SigningError as exc:
        raise refusal(exc) from None


def read_pair(content_path: Path, signature_path: Path) -> tuple[bytes, bytes]:
    """A received document and its ``.sig``, each refused by name when too big."""
    from core.contract import signatures as sm

    for path, limit, key in ((content_path, sm.MAX_CONTENT_BYTES, "sig.verify.too_big_doc"),
                             (signature_path, sm.MAX_SIGNATURE_BYTES, "sig.verify.too_big_sig")):
        if path.stat().st_size > limit:
            raise SigningError(key, path=str(path))
    content, signature = content_path.read_bytes(), signature_path.read_bytes()
    if not signature:
        raise SigningError("sig.verify.empty_sig", path=str(signature_path))
    return content, signature


def write_file(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def signed_status(status: sm.SignatureStatus) -> str:
    """«Подписан» or «Не подписан — нужна подпись: главный бухгалтер»."""
    if status.signed:
        return t("sig.status.signed")
    missing = ", ".join(capacity_name(c) for c in status.missing)
    return t("sig.status.missing", missing=missing)


def capacity_order(status: sm.SignatureStatus) -> list[str]:
    """What is still needed first, then the other capacities."""
    return list(dict.fromkeys([*status.missing, *CAPACITIES]))
