"""Provides the wire contract of the newsletter (рассылка): its topics, the caller's
subscriptions and the consent history. Reach it as ``from core.contract import newsletter
as nl``.

Advertising by e-mail needs the addressee's prior consent, and the sender must be able to
prove it (Федеральный закон от 13.03.2006 № 38-ФЗ «О рекламе», ст. 18 ч. 1). So a
subscription is made only against the exact consent text the screen showed: the client
sends back the text's versioned id and its SHA-256, the server refuses a text that is not
its current one (``newsletter.consent_outdated``: show the new text and ask again) and
keeps the text, the time, the source and the address of every consent and withdrawal.

Routes (under ``/api/v1``, a signed-in caller):
    GET    /newsletter/topics                       -> TopicList
    PUT    /newsletter/subscriptions/{topic}  body SubscribeIn -> TopicOut
    DELETE /newsletter/subscriptions/{topic}        -> TopicOut
    GET    /newsletter/consents                     -> ConsentHistory (the caller's own)

Without signing in (the link in every issue, RFC 8058):
    GET    /u/{token}     an HTML page asking to confirm
    POST   /u/{token}     unsubscribes (a mail client's one-click POST carries
                          ``List-Unsubscribe=One-Click``; the page's button too)
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from core.contract.common import WireModel
from core.validation import InvalidInput

Topic = Literal["service_news", "law_changes", "tips"]
TOPICS: tuple[Topic, ...] = ("service_news", "law_changes", "tips")
"""«Новости сервиса», «Изменения в законах», «Советы»."""

ConsentSource = Literal["app", "web"]
"""Where the consent was given: the terminal app or the web (``textual serve``)."""

ConsentAction = Literal["subscribe", "unsubscribe"]

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _sha256_hex(value: str) -> str:
    value = value.strip().lower()
    if not HEX64.fullmatch(value):
        raise InvalidInput("validation.sha256")
    return value


Sha256Hex = Annotated[str, Field(min_length=64, max_length=64), AfterValidator(_sha256_hex)]


class TopicOut(WireModel):
    topic: Topic
    title: str
    """In the caller's language («Изменения в законах»)."""
    description: str
    consent_text_id: str
    """The versioned id of the consent text below (``v1/ru``)."""
    consent_text: str
    """Exactly what the screen shows before subscribing (it names the caller's address)."""
    consent_text_sha256: str
    """SHA-256 (hex) of ``consent_text`` as UTF-8: sent back on subscribing."""
    subscribed: bool
    subscribed_at: datetime | None = None
    unsubscribed_at: datetime | None = None


class TopicList(WireModel):
    email: str
    """Where the issues go: the account's address."""
    email_confirmed: bool
    """Issues go to a confirmed address only."""
    items: list[TopicOut]


class SubscribeIn(WireModel):
    consent_text_id: str = Field(min_length=1, max_length=40)
    consent_text_sha256: Sha256Hex
    source: ConsentSource = "app"


class ConsentOut(WireModel):
    topic: Topic
    action: ConsentAction
    at: datetime
    source: str
    """``app``, ``web``, or ``link`` (the unsubscribe link of an issue)."""
    ip: str | None = None
    email: str
    consent_text_id: str | None = None
    consent_text_sha256: str | None = None
    consent_text: str | None = None


class ConsentHistory(WireModel):
    items: list[ConsentOut]
    """Oldest first: the whole history, nothing overwritten."""
