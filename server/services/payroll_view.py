"""Provides what a role without payroll rights sees of the payroll accounts (issue 19).

The payroll accounts (``server.domain.roles.PAYROLL_ACCOUNTS``: 70, 68.01, 69 and their
sub-accounts) say who was paid what. A role reading the books without ``payroll.read``
(«Бухгалтер по первичке», «Наблюдатель») gets, in every report and export:
- every amount, so the trial balance, the balance sheet, the financial results, the
  journal and the export add up exactly as for the accountant;
- no card and no analysis of a payroll account, nor of an account that rolls one up
  (68 holds 68.01): 403 ``reports.payroll_only`` (68.02 and the other taxes stay
  readable one by one);
- no counterparty (the employee) and no memo on a posting to or from a payroll account,
  and no counterparty lines under such an account in the trial balance;
- the description of an entry touching a payroll account (a journal page, an entry, a
  card row, a КУДиР row, the exported journal) replaced by a neutral «Операция по оплате
  труда»: «Зарплата Иванову за ноябрь» names the person;
- a journal query with a description or counterparty term (``desc:``, ``cp:``, negated
  or not) never matches an entry touching a payroll account: its hidden description or
  employee cannot be guessed by searching.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_

from core import contract as m
from server import i18n
from server.db.models import Entry, Posting
from server.domain.roles import (
    PAYROLL_ACCOUNTS,
    holds_payroll_account,
    is_payroll_account,
    sees_payroll,
)
from server.services.context import OrgCtx
from server.services.errors import ServiceError

__all__ = ["DESCRIPTION_KEY", "check_readable", "hidden", "hides_entry", "neutral",
           "payroll_entry", "redact_entry", "touches"]

DESCRIPTION_KEY = "payroll.hidden_description"


def hidden(oc: OrgCtx) -> bool:
    """True when the caller's role must not see payroll detail."""
    return not sees_payroll(oc.role)


def neutral(oc: OrgCtx) -> str:
    return i18n.text(DESCRIPTION_KEY, oc.ctx.lang)


def touches(debit: str | None, credit: str | None) -> bool:
    return bool(debit and is_payroll_account(debit)) or bool(credit and
                                                             is_payroll_account(credit))


def check_readable(oc: OrgCtx, code: str) -> None:
    """Refuses the card or analysis of a payroll account (or one rolling one up)."""
    if hidden(oc) and holds_payroll_account(code):
        raise ServiceError(403, "reports.payroll_only", params={"account": code})


def redact_entry(oc: OrgCtx, entry: m.EntryOut) -> m.EntryOut:
    """The entry as a role without payroll rights sees it (unchanged for the others)."""
    if not hidden(oc) or not any(touches(p.debit, p.credit) for p in entry.postings):
        return entry
    postings = [p.model_copy(update={"counterparty_id": None, "counterparty": None,
                                     "memo": None}) if touches(p.debit, p.credit) else p
                for p in entry.postings]
    return entry.model_copy(update={"description": neutral(oc), "postings": postings})


def _like(column: ColumnElement[str]) -> ColumnElement[bool]:
    return or_(column.in_(PAYROLL_ACCOUNTS),
               *[column.startswith(p + ".", autoescape=True) for p in PAYROLL_ACCOUNTS])


def payroll_entry() -> ColumnElement[bool]:
    """``Entry`` has a posting to or from a payroll account."""
    return exists().where(Posting.entry_id == Entry.id,
                          or_(_like(Posting.debit), _like(Posting.credit)))


def hides_entry(oc: OrgCtx, fields: set[str]) -> bool:
    """A journal query on these fields must leave out the payroll entries."""
    return hidden(oc) and bool(fields & {"desc", "cp"})
