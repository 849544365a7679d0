"""notifications, their channels and the job table

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 20:30:00

- ``notifications``: one event for one user (in-app list, digest material), with a unique
  ``dedupe_key`` for the events a sweep produces (a tax deadline N days away).
- ``notification_org_prefs`` / ``notification_user_prefs``: the event × channel matrix.
- ``notification_channels``: a user's digest choice and linked Telegram chat.
- ``webhook_endpoints``: an organisation's signed HTTPS receivers.
- ``jobs``: deliveries claimed by workers (``FOR UPDATE SKIP LOCKED`` on PostgreSQL).
- ``worker_leases``: a named lease one worker holds at a time (the Telegram poll).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db.types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = server.db.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=True),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("object_kind", sa.String(length=20), nullable=True),
        sa.Column("object_id", sa.String(length=100), nullable=True),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        sa.Column("digest_pending", sa.Boolean(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.Column("read_at", _TS(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_notifications_user",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name="fk_notifications_org",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key", name="uq_notifications_dedupe_key"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_user", ["user_id", "in_app", "created_at"],
                              unique=False)
        batch_op.create_index("ix_notifications_digest", ["digest_pending", "user_id"],
                              unique=False)

    op.create_table(
        "notification_org_prefs",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"],
                                name="fk_notification_org_prefs_org", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "event", "channel"),
    )
    op.create_table(
        "notification_user_prefs",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"],
                                name="fk_notification_user_prefs_org", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name="fk_notification_user_prefs_user", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "user_id", "event", "channel"),
    )
    op.create_table(
        "notification_channels",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("email_digest", sa.Boolean(), nullable=False),
        sa.Column("digest_hour", sa.Integer(), nullable=False),
        sa.Column("last_digest_at", _TS(timezone=True), nullable=True),
        sa.Column("telegram_chat_id", sa.String(length=40), nullable=True),
        sa.Column("telegram_chat_title", sa.String(length=200), nullable=True),
        sa.Column("telegram_linked_at", _TS(timezone=True), nullable=True),
        sa.Column("telegram_code_hash", sa.String(length=64), nullable=True),
        sa.Column("telegram_code_expires_at", _TS(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name="fk_notification_channels_user", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
        sa.UniqueConstraint("telegram_code_hash"),
    )
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("events", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("failing_since", _TS(timezone=True), nullable=True),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"],
                                name="fk_webhook_endpoints_org", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_endpoints_org", ["org_id"], unique=False)

    op.create_table(
        "jobs",
        sa.Column("id", _BIGINT, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("run_at", _TS(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=True),
        sa.Column("ref_id", sa.String(length=36), nullable=True),
        sa.Column("event", sa.String(length=40), nullable=True),
        sa.Column("event_id", sa.String(length=40), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.Column("last_attempt_at", _TS(timezone=True), nullable=True),
        sa.Column("done_at", _TS(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key", name="uq_jobs_dedupe_key"),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index("ix_jobs_due", ["status", "run_at"], unique=False)
        batch_op.create_index("ix_jobs_ref", ["ref_id", "id"], unique=False)

    op.create_table(
        "worker_leases",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=80), nullable=True),
        sa.Column("until", _TS(timezone=True), nullable=True),
        sa.Column("state", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("worker_leases")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_ref")
        batch_op.drop_index("ix_jobs_due")
    op.drop_table("jobs")
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_endpoints_org")
    op.drop_table("webhook_endpoints")
    op.drop_table("notification_channels")
    op.drop_table("notification_user_prefs")
    op.drop_table("notification_org_prefs")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_digest")
        batch_op.drop_index("ix_notifications_user")
    op.drop_table("notifications")
