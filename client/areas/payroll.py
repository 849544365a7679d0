"""Provides PayrollApi: employees, monthly runs, payments, payslips and quarterly summaries.

Only with the payroll rights (accountant, hr, director); others get 403.
"""

from __future__ import annotations

from client.areas.base import Area, path_id
from core import contract as m


def _run_path(org_id: str, run_id: str) -> str:
    return f"/orgs/{path_id(org_id)}/payroll/runs/{path_id(run_id)}"


class PayrollApi(Area):
    """``api.payroll``: who is paid, how much, and the papers for it."""

    async def employees(self, org_id: str) -> m.EmployeeList:
        return await self._call("GET", f"/orgs/{path_id(org_id)}/employees", m.EmployeeList)

    async def employee(self, org_id: str, employee_id: str) -> m.EmployeeOut:
        path = f"/orgs/{path_id(org_id)}/employees/{path_id(employee_id)}"
        return await self._call("GET", path, m.EmployeeOut)

    async def create_employee(self, org_id: str, data: m.EmployeeIn) -> m.EmployeeOut:
        path = f"/orgs/{path_id(org_id)}/employees"
        return await self._call("POST", path, m.EmployeeOut, data)

    async def update_employee(
        self, org_id: str, employee_id: str, data: m.EmployeeIn
    ) -> m.EmployeeOut:
        path = f"/orgs/{path_id(org_id)}/employees/{path_id(employee_id)}"
        return await self._call("PUT", path, m.EmployeeOut, data)

    async def runs(self, org_id: str, year: int | None = None) -> m.PayrollRunList:
        params = {"year": int(year)} if year else None
        return await self._call("GET", f"/orgs/{path_id(org_id)}/payroll/runs",
                                m.PayrollRunList, params=params)

    async def run(self, org_id: str, year: int, month: int) -> m.PayrollRunOut:
        """The run of a month (404 ``payroll.not_found`` when not computed yet)."""
        path = f"/orgs/{path_id(org_id)}/payroll/runs/{int(year):04d}-{int(month):02d}"
        return await self._call("GET", path, m.PayrollRunOut)

    async def compute(self, org_id: str, data: m.PayrollRunIn) -> m.PayrollRunOut:
        """Create or recompute the month's draft (the same month again replaces the draft;
        an approved run is refused with ``payroll.not_draft``)."""
        return await self._call("POST", f"/orgs/{path_id(org_id)}/payroll/runs",
                                m.PayrollRunOut, data)

    async def approve(self, org_id: str, run_id: str) -> m.PayrollRunOut:
        """Post the accrual, НДФЛ and contributions, dated the month's last day."""
        return await self._call("POST", f"{_run_path(org_id, run_id)}/approve", m.PayrollRunOut)

    async def pay(self, org_id: str, run_id: str, date: str, part: str) -> m.PayrollPaid:
        """Pay the ``advance`` or the ``final`` part on ``date`` (ISO): posts Дт 70 Кт 51/50
        and makes the salary and ЕНП payment orders."""
        body = m.PayrollPayIn.model_validate({"date": date, "part": part})
        return await self._call("POST", f"{_run_path(org_id, run_id)}/pay", m.PayrollPaid, body)

    async def payslip(self, org_id: str, run_id: str, employee_id: str) -> m.Payslip:
        path = f"{_run_path(org_id, run_id)}/payslips/{path_id(employee_id)}"
        return await self._call("GET", path, m.Payslip)

    async def payslip_pdf(self, org_id: str, run_id: str, employee_id: str) -> bytes:
        path = f"{_run_path(org_id, run_id)}/payslips/{path_id(employee_id)}/pdf"
        return (await self._send("GET", path)).content

    async def t53(self, org_id: str, run_id: str, part: str) -> bytes:
        """The платёжная ведомость (Т-53, PDF) of the cash employees for the ``advance`` or
        ``final`` payment (422 ``payroll.nothing_to_pay`` when nobody is paid in cash)."""
        path = f"{_run_path(org_id, run_id)}/t53"
        return (await self._send("GET", path, params={"part": part})).content

    async def register(self, org_id: str, run_id: str, part: str) -> bytes:
        """The salary register (PDF) of the card employees for the ``advance`` or ``final``
        payment (422 ``payroll.nothing_to_pay`` when nobody is paid by card)."""
        path = f"{_run_path(org_id, run_id)}/register"
        return (await self._send("GET", path, params={"part": part})).content

    async def quarter_summary(self, org_id: str, year: int, quarter: int) -> m.QuarterSummary:
        path = f"/orgs/{path_id(org_id)}/payroll/quarters/{int(year):04d}-Q{int(quarter)}"
        return await self._call("GET", path, m.QuarterSummary)

    async def ndfl6(self, org_id: str, year: int, period: str) -> m.Ndfl6:
        """6-НДФЛ of ``period`` (``Q1``, ``H1``, ``9M``, ``Y``) of ``year``."""
        path = f"/orgs/{path_id(org_id)}/payroll/forms/6-ndfl/{int(year):04d}-{period}"
        return await self._call("GET", path, m.Ndfl6)

    async def rsv(self, org_id: str, year: int, period: str) -> m.Rsv:
        """РСВ of ``period`` (``Q1``, ``H1``, ``9M``, ``Y``) of ``year``."""
        path = f"/orgs/{path_id(org_id)}/payroll/forms/rsv/{int(year):04d}-{period}"
        return await self._call("GET", path, m.Rsv)
