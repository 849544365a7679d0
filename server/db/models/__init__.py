"""Provides every SQLAlchemy 2 model of the server, one module per area.

``from server.db.models import X`` reaches every model; ``Base.metadata`` holds every
table (Alembic's ``env.py`` and the migration test read it). A new area adds its module
here and to ``__all__``.
"""

from __future__ import annotations

from server.db.models.bank import BankImport, BankImportLine, BankRule, PaymentOrder
from server.db.models.base import Base, new_id
from server.db.models.closing import ClosingSettings, EntryMark
from server.db.models.documents import Counterparty, Document, DocumentLine
from server.db.models.events import UserEvent
from server.db.models.identity import (
    AuditEvent,
    Device,
    EmailToken,
    IdempotencyRecord,
    OutboxMessage,
    RateEvent,
    SmsCode,
    User,
)
from server.db.models.ledger import (
    AccountTurnover,
    ClosedPeriod,
    Entry,
    LedgerAccount,
    NumberCounter,
    Posting,
)
from server.db.models.newsletter import (
    NewsletterConsent,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterKey,
    NewsletterSubscriber,
)
from server.db.models.notifications import (
    Job,
    Notification,
    NotificationChannel,
    NotificationOrgPref,
    NotificationUserPref,
    WebhookEndpoint,
    WorkerLease,
)
from server.db.models.orgs import BankAccount, Invitation, Membership, Organisation
from server.db.models.payroll import Employee, PayrollLine, PayrollRun
from server.db.models.signatures import DocumentSignature, SignatureRuleRow, TrustAnchor
from server.db.models.stock import StockItem, StockMove, StockSettingsRow, Warehouse
from server.db.models.support import (
    SupportAgent,
    SupportCallback,
    SupportGrant,
    SupportMessage,
    SupportTicket,
)
from server.db.models.tasks import Task, TaskChange

__all__ = [
    "AccountTurnover",
    "AuditEvent",
    "BankAccount",
    "BankImport",
    "BankImportLine",
    "BankRule",
    "Base",
    "ClosedPeriod",
    "ClosingSettings",
    "Counterparty",
    "Device",
    "Document",
    "DocumentLine",
    "DocumentSignature",
    "EmailToken",
    "Employee",
    "Entry",
    "EntryMark",
    "IdempotencyRecord",
    "Invitation",
    "Job",
    "LedgerAccount",
    "Membership",
    "NewsletterConsent",
    "NewsletterDelivery",
    "NewsletterIssue",
    "NewsletterKey",
    "NewsletterSubscriber",
    "Notification",
    "NotificationChannel",
    "NotificationOrgPref",
    "NotificationUserPref",
    "NumberCounter",
    "Organisation",
    "OutboxMessage",
    "PaymentOrder",
    "PayrollLine",
    "PayrollRun",
    "Posting",
    "RateEvent",
    "SignatureRuleRow",
    "SmsCode",
    "StockItem",
    "StockMove",
    "StockSettingsRow",
    "SupportAgent",
    "SupportCallback",
    "SupportGrant",
    "SupportMessage",
    "SupportTicket",
    "Task",
    "TaskChange",
    "TrustAnchor",
    "User",
    "UserEvent",
    "Warehouse",
    "WebhookEndpoint",
    "WorkerLease",
    "new_id",
]
