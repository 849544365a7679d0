"""Provides the wire contract of the support centre (поддержка): the contacts, requests
(обращения) with their conversation and statuses, callback orders (заказ звонка), the
temporary read access a user grants support to one organisation, and the agents' side.
Reach it as ``from core.contract import support as sp``.

Routes (all under ``/api/v1``):

For everyone (no sign-in needed):
    GET    /support/info                       -> SupportInfo  (contacts, topics, limits)

The signed-in user's own:
    POST   /support/requests     body RequestIn  -> RequestOut (201)
    GET    /support/requests                   -> RequestPage  query: ``open=true``,
           ``cursor``, ``limit`` (1–100, default 30); newest first
    GET    /support/requests/{id}              -> RequestOut (with the conversation)
    POST   /support/requests/{id}/messages body MessageIn -> RequestOut (201)
    POST   /support/requests/{id}/close        -> RequestOut
    POST   /support/requests/{id}/access body GrantIn -> GrantOut (201): support may read
           that organisation for ``hours`` (default 24); every read is in its activity log
    DELETE /support/requests/{id}/access/{grant_id} -> GrantOut (revoked)
    POST   /support/callbacks    body CallbackIn -> CallbackOut (201)
    GET    /support/callbacks                  -> CallbackList (newest first, 50)

Support agents (a user holding the ``support`` role, ``buhta-server support grant EMAIL``;
anyone else gets 403 ``support.agents_only``):
    GET    /support/agent/requests             -> RequestPage  query: ``status`` (repeat),
           ``cursor``, ``limit``; oldest waiting first
    GET    /support/agent/requests/{id}        -> RequestOut
    POST   /support/agent/requests/{id}/messages body MessageIn -> RequestOut (201; the
           user hears of it: a ``support_reply`` notification)
    POST   /support/agent/requests/{id}/close  -> RequestOut
    GET    /support/agent/callbacks            -> CallbackList  query: ``due=true`` (the
           open ones whose window has begun), ``limit``
    POST   /support/agent/callbacks/{id}/done  -> CallbackOut

An agent sees what the user attached (``context``), never the books; with a live grant
the organisation's GET routes answer them as to an observer (Наблюдатель), nothing else.
Errors are problem documents with codes ``support.*`` (``support.not_found``,
``support.closed``, ``support.rate_limited``, ``support.window_past``, …).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from core.contract.common import Phone, WireModel
from core.validation import InvalidInput

Status = Literal["new", "in_progress", "waiting_user", "closed"]
"""``new`` «новое», ``in_progress`` «в работе», ``waiting_user`` «ждёт ответа
пользователя», ``closed`` «закрыто»."""
STATUSES: tuple[Status, ...] = ("new", "in_progress", "waiting_user", "closed")
OPEN_STATUSES: tuple[Status, ...] = ("new", "in_progress", "waiting_user")

TOPICS: tuple[str, ...] = (
    "accounting", "documents", "bank", "payroll", "reports", "signatures", "access",
    "bug", "other",
)
"""The topics a request or a callback is about (their names: the server's
``support.topic.<code>``, sent in ``SupportInfo``)."""

ATTACH_KINDS: tuple[str, ...] = ("screen", "period", "error_code", "request_id")
"""What the context attachment may carry: nothing else is accepted."""

CallbackStatus = Literal["new", "done", "cancelled"]

MAX_TEXT = 4000
"""The longest request or message, in characters."""
MAX_GRANT_HOURS = 168

_SCREEN = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")
_PERIOD = re.compile(r"^[0-9A-Za-z .:/-]{1,40}$")
_CODE = re.compile(r"^[a-z0-9_.]{1,80}$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_TZ = re.compile(r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+){0,2}$|^UTC$")


def _matching(pattern: re.Pattern[str], key: str):  # type: ignore[no-untyped-def]
    def check(value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            return None
        if not pattern.fullmatch(value):
            raise InvalidInput(key)
        return value

    return check


def _required_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput("validation.required")
    return value


def _topic(value: str) -> str:
    if value not in TOPICS:
        raise InvalidInput("support.topic_unknown")
    return value


def _uuid_text(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InvalidInput("validation.uuid") from None


def _zone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = value.strip()
    if not _TZ.fullmatch(value):
        raise InvalidInput("support.timezone")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("support.timezone") from None
    return value


Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_required_text)]
Topic = Annotated[str, Field(max_length=40), AfterValidator(_topic)]
Id = Annotated[str, Field(max_length=40), AfterValidator(_uuid_text)]
TimeZone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_zone)]


class Context(WireModel):
    """The context the user chose to attach, shown to them before sending: which screen,
    which period, the last error's code and its request id. Only these kinds
    (``ATTACH_KINDS``); another one is refused naming it."""

    screen: Annotated[str | None, Field(default=None, max_length=80),
                      AfterValidator(_matching(_SCREEN, "support.context_screen"))] = None
    period: Annotated[str | None, Field(default=None, max_length=40),
                      AfterValidator(_matching(_PERIOD, "support.context_period"))] = None
    error_code: Annotated[str | None, Field(default=None, max_length=80),
                          AfterValidator(_matching(_CODE, "support.context_error"))] = None
    request_id: Annotated[str | None, Field(default=None, max_length=64),
                          AfterValidator(_matching(_REQUEST_ID, "support.context_request"))
                          ] = None

    def items(self) -> list[tuple[str, str]]:
        """The kinds that carry something, in ``ATTACH_KINDS`` order."""
        return [(k, v) for k in ATTACH_KINDS if (v := getattr(self, k))]


class TopicOut(WireModel):
    code: str
    name: str


class SupportInfo(WireModel):
    phone: str
    """The one support number («8 800 …»)."""
    hours: str
    """When it answers («24/7»)."""
    email: str
    topics: list[TopicOut]
    attach_kinds: list[str]
    max_text: int
    grant_hours: int
    """How long a read access lasts unless the user says otherwise."""


class RequestIn(WireModel):
    topic: Topic
    text: Text
    org_id: Id | None = None
    """The organisation concerned (the caller must be an active member of it)."""
    context: Context | None = None


class MessageIn(WireModel):
    text: Text


class MessageOut(WireModel):
    id: int
    from_support: bool
    author: str
    """The user's e-mail, or «Поддержка» and the agent's e-mail for the agents."""
    text: str
    created_at: datetime


class GrantIn(WireModel):
    org_id: Id | None = None
    """Default: the request's organisation."""
    hours: Annotated[int, Field(ge=1, le=MAX_GRANT_HOURS)] | None = None
    """Default: ``SupportInfo.grant_hours`` (24)."""


