"""Provides the roles of an organisation's team and what each may do.

Modelled on what Russian accounting services offer:
- Бухгалтер (accountant): everything, including the team;
- Бухгалтер по первичке (primary): documents, bank, counterparties; no payroll, no team;
- Кадровик (hr): employees and payroll;
- Директор (director): reads everything, including the accountants' tasks, and approves;
- Наблюдатель (observer): reads the books, nothing else.

Two limits inside what a role may read (issue 19):
- pay is private: the payroll accounts (``PAYROLL_ACCOUNTS``: 70, 68.01, 69 and their
  sub-accounts) and everything that shows an employee's pay are for roles with
  ``payroll.read`` only (``sees_payroll``). Another role reading the books (the primary
  accountant, the observer) sees every amount, so every report and total still adds up,
  but never who was paid what: no card or analysis of those accounts, no counterparty or
  memo on their postings, and an entry touching them described only as a payroll
  operation (``server.services.payroll_view``);
- the team's contacts are for the roles that work with the team: the observer sees each
  member's role and status and its own address, not the others' e-mail addresses (shown
  masked, ``i…@example.ru``), nor the pending invitations (``sees_team_contacts``).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ACCOUNTANT = "accountant"
    PRIMARY = "primary"
    HR = "hr"
    DIRECTOR = "director"
    OBSERVER = "observer"


class Perm(StrEnum):
    ORG_READ = "org.read"
    ORG_EDIT = "org.edit"
    TEAM_READ = "team.read"
    TEAM_MANAGE = "team.manage"
    AUDIT_READ = "audit.read"
    LEDGER_READ = "ledger.read"
    LEDGER_WRITE = "ledger.write"
    DOCUMENTS_WRITE = "documents.write"
    BANK_WRITE = "bank.write"
    COUNTERPARTIES_WRITE = "counterparties.write"
    PERIODS_CLOSE = "periods.close"
    PAYROLL_READ = "payroll.read"
    PAYROLL_WRITE = "payroll.write"
    TASKS_READ_ALL = "tasks.read_all"
    APPROVE = "approve"


_READS = {
    Perm.ORG_READ,
    Perm.TEAM_READ,
    Perm.AUDIT_READ,
    Perm.LEDGER_READ,
    Perm.PAYROLL_READ,
    Perm.TASKS_READ_ALL,
}

ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    Role.ACCOUNTANT: frozenset(Perm),
    Role.PRIMARY: frozenset(
        {
            Perm.ORG_READ,
            Perm.TEAM_READ,
            Perm.LEDGER_READ,
            Perm.DOCUMENTS_WRITE,
            Perm.BANK_WRITE,
            Perm.COUNTERPARTIES_WRITE,
        }
    ),
    Role.HR: frozenset({Perm.ORG_READ, Perm.TEAM_READ, Perm.PAYROLL_READ, Perm.PAYROLL_WRITE}),
    Role.DIRECTOR: frozenset(_READS | {Perm.APPROVE}),
    Role.OBSERVER: frozenset({Perm.ORG_READ, Perm.TEAM_READ, Perm.LEDGER_READ}),
}


# Ordered from the most to the least rights, for lists.
ROLE_ORDER = (Role.ACCOUNTANT, Role.DIRECTOR, Role.PRIMARY, Role.HR, Role.OBSERVER)


def allows(role: Role | str, perm: Perm) -> bool:
    return perm in ROLE_PERMS[Role(role)]


def can_manage_team(role: Role | str) -> bool:
    return allows(role, Perm.TEAM_MANAGE)


PAYROLL_ACCOUNTS = ("70", "68.01", "69")
"""Pay, its income tax (НДФЛ) and its insurance contributions: each with its sub-accounts."""


def is_payroll_account(code: str) -> bool:
    """``70``, ``70.01``, ``68.01``, ``69.09`` → True; ``68``, ``68.02``, ``60`` → False."""
    return any(code == p or code.startswith(p + ".") for p in PAYROLL_ACCOUNTS)


def holds_payroll_account(code: str) -> bool:
    """An account that is, or rolls up, a payroll account: ``68`` holds 68.01."""
    return is_payroll_account(code) or any(p.startswith(code + ".") for p in PAYROLL_ACCOUNTS)


def sees_payroll(role: Role | str) -> bool:
    return allows(role, Perm.PAYROLL_READ)


def sees_team_contacts(role: Role | str) -> bool:
    return Role(role) is not Role.OBSERVER
