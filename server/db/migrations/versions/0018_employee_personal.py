"""employee personal data for РСВ section 3: birth date, sex, citizenship

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 08:20:00

- ``employees.birth_date``, ``employees.sex`` («М» / «Ж»), ``employees.citizenship``
  (ОКСМ code, «643» Россия): all nullable, an older card has none; the API checks them
  (core/contract/payroll.py ``EmployeeIn``), РСВ section 3 shows what is missing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column("citizenship", sa.String(length=3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_column("citizenship")
        batch_op.drop_column("sex")
        batch_op.drop_column("birth_date")
