"""Provides ``verify_detached``: is this detached CMS a good, trusted signature of content?

Checked in this order, each refusal with its own code (``SignatureRefused``):
the CMS parses and names its signer's certificate (``signature.malformed``); the
certificate is valid at the moment of signing (``signature.expired``,
``signature.not_yet_valid``) and may sign (key usage digitalSignature or
nonRepudiation: ``signature.key_usage``); then RSA and ECDSA through pyhanko's
``async_validate_detached_cms`` with a ``ValidationContext`` of the trusted roots and
CRLs, ``revocation_mode="require"`` (a certificate without a CRL for its issuer is
refused — with "hard-fail" a revoked certificate listing no CRL location passed) and no
fetching; GOST R 34.10-2012 by ``server.services.signatures.gost``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from asn1crypto import cms
from asn1crypto import x509 as ax

from core.contract import signatures as sm
from server.services.signatures import certs, gost
from server.services.signatures.errors import SignatureRefused
from server.services.signatures.trust import TrustSet

T = TypeVar("T")
SIGNING_USAGES = {"digital_signature", "non_repudiation"}
# pyhanko logs every failed path with a traceback; the refusal is reported by code here.
logging.getLogger("pyhanko.sign.validation").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Verified:
    cert: ax.Certificate
    info: sm.CertificateInfo


def parse(cms_der: bytes) -> tuple[cms.SignedData, cms.SignerInfo, ax.Certificate]:
    """The SignedData, its one signer and the signer's certificate."""
    try:
        info = cms.ContentInfo.load(cms_der)
        if info["content_type"].native != "signed_data":
            raise SignatureRefused("signature.malformed")
        signed_data = info["content"]
        signers = signed_data["signer_infos"]
        if len(signers) != 1:
            raise SignatureRefused("signature.malformed")
        signer = signers[0]
        sid = signer["sid"]
        found = None
        for choice in signed_data["certificates"]:
            if choice.name != "certificate":
                continue
            cert = choice.chosen
            if sid.name == "issuer_and_serial_number":
                if (cert.issuer == sid.chosen["issuer"]
                        and cert.serial_number == sid.chosen["serial_number"].native):
                    found = cert
            elif cert.key_identifier == sid.chosen.native:
                found = cert
        if found is None:
            raise SignatureRefused("signature.no_certificate")
        found["tbs_certificate"]["validity"].native  # noqa: B018  # parse now
        if info.dump() != cms_der:
            raise SignatureRefused("signature.malformed")  # trailing bytes, not DER
        return signed_data, signer, found
    except SignatureRefused:
        raise
    except (ValueError, TypeError, KeyError, AttributeError):
        raise SignatureRefused("signature.malformed") from None


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end from synchronous code, inside a running loop or not."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _check_certificate(cert: ax.Certificate, moment: datetime) -> None:
    validity = cert["tbs_certificate"]["validity"]
    if moment < validity["not_before"].native:
        raise SignatureRefused("signature.not_yet_valid")
    if moment > validity["not_after"].native:
        raise SignatureRefused("signature.expired")
    if not certs.key_usage(cert) & SIGNING_USAGES:
        raise SignatureRefused("signature.key_usage")


async def _pyhanko(content: bytes, signed_data: cms.SignedData, trust: TrustSet,
                   moment: datetime) -> None:
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.errors import PathValidationError

    if not trust.roots:
        raise SignatureRefused("signature.untrusted")
    context = ValidationContext(
        trust_roots=trust.roots, other_certs=trust.intermediates, crls=trust.crls,
        revocation_mode="require", moment=moment, allow_fetching=False)
    usage = KeyUsageConstraints(key_usage=SIGNING_USAGES, match_all_key_usages=False)
    try:
        status = await async_validate_detached_cms(
            content, signed_data, signer_validation_context=context,
            key_usage_settings=usage)
    except (PathValidationError, ValueError, TypeError, KeyError) as exc:
        raise SignatureRefused("signature.malformed", str(exc)) from None
    except Exception as exc:  # pyhanko's SignatureValidationError and kin: unusable CMS
        raise SignatureRefused("signature.malformed", type(exc).__name__) from None
    if not status.intact:
        raise SignatureRefused("signature.digest_mismatch")
    if not status.valid:
        raise SignatureRefused("signature.bad_signature")
    if status.revoked:
        raise SignatureRefused("signature.revoked")
    if not status.bottom_line:
        problem = getattr(status.trust_problem_indic, "name", "") or ""
        if problem.startswith("REVOKED"):
            raise SignatureRefused("signature.revoked")
        if problem == "NO_CERTIFICATE_CHAIN_FOUND":
            raise SignatureRefused("signature.untrusted")
        if problem.startswith("OUT_OF_BOUNDS"):
            raise SignatureRefused("signature.expired")
        if problem == "CHAIN_CONSTRAINTS_FAILURE":
            raise SignatureRefused("signature.key_usage")
        raise SignatureRefused("signature.chain_failed", problem)


def verify_detached(content: bytes, cms_der: bytes, trust: TrustSet,
                    moment: datetime) -> Verified:
    signed_data, signer, cert = parse(cms_der)
    _check_certificate(cert, moment)
    if gost.is_gost(signer):
        gost.verify(content, signed_data, signer, cert, trust, moment)
    else:
        _run(_pyhanko(content, signed_data, trust, moment))
    return Verified(cert, certs.info(cert))
