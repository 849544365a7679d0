"""Provides the subscription use cases: the caller's topics, subscribe (against the exact
consent text shown), unsubscribe (from the app, or by an issue's signed link without
signing in) and the consent history.

Consent to advertising by e-mail must be given beforehand and be provable by the sender
(Федеральный закон от 13.03.2006 № 38-ФЗ «О рекламе», ст. 18 ч. 1). So each consent is a
row kept for good (:class:`NewsletterConsent`): the time, the exact text shown with its
versioned id and SHA-256, the source (app / web), the caller's IP and device, the address.
A withdrawal is another row with its own time and source: the history is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contract import newsletter as nl
from server.config import Settings
from server.db.models import User
from server.db.models.newsletter import NewsletterConsent, NewsletterSubscriber
from server.services import audit
from server.services.context import Ctx
from server.services.errors import ServiceError
from server.services.newsletter import links, topics

LINK_SOURCE = "link"


@dataclass(frozen=True)
class LinkTarget:
    subscriber_id: str
    topic: str
    active: bool
    email: str


class Subscriptions:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._secret: bytes | None = None

    def secret(self, db: Session) -> bytes:
        if self._secret is None:
            self._secret = links.load_secret(db, self.settings)
        return self._secret

    # --- the caller's own ------------------------------------------------------------

    def topics(self, db: Session, ctx: Ctx, user: User) -> nl.TopicList:
        with db.begin():
            rows = _subscribers(db, user.id)
            return nl.TopicList(
                email=user.email, email_confirmed=user.email_confirmed_at is not None,
                items=[_topic_out(t, rows.get(t), user.email, ctx.lang) for t in nl.TOPICS])

    def subscribe(self, db: Session, ctx: Ctx, user: User, topic: nl.Topic,
                  body: nl.SubscribeIn) -> nl.TopicOut:
        shown = topics.shown_text(body.consent_text_id, topic, user.email)
        if shown is None or shown.sha256 != body.consent_text_sha256:
            # Not the text in force for this address: the screen must show the new one.
            raise ServiceError(409, "newsletter.consent_outdated")
        if user.email_confirmed_at is None:
            raise ServiceError(409, "newsletter.email_unconfirmed")
        with db.begin():
            row = _subscriber(db, user.id, topic)
            if not row.active:
                row.active = True
                row.subscribed_at = ctx.now
                row.unsubscribed_at = None
                db.add(NewsletterConsent(
                    subscriber_id=row.id, user_id=user.id, topic=topic, action="subscribe",
                    at=ctx.now, source=body.source, ip=ctx.ip, device_id=ctx.device_id,
                    email=user.email, text_id=shown.id, text_sha256=shown.sha256,
                    text=shown.text,
                ))
                audit.record(db, ctx, "newsletter.subscribe", object_type="newsletter",
                             object_id=topic, summary=f"тема {topics.title(topic, 'ru')}, "
                             f"текст согласия {shown.id}")
            return _topic_out(topic, row, user.email, ctx.lang)

    def unsubscribe(self, db: Session, ctx: Ctx, user: User, topic: nl.Topic,
                    source: str = "app") -> nl.TopicOut:
        with db.begin():
            row = _subscriber(db, user.id, topic)
            _withdraw(db, ctx, row, user.email, source)
            return _topic_out(topic, row, user.email, ctx.lang)

    def history(self, db: Session, user: User) -> nl.ConsentHistory:
        with db.begin():
            rows = db.scalars(select(NewsletterConsent)
                              .where(NewsletterConsent.user_id == user.id)
                              .order_by(NewsletterConsent.id)).all()
            return nl.ConsentHistory(items=[nl.ConsentOut(
                topic=r.topic, action=r.action, at=r.at, source=r.source,  # type: ignore[arg-type]
                ip=r.ip, email=r.email, consent_text_id=r.text_id,
                consent_text_sha256=r.text_sha256, consent_text=r.text) for r in rows])

    # --- the link in an issue ----------------------------------------------------------

    def by_token(self, db: Session, token: str) -> LinkTarget | None:
        """Whom a signed link unsubscribes; ``None`` for a forged one."""
        subscriber_id = links.subscriber_of(token)
        if subscriber_id is None:
            return None
        secret = self.secret(db)
        with db.begin():
            row = db.get(NewsletterSubscriber, subscriber_id)
            if row is None or not links.valid(secret, token, row.id, row.topic):
                return None
            email = db.scalars(select(User.email).where(User.id == row.user_id)).one()
            return LinkTarget(row.id, row.topic, row.active, email)

    def unsubscribe_by_token(self, db: Session, ctx: Ctx, token: str) -> str | None:
        """Unsubscribe the link's address from its topic (no sign-in: the link is the
        proof); the topic, or ``None`` for a forged link."""
        found = self.by_token(db, token)
        if found is None:
            return None
        with db.begin():
            row = db.get(NewsletterSubscriber, found.subscriber_id, with_for_update=True)
            if row is None:
                return None
            _withdraw(db, ctx, row, found.email, LINK_SOURCE)
            return row.topic


def _subscribers(db: Session, user_id: str) -> dict[str, NewsletterSubscriber]:
    rows = db.scalars(select(NewsletterSubscriber)
                      .where(NewsletterSubscriber.user_id == user_id)).all()
    return {r.topic: r for r in rows}


def _subscriber(db: Session, user_id: str, topic: str) -> NewsletterSubscriber:
    """The user's row for ``topic``, made (inactive) on first need."""
    row = db.scalars(select(NewsletterSubscriber).where(
        NewsletterSubscriber.user_id == user_id, NewsletterSubscriber.topic == topic)
        .with_for_update()).first()
    if row is None:
        row = NewsletterSubscriber(user_id=user_id, topic=topic, active=False)
        db.add(row)
        db.flush()
    return row


def _withdraw(db: Session, ctx: Ctx, row: NewsletterSubscriber, email: str,
              source: str) -> None:
    if not row.active:
        return
    row.active = False
    row.unsubscribed_at = ctx.now
    db.add(NewsletterConsent(
        subscriber_id=row.id, user_id=row.user_id, topic=row.topic, action="unsubscribe",
        at=ctx.now, source=source, ip=ctx.ip, device_id=ctx.device_id, email=email))
    audit.record(db, ctx, "newsletter.unsubscribe", user_id=row.user_id,
                 object_type="newsletter", object_id=row.topic,
                 summary=f"тема {topics.title(row.topic, 'ru')}"
                 + (", по ссылке из письма" if source == LINK_SOURCE else ""))


def _topic_out(topic: str, row: NewsletterSubscriber | None, email: str, lang: str
               ) -> nl.TopicOut:
    text = topics.consent_text(topic, email, lang)
    return nl.TopicOut(
        topic=topic,  # type: ignore[arg-type]
        title=topics.title(topic, lang), description=topics.description(topic, lang),
        consent_text_id=text.id, consent_text=text.text, consent_text_sha256=text.sha256,
        subscribed=bool(row and row.active),
        subscribed_at=row.subscribed_at if row else None,
        unsubscribed_at=row.unsubscribed_at if row else None,
    )
