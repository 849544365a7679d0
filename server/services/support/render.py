"""Provides how support objects go on the wire: requests with their conversation and
grants, callbacks with their window said back in the user's zone."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contract import support as sp
from server.db.models import Organisation, User
from server.db.models.support import SupportCallback, SupportGrant, SupportMessage, SupportTicket
from server.i18n import text


def topic_name(code: str, lang: str) -> str:
    return text(f"support.topic.{code}", lang)


def subject_of(body: str) -> str:
    """The text's first non-empty line, at most 80 characters (cut with «…»)."""
    line = next((ln.strip() for ln in body.splitlines() if ln.strip()), "")
    return line if len(line) <= 80 else line[:79] + "…"


def context_json(context: sp.Context | None) -> str | None:
    if context is None or not context.items():
        return None
    return json.dumps(dict(context.items()), ensure_ascii=False, sort_keys=True)


def context_of(raw: str | None) -> sp.Context | None:
    if not raw:
        return None
    return sp.Context.model_validate(json.loads(raw))


def live(grant: SupportGrant, now: datetime) -> bool:
    return grant.revoked_at is None and grant.expires_at > now


def local_window(start: datetime, end: datetime, zone: str) -> str:
    """«05.03.2026 10:00–12:00 (Europe/Moscow)»: the window in the user's zone."""
    tz = ZoneInfo(zone)
    a, b = start.astimezone(tz), end.astimezone(tz)
    tail = f"{b:%H:%M}" if a.date() == b.date() else f"{b:%d.%m.%Y %H:%M}"
    return f"{a:%d.%m.%Y %H:%M}–{tail} ({zone})"


class Renderer:
    """Looks up e-mails and organisation names once per answer."""

    def __init__(self, db: Session, lang: str, now: datetime, *, agent: bool) -> None:
        self.db, self.lang, self.now, self.agent = db, lang, now, agent
        self.emails: dict[str, str] = {}
        self.orgs: dict[str, str] = {}

    def _load(self, users: set[str | None], orgs: set[str | None]) -> None:
        users = {u for u in users if u} - self.emails.keys()
        if users:
            self.emails.update(self.db.execute(
                select(User.id, User.email).where(User.id.in_(users))).all())
        orgs = {o for o in orgs if o} - self.orgs.keys()
        if orgs:
            self.orgs.update(self.db.execute(
                select(Organisation.id, Organisation.short_name)
                .where(Organisation.id.in_(orgs))).all())

    def grant(self, g: SupportGrant) -> sp.GrantOut:
        self._load(set(), {g.org_id})
        return sp.GrantOut(id=g.id, request_id=g.ticket_id, org_id=g.org_id,
                           org_short_name=self.orgs.get(g.org_id, ""), created_at=g.created_at,
                           expires_at=g.expires_at, revoked_at=g.revoked_at,
                           live=live(g, self.now))

    def message(self, msg: SupportMessage) -> sp.MessageOut:
        if msg.from_support:
            name = text("support.author", self.lang)
            if self.agent and msg.author_id:
                name = f"{name} ({self.emails.get(msg.author_id, '—')})"
        else:
            name = self.emails.get(msg.author_id or "", "—")
        return sp.MessageOut(id=msg.id, from_support=msg.from_support, author=name,
                             text=msg.text, created_at=msg.created_at)

    def ticket(self, t: SupportTicket, *, full: bool = False) -> sp.RequestOut:
        messages: list[SupportMessage] = []
        grants: list[SupportGrant] = []
        if full:
            messages = list(self.db.scalars(select(SupportMessage).where(
                SupportMessage.ticket_id == t.id).order_by(SupportMessage.id)))
            grants = list(self.db.scalars(select(SupportGrant).where(
                SupportGrant.ticket_id == t.id).order_by(SupportGrant.created_at)))
        self._load({t.user_id, *(m.author_id for m in messages)},
                   {t.org_id, *(g.org_id for g in grants)})
        return sp.RequestOut(
            id=t.id, topic=t.topic, topic_name=topic_name(t.topic, self.lang),
            subject=t.subject, status=t.status,  # type: ignore[arg-type]
            user_email=self.emails.get(t.user_id, "—"), org_id=t.org_id,
            org_short_name=self.orgs.get(t.org_id) if t.org_id else None,
            context=context_of(t.context), created_at=t.created_at, updated_at=t.updated_at,
            closed_at=t.closed_at, messages=[self.message(m) for m in messages],
            grants=[self.grant(g) for g in grants],
        )

    def callback(self, c: SupportCallback) -> sp.CallbackOut:
        self._load({c.user_id}, set())
        return sp.CallbackOut(
            id=c.id, phone=c.phone, topic=c.topic, topic_name=topic_name(c.topic, self.lang),
            status=c.status,  # type: ignore[arg-type]
            user_email=self.emails.get(c.user_id, "—"), org_id=c.org_id,
            window_start=c.window_start, window_end=c.window_end, timezone=c.timezone,
            local_window=local_window(c.window_start, c.window_end, c.timezone),
            created_at=c.created_at, done_at=c.done_at,
        )
