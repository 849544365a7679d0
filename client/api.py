"""Provides ApiClient: the one object the app talks to the server with.

It holds the transport (one long-lived httpx client: retries under one
Idempotency-Key, the ETag cache, typed errors; ``client.transport``), the signed-in
session (token renewal as an ``httpx.Auth`` flow; ``client.auth``) and one API object
per area, each method one endpoint (``client.areas``)::

    await api.auth.login(email, password, remember=True)
    page = await api.ledger.entries(org_id, q="acct:51", limit=50)
    run = await api.payroll.compute(org_id, m.PayrollRunIn(...))
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from client.areas.auth import AuthApi
from client.areas.bank import BankApi
from client.areas.calendar import CalendarApi
from client.areas.counterparties import CounterpartiesApi
from client.areas.dashboard import DashboardApi
from client.areas.documents import DocumentsApi
from client.areas.ledger import LedgerApi
from client.areas.orgs import OrgsApi
from client.areas.payments import PaymentsApi
from client.areas.payroll import PayrollApi
from client.areas.reports import ReportsApi
from client.areas.tasks import TasksApi
from client.auth import AuthSession
from client.session import RememberedDevice, SessionStore
from client.transport import Transport
from core import contract as m


class ApiClient:
    """Typed access to the Buhta API, the same for the embedded and a remote server."""

    def __init__(
        self,
        *,
        base_url: str,
        server_key: str,
        transport: httpx.AsyncBaseTransport | None = None,
        store: SessionStore | None = None,
        embedded: bool = False,
        timeout_s: float = 20,
        retries: int = 3,
        backoff_s: Sequence[float] = (0.25, 0.75, 2.0),
        device_name: str = "terminal",
    ) -> None:
        self.server_key = server_key
        self.embedded = embedded
        self.device_name = device_name
        self.transport = Transport(base_url=base_url, transport=transport,
                                   timeout_s=timeout_s, retries=retries, backoff_s=backoff_s)
        self.session = AuthSession(self.transport, store=store, server_key=server_key)
        self.auth = AuthApi(self)
        self.orgs = OrgsApi(self)
        self.ledger = LedgerApi(self)
        self.counterparties = CounterpartiesApi(self)
        self.documents = DocumentsApi(self)
        self.reports = ReportsApi(self)
        self.bank = BankApi(self)
        self.payments = PaymentsApi(self)
        self.payroll = PayrollApi(self)
        self.tasks = TasksApi(self)
        self.calendar = CalendarApi(self)
        self.dashboard = DashboardApi(self)

    async def aclose(self) -> None:
        await self.transport.aclose()

    @property
    def _http(self) -> httpx.AsyncClient:
        """The httpx client itself (tests hook its events)."""
        return self.transport.http

    @property
    def signed_in(self) -> bool:
        return self.session.signed_in

    @property
    def user(self) -> m.User | None:
        return self.session.user

    @property
    def device_id(self) -> str | None:
        return self.session.device_id

    def remembered(self) -> RememberedDevice | None:
        return self.session.remembered()


# >>> FLAT DELEGATES: the names before the split into areas, kept until every caller uses
# ``api.<area>.<method>`` (/work/notes/api_rename.py rewrites them). Delete from this line
# to the closing "<<< FLAT DELEGATES" line; nothing else refers to it.
FLAT_NAMES: dict[str, str] = {
    "send_sms_code": "auth.send_sms_code",
    "register": "auth.register",
    "confirm_email": "auth.confirm_email",
    "resend_confirmation": "auth.resend_confirmation",
    "request_password_reset": "auth.request_password_reset",
    "reset_password": "auth.reset_password",
    "login": "auth.login",
    "resume": "auth.resume",
    "logout": "auth.logout",
    "me": "auth.me",
    "list_devices": "auth.devices",
    "revoke_device": "auth.revoke_device",
    "local_mailbox": "auth.local_mailbox",
    "list_orgs": "orgs.mine",
    "create_org": "orgs.create",
    "get_org": "orgs.get",
    "update_org": "orgs.update",
    "use_org": "orgs.use",
    "team": "orgs.team",
    "invite": "orgs.invite",
    "revoke_invitation": "orgs.revoke_invitation",
    "change_member": "orgs.change_member",
    "remove_member": "orgs.remove_member",
    "accept_invitation": "orgs.accept_invitation",
    "audit": "orgs.audit",
    "accounts": "ledger.accounts",
    "add_sub_account": "ledger.add_sub_account",
    "post_entry": "ledger.post_entry",
    "entries": "ledger.entries",
    "entry": "ledger.entry",
    "reverse_entry": "ledger.reverse_entry",
    "periods": "ledger.periods",
    "close_period": "ledger.close_period",
    "reopen_period": "ledger.reopen_period",
    "counterparty": "counterparties.get",
    "create_counterparty": "counterparties.create",
    "update_counterparty": "counterparties.update",
    "archive_counterparty": "counterparties.archive",
    "restore_counterparty": "counterparties.restore",
    "document": "documents.get",
    "create_document": "documents.create",
    "update_document": "documents.update",
    "post_document": "documents.post",
    "cancel_document": "documents.cancel",
    "document_pdf": "documents.pdf",
    "trial_balance": "reports.trial_balance",
    "account_card": "reports.account_card",
    "account_analysis": "reports.account_analysis",
    "balance_sheet": "reports.balance_sheet",
    "financial_results": "reports.financial_results",
    "usn_report": "reports.usn",
    "export_journal": "reports.export_journal",
    "payment_orders": "payments.orders",
    "create_payment_order": "payments.create",
    "delete_payment_order": "payments.delete",
    "export_payment_orders": "payments.export",
    "employees": "payroll.employees",
    "employee": "payroll.employee",
    "create_employee": "payroll.create_employee",
    "update_employee": "payroll.update_employee",
    "payroll_runs": "payroll.runs",
    "payroll_run": "payroll.run",
    "compute_payroll": "payroll.compute",
    "approve_payroll": "payroll.approve",
    "pay_payroll": "payroll.pay",
    "payslip": "payroll.payslip",
    "payslip_pdf": "payroll.payslip_pdf",
    "payroll_t53": "payroll.t53",
    "payroll_register": "payroll.register",
    "quarter_summary": "payroll.quarter_summary",
    "upload_statement": "bank.upload_statement",
    "statement_preview": "bank.preview",
    "change_import_line": "bank.change_line",
    "post_import": "bank.post_import",
    "reconciliation": "bank.reconciliation",
    "bank_rules": "bank.rules",
    "create_bank_rule": "bank.create_rule",
    "delete_bank_rule": "bank.delete_rule",
}
"""Old flat name → ``area.method``. ``counterparties`` and ``documents`` (the old list
methods) are the area objects now: call ``api.counterparties.search`` and
``api.documents.search``; ApiClient answers the old calls through ``_CallableArea``."""


class _FlatDelegate:
    """``api.<old name>`` → the area's bound method."""

    def __init__(self, target: str) -> None:
        self.area, self.method = target.split(".")

    def __get__(self, api: object, owner: object = None) -> object:
        return self if api is None else getattr(getattr(api, self.area), self.method)


for _old, _new in FLAT_NAMES.items():
    setattr(ApiClient, _old, _FlatDelegate(_new))


def _callable_area(area: type, method: str) -> None:
    """``api.counterparties(...)`` / ``api.documents(...)``: the old list calls, on the area."""

    def __call__(self: object, *args: object, **kwargs: object) -> object:
        return getattr(self, method)(*args, **kwargs)

    area.__call__ = __call__  # type: ignore[attr-defined]


_callable_area(CounterpartiesApi, "search")
_callable_area(DocumentsApi, "search")
# <<< FLAT DELEGATES
