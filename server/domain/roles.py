"""Provides the roles of an organisation's team and what each may do.

Modelled on what Russian accounting services offer:
- Бухгалтер (accountant): everything, including the team;
- Бухгалтер по первичке (primary): documents, bank, counterparties; no payroll, no team;
- Кадровик (hr): employees and payroll;
- Директор (director): reads everything, including the accountants' tasks, and approves;
- Наблюдатель (observer): reads the books, nothing else.
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
