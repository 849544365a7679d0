"""Provides ApiClient: the one long-lived httpx client the app talks to the server with.

- bearer access token in memory; on ``auth.access_expired`` it is renewed once
  with the refresh token (which rotates) and the request is repeated;
- every write carries an ``Idempotency-Key``; transport failures and 502-504
  are retried with backoff under the same key, so a retry never writes twice;
- failures become typed errors (``client.errors``) with the server's ``detail``;
- a revoked device drops its remembered credentials and raises SessionRevoked.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from client.errors import (
    ApiError,
    AuthError,
    NetworkError,
    ServerError,
    SessionRevoked,
    error_class,
)
from client.i18n import get_locale, t
from client.session import RememberedDevice, SessionStore
from core import contract as m

T = TypeVar("T", bound=BaseModel)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})
ETAG_CACHE_SIZE = 256
# Codes after which the device's credentials are worthless.
DEAD_SESSION_CODES = frozenset({"auth.session_revoked", "auth.unauthorized"})


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
        self._store = store
        self._retries = retries
        self._backoff = tuple(backoff_s) or (0.0,)
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v1",
            transport=transport,
            timeout=timeout_s,
            headers={"User-Agent": "buhta-tui/0.1"},
        )
        self._access: str | None = None
        self._refresh: str | None = None
        self._remember = False
        self._refresh_lock = asyncio.Lock()
        # The last answer of each GET, by URL: asked again with If-None-Match, so an
        # unchanged list costs a 304 and no body. In memory only, dropped on sign-out.
        self._etags: OrderedDict[str, tuple[str, bytes, str]] = OrderedDict()
        self.user: m.User | None = None
        self.device_id: str | None = None

    # --- lifecycle ----------------------------------------------------------

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def signed_in(self) -> bool:
        return self._access is not None

    def remembered(self) -> RememberedDevice | None:
        return self._store.load(self.server_key) if self._store else None

    # --- identity -------------------------------------------------------------

    async def send_sms_code(self, phone: str) -> m.SmsCodeSent:
        body = m.SmsCodeRequest(phone=phone)
        return await self._call("POST", "/auth/sms-codes", m.SmsCodeSent, body, auth=False)

    async def register(self, email: str, phone: str, password: str, sms_code: str) -> m.Accepted:
        body = m.RegisterRequest(email=email, phone=phone, password=password, sms_code=sms_code)
        return await self._call("POST", "/auth/register", m.Accepted, body, auth=False)

    async def confirm_email(self, token: str) -> m.Confirmed:
        body = m.TokenRequest(token=token)
        return await self._call("POST", "/auth/email-confirmations", m.Confirmed, body, auth=False)

    async def resend_confirmation(self, email: str) -> m.Accepted:
        body = m.EmailRequest(email=email)
        return await self._call(
            "POST", "/auth/email-confirmations/resend", m.Accepted, body, auth=False
        )

    async def request_password_reset(self, email: str) -> m.Accepted:
        body = m.EmailRequest(email=email)
        return await self._call("POST", "/auth/password-reset", m.Accepted, body, auth=False)

    async def reset_password(self, token: str, new_password: str) -> m.Confirmed:
        body = m.PasswordResetConfirm(token=token, new_password=new_password)
        return await self._call(
            "POST", "/auth/password-reset/confirm", m.Confirmed, body, auth=False
        )

    async def login(self, email: str, password: str, *, remember: bool) -> m.User:
        body = m.LoginRequest(
            email=email, password=password, remember=remember, device_name=self.device_name
        )
        pair = await self._call("POST", "/auth/login", m.TokenPair, body, auth=False)
        self._accept(pair)
        return pair.user

    async def resume(self) -> m.User | None:
        """Sign in with the remembered device, if any; None when nothing is remembered."""
        saved = self.remembered()
        if saved is None:
            return None
        self._refresh = saved.refresh_token
        self._remember = True
        await self._renew()
        return self.user

    async def logout(self) -> None:
        try:
            if self._access:
                await self._send("POST", "/auth/logout", None, auth=True)
        finally:
            self._forget()

    async def me(self) -> m.User:
        return await self._call("GET", "/me", m.User)

    async def list_devices(self) -> list[m.Device]:
        return (await self._call("GET", "/devices", m.DeviceList)).items

    async def revoke_device(self, device_id: str) -> None:
        await self._send("DELETE", f"/devices/{_id(device_id)}", None, auth=True)
        if device_id == self.device_id:
            self._forget()

    # --- organisations --------------------------------------------------------

    async def list_orgs(self) -> list[m.OrgSummary]:
        return (await self._call("GET", "/orgs", m.OrgList)).items

    async def create_org(self, data: m.OrgIn) -> m.Org:
        return await self._call("POST", "/orgs", m.Org, data)

    async def get_org(self, org_id: str) -> m.Org:
        return await self._call("GET", f"/orgs/{_id(org_id)}", m.Org)

    async def update_org(self, org_id: str, data: m.OrgIn) -> m.Org:
        return await self._call("PUT", f"/orgs/{_id(org_id)}", m.Org, data)

    async def use_org(self, org_id: str) -> None:
        await self._send("POST", f"/orgs/{_id(org_id)}/use", None, auth=True)

    async def team(self, org_id: str) -> m.Team:
        return await self._call("GET", f"/orgs/{_id(org_id)}/team", m.Team)

    async def invite(self, org_id: str, email: str, role: str) -> m.InvitationOut:
        body = m.InviteIn(email=email, role=role)  # type: ignore[arg-type]
        return await self._call("POST", f"/orgs/{_id(org_id)}/invitations", m.InvitationOut, body)

    async def revoke_invitation(self, org_id: str, invitation_id: str) -> None:
        path = f"/orgs/{_id(org_id)}/invitations/{_id(invitation_id)}"
        await self._send("DELETE", path, None, auth=True)

    async def change_member(
        self, org_id: str, user_id: str, *, role: str | None = None, status: str | None = None
    ) -> m.Member:
        body = m.MemberPatch(role=role, status=status)  # type: ignore[arg-type]
        path = f"/orgs/{_id(org_id)}/members/{_id(user_id)}"
        return await self._call("PATCH", path, m.Member, body)

    async def remove_member(self, org_id: str, user_id: str) -> None:
        await self._send("DELETE", f"/orgs/{_id(org_id)}/members/{_id(user_id)}", None, auth=True)

    async def accept_invitation(self, token: str) -> m.Joined:
        body = m.AcceptInvitation(token=token)
        return await self._call("POST", "/invitations/accept", m.Joined, body)

    async def audit(
        self,
        org_id: str,
        *,
        user: str | None = None,
        object_type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> m.AuditPage:
        params: dict[str, Any] = {"limit": limit}
        for key, value in (("user", user), ("object_type", object_type),
                           ("date_from", date_from), ("date_to", date_to), ("cursor", cursor)):
            if value:
                params[key] = value
        return await self._call("GET", f"/orgs/{_id(org_id)}/audit", m.AuditPage, params=params)

    # --- ledger ---------------------------------------------------------------

    async def accounts(self, org_id: str) -> list[m.LedgerAccountOut]:
        return (await self._call("GET", f"/orgs/{_id(org_id)}/accounts",
                                 m.LedgerAccountList)).items

    async def add_sub_account(self, org_id: str, data: m.SubAccountIn) -> m.LedgerAccountOut:
        """A sub-account of the organisation's own (422 ``ledger.sub_account`` when refused)."""
        return await self._call("POST", f"/orgs/{_id(org_id)}/accounts", m.LedgerAccountOut,
                                data)

    async def post_entry(self, org_id: str, data: m.EntryIn) -> m.EntryOut:
        return await self._call("POST", f"/orgs/{_id(org_id)}/entries", m.EntryOut, data)

    async def entries(
        self,
        org_id: str,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        q: str | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> m.EntryPage:
        """Newest first. ``q`` is a journal query (``acct:51 date:2025-Q1 amt:>10000
        desc:аренда cp:7707083893``), parsed by the server (422 ``query.*`` when wrong)."""
        params: dict[str, Any] = {"limit": limit}
        for key, value in (("date_from", date_from), ("date_to", date_to), ("cursor", cursor),
                           ("q", (q or "").strip())):
            if value:
                params[key] = value
        return await self._call("GET", f"/orgs/{_id(org_id)}/entries", m.EntryPage,
                                params=params)

    async def entry(self, org_id: str, entry_id: str) -> m.EntryOut:
        return await self._call("GET", f"/orgs/{_id(org_id)}/entries/{_id(entry_id)}",
                                m.EntryOut)

    async def reverse_entry(
        self, org_id: str, entry_id: str, reason: str, day: str | None = None
    ) -> m.EntryOut:
        body = m.ReverseIn.model_validate({"reason": reason, "date": day})
        path = f"/orgs/{_id(org_id)}/entries/{_id(entry_id)}/reverse"
        return await self._call("POST", path, m.EntryOut, body)

    async def periods(self, org_id: str) -> m.PeriodList:
        return await self._call("GET", f"/orgs/{_id(org_id)}/periods", m.PeriodList)

    async def close_period(self, org_id: str, month: str) -> m.PeriodList:
        return await self._call("POST", f"/orgs/{_id(org_id)}/periods/{_month(month)}/close",
                                m.PeriodList)

    async def reopen_period(self, org_id: str, month: str, reason: str) -> m.PeriodList:
        return await self._call("POST", f"/orgs/{_id(org_id)}/periods/{_month(month)}/reopen",
                                m.PeriodList, m.ReopenIn(reason=reason))

    # --- counterparties --------------------------------------------------------

    async def counterparties(
        self,
        org_id: str,
        q: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
        *,
        archived: bool = False,
    ) -> m.CounterpartyPage:
        """A page sorted by name; ``q`` is a fragment of the name or the first ИНН digits;
        ``archived=True`` lists the archive instead of the active ones."""
        params: dict[str, Any] = {"limit": limit}
        if q and q.strip():
            params["q"] = q.strip()
        if cursor:
            params["cursor"] = cursor
        if archived:
            params["archived"] = "true"
        return await self._call("GET", f"/orgs/{_id(org_id)}/counterparties",
                                m.CounterpartyPage, params=params)

    async def counterparty(self, org_id: str, counterparty_id: str) -> m.CounterpartyOut:
        path = f"/orgs/{_id(org_id)}/counterparties/{_id(counterparty_id)}"
        return await self._call("GET", path, m.CounterpartyOut)

    async def create_counterparty(
        self, org_id: str, data: m.CounterpartyIn
    ) -> m.CounterpartyOut:
        return await self._call("POST", f"/orgs/{_id(org_id)}/counterparties",
                                m.CounterpartyOut, data)

    async def update_counterparty(
        self, org_id: str, counterparty_id: str, data: m.CounterpartyIn
    ) -> m.CounterpartyOut:
        path = f"/orgs/{_id(org_id)}/counterparties/{_id(counterparty_id)}"
        return await self._call("PUT", path, m.CounterpartyOut, data)

    async def archive_counterparty(self, org_id: str, counterparty_id: str) -> m.CounterpartyOut:
        path = f"/orgs/{_id(org_id)}/counterparties/{_id(counterparty_id)}/archive"
        return await self._call("POST", path, m.CounterpartyOut)

    async def restore_counterparty(self, org_id: str, counterparty_id: str) -> m.CounterpartyOut:
        path = f"/orgs/{_id(org_id)}/counterparties/{_id(counterparty_id)}/restore"
        return await self._call("POST", path, m.CounterpartyOut)

    # --- primary documents -----------------------------------------------------

    async def documents(
        self,
        org_id: str,
        *,
        type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        q: str | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> m.DocumentPage:
        """Newest first (date, then number); ``q``: a fragment of the counterparty's name,
        its ИНН, or the document's number."""
        params: dict[str, Any] = {"limit": limit}
        for key, value in (("type", type), ("date_from", date_from), ("date_to", date_to),
                           ("q", (q or "").strip()), ("cursor", cursor)):
            if value:
                params[key] = value
        return await self._call("GET", f"/orgs/{_id(org_id)}/documents", m.DocumentPage,
                                params=params)

    async def document(self, org_id: str, document_id: str) -> m.DocumentOut:
        path = f"/orgs/{_id(org_id)}/documents/{_id(document_id)}"
        return await self._call("GET", path, m.DocumentOut)

    async def create_document(self, org_id: str, data: m.DocumentIn) -> m.DocumentOut:
        return await self._call("POST", f"/orgs/{_id(org_id)}/documents", m.DocumentOut, data)

    async def update_document(
        self, org_id: str, document_id: str, data: m.DocumentIn
    ) -> m.DocumentOut:
        """Only a draft may change; ``data.post`` posts it in the same request."""
        path = f"/orgs/{_id(org_id)}/documents/{_id(document_id)}"
        return await self._call("PUT", path, m.DocumentOut, data)

    async def post_document(self, org_id: str, document_id: str) -> m.DocumentOut:
        path = f"/orgs/{_id(org_id)}/documents/{_id(document_id)}/post"
        return await self._call("POST", path, m.DocumentOut)

    async def cancel_document(self, org_id: str, document_id: str, reason: str) -> m.DocumentOut:
        """A posted document's entry is reversed (сторно); the document stays, cancelled."""
        path = f"/orgs/{_id(org_id)}/documents/{_id(document_id)}/cancel"
        return await self._call("POST", path, m.DocumentOut, m.CancelIn(reason=reason))

    async def document_pdf(self, org_id: str, document_id: str) -> bytes:
        """The printable form (счёт, акт) as PDF bytes."""
        path = f"/orgs/{_id(org_id)}/documents/{_id(document_id)}/pdf"
        response = await self._send("GET", path, None, auth=True)
        return response.content

    # --- reports -----------------------------------------------------------------
    # Periods are ISO dates (``YYYY-MM-DD``), both ends included.

    async def _report(self, org_id: str, name: str, model: type[T], **params: Any) -> T:
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        return await self._call("GET", f"/orgs/{_id(org_id)}/reports/{name}", model,
                                params=query)

    async def trial_balance(
        self, org_id: str, date_from: str, date_to: str, *, by: str = "account"
    ) -> m.TrialBalance:
        """Оборотно-сальдовая ведомость; ``by="counterparty"`` adds analytics lines."""
        return await self._report(org_id, "trial-balance", m.TrialBalance,
                                  date_from=date_from, date_to=date_to, by=by)

    async def account_card(
        self, org_id: str, account: str, date_from: str, date_to: str, *,
        counterparty_id: str | None = None, cursor: str | None = None, limit: int = 200,
    ) -> m.AccountCard:
        return await self._report(org_id, "account-card", m.AccountCard, account=account,
                                  date_from=date_from, date_to=date_to,
                                  counterparty_id=counterparty_id, cursor=cursor, limit=limit)

    async def account_analysis(
        self, org_id: str, account: str, date_from: str, date_to: str
    ) -> m.AccountAnalysis:
        return await self._report(org_id, "account-analysis", m.AccountAnalysis,
                                  account=account, date_from=date_from, date_to=date_to)

    async def balance_sheet(self, org_id: str, date_from: str, date_to: str) -> m.Statement:
        return await self._report(org_id, "balance-sheet", m.Statement,
                                  date_from=date_from, date_to=date_to)

    async def financial_results(self, org_id: str, date_from: str, date_to: str) -> m.Statement:
        return await self._report(org_id, "financial-results", m.Statement,
                                  date_from=date_from, date_to=date_to)

    async def usn_report(self, org_id: str, year: int, date_to: str | None = None) -> m.UsnReport:
        """КУДиР and the УСН tax of ``year`` (up to ``date_to`` when given)."""
        return await self._report(org_id, "usn", m.UsnReport, year=year, date_to=date_to)

    async def export_journal(self, org_id: str, fmt: str = "ledger") -> str:
        """The whole books as a plain-text ledger-cli / hledger journal."""
        path = f"/orgs/{_id(org_id)}/export/journal"
        response = await self._send("GET", path, None, auth=True, params={"format": fmt})
        return response.text

    # --- payment orders ------------------------------------------------------------

    async def payment_orders(
        self, org_id: str, *, date_from: str | None = None, date_to: str | None = None,
        cursor: str | None = None, limit: int = 100,
    ) -> m.PaymentOrderPage:
        params: dict[str, Any] = {"limit": limit}
        for key, value in (("date_from", date_from), ("date_to", date_to), ("cursor", cursor)):
            if value:
                params[key] = value
        return await self._call("GET", f"/orgs/{_id(org_id)}/payment-orders",
                                m.PaymentOrderPage, params=params)

    async def create_payment_order(
        self, org_id: str, data: m.PaymentOrderIn
    ) -> m.PaymentOrderOut:
        return await self._call("POST", f"/orgs/{_id(org_id)}/payment-orders",
                                m.PaymentOrderOut, data)

    async def delete_payment_order(self, org_id: str, order_id: str) -> None:
        """Only an order not yet exported may be deleted."""
        await self._send("DELETE", f"/orgs/{_id(org_id)}/payment-orders/{_id(order_id)}",
                         None, auth=True)

    async def export_payment_orders(self, org_id: str, ids: list[str]) -> bytes:
        """A 1CClientBankExchange file (cp1251, CRLF) for the bank-client; marks them exported."""
        response = await self._send("POST", f"/orgs/{_id(org_id)}/payment-orders/export",
                                    m.PaymentExportIn(ids=ids), auth=True)
        return response.content

    # --- employees and payroll ------------------------------------------------------
    # Only with the payroll rights (accountant, hr, director); others get 403.

    async def employees(self, org_id: str) -> m.EmployeeList:
        return await self._call("GET", f"/orgs/{_id(org_id)}/employees", m.EmployeeList)

    async def employee(self, org_id: str, employee_id: str) -> m.EmployeeOut:
        path = f"/orgs/{_id(org_id)}/employees/{_id(employee_id)}"
        return await self._call("GET", path, m.EmployeeOut)

    async def create_employee(self, org_id: str, data: m.EmployeeIn) -> m.EmployeeOut:
        return await self._call("POST", f"/orgs/{_id(org_id)}/employees", m.EmployeeOut, data)

    async def update_employee(
        self, org_id: str, employee_id: str, data: m.EmployeeIn
    ) -> m.EmployeeOut:
        path = f"/orgs/{_id(org_id)}/employees/{_id(employee_id)}"
        return await self._call("PUT", path, m.EmployeeOut, data)

    async def payroll_runs(self, org_id: str, year: int | None = None) -> m.PayrollRunList:
        params = {"year": int(year)} if year else None
        return await self._call("GET", f"/orgs/{_id(org_id)}/payroll/runs", m.PayrollRunList,
                                params=params)

    async def payroll_run(self, org_id: str, year: int, month: int) -> m.PayrollRunOut:
        """The run of a month (404 ``payroll.not_found`` when not computed yet)."""
        path = f"/orgs/{_id(org_id)}/payroll/runs/{int(year):04d}-{int(month):02d}"
        return await self._call("GET", path, m.PayrollRunOut)

    async def compute_payroll(self, org_id: str, data: m.PayrollRunIn) -> m.PayrollRunOut:
        """Create or recompute the month's draft (the same month again replaces the draft;
        an approved run is refused with ``payroll.not_draft``)."""
        return await self._call("POST", f"/orgs/{_id(org_id)}/payroll/runs",
                                m.PayrollRunOut, data)

    async def approve_payroll(self, org_id: str, run_id: str) -> m.PayrollRunOut:
        """Post the accrual, НДФЛ and contributions, dated the month's last day."""
        path = f"/orgs/{_id(org_id)}/payroll/runs/{_id(run_id)}/approve"
        return await self._call("POST", path, m.PayrollRunOut)

    async def pay_payroll(
        self, org_id: str, run_id: str, date: str, part: str
    ) -> m.PayrollPaid:
        """Pay the ``advance`` or the ``final`` part on ``date`` (ISO): posts Дт 70 Кт 51/50
        and makes the salary and ЕНП payment orders."""
        path = f"/orgs/{_id(org_id)}/payroll/runs/{_id(run_id)}/pay"
        body = m.PayrollPayIn.model_validate({"date": date, "part": part})
        return await self._call("POST", path, m.PayrollPaid, body)

    async def payslip(self, org_id: str, run_id: str, employee_id: str) -> m.Payslip:
        path = f"/orgs/{_id(org_id)}/payroll/runs/{_id(run_id)}/payslips/{_id(employee_id)}"
        return await self._call("GET", path, m.Payslip)

    async def payslip_pdf(self, org_id: str, run_id: str, employee_id: str) -> bytes:
        path = (f"/orgs/{_id(org_id)}/payroll/runs/{_id(run_id)}/payslips/"
                f"{_id(employee_id)}/pdf")
        response = await self._send("GET", path, None, auth=True)
        return response.content

    async def payroll_t53(self, org_id: str, run_id: str, part: str) -> bytes:
        """The платёжная ведомость (Т-53, PDF) of the cash employees for the ``advance`` or
        ``final`` payment (422 ``payroll.nothing_to_pay`` when nobody is paid in cash)."""
        path = f"/orgs/{_id(org_id)}/payroll/runs/{_id(run_id)}/t53"
        response = await self._send("GET", path, None, auth=True, params={"part": part})
        return response.content

    async def payroll_register(self, org_id: str, run_id: str, part: str) -> bytes:
        """The salary register (PDF) of the card employees for the ``advance`` or ``final``
        payment (422 ``payroll.nothing_to_pay`` when nobody is paid by card)."""
        path = f"/orgs/{_id(org_id)}/payroll/runs/{_id(run_id)}/register"
        response = await self._send("GET", path, None, auth=True, params={"part": part})
        return response.content

    async def quarter_summary(self, org_id: str, year: int, quarter: int) -> m.QuarterSummary:
        path = f"/orgs/{_id(org_id)}/payroll/quarters/{int(year):04d}-Q{int(quarter)}"
        return await self._call("GET", path, m.QuarterSummary)

    # --- bank statement import --------------------------------------------------------

    async def upload_statement(
        self, org_id: str, data: bytes, filename: str = "statement.txt"
    ) -> m.StatementPreview:
        """Stage a 1CClientBankExchange statement (sent gzip-compressed); the preview with
        proposed entries, or 422 ``bank.file`` naming the broken line (nothing staged)."""
        import gzip

        response = await self._send(
            "POST", f"/orgs/{_id(org_id)}/bank/imports", None, auth=True,
            params={"filename": filename[:300]},
            raw=(gzip.compress(data, compresslevel=5),
                 {"Content-Type": "application/octet-stream", "Content-Encoding": "gzip"}),
        )
        return _parse(m.StatementPreview, response)

    async def statement_preview(self, org_id: str, import_id: str) -> m.StatementPreview:
        return await self._call("GET", f"/orgs/{_id(org_id)}/bank/imports/{_id(import_id)}",
                                m.StatementPreview)

    async def change_import_line(
        self, org_id: str, import_id: str, no: int, debit: str, credit: str
    ) -> m.StatementLineOut:
        path = f"/orgs/{_id(org_id)}/bank/imports/{_id(import_id)}/lines/{int(no)}"
        return await self._call("PUT", path, m.StatementLineOut,
                                m.ImportLineChange(debit=debit, credit=credit))

    async def post_import(self, org_id: str, import_id: str) -> m.BankPostResult:
        """All or nothing (409 ``bank.period_closed`` naming the month and line)."""
        path = f"/orgs/{_id(org_id)}/bank/imports/{_id(import_id)}/post"
        return await self._call("POST", path, m.BankPostResult)

    async def reconciliation(self, org_id: str, import_id: str) -> m.ReconciliationOut:
        path = f"/orgs/{_id(org_id)}/bank/imports/{_id(import_id)}/reconciliation"
        return await self._call("GET", path, m.ReconciliationOut)

    async def bank_rules(self, org_id: str) -> list[m.BankRuleOut]:
        return (await self._call("GET", f"/orgs/{_id(org_id)}/bank/rules",
                                 m.BankRuleList)).items

    async def create_bank_rule(self, org_id: str, data: m.BankRuleIn) -> m.BankRuleOut:
        return await self._call("POST", f"/orgs/{_id(org_id)}/bank/rules", m.BankRuleOut, data)

    async def delete_bank_rule(self, org_id: str, rule_id: str) -> None:
        await self._send("DELETE", f"/orgs/{_id(org_id)}/bank/rules/{_id(rule_id)}", None,
                         auth=True)

    async def local_mailbox(self, after: int = 0) -> list[m.OutboxMessage]:
        """Messages kept by the embedded server instead of being sent (empty remotely)."""
        if not self.embedded:
            return []
        result = await self._call(
            "GET", "/dev/outbox", m.OutboxList, auth=False, params={"after": after}
        )
        return result.items

    # --- plumbing -------------------------------------------------------------

    def _accept(self, pair: m.TokenPair) -> None:
        self._access = pair.access_token
        self._refresh = pair.refresh_token
        self._remember = pair.remember
        self.user = pair.user
        self.device_id = pair.device_id
        if pair.remember and self._store is not None:
            self._store.save(
                self.server_key,
                RememberedDevice(pair.device_id, pair.refresh_token, pair.user.email),
            )

    def _forget(self) -> None:
        self._etags.clear()
        self._access = self._refresh = None
        self.user = None
        self.device_id = None
        if self._store is not None:
            self._store.clear(self.server_key)

    def _newer_stored_token(self) -> str | None:
        """The remembered refresh token of this device when another process on the device
        (``buhta export``) has renewed the session since we did; None otherwise.

        Renewing with our spent token would look like a stolen one and sign the device out.
        """
        if not (self._remember and self._store is not None and self.device_id):
            return None
        stored = self._store.load(self.server_key)
        if stored is None or stored.device_id != self.device_id:
            return None
        return stored.refresh_token if stored.refresh_token != self._refresh else None

    async def _renew(self) -> None:
        """Swap the refresh token for a new pair (one renewal at a time)."""
        async with self._refresh_lock:
            newer = self._newer_stored_token()
            if newer is not None:
                self._refresh = newer
            token = self._refresh
            if token is None:
                raise SessionRevoked(401, "auth.unauthorized", t("error.auth.unauthorized"))
            try:
                # A token the wire model refuses (a hand-edited or cut credentials
                # file) is as dead as a revoked one.
                body = m.RefreshRequest(refresh_token=token)
            except ValidationError:
                self._forget()
                raise SessionRevoked(
                    401, "auth.unauthorized", t("error.auth.unauthorized")
                ) from None
            try:
                pair = await self._call("POST", "/auth/refresh", m.TokenPair, body, auth=False)
            except AuthError as exc:
                self._forget()
                raise SessionRevoked(exc.status, exc.code, exc.detail) from exc
            self._accept(pair)

    async def _call(
        self,
        method: str,
        path: str,
        model: type[T],
        body: BaseModel | None = None,
        *,
        auth: bool = True,
        params: dict[str, Any] | None = None,
    ) -> T:
        response = await self._send(method, path, body, auth=auth, params=params)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise ServerError(
                response.status_code, "client.bad_response", t("error.client.bad_response")
            ) from exc

    async def _send(
        self,
        method: str,
        path: str,
        body: BaseModel | None,
        *,
        auth: bool,
        params: dict[str, Any] | None = None,
        raw: tuple[bytes, dict[str, str]] | None = None,
    ) -> httpx.Response:
        headers = {"Accept-Language": get_locale()}
        if method in WRITE_METHODS:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        content = body.model_dump_json().encode() if body is not None else None
        if content is not None:
            headers["Content-Type"] = "application/json"
        elif raw is not None:  # a file as it is (bytes and their headers)
            content = raw[0]
            headers.update(raw[1])
        renewed = False
        attempt = 0
        while True:
            if auth:
                if self._access is None:
                    raise AuthError(401, "auth.unauthorized", t("error.auth.unauthorized"))
                headers["Authorization"] = f"Bearer {self._access}"
            cache_key = None
            if method == "GET":
                cache_key = str(self._http.build_request("GET", path, params=params).url)
                cached = self._etags.get(cache_key)
                if cached:
                    headers["If-None-Match"] = cached[0]
            try:
                response = await self._http.request(
                    method, path, content=content, headers=headers, params=params
                )
            except httpx.TransportError as exc:
                if attempt >= self._retries:
                    raise NetworkError(repr(exc)) from exc
                await self._sleep(attempt)
                attempt += 1
                continue
            if response.status_code in RETRY_STATUSES and attempt < self._retries:
                await self._sleep(attempt)
                attempt += 1
                continue
            if response.status_code == 409 and _code(response) == "idempotency.in_progress":
                if attempt < self._retries:
                    await self._sleep(attempt)
                    attempt += 1
                    continue
            if response.status_code == 401 and auth:
                code = _code(response)
                if not renewed and self._refresh and (
                    code == "auth.access_expired" or self._newer_stored_token() is not None
                ):
                    await self._renew()
                    renewed = True
                    continue
                if code in DEAD_SESSION_CODES or code == "auth.access_expired":
                    self._forget()
                    raise _error(response, SessionRevoked)
            if response.is_error:
                raise _error(response)
            if cache_key is not None:
                response = self._remember_etag(cache_key, response)
            return response

    def _remember_etag(self, key: str, response: httpx.Response) -> httpx.Response:
        if response.status_code == 304 and key in self._etags:
            tag, body, content_type = self._etags[key]
            self._etags.move_to_end(key)
            return httpx.Response(200, content=body, headers={"content-type": content_type,
                                                              "etag": tag})
        tag = response.headers.get("etag")
        if tag and response.status_code == 200:
            self._etags[key] = (tag, response.content, response.headers.get("content-type", ""))
            self._etags.move_to_end(key)
            while len(self._etags) > ETAG_CACHE_SIZE:
                self._etags.popitem(last=False)
        return response

    async def _sleep(self, attempt: int) -> None:
        await asyncio.sleep(self._backoff[min(attempt, len(self._backoff) - 1)])


def _parse(model: type[T], response: httpx.Response) -> T:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise ServerError(
            response.status_code, "client.bad_response", t("error.client.bad_response")
        ) from exc


def _id(value: str) -> str:
    """Ids go into paths only as UUIDs: nothing else can be smuggled into a URL."""
    return str(uuid.UUID(value))


def _month(value: str) -> str:
    """``2026-03`` only: nothing else goes into the path."""
    year, _, month = value.partition("-")
    if not (len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
        raise ValueError(f"not a month: {value!r}")
    return f"{year}-{month}"


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _code(response: httpx.Response) -> str:
    return str(_problem(response).get("code", ""))


def _error(response: httpx.Response, cls: type[ApiError] | None = None) -> ApiError:
    data = _problem(response)
    status = response.status_code
    code = str(data.get("code") or ("server.internal" if status >= 500 else "http.error"))
    detail = data.get("detail")
    if not isinstance(detail, str) or not detail:
        detail = t("error.server.internal") if status >= 500 else f"HTTP {status}"
    retry_after: int | None = None
    header = response.headers.get("Retry-After")
    if header and header.isdigit():
        retry_after = int(header)
    errors = data.get("errors") if isinstance(data.get("errors"), list) else None
    return (cls or error_class(status))(
        status, code, detail, retry_after=retry_after, errors=errors
    )
