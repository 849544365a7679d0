"""Provides the models of document signatures, the signature rules and the trust anchors.

No column holds a private key: a signature row keeps the detached CMS (public by
nature: the signer's certificate and the signature value) and the exact bytes signed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base, new_id
from server.db.types import UTCDateTime, utcnow


class DocumentSignature(Base):
    """One signature of one version of a document: who (the member and the certificate)
    signed which bytes (``content``, their ``sha256``) when, in which capacity. Never
    changed; a later version of the document leaves it ``outdated`` (its hash differs)."""

    __tablename__ = "document_signatures"
    __table_args__ = (
        Index("ix_document_signatures_document", "document_id", "signed_at"),
        Index("ix_document_signatures_org", "org_id", "signed_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_document_signatures_org"))
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE", name="fk_document_signatures_document"))
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", name="fk_document_signatures_user"))
    capacity: Mapped[str] = mapped_column(String(20))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    """The canonical bytes signed (the document version), kept for export and re-checks."""
    cms: Mapped[bytes] = mapped_column(LargeBinary)
    """The detached CMS SignedData, DER."""
    algorithm: Mapped[str] = mapped_column(String(20))
    cert_subject: Mapped[str] = mapped_column(Text)
    cert_issuer: Mapped[str] = mapped_column(Text)
    cert_serial: Mapped[str] = mapped_column(String(80))
    cert_thumbprint: Mapped[str] = mapped_column(String(40))
    cert_not_before: Mapped[datetime] = mapped_column(UTCDateTime())
    cert_not_after: Mapped[datetime] = mapped_column(UTCDateTime())
    cert_key_usage: Mapped[str] = mapped_column(String(200), default="")


class SignatureRuleRow(Base):
    """An organisation's rule: documents of ``doc_type`` need a signature in ``capacity``
    (one row per capacity: an акт needing the director and the chief accountant is two)."""

    __tablename__ = "signature_rules"
    __table_args__ = (
        UniqueConstraint("org_id", "doc_type", "capacity", name="uq_signature_rules"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_signature_rules_org"))
    doc_type: Mapped[str] = mapped_column(String(24))
    capacity: Mapped[str] = mapped_column(String(20))


class TrustAnchor(Base):
    """A CA certificate (``root``) or a CRL (``crl``) the organisation trusts or supplies,
    DER; the operator's own are files in ``Settings.signature_trust_dir``."""

    __tablename__ = "signature_trust"
    __table_args__ = (Index("ix_signature_trust_org", "org_id", "kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_signature_trust_org"))
    kind: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    der: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(36))