class GrantOut(WireModel):
    id: str
    request_id: int
    org_id: str
    org_short_name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    live: bool


class RequestOut(WireModel):
    id: int
    """The request's number, as the user and support call it («№ 12»)."""
    topic: str
    topic_name: str
    subject: str
    """The text's first line, cut to 80 characters."""
    status: Status
    user_email: str
    org_id: str | None = None
    org_short_name: str | None = None
    context: Context | None = None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    messages: list[MessageOut] = Field(default_factory=list)
    """The conversation, oldest first (empty in lists)."""
    grants: list[GrantOut] = Field(default_factory=list)


class RequestPage(WireModel):
    items: list[RequestOut]
    next_cursor: str | None = None


class CallbackIn(WireModel):
    """A callback order: the phone (prefilled from the account, editable), the topic, and a
    preferred window on ``day`` from ``start`` to ``end`` in ``timezone`` (the user's; kept
    in UTC with the zone)."""

    phone: Phone
    topic: Topic
    day: date
    start: time
    end: time
    timezone: TimeZone
    org_id: Id | None = None

    @model_validator(mode="after")
    def _window(self) -> CallbackIn:
        if self.end <= self.start:
            raise InvalidInput("support.window_order", field="end")
        return self


class CallbackOut(WireModel):
    id: str
    phone: str
    topic: str
    topic_name: str
    status: CallbackStatus
    user_email: str
    org_id: str | None = None
    window_start: datetime
    """In UTC."""
    window_end: datetime
    timezone: str
    local_window: str
    """The window in the user's zone, «05.03.2026 10:00–12:00 (Europe/Moscow)»."""
    created_at: datetime
    done_at: datetime | None = None


class CallbackList(WireModel):
    items: list[CallbackOut]


__all__ = [
    "ATTACH_KINDS",
    "MAX_GRANT_HOURS",
    "MAX_TEXT",
    "OPEN_STATUSES",
    "STATUSES",
    "TOPICS",
    "CallbackIn",
    "CallbackList",
    "CallbackOut",
    "CallbackStatus",
    "Context",
    "GrantIn",
    "GrantOut",
    "MessageIn",
    "MessageOut",
    "RequestIn",
    "RequestOut",
    "RequestPage",
    "Status",
    "SupportInfo",
    "TopicOut",
]
