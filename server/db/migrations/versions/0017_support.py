"""support centre: agents, requests, messages, callbacks, read grants

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 10:00:00

- ``support_agents``: who answers (the ``support`` role, not an organisation role).
- ``support_tickets``: a user's requests (обращения), their number is the id.
- ``support_messages``: the conversation of a request.
- ``support_callbacks``: callback orders, the window in UTC with the user's zone.
- ``support_grants``: temporary read access to one organisation granted from a request.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db.types

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = server.db.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "support_agents",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("granted_at", _TS(timezone=True), nullable=False),
        sa.Column("granted_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_support_agents_user",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "support_tickets",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=True),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.Column("updated_at", _TS(timezone=True), nullable=False),
        sa.Column("closed_at", _TS(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_support_tickets_user",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"],
                                name="fk_support_tickets_org", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_support_tickets_user", "support_tickets", ["user_id", "id"])
    op.create_index("ix_support_tickets_status", "support_tickets", ["status", "updated_at"])
    op.create_table(
        "support_messages",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("ticket_id", _ID, nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=True),
        sa.Column("from_support", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["support_tickets.id"],
                                name="fk_support_messages_ticket", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name="fk_support_messages_author", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_support_messages_ticket", "support_messages", ["ticket_id", "id"])
    op.create_table(
        "support_callbacks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("window_start", _TS(timezone=True), nullable=False),
        sa.Column("window_end", _TS(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.Column("done_at", _TS(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_support_callbacks_user",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"],
                                name="fk_support_callbacks_org", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["done_by"], ["users.id"], name="fk_support_callbacks_done_by",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_support_callbacks_user", "support_callbacks", ["user_id", "created_at"])
    op.create_index("ix_support_callbacks_due", "support_callbacks", ["status", "window_start"])
    op.create_table(
        "support_grants",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", _ID, nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("granted_by", sa.String(length=36), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.Column("expires_at", _TS(timezone=True), nullable=False),
        sa.Column("revoked_at", _TS(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["support_tickets.id"],
                                name="fk_support_grants_ticket", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name="fk_support_grants_org",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["granted_by"], ["users.id"],
                                name="fk_support_grants_granted_by", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_support_grants_org", "support_grants", ["org_id", "expires_at"])
    op.create_index("ix_support_grants_ticket_id", "support_grants", ["ticket_id"])


def downgrade() -> None:
    op.drop_table("support_grants")
    op.drop_table("support_callbacks")
    op.drop_table("support_messages")
    op.drop_table("support_tickets")
    op.drop_table("support_agents")
