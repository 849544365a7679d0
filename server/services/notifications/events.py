"""Provides the event catalogue: each event's default channels and its texts.

A notification keeps its event and parameters, not its text: the in-app list says it in
the caller's language when read; mail, Telegram and the digest say it in Russian (an
account has no language of its own yet). Texts are the server catalogue's
``notify.<event>`` (one line, ``{params}`` filled) and ``notify.<event>.name`` (the
matrix row's name).
"""

from __future__ import annotations

from typing import Any

from core.contract import notifications as nm
from server.i18n import text

DEFAULTS: dict[str, frozenset[str]] = {
    "task_assigned": frozenset({"in_app", "email", "telegram", "webhook"}),
    "task_commented": frozenset({"in_app", "telegram", "webhook"}),
    "task_due_soon": frozenset({"in_app", "email", "telegram", "webhook"}),
    "task_overdue": frozenset({"in_app", "email", "telegram", "webhook"}),
    "tax_deadline": frozenset({"in_app", "email", "telegram", "webhook"}),
    "statement_imported": frozenset({"in_app", "webhook"}),
    "payroll_approved": frozenset({"in_app", "email", "telegram", "webhook"}),
    "login_new_device": frozenset({"in_app", "email", "telegram"}),
    "invitation_accepted": frozenset({"in_app", "email", "telegram", "webhook"}),
    "document_signed": frozenset({"in_app", "telegram", "webhook"}),
    "support_reply": frozenset({"in_app", "email", "telegram"}),
}
"""What is on when neither the organisation nor the user chose (Telegram and webhooks
send only once linked / added, so «on» there costs nothing)."""

assert set(DEFAULTS) == set(nm.EVENT_TYPES)

TASK_EVENTS = {
    "task.assigned": "task_assigned",
    "task.comment": "task_commented",
    "task.due_soon": "task_due_soon",
    "task.overdue": "task_overdue",
}
"""The tasks area's own event kinds (``user_events``) and the notification each is."""

CAPACITY_WORDS = {"director": "руководитель", "chief_accountant": "главный бухгалтер",
                  "signer": "подписант"}
"""A signature's capacity in the words of the «документ подписан» line."""


def _safe(params: dict[str, Any]) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in params.items()}


def title(event: str, params: dict[str, Any], lang: str) -> str:
    return text(f"notify.{event}", lang, **_safe(params))


def event_name(event: str, lang: str) -> str:
    return text(f"notify.{event}.name", lang)


def webhook_type(event: str) -> str:
    return f"buhta.{event}"


__all__ = ["CAPACITY_WORDS", "DEFAULTS", "TASK_EVENTS", "event_name", "title", "webhook_type"]
