"""Provides ``Support``: the use cases of the support centre, each owning its transaction.

Rules kept here, whatever the client sends:
- a request belongs to its author; another user (a stranger or a colleague) gets 404;
- statuses: a new request is ``new``; an agent's reply makes it ``waiting_user`` (and
  the user hears of it: a ``support_reply`` notification through the notifications
  service, in-app and by the user's channels); the user's reply makes a waiting one
  ``in_progress``; either side closes it, and a closed request takes no message, no grant;
- limits per user (``server.services.ratelimit``, counted with the write): requests and
  messages per hour, callbacks per day; 429 ``support.rate_limited`` with Retry-After;
- the organisation named must be one the user is an active member of (404 naming
  ``org_id``);
- a read access is granted by a member whose own role reads at least what support will
  (an observer's rights: the card, the team, the books; never pay), for 1–168 hours;
  granting, revoking and every read under it are in the organisation's activity log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contract import support as sp
from server.config import Settings
from server.db.models import Membership, User
from server.db.models.support import SupportAgent, SupportGrant, SupportMessage, SupportTicket
from server.db.types import utcnow
from server.domain.roles import ROLE_PERMS, Role
from server.i18n import text
from server.services import audit, ratelimit
from server.services.context import Ctx
from server.services.errors import ServiceError
from server.services.paging import decode_cursor, encode_cursor
from server.services.support import callbacks, render
from server.services.support.render import Renderer

AUDIT_LANG = "ru"
SUPPORT_PERMS = ROLE_PERMS[Role.OBSERVER]
"""What a live grant lets support read: an observer's rights."""


def notify_reply(db: Session, ticket: SupportTicket, agent_id: str) -> None:
    """The user hears of the agent's reply: in-app and by their channels."""
    from server.services.notifications import notify

    notify(db, ticket.org_id, [ticket.user_id], "support_reply",
           ("support_ticket", str(ticket.id)), {"subject": ticket.subject,
                                                "number": ticket.id}, by=agent_id)


