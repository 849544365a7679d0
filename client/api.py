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
from client.areas.closing import ClosingApi
from client.areas.counterparties import CounterpartiesApi
from client.areas.dashboard import DashboardApi
from client.areas.documents import DocumentsApi
from client.areas.ledger import LedgerApi
from client.areas.newsletter import NewsletterApi
from client.areas.notifications import NotificationsApi
from client.areas.orgs import OrgsApi
from client.areas.payments import PaymentsApi
from client.areas.payroll import PayrollApi
from client.areas.reports import ReportsApi
from client.areas.signatures import SignaturesApi
from client.areas.stock import StockApi
from client.areas.support import SupportApi
from client.areas.tasks import TasksApi
from client.auth import AuthSession
from client.offline import OfflineLayer
from client.session import RememberedDevice, SessionStore
from client.transport import KEEPALIVE_S, Transport
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
        keepalive_s: float = KEEPALIVE_S,
        http2: bool = False,
    ) -> None:
        self.server_key = server_key
        self.embedded = embedded
        self.device_name = device_name
        self.transport = Transport(base_url=base_url, transport=transport,
                                   timeout_s=timeout_s, retries=retries, backoff_s=backoff_s,
                                   keepalive_s=keepalive_s, http2=http2)
        self.session = AuthSession(self.transport, store=store, server_key=server_key)
        # Answers kept for a restart and the offline mode, the queue of writes made
        # offline, the traffic count (client.offline): on disk beside a remembered
        # device of a remote server, in memory otherwise.
        self.offline = OfflineLayer(self, root=store.root() if store is not None else None,
                                    persistent=store is not None and store.enabled
                                    and not embedded)
        self.transport.offline = self.offline
        self.auth = AuthApi(self)
        self.orgs = OrgsApi(self)
        self.ledger = LedgerApi(self)
        self.closing = ClosingApi(self)
        self.counterparties = CounterpartiesApi(self)
        self.documents = DocumentsApi(self)
        self.reports = ReportsApi(self)
        self.stock = StockApi(self)
        self.bank = BankApi(self)
        self.payments = PaymentsApi(self)
        self.payroll = PayrollApi(self)
        self.tasks = TasksApi(self)
        self.calendar = CalendarApi(self)
        self.dashboard = DashboardApi(self)
        self.signatures = SignaturesApi(self)
        self.support = SupportApi(self)
        self.notifications = NotificationsApi(self)
        self.newsletter = NewsletterApi(self)

    async def aclose(self) -> None:
        await self.transport.aclose()
        self.offline.close()

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


