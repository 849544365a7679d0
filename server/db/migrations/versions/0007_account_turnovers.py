"""account turnovers

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 01:03:09.573739

Per-month turnover aggregates of every account (and counterparty), backfilled from the
postings already in the books; from now on ``server.services.turnovers`` keeps them in
the same transaction as each new posting.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The first day of a posting's month. SQLite keeps a DATE as 'YYYY-MM-DD' text.
MONTH_OF = {
    "sqlite": "date(date, 'start of month')",
    "postgresql": "CAST(date_trunc('month', date) AS DATE)",
}

# Each posting adds its amount (negative for a reversal) to the debit side of its Дт
# account and to the credit side of its Кт account, in its month, with its counterparty
# ('' for none). Postings of an organisation that no longer exists are left out.
BACKFILL = """
INSERT INTO account_turnovers
    (org_id, account, counterparty_key, month, debit_kopecks, credit_kopecks)
SELECT org_id, account, counterparty_key, month, SUM(debit_kopecks), SUM(credit_kopecks)
FROM (
    SELECT org_id, debit AS account, COALESCE(counterparty_id, '') AS counterparty_key,
           {month} AS month, amount_kopecks AS debit_kopecks, 0 AS credit_kopecks
    FROM postings
    UNION ALL
    SELECT org_id, credit, COALESCE(counterparty_id, ''), {month}, 0, amount_kopecks
    FROM postings
) AS sides
WHERE org_id IN (SELECT id FROM organisations)
GROUP BY org_id, account, counterparty_key, month
"""


def upgrade() -> None:
    op.create_table(
        "account_turnovers",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("account", sa.String(length=20), nullable=False),
        sa.Column("counterparty_key", sa.String(length=36), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("debit_kopecks", sa.BigInteger(), nullable=False),
        sa.Column("credit_kopecks", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"],
                                name="fk_account_turnovers_org", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "account", "counterparty_key", "month",
                                name="pk_account_turnovers"),
    )
    dialect = op.get_bind().dialect.name
    op.execute(BACKFILL.format(month=MONTH_OF.get(dialect, MONTH_OF["postgresql"])))


def downgrade() -> None:
    op.drop_table("account_turnovers")