class Support:
    def __init__(self, settings: Settings, clock: Callable[[], datetime] = utcnow) -> None:
        self.settings = settings
        self.clock = clock

    # --- contacts and the agents' role -------------------------------------------------

    def info(self, lang: str) -> sp.SupportInfo:
        s = self.settings
        return sp.SupportInfo(
            phone=s.support_phone, hours=s.support_hours, email=s.support_email,
            topics=[sp.TopicOut(code=c, name=render.topic_name(c, lang)) for c in sp.TOPICS],
            attach_kinds=list(sp.ATTACH_KINDS), max_text=sp.MAX_TEXT,
            grant_hours=s.support_grant_hours,
        )

    @staticmethod
    def is_agent(db: Session, user_id: str) -> bool:
        return db.get(SupportAgent, user_id) is not None

    def require_agent(self, db: Session, user_id: str) -> None:
        with db.begin():
            if not self.is_agent(db, user_id):
                raise ServiceError(403, "support.agents_only")

    def make_agent(self, db: Session, email: str, by: str, *, revoke: bool = False) -> str:
        """``buhta-server support grant EMAIL`` (or ``revoke``): the user's id."""
        with db.begin():
            user = db.scalar(select(User).where(User.email == email.strip().lower()))
            if user is None:
                raise ServiceError(404, "support.user_not_found")
            agent = db.get(SupportAgent, user.id)
            if revoke and agent is not None:
                db.delete(agent)
            elif not revoke and agent is None:
                db.add(SupportAgent(user_id=user.id, granted_at=self.clock(), granted_by=by))
            return user.id

    # --- the user's requests -----------------------------------------------------------

    def _member(self, db: Session, user_id: str, org_id: str | None) -> Membership | None:
        if org_id is None:
            return None
        ms = db.get(Membership, (org_id, user_id))
        if ms is None or ms.status != "active":
            raise ServiceError(404, "support.org_not_found", params={"field": "org_id"})
        return ms

    def _own(self, db: Session, user_id: str, ticket_id: int) -> SupportTicket:
        ticket = db.get(SupportTicket, ticket_id)
        if ticket is None or ticket.user_id != user_id:
            raise ServiceError(404, "support.not_found")
        return ticket

    def _limit(self, db: Session, bucket: str, limit: int, window_s: int) -> None:
        ratelimit.take(db, bucket, limit, window_s, self.clock(), code="support.rate_limited")

    def create(self, db: Session, ctx: Ctx, user_id: str, body: sp.RequestIn) -> sp.RequestOut:
        now = self.clock()
        with db.begin():
            self._member(db, user_id, body.org_id)
            self._limit(db, f"support.request:{user_id}",
                        self.settings.support_requests_per_hour, 3600)
            ticket = SupportTicket(
                user_id=user_id, org_id=body.org_id, topic=body.topic,
                subject=render.subject_of(body.text), status="new",
                context=render.context_json(body.context), created_at=now, updated_at=now)
            db.add(ticket)
            db.flush()
            db.add(SupportMessage(ticket_id=ticket.id, author_id=user_id, from_support=False,
                                  text=body.text, created_at=now))
            db.flush()
            return Renderer(db, ctx.lang, now, agent=False).ticket(ticket, full=True)

    def mine(self, db: Session, ctx: Ctx, user_id: str, *, open_only: bool = False,
             cursor: str | None = None, limit: int = 30) -> sp.RequestPage:
        with db.begin():
            query = select(SupportTicket).where(SupportTicket.user_id == user_id)
            if open_only:
                query = query.where(SupportTicket.status.in_(sp.OPEN_STATUSES))
            if cursor:
                query = query.where(SupportTicket.id < decode_cursor(cursor))
            found = list(db.scalars(query.order_by(SupportTicket.id.desc()).limit(limit + 1)))
            view = Renderer(db, ctx.lang, self.clock(), agent=False)
            items = [view.ticket(t) for t in found[:limit]]
            more = len(found) > limit
            return sp.RequestPage(items=items,
                                  next_cursor=encode_cursor(found[limit - 1].id) if more else None)

    def get(self, db: Session, ctx: Ctx, user_id: str, ticket_id: int) -> sp.RequestOut:
        with db.begin():
            ticket = self._own(db, user_id, ticket_id)
            return Renderer(db, ctx.lang, self.clock(), agent=False).ticket(ticket, full=True)

    def _message(self, db: Session, ticket: SupportTicket, author_id: str, body: sp.MessageIn,
                 *, from_support: bool) -> None:
        if ticket.status == "closed":
            raise ServiceError(409, "support.closed")
        self._limit(db, f"support.message:{author_id}",
                    self.settings.support_messages_per_hour, 3600)
        now = self.clock()
        db.add(SupportMessage(ticket_id=ticket.id, author_id=author_id,
                              from_support=from_support, text=body.text, created_at=now))
        if from_support:
            ticket.status = "waiting_user"
        elif ticket.status == "waiting_user":
            ticket.status = "in_progress"
        ticket.updated_at = now
        db.flush()

    def reply(self, db: Session, ctx: Ctx, user_id: str, ticket_id: int,
              body: sp.MessageIn) -> sp.RequestOut:
        with db.begin():
            ticket = self._own(db, user_id, ticket_id)
            self._message(db, ticket, user_id, body, from_support=False)
            return Renderer(db, ctx.lang, self.clock(), agent=False).ticket(ticket, full=True)

    def _close(self, db: Session, ctx: Ctx, ticket: SupportTicket) -> None:
        now = self.clock()
        if ticket.status != "closed":
            ticket.status, ticket.closed_at, ticket.updated_at = "closed", now, now
        for grant in db.scalars(select(SupportGrant).where(
                SupportGrant.ticket_id == ticket.id, SupportGrant.revoked_at.is_(None),
                SupportGrant.expires_at > now)):
            self._revoke(db, ctx, grant, now)
        db.flush()

    def close(self, db: Session, ctx: Ctx, user_id: str, ticket_id: int) -> sp.RequestOut:
        with db.begin():
            ticket = self._own(db, user_id, ticket_id)
            self._close(db, ctx, ticket)
            return Renderer(db, ctx.lang, self.clock(), agent=False).ticket(ticket, full=True)

    # --- read access granted to support ------------------------------------------------

    def grant(self, db: Session, ctx: Ctx, user_id: str, ticket_id: int,
              body: sp.GrantIn) -> sp.GrantOut:
        now = self.clock()
        with db.begin():
            ticket = self._own(db, user_id, ticket_id)
            if ticket.status == "closed":
                raise ServiceError(409, "support.closed")
            org_id = body.org_id or ticket.org_id
            if org_id is None:
                raise ServiceError(422, "support.grant_no_org", params={"field": "org_id"})
            member = self._member(db, user_id, org_id)
            assert member is not None
            if not SUPPORT_PERMS <= ROLE_PERMS[Role(member.role)]:
                raise ServiceError(403, "support.grant_forbidden",
                                   params={"role": audit.role_name(member.role)})
            for old in db.scalars(select(SupportGrant).where(
                    SupportGrant.ticket_id == ticket.id, SupportGrant.org_id == org_id,
                    SupportGrant.revoked_at.is_(None), SupportGrant.expires_at > now)):
                old.revoked_at = now  # replaced by the new one
            hours = body.hours or self.settings.support_grant_hours
            grant = SupportGrant(ticket_id=ticket.id, org_id=org_id, granted_by=user_id,
                                 created_at=now, expires_at=now + timedelta(hours=hours))
            db.add(grant)
            db.flush()
            audit.record(db, ctx, "support.grant", org_id=org_id, object_type="support_grant",
                         object_id=grant.id, summary=text(
                             "audit.support_grant", AUDIT_LANG, number=ticket.id,
                             until=f"{grant.expires_at.astimezone(UTC):%d.%m.%Y %H:%M}"))
            return Renderer(db, ctx.lang, now, agent=False).grant(grant)

    def _revoke(self, db: Session, ctx: Ctx, grant: SupportGrant, now: datetime) -> None:
        grant.revoked_at = now
        audit.record(db, ctx, "support.revoke", org_id=grant.org_id,
                     object_type="support_grant", object_id=grant.id,
                     summary=text("audit.support_revoke", AUDIT_LANG, number=grant.ticket_id))

    def revoke(self, db: Session, ctx: Ctx, user_id: str, ticket_id: int,
               grant_id: str) -> sp.GrantOut:
        now = self.clock()
        with db.begin():
            ticket = self._own(db, user_id, ticket_id)
            grant = db.get(SupportGrant, grant_id)
            if grant is None or grant.ticket_id != ticket.id:
                raise ServiceError(404, "support.grant_not_found")
            if render.live(grant, now):
                self._revoke(db, ctx, grant, now)
                db.flush()
            return Renderer(db, ctx.lang, now, agent=False).grant(grant)

    def live_grant(self, db: Session, agent_id: str, org_id: str) -> SupportGrant | None:
        """The live grant that lets agent ``agent_id`` read ``org_id`` now (inside the
        caller's transaction), or None (not an agent, no grant, expired, revoked)."""
        if not self.is_agent(db, agent_id):
            return None
        return db.scalar(
            select(SupportGrant).join(SupportTicket, SupportTicket.id == SupportGrant.ticket_id)
            .where(SupportGrant.org_id == org_id, SupportGrant.revoked_at.is_(None),
                   SupportGrant.expires_at > self.clock(), SupportTicket.status != "closed")
            .order_by(SupportGrant.expires_at.desc()).limit(1))

    # --- the agents' side --------------------------------------------------------------

    def queue(self, db: Session, ctx: Ctx, statuses: Iterable[str] = (), *,
              cursor: str | None = None, limit: int = 50) -> sp.RequestPage:
        """Requests by number, oldest first (default: the open ones)."""
        wanted = list(dict.fromkeys(statuses)) or list(sp.OPEN_STATUSES)
        with db.begin():
            query = select(SupportTicket).where(SupportTicket.status.in_(wanted))
            if cursor:
                query = query.where(SupportTicket.id > decode_cursor(cursor))
            found = list(db.scalars(query.order_by(SupportTicket.id).limit(limit + 1)))
            view = Renderer(db, ctx.lang, self.clock(), agent=True)
            more = len(found) > limit
            return sp.RequestPage(items=[view.ticket(t) for t in found[:limit]],
                                  next_cursor=encode_cursor(found[limit - 1].id) if more else None)

    def _ticket(self, db: Session, ticket_id: int) -> SupportTicket:
        ticket = db.get(SupportTicket, ticket_id)
        if ticket is None:
            raise ServiceError(404, "support.not_found")
        return ticket

    def show(self, db: Session, ctx: Ctx, ticket_id: int) -> sp.RequestOut:
        with db.begin():
            return Renderer(db, ctx.lang, self.clock(), agent=True).ticket(
                self._ticket(db, ticket_id), full=True)

    def answer(self, db: Session, ctx: Ctx, agent_id: str, ticket_id: int,
               body: sp.MessageIn) -> sp.RequestOut:
        with db.begin():
            ticket = self._ticket(db, ticket_id)
            self._message(db, ticket, agent_id, body, from_support=True)
            notify_reply(db, ticket, agent_id)
            return Renderer(db, ctx.lang, self.clock(), agent=True).ticket(ticket, full=True)

    def agent_close(self, db: Session, ctx: Ctx, ticket_id: int) -> sp.RequestOut:
        with db.begin():
            ticket = self._ticket(db, ticket_id)
            self._close(db, ctx, ticket)
            return Renderer(db, ctx.lang, self.clock(), agent=True).ticket(ticket, full=True)

    # --- callbacks (server.services.support.callbacks) ---------------------------------

    def order_callback(self, db: Session, ctx: Ctx, user_id: str,
                       body: sp.CallbackIn) -> sp.CallbackOut:
        with db.begin():
            self._member(db, user_id, body.org_id)
            self._limit(db, f"support.callback:{user_id}",
                        self.settings.support_callbacks_per_day, 86400)
            row = callbacks.order(db, user_id, body, self.clock())
            return Renderer(db, ctx.lang, self.clock(), agent=False).callback(row)

    def my_callbacks(self, db: Session, ctx: Ctx, user_id: str) -> sp.CallbackList:
        with db.begin():
            view = Renderer(db, ctx.lang, self.clock(), agent=False)
            return sp.CallbackList(items=[view.callback(c)
                                          for c in callbacks.of_user(db, user_id)])

    def callbacks_due(self, db: Session, ctx: Ctx, *, due: bool = True,
                      limit: int = 100) -> sp.CallbackList:
        with db.begin():
            view = Renderer(db, ctx.lang, self.clock(), agent=True)
            rows = callbacks.open_ones(db, self.clock() if due else None, limit)
            return sp.CallbackList(items=[view.callback(c) for c in rows])

    def callback_done(self, db: Session, ctx: Ctx, agent_id: str,
                      callback_id: str) -> sp.CallbackOut:
        with db.begin():
            row = callbacks.done(db, callback_id, agent_id, self.clock())
            return Renderer(db, ctx.lang, self.clock(), agent=True).callback(row)
