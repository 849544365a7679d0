"""signatures

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 18:27:43

- ``document_signatures``: each signature of a document version (the detached CMS, the
  canonical bytes signed and their SHA-256, who, when, in which capacity, the
  certificate's particulars); no column for a private key.
- ``signature_rules``: which capacities (director, chief accountant …) a document type
  needs in an organisation.
- ``signature_trust``: trust roots and CRLs an organisation supplies (DER).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signature_rules",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("doc_type", sa.String(length=24), nullable=False),
        sa.Column("capacity", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name="fk_signature_rules_org", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "doc_type", "capacity", name="uq_signature_rules"),
    )
    op.create_table(
        "signature_trust",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name="fk_signature_trust_org", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signature_trust", schema=None) as batch_op:
        batch_op.create_index("ix_signature_trust_org", ["org_id", "kind"], unique=False)

    op.create_table(
        "document_signatures",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("capacity", sa.String(length=20), nullable=False),
        sa.Column("signed_at", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("cms", sa.LargeBinary(), nullable=False),
        sa.Column("algorithm", sa.String(length=20), nullable=False),
        sa.Column("cert_subject", sa.Text(), nullable=False),
        sa.Column("cert_issuer", sa.Text(), nullable=False),
        sa.Column("cert_serial", sa.String(length=80), nullable=False),
        sa.Column("cert_thumbprint", sa.String(length=40), nullable=False),
        sa.Column("cert_not_before", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cert_not_after", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cert_key_usage", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_document_signatures_document",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name="fk_document_signatures_org", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_document_signatures_user"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("document_signatures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_document_signatures_document", ["document_id", "signed_at"], unique=False
        )
        batch_op.create_index("ix_document_signatures_org", ["org_id", "signed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("document_signatures", schema=None) as batch_op:
        batch_op.drop_index("ix_document_signatures_org")
        batch_op.drop_index("ix_document_signatures_document")

    op.drop_table("document_signatures")
    with op.batch_alter_table("signature_trust", schema=None) as batch_op:
        batch_op.drop_index("ix_signature_trust_org")

    op.drop_table("signature_trust")
    op.drop_table("signature_rules")
