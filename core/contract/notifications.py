"""Provides the wire contract of notifications (уведомления): the in-app list, the unread
count, the user's channel settings (e-mail digest, Telegram), the event × channel matrix
of an organisation and of a user, and the organisation's webhook endpoints with their last
deliveries. Reach it as ``from core.contract import notifications as nm``.

Routes (all under ``/api/v1``; every one needs a signed-in caller):

In-app (the caller's own, across their organisations):
    GET    /notifications                    -> NotificationPage
           query: ``org_id`` (only that organisation), ``unread=true``, ``cursor``,
           ``limit`` (1–100, default 30). Answers with an ``ETag``; a poll with the same
           ``If-None-Match`` is a bodiless 304 while nothing changed for the caller.
    GET    /notifications/unread             -> UnreadCount        (ETag/304 likewise)
    POST   /notifications/read               body MarkRead -> UnreadCount
    POST   /notifications/{id}/read          -> NotificationOut
    POST   /notifications/{id}/unread        -> NotificationOut

The caller's channels:
    GET    /notifications/settings           -> ChannelSettings
    PUT    /notifications/settings           body ChannelSettingsIn -> ChannelSettings
    POST   /notifications/telegram/link      -> TelegramLinkCode  (a new one-time code;
           the user sends ``/start CODE`` to the bot, the server links that chat)
    DELETE /notifications/telegram           -> ChannelSettings   (unlinks the chat)

The event × channel matrix:
    GET    /orgs/{org_id}/notifications/matrix       -> NotificationMatrix (scope "org")
    PUT    /orgs/{org_id}/notifications/matrix       body MatrixIn -> NotificationMatrix
           (the organisation's defaults; director / chief accountant only, 403 otherwise)
    GET    /orgs/{org_id}/notifications/matrix/me    -> NotificationMatrix (scope "user")
    PUT    /orgs/{org_id}/notifications/matrix/me    body MatrixIn -> NotificationMatrix
           (the caller's own choices; ``enabled: null`` goes back to the organisation's)

Webhooks of an organisation (director / chief accountant manage them; 403 otherwise):
    GET    /orgs/{org_id}/webhooks                    -> WebhookList
    POST   /orgs/{org_id}/webhooks    body WebhookIn  -> WebhookCreated (201; the secret is
           shown once)
    GET    /orgs/{org_id}/webhooks/{id}               -> WebhookOut (with last deliveries)
    PATCH  /orgs/{org_id}/webhooks/{id} body WebhookPatch -> WebhookOut
    DELETE /orgs/{org_id}/webhooks/{id}               -> 204
    POST   /orgs/{org_id}/webhooks/{id}/secret        -> WebhookCreated (a new secret)
    POST   /orgs/{org_id}/webhooks/{id}/test          -> WebhookDeliveryOut (sent at once,
           the answer carries its outcome; a refused address is ``failed`` with the reason)
    GET    /orgs/{org_id}/webhooks/{id}/deliveries    -> WebhookDeliveryList
           query: ``limit`` (1–100, default 20)

Errors are the usual problem documents (``core.contract.common.Problem``) with codes
``notifications.*`` / ``webhooks.*``; e.g. ``webhooks.url_not_https``,
``webhooks.address_forbidden``, ``notifications.not_found``.

A webhook delivery is a POST of ``WebhookPayload`` (JSON) signed in the Standard Webhooks
format: headers ``webhook-id`` (the event id, the same on every retry: de-duplicate by it),
``webhook-timestamp`` (Unix seconds) and ``webhook-signature: v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">`` keyed with the secret (``whsec_<base64>``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from core.contract.common import WireModel
from core.validation import InvalidInput

EventType = Literal[
    "task_assigned",
    "task_commented",
    "task_due_soon",
    "task_overdue",
    "tax_deadline",
    "statement_imported",
    "payroll_approved",
    "login_new_device",
    "invitation_accepted",
    "document_signed",
    "support_reply",
]
"""What happened. ``tax_deadline``: a tax-calendar deadline is N days away;
``login_new_device``: the user's own account signed in from a device not seen before."""

EVENT_TYPES: tuple[EventType, ...] = (
    "task_assigned", "task_commented", "task_due_soon", "task_overdue", "tax_deadline",
    "statement_imported", "payroll_approved", "login_new_device", "invitation_accepted",
    "document_signed", "support_reply",
)

Channel = Literal["in_app", "email", "telegram", "webhook"]
CHANNELS: tuple[Channel, ...] = ("in_app", "email", "telegram", "webhook")
USER_CHANNELS: tuple[Channel, ...] = ("in_app", "email", "telegram")
"""A user's own matrix has no webhook column (a webhook belongs to the organisation)."""

ObjectKind = Literal[
    "task", "document", "entry", "employee", "payroll_run", "statement", "deadline",
    "device", "member", "support_ticket", "org",
]
"""What a notification points at, so the notification centre can open it (Enter)."""

DeliveryStatus = Literal["pending", "retrying", "delivered", "failed"]
"""``retrying``: an attempt failed, another is scheduled; ``failed``: given up."""

WebhookStatus = Literal["active", "failing", "disabled"]
"""``failing``: the last delivery gave up after every retry (deliveries still try, the
screen says so); ``disabled``: switched off by a person, nothing is sent."""

MAX_WEBHOOK_URL = 2000


def _https_url(value: str) -> str:
    value = value.strip()
    if not value.lower().startswith("https://") or len(value) <= len("https://"):
        raise InvalidInput("webhooks.url_not_https")
    if any(c.isspace() for c in value):
        raise InvalidInput("webhooks.url_invalid")
    return value


WebhookUrl = Annotated[str, Field(min_length=9, max_length=MAX_WEBHOOK_URL),
                       AfterValidator(_https_url)]
