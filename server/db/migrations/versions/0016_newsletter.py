"""newsletter

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 21:00:00

- ``newsletter_subscribers``: a user's standing on a topic (the id an unsubscribe link signs).
- ``newsletter_consents``: every consent and withdrawal, only ever added (the proof of
  prior consent 38-ФЗ «О рекламе» ст. 18 asks for: time, exact text, source, IP).
- ``newsletter_issues``: the issues sent; ``newsletter_deliveries``: one row per issue and
  subscriber (unique: never twice), with its mail job.
- ``newsletter_keys``: the server's signing key of the unsubscribe links.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db.types

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = server.db.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "newsletter_subscribers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("subscribed_at", _TS(timezone=True), nullable=True),
        sa.Column("unsubscribed_at", _TS(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name="fk_newsletter_subscribers_user", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "topic", name="uq_newsletter_subscribers_user_topic"),
    )
    with op.batch_alter_table("newsletter_subscribers", schema=None) as batch_op:
        batch_op.create_index("ix_newsletter_subscribers_topic", ["topic", "active", "id"],
                              unique=False)

    op.create_table(
        "newsletter_consents",
        sa.Column("id", _BIGINT, nullable=False),
        sa.Column("subscriber_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("at", _TS(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("text_id", sa.String(length=40), nullable=True),
        sa.Column("text_sha256", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["subscriber_id"], ["newsletter_subscribers.id"],
                                name="fk_newsletter_consents_subscriber", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("newsletter_consents", schema=None) as batch_op:
        batch_op.create_index("ix_newsletter_consents_user", ["user_id", "id"], unique=False)

    op.create_table(
        "newsletter_issues",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.Column("completed_at", _TS(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )

    op.create_table(
        "newsletter_deliveries",
        sa.Column("id", _BIGINT, nullable=False),
        sa.Column("issue_id", sa.String(length=64), nullable=False),
        sa.Column("subscriber_id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.Column("job_id", _BIGINT, nullable=True),
        sa.Column("sent_at", _TS(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["issue_id"], ["newsletter_issues.id"],
                                name="fk_newsletter_deliveries_issue", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["subscriber_id"], ["newsletter_subscribers.id"],
                                name="fk_newsletter_deliveries_subscriber", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issue_id", "subscriber_id", name="uq_newsletter_deliveries"),
    )

    op.create_table(
        "newsletter_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("newsletter_keys")
    op.drop_table("newsletter_deliveries")
    op.drop_table("newsletter_issues")
    with op.batch_alter_table("newsletter_consents", schema=None) as batch_op:
        batch_op.drop_index("ix_newsletter_consents_user")
    op.drop_table("newsletter_consents")
    with op.batch_alter_table("newsletter_subscribers", schema=None) as batch_op:
        batch_op.drop_index("ix_newsletter_subscribers_topic")
    op.drop_table("newsletter_subscribers")
