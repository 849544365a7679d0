"""Provides the sweep of tax-calendar deadlines: «срок через N дней».

Each pass looks at every organisation's deadlines due from today (Moscow) to N days on
and tells its accountants and directors of each once: the notification's ``dedupe_key``
(``tax_deadline:<org>:<deadline id>:<user>``) is unique, so a repeated pass or another
node's pass writes nothing again. The title is the calendar's own («Уведомление об
исчисленных налогах за 01.01–22.01.2026»), said when the deadline is announced.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Employee, Membership, Organisation
from server.domain import tasks as task_rules
from server.domain import tax_calendar as tc
from server.domain.roles import Role
from server.i18n import text
from server.services.notifications.dispatch import notify
from server.services.tax_calendar import _period_title

AUDIENCE = (Role.ACCOUNTANT.value, Role.DIRECTOR.value)


def tax_deadlines(db: Session, now: datetime, days: int) -> int:
    """Announce the deadlines ``days`` ahead not yet announced; returns how many users were
    told (of every deadline together)."""
    today = task_rules.today(now)
    with db.begin():
        orgs = db.execute(select(Organisation.id, Organisation.kind, Organisation.tax_regime,
                                 Organisation.vat_mode)).all()
    told = 0
    for org_id, kind, regime, vat_mode in orgs:
        with db.begin():
            staff = db.scalar(select(Employee.id).where(Employee.org_id == org_id).limit(1))
            profile = tc.Profile(kind=kind, regime=regime, vat_mode=vat_mode,
                                 employees=staff is not None)
            people = db.scalars(select(Membership.user_id).where(
                Membership.org_id == org_id, Membership.status == "active",
                Membership.role.in_(AUDIENCE))).all()
            if not people:
                continue
            for d in tc.between(profile, today, today + timedelta(days=days)):
                title = text(d.title_key, "ru", period=_period_title(d, "ru"))
                told += notify(db, org_id, people, "tax_deadline", ("deadline", d.id),
                               {"deadline": title, "due": f"{d.due:%d.%m.%Y}",
                                "days": (d.due - today).days},
                               now=now, dedupe=f"tax_deadline:{org_id}:{d.id}")
    return told


__all__ = ["tax_deadlines"]
