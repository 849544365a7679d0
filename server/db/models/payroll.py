"""Provides the models of employees and the monthly payroll runs with their lines."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base, new_id
from server.db.types import UTCDateTime, utcnow


class Employee(Base):
    """An employee of an organisation (personal data: read only with the payroll rights).
    Never deleted (payroll lines refer to it); a dismissed one keeps ``dismissed_on``."""

    __tablename__ = "employees"
    __table_args__ = (
        CheckConstraint("pay_method IN ('card', 'cash')", name="ck_employees_pay_method"),
        CheckConstraint("cost_account IN ('20', '26', '44')", name="ck_employees_cost_account"),
        CheckConstraint("salary_kopecks >= 0", name="ck_employees_salary_not_negative"),
        Index("ix_employees_org_name", "org_id", "name_folded"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_employees_org"))
    full_name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(600))
    position: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    cost_account: Mapped[str] = mapped_column(String(4))
    hired_on: Mapped[date] = mapped_column(Date)
    dismissed_on: Mapped[date | None] = mapped_column(Date)
    salary_kopecks: Mapped[int] = mapped_column(BigInteger)
    inn: Mapped[str | None] = mapped_column(String(12))
    snils: Mapped[str | None] = mapped_column(String(11))
    resident: Mapped[bool] = mapped_column(Boolean, default=True)
    children: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of {"order": n, "disabled": bool}."""
    pay_method: Mapped[str] = mapped_column(String(8))
    bank_bik: Mapped[str | None] = mapped_column(String(9))
    bank_account: Mapped[str | None] = mapped_column(String(20))
    bank_corr_account: Mapped[str | None] = mapped_column(String(20))
    bank_name: Mapped[str | None] = mapped_column(String(300))
    is_director: Mapped[bool] = mapped_column(Boolean, default=False)
    birth_date: Mapped[date | None] = mapped_column(Date)
    """РСВ section 3 (migration 0018); None on an older card."""
    sex: Mapped[str | None] = mapped_column(String(1))
    """«М» or «Ж» (РСВ section 3, поле «Пол»: 1 = М, 2 = Ж)."""
    citizenship: Mapped[str | None] = mapped_column(String(3))
    """ОКСМ code of the country of citizenship, «643» Россия."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PayrollRun(Base):
    """The payroll of one month of an organisation: a draft (recomputed at will), then
    approved (posted), then paid. The settings it was computed with are kept on it (the
    next run takes them from the latest one): ``sme``, ``sme_priority``, ``injury_rate``
    (per cent as text), the pay days."""

    __tablename__ = "payroll_runs"
    __table_args__ = (
        UniqueConstraint("org_id", "year", "month", name="uq_payroll_runs_org_year_month"),
        CheckConstraint("state IN ('draft', 'approved', 'paid')", name="ck_payroll_runs_state"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_payroll_runs_org"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))
    working_days: Mapped[int] = mapped_column(Integer)
    sme: Mapped[bool] = mapped_column(Boolean, default=False)
    sme_priority: Mapped[bool] = mapped_column(Boolean, default=False)
    injury_rate: Mapped[str] = mapped_column(String(8))
    advance_day: Mapped[int] = mapped_column(Integer)
    final_day: Mapped[int] = mapped_column(Integer)
    advance_date: Mapped[date] = mapped_column(Date)
    final_date: Mapped[date] = mapped_column(Date)
    items: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of the accrual items (bonus, one-off, sick, vacation) as computed."""
    entry_ids: Mapped[str] = mapped_column(Text, default="[]")
    payment_order_ids: Mapped[str] = mapped_column(Text, default="[]")
    advance_paid_on: Mapped[date | None] = mapped_column(Date)
    final_paid_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PayrollLine(Base):
    """One employee's month in a run; money in kopecks (НДФЛ in whole roubles)."""

    __tablename__ = "payroll_lines"
    __table_args__ = (
        UniqueConstraint("run_id", "employee_id", name="uq_payroll_lines_run_employee"),
        Index("ix_payroll_lines_employee", "employee_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    run_id: Mapped[str] = mapped_column(
        ForeignKey("payroll_runs.id", ondelete="CASCADE", name="fk_payroll_lines_run"))
    employee_id: Mapped[str] = mapped_column(
        ForeignKey("employees.id", name="fk_payroll_lines_employee"))
    line: Mapped[int] = mapped_column(Integer)
    cost_account: Mapped[str] = mapped_column(String(4))
    pay_method: Mapped[str] = mapped_column(String(8))
    working_days: Mapped[int] = mapped_column(Integer)
    days_worked: Mapped[int] = mapped_column(Integer)
    salary_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    bonus_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    one_off_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    sick_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    vacation_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    accrued_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    deductions_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    income_ytd_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    ndfl_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    ndfl_advance_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    ndfl_final_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    contribution_base_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    contrib_main_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    contrib_injury_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    advance_gross_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
