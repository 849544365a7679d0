"""tasks and user events

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 15:15:49

- ``tasks``: an organisation's tasks (author, assignee, due date, priority, status,
  links, repetition), indexed for the organisation's list and «Мои задачи»
  (org+status+due, assignee+status+due) and for the due-date sweep (status+due).
- ``task_changes``: each task's history (creation, comments, every change of a field).
- ``user_events``: what a user is to hear about (a task assigned, commented on, due soon,
  overdue), with a unique ``dedupe_key`` for the events a sweep produces.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", server.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name="fk_user_events_org", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_user_events_user", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key", name="uq_user_events_dedupe_key"),
    )
    with op.batch_alter_table("user_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_user_events_user_unread", ["user_id", "read_at", "id"], unique=False
        )

    op.create_table(
        "tasks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("due_key", sa.Date(), nullable=False),
        sa.Column("repeat", sa.String(length=12), nullable=False),
        sa.Column("anchor_day", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("assignee_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("entry_id", sa.String(length=36), nullable=True),
        sa.Column("employee_id", sa.String(length=36), nullable=True),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("deadline_id", sa.String(length=81), nullable=True),
        sa.Column("previous_id", sa.String(length=36), nullable=True),
        sa.Column("next_id", sa.String(length=36), nullable=True),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.Column("due_soon_for", sa.Date(), nullable=True),
        sa.Column("overdue_for", sa.Date(), nullable=True),
        sa.Column("created_at", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", server.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("priority IN ('low', 'normal', 'high')", name="ck_tasks_priority"),
        sa.CheckConstraint("repeat IN ('none', 'monthly', 'quarterly')", name="ck_tasks_repeat"),
        sa.CheckConstraint(
            "status IN ('new', 'in_progress', 'waiting', 'done', 'cancelled')",
            name="ck_tasks_status",
        ),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], name="fk_tasks_assignee"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name="fk_tasks_author"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_tasks_document"),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], name="fk_tasks_employee"),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], name="fk_tasks_entry"),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name="fk_tasks_org", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tasks_assignee_status_due", ["assignee_id", "status", "due_key", "id"], unique=False
        )
        batch_op.create_index("ix_tasks_org_author", ["org_id", "author_id"], unique=False)
        batch_op.create_index(
            "ix_tasks_org_status_due", ["org_id", "status", "due_key", "id"], unique=False
        )
        batch_op.create_index("ix_tasks_status_due", ["status", "due_key"], unique=False)

    op.create_table(
        "task_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name="fk_task_changes_task", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task_changes", schema=None) as batch_op:
        batch_op.create_index("ix_task_changes_task", ["task_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_task_changes_task")

    op.drop_table("task_changes")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_status_due")
        batch_op.drop_index("ix_tasks_org_status_due")
        batch_op.drop_index("ix_tasks_org_author")
        batch_op.drop_index("ix_tasks_assignee_status_due")

    op.drop_table("tasks")
    with op.batch_alter_table("user_events", schema=None) as batch_op:
        batch_op.drop_index("ix_user_events_user_unread")

    op.drop_table("user_events")
