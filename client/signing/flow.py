"""Provides ``sign_document``: fetch a document's canonical bytes, sign them on this
device (or hand off to CryptoPro, or to the signing agent), upload only the signature.

The bytes are checked against the server's hash before signing: what is signed is what
the server will verify. The certificate is refused here already when it cannot sign or
has expired (the server would refuse it too, after the password was typed for nothing).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from client.signing import cryptopro
from client.signing.cms import sign_detached
from client.signing.errors import SigningError
from client.signing.store import CertificateStore, Loaded

if TYPE_CHECKING:
    from client.api import ApiClient
    from core.contract import signatures as sm


@dataclass(frozen=True)
class Prepared:
    canonical: sm.CanonicalOut
    content: bytes


async def prepare(api: ApiClient, org_id: str, document_id: str) -> Prepared:
    canonical = await api.signatures.canonical(org_id, document_id)
    content = base64.b64decode(canonical.content_b64)
    if hashlib.sha256(content).hexdigest() != canonical.sha256:
        raise SigningError("signing.bad_hash")
    return Prepared(canonical, content)


def check_usable(loaded: Loaded) -> None:
    if not loaded.info.may_sign:
        raise SigningError("signing.cannot_sign")
    if loaded.info.expired():
        raise SigningError("signing.expired", day=f"{loaded.info.not_after:%d.%m.%Y}")


async def sign_document(api: ApiClient, org_id: str, document_id: str, *,
                        store: CertificateStore, thumbprint: str, password: str | None,
                        capacity: str = "signer") -> sm.SignatureOut:
    """Sign with a PKCS#12 from the device's store (an unqualified signature). Opening
    the file and signing run off the event loop (a screen stays responsive)."""
    loaded = await asyncio.to_thread(store.load, thumbprint, password)
    check_usable(loaded)
    prepared = await prepare(api, org_id, document_id)
    signature = await asyncio.to_thread(sign_detached, prepared.content, loaded.key,
                                        loaded.cert, loaded.extra)
    return await api.signatures.upload(org_id, document_id, signature,
                                       prepared.canonical.sha256, capacity)


async def sign_with_cryptopro(api: ApiClient, org_id: str, document_id: str, *,
                              thumbprint: str, capacity: str = "signer",
                              exe=cryptopro.CRYPTCP) -> sm.SignatureOut:
    """Sign with CryptoPro CSP (qualified with a qualified certificate)."""
    prepared = await prepare(api, org_id, document_id)
    signature = await asyncio.to_thread(cryptopro.sign, prepared.content, thumbprint, exe)
    return await api.signatures.upload(org_id, document_id, signature,
                                       prepared.canonical.sha256, capacity)


async def sign_via_agent(api: ApiClient, org_id: str, document_id: str, *,
                         socket: str | None = None,
                         capacity: str = "signer") -> sm.SignatureOut:
    """Sign through the signing agent on the user's machine (``BUHTA_SIGN_AGENT``): it is
    sent the hash and the summary, shows them, and signs after the user confirms."""
    from client.signing.agent import AgentClient

    prepared = await prepare(api, org_id, document_id)
    summary = prepared.canonical.summary.model_dump(mode="json")
    signature = await AgentClient(socket).sign(prepared.canonical.sha256, summary)
    return await api.signatures.upload(org_id, document_id, signature,
                                       prepared.canonical.sha256, capacity)
