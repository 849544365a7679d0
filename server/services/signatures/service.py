"""Provides the signature use cases: a document's canonical bytes, signing, its status,
verifying a received pair, and the export of a document with its signatures.

Rules kept here, whatever the client sends:
- a signature is a detached CMS over the document's canonical bytes
  (``server.services.signatures.canonical``); the server verifies it before recording
  it (``verify.verify_detached``: validity, key usage, chain to the operator's or the
  organisation's roots, revocation by their CRLs) and refuses it with a code otherwise;
- the client names the hash it signed: a document changed since is refused (409
  ``signature.document_changed``) rather than signed blind;
- who may sign in which capacity is data (``CAPACITY_ROLES``); which capacities a
  document type needs is data too (``DEFAULT_RULES`` by the organisation's kind, or the
  organisation's own ``signature_rules``);
- a signature over an earlier version stays, ``outdated``; the document counts as signed
  when each required capacity has a ``valid`` signature over the current version;
- a cancelled document is not signed (409 ``signature.cancelled``);
- every signature lands in the audit log.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import contract as m
from core.contract import signatures as sm
from core.documents import document_title
from server.config import Settings
from server.db.models import (
    Counterparty,
    Document,
    DocumentSignature,
    Organisation,
    SignatureRuleRow,
    TrustAnchor,
    User,
)
from server.db.types import utcnow
from server.domain.roles import Role
from server.services import audit
from server.services.context import OrgCtx
from server.services.documents import Documents
from server.services.errors import ServiceError
from server.services.notifications import notify_roles
from server.services.notifications.events import CAPACITY_WORDS
from server.services.signatures import trust as trust_mod
from server.services.signatures.canonical import canonical_bytes, sha256_hex
from server.services.signatures.certs import name_text
from server.services.signatures.errors import SignatureRefused
from server.services.signatures.verify import verify_detached

CAPACITY_ROLES: dict[str, frozenset[Role]] = {
    # The director signs as the head; in a small company the accountant who runs the books
    # is often the head too (an ИП always is), so the accountant may sign as the head.
    "director": frozenset({Role.DIRECTOR, Role.ACCOUNTANT}),
    "chief_accountant": frozenset({Role.ACCOUNTANT}),
    "signer": frozenset({Role.ACCOUNTANT, Role.PRIMARY, Role.DIRECTOR}),
}
"""Which team roles may sign in each capacity."""

DEFAULT_RULES: dict[str, dict[str, tuple[str, ...]]] = {
    # An ООО's счёт and товарная накладная bear the head's and the chief accountant's
    # signatures (as the printed forms have both lines); the rest need one signature.
    "ooo": {"invoice": ("director", "chief_accountant"),
            "sale_goods": ("director", "chief_accountant"),
            "cash_in": ("director", "chief_accountant"),
            "cash_out": ("director", "chief_accountant")},
    "ip": {},
}
"""Capacities each document type needs by the organisation's kind, unless it set its own;
a type not listed needs one valid signature in any capacity."""

ANY_ONE: tuple[str, ...] = ()


def _ordered(capacities: list[str] | tuple[str, ...]) -> list[str]:
    """Capacities once each, the head first: director, chief accountant, signer."""
    order = list(sm.Capacity.__args__)  # type: ignore[attr-defined]
    return sorted(set(capacities), key=order.index)


@dataclass(frozen=True)
class Version:
    """A document as it is now: its canonical bytes and what a signer is shown."""

    content: bytes
    summary: sm.SignSummary
    org_kind: str
    doc_type: str
    cancelled: bool

    @property
    def sha256(self) -> str:
        return sha256_hex(self.content)


@dataclass
class Signatures:
    settings: Settings
    documents: Documents
    clock: Callable[[], datetime] = field(default=utcnow)
    """The moment a signature is checked at (tests fix it to test expiry)."""

    # --- the document's bytes ------------------------------------------------------

    def canonical(self, db: Session, oc: OrgCtx, document_id: str) -> sm.CanonicalOut:
        v = self._current(db, oc, document_id)
        return sm.CanonicalOut(document_id=document_id, sha256=v.sha256,
                               content_b64=base64.b64encode(v.content).decode(),
                               summary=v.summary)

    def _current(self, db: Session, oc: OrgCtx, document_id: str) -> Version:
        doc = self.documents.get(db, oc, document_id)
        with db.begin():
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            cp = db.get(Counterparty, doc.counterparty_id) if doc.counterparty_id else None
            org_info = {"inn": org.inn, "kpp": org.kpp, "name": org.short_name}
            cp_info = ({"id": cp.id, "name": cp.name, "inn": cp.inn, "kpp": cp.kpp}
                       if cp else None)
            kind = org.kind
        summary = sm.SignSummary(
            doc_type=doc.type, title=document_title(doc.type, doc.number, doc.date),
            number=doc.number, date=doc.date, counterparty=cp.name if cp else None,
            amount=str(doc.total), organisation=org.short_name)
        return Version(canonical_bytes(org_info, doc, cp_info), summary, kind, doc.type,
                       doc.state == "cancelled")

    # --- signing -------------------------------------------------------------------

    def sign(self, db: Session, oc: OrgCtx, document_id: str,
             data: sm.SignatureIn) -> sm.SignatureOut:
        if oc.role not in CAPACITY_ROLES[data.capacity]:
            raise ServiceError(403, "signature.capacity_forbidden",
                               params={"capacity": data.capacity})
        v = self._current(db, oc, document_id)
        if v.cancelled:
            raise ServiceError(409, "signature.cancelled")
        content, summary, sha = v.content, v.summary, v.sha256
        if data.sha256 != sha:
            raise ServiceError(409, "signature.document_changed")
        cms_der = base64.b64decode(data.signature_b64)
        moment = self.clock()
        verified = self._verify(db, oc, content, cms_der, moment)
        with db.begin():
            # Lock the document: two signatures of one version in one capacity by one
            # member are one signature.
            doc = db.get(Document, document_id, with_for_update=True)
            if doc is None or doc.org_id != oc.org_id:
                raise ServiceError(404, "doc.not_found")
            dup = db.scalar(select(DocumentSignature.id).where(
                DocumentSignature.document_id == document_id,
                DocumentSignature.sha256 == sha, DocumentSignature.user_id == oc.user_id,
                DocumentSignature.capacity == data.capacity))
            if dup is not None:
                raise ServiceError(409, "signature.duplicate")
            info = verified.info
            row = DocumentSignature(
                org_id=oc.org_id, document_id=document_id, user_id=oc.user_id,
                capacity=data.capacity, signed_at=moment, sha256=sha, content=content,
                cms=cms_der, algorithm=info.algorithm, cert_subject=info.subject,
                cert_issuer=info.issuer, cert_serial=info.serial,
                cert_thumbprint=info.thumbprint, cert_not_before=info.not_before,
                cert_not_after=info.not_after, cert_key_usage=",".join(info.key_usage))
            db.add(row)
            db.flush()
            audit.record(db, oc.ctx, "signatures.sign", org_id=oc.org_id,
                         object_type="document", object_id=document_id,
                         summary=f"{summary.title}: подпись ({data.capacity}), "
                                 f"{info.subject}, серийный номер {info.serial}")
            notify_roles(db, oc.org_id, ("accountant", "director"), "document_signed",
                         ("document", document_id),
                         {"title": summary.title, "capacity": CAPACITY_WORDS[data.capacity]},
                         now=oc.ctx.now, by=oc.user_id)
            email = db.scalar(select(User.email).where(User.id == oc.user_id))
            return self._out(row, sha, email)

    def _trust(self, db: Session, oc: OrgCtx) -> trust_mod.TrustSet:
        with db.begin():
            rows = db.execute(select(TrustAnchor.kind, TrustAnchor.der)
                              .where(TrustAnchor.org_id == oc.org_id)).all()
        return (trust_mod.from_dir(self.settings.signature_trust_dir)
                + trust_mod.from_rows([(k, d) for k, d in rows]))

    def _verify(self, db: Session, oc: OrgCtx, content: bytes, cms_der: bytes,
                moment: datetime):
        try:
            return verify_detached(content, cms_der, self._trust(db, oc), moment)
        except SignatureRefused as exc:
            raise ServiceError(422, exc.code) from None

    # --- reading -------------------------------------------------------------------

    def status(self, db: Session, oc: OrgCtx, document_id: str) -> sm.SignatureStatus:
        v = self._current(db, oc, document_id)
        sha = v.sha256
        with db.begin():
            rows = db.execute(
                select(DocumentSignature, User.email)
                .join(User, User.id == DocumentSignature.user_id)
                .where(DocumentSignature.document_id == document_id)
                .order_by(DocumentSignature.signed_at, DocumentSignature.id)).all()
            required = self._required(db, oc, v.org_kind, v.doc_type)
        outs = [self._out(row, sha, email) for row, email in rows]
        have = {s.capacity for s in outs if s.state == "valid"}
        if required:
            missing = [c for c in required if c not in have]
        else:
            missing = [] if have else ["signer"]
        return sm.SignatureStatus(
            document_id=document_id, sha256=sha, signatures=outs,
            required=list(required), missing=missing,  # type: ignore[arg-type]
            signed=not missing and not v.cancelled)

    def _required(self, db: Session, oc: OrgCtx, org_kind: str,
                  doc_type: str) -> tuple[str, ...]:
        own = db.scalars(select(SignatureRuleRow.capacity).where(
            SignatureRuleRow.org_id == oc.org_id, SignatureRuleRow.doc_type == doc_type)).all()
        if own:
            return tuple(_ordered(own))
        return DEFAULT_RULES.get(org_kind, {}).get(doc_type, ANY_ONE)

    def _out(self, row: DocumentSignature, current_sha: str,
             email: str | None) -> sm.SignatureOut:
        return sm.SignatureOut(
            id=row.id, document_id=row.document_id,
            capacity=row.capacity,  # type: ignore[arg-type]
            user_id=row.user_id, user_email=email, signed_at=row.signed_at, sha256=row.sha256,
            state="valid" if row.sha256 == current_sha else "outdated",
            certificate=sm.CertificateInfo(
                subject=row.cert_subject, issuer=row.cert_issuer, serial=row.cert_serial,
                not_before=row.cert_not_before, not_after=row.cert_not_after,
                thumbprint=row.cert_thumbprint,
                key_usage=[u for u in row.cert_key_usage.split(",") if u],
                algorithm=row.algorithm))

    # --- a received pair -----------------------------------------------------------

    def verify_pair(self, db: Session, oc: OrgCtx, data: sm.VerifyIn) -> sm.VerifyOut:
        """Verify a document and its ``.sig`` received from elsewhere (nothing stored)."""
        from server.i18n import text

        content = base64.b64decode(data.content_b64)
        cms_der = base64.b64decode(data.signature_b64)
        sha = sha256_hex(content)
        try:
            verified = verify_detached(content, cms_der, self._trust(db, oc), self.clock())
        except SignatureRefused as exc:
            return sm.VerifyOut(valid=False, code=exc.code,
                                reason=text(f"error.{exc.code}", oc.ctx.lang), sha256=sha)
        return sm.VerifyOut(valid=True, sha256=sha, certificate=verified.info)

    # --- export --------------------------------------------------------------------

    def export_zip(self, db: Session, oc: OrgCtx, document_id: str) -> tuple[str, bytes]:
        """A zip for sending: ``document.json`` (the current canonical bytes), each
        signature as ``signatures/N-capacity.sig`` with the version it signed
        (``versions/<sha256>.json``), and ``manifest.json`` saying which is which.
        ``openssl cms -verify -binary -inform DER -in N.sig -content <version>`` checks
        one with the CA's certificate."""
        status = self.status(db, oc, document_id)
        v = self._current(db, oc, document_id)
        content, summary = v.content, v.summary
        with db.begin():
            rows = {r.id: r for r in db.scalars(select(DocumentSignature).where(
                DocumentSignature.document_id == document_id))}
        buf = io.BytesIO()
        manifest: dict = {"format": sm.CANONICAL_FORMAT, "document": summary.title,
                          "sha256": status.sha256, "signed": status.signed,
                          "signatures": []}
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("document.json", content)
            for i, sig in enumerate(status.signatures, start=1):
                row = rows[sig.id]
                name = f"signatures/{i}-{sig.capacity}.sig"
                version = ("document.json" if sig.state == "valid"
                           else f"versions/{sig.sha256}.json")
                if version != "document.json":
                    z.writestr(version, row.content)
                z.writestr(name, row.cms)
                manifest["signatures"].append({
                    "file": name, "content": version, "capacity": sig.capacity,
                    "state": sig.state, "signed_at": sig.signed_at.isoformat(),
                    "signer": sig.certificate.subject, "serial": sig.certificate.serial,
                    "issuer": sig.certificate.issuer})
            z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        stem = f"{summary.doc_type}-{summary.number}-{summary.date.isoformat()}"
        return f"{stem}-signed.zip", buf.getvalue()

    # --- the organisation's rules and trust ----------------------------------------

    def rules(self, db: Session, oc: OrgCtx) -> sm.SignatureRules:
        with db.begin():
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            merged = {t: list(c) for t, c in DEFAULT_RULES.get(org.kind, {}).items()}
            own: dict[str, list[str]] = {}
            for row in db.scalars(select(SignatureRuleRow).where(
                    SignatureRuleRow.org_id == oc.org_id)):
                own.setdefault(row.doc_type, []).append(row.capacity)
        merged.update(own)
        return sm.SignatureRules(rules=[
            sm.SignatureRule(doc_type=t, capacities=_ordered(c))  # type: ignore[arg-type]
            for t, c in sorted(merged.items())])

    def set_rules(self, db: Session, oc: OrgCtx, data: sm.SignatureRules) -> sm.SignatureRules:
        known = set(m.DocType.__args__)  # type: ignore[attr-defined]
        for rule in data.rules:
            if rule.doc_type not in known:
                raise ServiceError(422, "signature.unknown_doc_type")
        with db.begin():
            for rule in data.rules:
                for row in db.scalars(select(SignatureRuleRow).where(
                        SignatureRuleRow.org_id == oc.org_id,
                        SignatureRuleRow.doc_type == rule.doc_type)):
                    db.delete(row)
                db.flush()
                for capacity in dict.fromkeys(rule.capacities):
                    db.add(SignatureRuleRow(org_id=oc.org_id, doc_type=rule.doc_type,
                                            capacity=capacity))
            audit.record(db, oc.ctx, "signatures.rules", org_id=oc.org_id,
                         summary="; ".join(f"{r.doc_type}: {', '.join(r.capacities)}"
                                           for r in data.rules))
        return self.rules(db, oc)

    def add_trust(self, db: Session, oc: OrgCtx, data: sm.TrustIn) -> sm.TrustOut:
        raw = base64.b64decode(data.data_b64)
        try:
            if data.kind == "crl":
                item = trust_mod.load_crls(raw)[0]
                der, subject = item.dump(), name_text(item.issuer)
            else:
                cert = trust_mod.load_certificates(raw)[0]
                if not cert.ca:
                    raise ValueError("not a CA")
                der, subject = cert.dump(), name_text(cert.subject)
        except Exception:  # hostile bytes: asn1crypto raises many kinds
            raise ServiceError(422, "signature.bad_trust_file") from None
        with db.begin():
            row = TrustAnchor(org_id=oc.org_id, kind=data.kind, label=data.label,
                              subject=subject, der=der, created_at=oc.ctx.now,
                              created_by=oc.user_id)
            db.add(row)
            db.flush()
            audit.record(db, oc.ctx, "signatures.trust_add", org_id=oc.org_id,
                         object_type="trust", object_id=row.id,
                         summary=f"{data.kind}: {subject}")
            return sm.TrustOut(id=row.id, kind=data.kind, label=row.label, subject=subject,
                               created_at=row.created_at)

    def trust_list(self, db: Session, oc: OrgCtx) -> sm.TrustList:
        with db.begin():
            rows = db.scalars(select(TrustAnchor).where(TrustAnchor.org_id == oc.org_id)
                              .order_by(TrustAnchor.created_at)).all()
            return sm.TrustList(items=[sm.TrustOut(
                id=r.id, kind=r.kind, label=r.label,  # type: ignore[arg-type]
                subject=r.subject, created_at=r.created_at) for r in rows])
