"""opening balances and month-end closing

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 19:30:00

- ``entry_marks``: which entries are the opening balances (ввод остатков), a month's
  closing entries (закрытие месяца) or their reversals on reopening; an entry never
  changes (0011's triggers), so the mark is its own row.
- ``closing_settings``: an organisation's closing policy (26 → 90.08 or 26 → 20 → 90.02).
- The organisations' charts, copied once from the data file when each was created, get
  the accounts the new use cases post to: 000 «Вспомогательный счёт» (the other side of
  opening balances) and 84.01 / 84.02 (the year-end reformation). Only organisations that
  already have a chart (one without gets the whole chart on first use); an account the
  organisation already has is left alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

NEW_ACCOUNTS = (
    ("000", "Вспомогательный счёт", "active_passive", None),
    ("84.01", "Прибыль, подлежащая распределению", "passive", "84"),
    ("84.02", "Убыток, подлежащий покрытию", "active", "84"),
)

ADD_ACCOUNT = sa.text("""
INSERT INTO ledger_accounts (org_id, code, name, kind, analytics, parent, builtin)
SELECT DISTINCT a.org_id, CAST(:code AS VARCHAR(20)), CAST(:name AS VARCHAR(200)),
       CAST(:kind AS VARCHAR(16)), '', CAST(:parent AS VARCHAR(20)), :builtin
FROM ledger_accounts a
WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts b
                  WHERE b.org_id = a.org_id AND b.code = CAST(:code AS VARCHAR(20)))
""")


def upgrade() -> None:
    op.create_table(
        "entry_marks",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=True),
        sa.CheckConstraint(
            "kind IN ('opening', 'closing', 'closing_reversal')", name="ck_entry_marks_kind"
        ),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], name="fk_entry_marks_entry"),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name="fk_entry_marks_org", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("entry_id"),
    )
    with op.batch_alter_table("entry_marks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_entry_marks_org_kind_month", ["org_id", "kind", "month"], unique=False
        )

    op.create_table(
        "closing_settings",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("cost_mode", sa.String(length=12), nullable=False),
        sa.CheckConstraint(
            "cost_mode IN ('sales', 'production')", name="ck_closing_settings_mode"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name="fk_closing_settings_org", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("org_id"),
    )

    bind = op.get_bind()
    for code, name, kind, parent in NEW_ACCOUNTS:
        bind.execute(ADD_ACCOUNT, {"code": code, "name": name, "kind": kind, "parent": parent,
                                   "builtin": True})


def downgrade() -> None:
    # The accounts stay: postings may name them (postings are never deleted).
    op.drop_table("closing_settings")
    with op.batch_alter_table("entry_marks", schema=None) as batch_op:
        batch_op.drop_index("ix_entry_marks_org_kind_month")

    op.drop_table("entry_marks")
