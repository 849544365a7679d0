"""Provides the signed one-click unsubscribe links of the newsletter (RFC 8058).

A link is ``<public_url>/u/<token>``, the token ``<subscriber id, 32 hex>.<tag>`` with the
tag the first 128 bits of HMAC-SHA256(secret, ``"<subscriber id>:<topic>"``), base64url:
nobody can make one without the server's secret, nor guess one (2^128 tags), and one
link unsubscribes one address from one topic only. The secret is
``BUHTA_NEWSLETTER_SECRET`` when set, else a random key made once and kept in the database
(``newsletter_keys``), so every node of a hosted server signs alike.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.config import Settings
from server.db.models.newsletter import NewsletterKey

TAG_BYTES = 16
KEY_ID = 1


def load_secret(db: Session, settings: Settings) -> bytes:
    """The signing key (made and stored on first use; a racing node's key wins)."""
    if settings.newsletter_secret:
        return hashlib.sha256(f"buhta-newsletter:{settings.newsletter_secret}".encode()).digest()
    with db.begin():
        row = db.scalars(select(NewsletterKey).where(NewsletterKey.id == KEY_ID)).first()
        if row is not None:
            return row.secret
    try:
        with db.begin():
            db.add(NewsletterKey(id=KEY_ID, secret=os.urandom(32)))
    except IntegrityError:
        pass  # another node made it first: use theirs
    with db.begin():
        return db.scalars(select(NewsletterKey.secret).where(NewsletterKey.id == KEY_ID)).one()


def _tag(secret: bytes, subscriber_id: str, topic: str) -> str:
    mac = hmac.new(secret, f"{subscriber_id}:{topic}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:TAG_BYTES]).rstrip(b"=").decode()


def make_token(secret: bytes, subscriber_id: str, topic: str) -> str:
    return f"{uuid.UUID(subscriber_id).hex}.{_tag(secret, subscriber_id, topic)}"


def subscriber_of(token: str) -> str | None:
    """The subscriber id a token names (not yet checked: see :func:`valid`)."""
    head, dot, tag = token.partition(".")
    if not dot or len(head) != 32 or not tag or len(token) > 100:
        return None
    try:
        return str(uuid.UUID(hex=head))
    except ValueError:
        return None


def valid(secret: bytes, token: str, subscriber_id: str, topic: str) -> bool:
    """Does ``token`` carry the right tag for this subscriber and topic (constant time)?"""
    _, _, tag = token.partition(".")
    return hmac.compare_digest(tag.encode(), _tag(secret, subscriber_id, topic).encode())


def unsubscribe_url(settings: Settings, token: str) -> str:
    return f"{settings.public_url.rstrip('/')}/u/{token}"


def list_unsubscribe(settings: Settings, token: str) -> dict[str, str]:
    """The RFC 2369 / RFC 8058 headers of an issue: the HTTPS link first, then mailto."""
    links = [f"<{unsubscribe_url(settings, token)}>"]
    if settings.newsletter_unsubscribe_mailto:
        links.append(f"<mailto:{settings.newsletter_unsubscribe_mailto}?subject=unsubscribe%20"
                     f"{token}>")
    return {"List-Unsubscribe": ", ".join(links),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