"""An ``https://`` URL; whether its address may be reached is checked when sending (and
once when saved, for a clear early refusal)."""


class ObjectRef(WireModel):
    kind: ObjectKind
    id: str
    """The object's id (a UUID, or a deadline id such as ``usn_advance:2026-Q1``)."""


class NotificationOut(WireModel):
    id: str
    org_id: str | None
    """``None`` for the user's own events (a login from a new device)."""
    org_short_name: str | None = None
    event: EventType
    title: str
    """One line in the caller's language: «Вам назначена задача «Сдать 6-НДФЛ»»."""
    body: str | None = None
    object: ObjectRef | None = None
    created_at: datetime
    read: bool
    read_at: datetime | None = None


class NotificationPage(WireModel):
    items: list[NotificationOut]
    unread: int
    """Unread across the caller's notifications (or the ``org_id`` asked for)."""
    next_cursor: str | None = None


class UnreadCount(WireModel):
    unread: int
    latest_at: datetime | None = None
    """When the newest notification was made (the header can say «новое»)."""


class MarkRead(WireModel):
    """Marks ``ids`` read; or, with ``all: true``, every notification of the caller (only
    of ``org_id`` when given)."""

    ids: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list,
                                                             max_length=500)
    all: bool = False
    org_id: str | None = Field(default=None, max_length=40)


class EmailChannel(WireModel):
    address: str | None
    """The confirmed address mail goes to (``None``: no confirmed address, nothing sent)."""
    confirmed: bool
    digest: bool
    """One message a day with everything instead of one per event."""
    digest_hour: int
    """Hour of the day (Moscow time, 0–23) the digest is sent."""


class TelegramChannel(WireModel):
    linked: bool
    chat_title: str | None = None
    """The chat's name or the user's @username as Telegram gave it."""
    linked_at: datetime | None = None
    bot_username: str | None = None
    """The bot to write to (``@buhta_bot``), when the server knows it."""


class ChannelSettings(WireModel):
    email: EmailChannel
    telegram: TelegramChannel


class ChannelSettingsIn(WireModel):
    email_digest: bool | None = None
    digest_hour: int | None = Field(default=None, ge=0, le=23)


class TelegramLinkCode(WireModel):
    code: str
    """Eight characters, one-time; the earlier code stops working."""
    command: str
    """What to send to the bot: ``/start CODE``."""
    deep_link: str | None = None
    """``https://t.me/<bot>?start=CODE`` when the bot's name is known."""
    expires_at: datetime


class MatrixCell(WireModel):
    event: EventType
    channel: Channel
    enabled: bool
    """What applies now (the user's choice, else the organisation's, else the default)."""
    source: Literal["default", "org", "user"]
    """Where ``enabled`` comes from."""


class MatrixEvent(WireModel):
    event: EventType
    title: str
    """The event's name in the caller's language («Задача назначена»)."""


class NotificationMatrix(WireModel):
    org_id: str
    scope: Literal["org", "user"]
    events: list[MatrixEvent]
    """The rows, in display order."""
    channels: list[Channel]
    """The columns: every channel for the organisation, ``USER_CHANNELS`` for a user."""
    cells: list[MatrixCell]
    editable: bool
    """May the caller change this matrix (the organisation's needs its director or chief
    accountant)."""


class MatrixCellIn(WireModel):
    event: EventType
    channel: Channel
    enabled: bool | None
    """``None`` removes the choice (the user's cell follows the organisation's again; the
    organisation's follows the default)."""


class MatrixIn(WireModel):
    """Only the cells sent change."""

    cells: list[MatrixCellIn] = Field(max_length=len(EVENT_TYPES) * len(CHANNELS))


class WebhookIn(WireModel):
    url: WebhookUrl
    description: str | None = Field(default=None, max_length=200)
    events: list[EventType] | None = None
    """Only these events (``None``: every event the organisation's matrix sends to
    webhooks)."""


class WebhookPatch(WireModel):
    url: WebhookUrl | None = None
    description: str | None = Field(default=None, max_length=200)
    enabled: bool | None = None
    events: list[EventType] | None = None


class WebhookDeliveryOut(WireModel):
    id: str
    event_id: str
    """The ``webhook-id`` header (``msg_…``): the same on every retry of this delivery."""
    event: EventType | Literal["test"]
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None = None
    """The receiver's HTTP status of the last attempt (``None``: no answer)."""
    last_error: str | None = None
    """Why the last attempt failed, in the caller's language (a refused address, a
    timeout, «HTTP 500»)."""
    created_at: datetime
    last_attempt_at: datetime | None = None
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None


class WebhookOut(WireModel):
    id: str
    org_id: str
    url: str
    description: str | None = None
    events: list[EventType] | None = None
    enabled: bool
    status: WebhookStatus
    failing_since: datetime | None = None
    created_at: datetime
    last_deliveries: list[WebhookDeliveryOut] = Field(default_factory=list)
    """The newest ten, newest first."""


class WebhookCreated(WebhookOut):
    secret: str
    """``whsec_<base64>``: shown only now; the receiver verifies signatures with it."""


class WebhookList(WireModel):
    items: list[WebhookOut]


class WebhookDeliveryList(WireModel):
    items: list[WebhookDeliveryOut]


class WebhookPayload(WireModel):
    """The JSON body a webhook receives."""

    id: str
    """The event id (equals the ``webhook-id`` header)."""
    type: str
    """``buhta.<event>``, e.g. ``buhta.task_assigned``; ``buhta.test`` for a test."""
    timestamp: datetime
    org_id: str | None
    data: dict[str, object]
    """The event's parameters and ``object`` (kind and id); never a secret."""
