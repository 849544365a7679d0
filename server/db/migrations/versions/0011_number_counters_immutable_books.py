"""number counters, immutable books

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 15:00:00

- ``number_counters``: one row per numbering series (an organisation's entries; its
  documents of a type in a year; its payment orders of a year), locked by the writer
  that takes the next number (``server.services.numbering``). Backfilled with each
  series' highest number already given.
- Triggers on SQLite and PostgreSQL make the books immutable below the API: a posting is
  never updated nor deleted; an entry is never deleted, and an UPDATE may change nothing
  but ``description_folded`` (derived from the description, for search). The code makes
  no other change: an entry's links (reversal, document) are set in its INSERT.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BACKFILL = """
INSERT INTO number_counters (org_id, sequence, year, value)
SELECT org_id, 'entry', 0, MAX(number) FROM entries
WHERE org_id IN (SELECT id FROM organisations) GROUP BY org_id
UNION ALL
SELECT org_id, 'document:' || type, year, MAX(number) FROM documents
WHERE org_id IN (SELECT id FROM organisations) GROUP BY org_id, type, year
UNION ALL
SELECT org_id, 'payment_order', year, MAX(number) FROM payment_orders
WHERE org_id IN (SELECT id FROM organisations) GROUP BY org_id, year
"""

# The columns of an entry that never change once written (all but description_folded).
ENTRY_FIXED = ("id", "org_id", "number", "date", "description", "reverses_id",
               "created_at", "created_by", "document_id")
MESSAGE = "the books are immutable: a posting or an entry is never changed nor deleted"

SQLITE = [
    f"""CREATE TRIGGER trg_postings_no_update BEFORE UPDATE ON postings
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER trg_postings_no_delete BEFORE DELETE ON postings
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER trg_entries_no_delete BEFORE DELETE ON entries
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER trg_entries_no_update BEFORE UPDATE ON entries
    WHEN {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in ENTRY_FIXED)}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION buhta_books_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
            MESSAGE = '{MESSAGE} (' || TG_OP || ' on ' || TG_TABLE_NAME || ')';
    END $$""",
    """CREATE TRIGGER trg_postings_immutable BEFORE UPDATE OR DELETE ON postings
    FOR EACH ROW EXECUTE FUNCTION buhta_books_immutable()""",
    """CREATE TRIGGER trg_postings_no_truncate BEFORE TRUNCATE ON postings
    FOR EACH STATEMENT EXECUTE FUNCTION buhta_books_immutable()""",
    """CREATE TRIGGER trg_entries_no_delete BEFORE DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION buhta_books_immutable()""",
    """CREATE TRIGGER trg_entries_no_truncate BEFORE TRUNCATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION buhta_books_immutable()""",
    f"""CREATE TRIGGER trg_entries_no_update BEFORE UPDATE ON entries FOR EACH ROW
    WHEN ({" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in ENTRY_FIXED)})
    EXECUTE FUNCTION buhta_books_immutable()""",
]

DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS trg_postings_no_update",
               "DROP TRIGGER IF EXISTS trg_postings_no_delete",
               "DROP TRIGGER IF EXISTS trg_entries_no_delete",
               "DROP TRIGGER IF EXISTS trg_entries_no_update"],
    "postgresql": ["DROP TRIGGER IF EXISTS trg_postings_immutable ON postings",
                   "DROP TRIGGER IF EXISTS trg_postings_no_truncate ON postings",
                   "DROP TRIGGER IF EXISTS trg_entries_no_delete ON entries",
                   "DROP TRIGGER IF EXISTS trg_entries_no_truncate ON entries",
                   "DROP TRIGGER IF EXISTS trg_entries_no_update ON entries",
                   "DROP FUNCTION IF EXISTS buhta_books_immutable()"],
}


def upgrade() -> None:
    op.create_table(
        "number_counters",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("sequence", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"],
                                name="fk_number_counters_org", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "sequence", "year", name="pk_number_counters"),
    )
    op.execute(BACKFILL)
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table("number_counters")
