"""Provides the organisation use cases: requisites, the team, invitations, the audit log.

Every function here is called through ``server.api.orgs.require``, which has
already checked that the caller is an active member with the right permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import contract as m
from server import i18n
from server.config import Settings
from server.db.models import (
    AuditEvent,
    BankAccount,
    Device,
    Invitation,
    Membership,
    Organisation,
    PaymentOrder,
    User,
)
from server.domain.roles import ROLE_PERMS, Role, can_manage_team, sees_team_contacts
from server.services import audit, outbox, ratelimit
from server.services.context import Ctx, OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import ensure_chart
from server.services.notifications import notify
from server.services.paging import decode_cursor, encode_cursor
from server.services.tokens import human_digest, human_token

INVITATION_TTL = timedelta(days=7)
REGIME_NAMES = {"usn_income": "УСН 6 %", "usn_income_expense": "УСН 15 %", "osno": "ОСНО"}


def quoted(name: str, lang: str) -> str:
    """An organisation's name in a sentence: ``Ромашка`` → «Ромашка», but ``ООО «Ромашка»``
    as it is (a name with quotes of its own is never quoted twice)."""
    if any(q in name for q in "«»\"“”„"):
        return name
    return f"“{name}”" if lang == "en" else f"«{name}»"


def _rate_bp(rate: Decimal | None) -> int | None:
    return None if rate is None else int(rate * 100)


def _rate(bp: int | None) -> Decimal | None:
    return None if bp is None else (Decimal(bp) / 100).normalize()


def _summary(org: Organisation, accounts: list[BankAccount]) -> str:
    """A short, comparable line of the requisites for the audit log."""
    banks = ", ".join(f"{a.bik}/{a.account}" for a in accounts)
    return (
        f"{org.short_name}; ИНН {org.inn}; КПП {org.kpp or '—'}; ОГРН {org.ogrn}; "
        f"{REGIME_NAMES.get(org.tax_regime, org.tax_regime)}"
        f"{'' if org.usn_rate_bp is None else f' ({_rate(org.usn_rate_bp)} %)'}; "
        f"{audit.vat_name(org.vat_mode)}; счета: {banks or '—'}"
    )


def _fields(org: Organisation, accounts: list[BankAccount]) -> dict[str, str]:
    """The requisites as the audit log compares them (before and after an edit)."""
    return {
        "вид": audit.KIND_NAMES.get(org.kind, org.kind),
        "полное наименование": org.full_name,
        "краткое наименование": org.short_name,
        "ИНН": org.inn,
        "КПП": org.kpp or "",
        "ОГРН": org.ogrn,
        "адрес": org.address,
        "руководитель": org.director,
        "главный бухгалтер": org.chief_accountant or "",
        "налоги": REGIME_NAMES.get(org.tax_regime, org.tax_regime),
        "ставка УСН": "" if org.usn_rate_bp is None else f"{_rate(org.usn_rate_bp)} %",
        "НДС": audit.vat_name(org.vat_mode),
        "счета": ", ".join(f"{a.bik}/{a.account}" for a in accounts),
    }


def _apply(org: Organisation, data: m.OrgIn) -> None:
    org.kind = data.kind
    org.full_name = data.full_name
    org.short_name = data.short_name
    org.inn = data.inn
    org.kpp = data.kpp
    org.ogrn = data.ogrn
    org.address = data.address
    org.director = data.director
    org.chief_accountant = (data.chief_accountant or "").strip() or None
    org.tax_regime = data.tax_regime
    org.usn_rate_bp = _rate_bp(data.usn_rate)
    org.vat_mode = data.vat_mode


def _replace_accounts(db: Session, org_id: str, accounts: list[m.BankAccountIn]) -> None:
    """Make the organisation's bank accounts the typed list, IN PLACE: a typed account whose
    number is already stored updates that row (БИК, к/с, bank, position) and keeps its id —
    payment orders reference it (``fk_payment_orders_bank_account``), so a row is never
    deleted and inserted again; a new number is inserted; a stored account no longer typed
    is deleted unless a payment order references it (409 ``orgs.bank_account_in_use``
    naming the account). The caller holds the organisation's row lock."""
    seen: set[str] = set()
    for position, acc in enumerate(accounts):
        if acc.account in seen:
            raise ServiceError(422, "orgs.bank_account_twice",
                               params={"field": f"bank_accounts.{position}.account",
                                       "account": acc.account})
        seen.add(acc.account)
    stored: dict[str, BankAccount] = {}
    gone: list[BankAccount] = []
    for a in _accounts(db, org_id):
        if a.account in seen and a.account not in stored:
            stored[a.account] = a
        else:  # no longer typed (or a stored duplicate of a number)
            gone.append(a)
    if gone:
        used = db.scalar(select(PaymentOrder.bank_account_id).where(
            PaymentOrder.bank_account_id.in_([a.id for a in gone])).limit(1))
        if used is not None:
            number = next(a.account for a in gone if a.id == used)
            raise ServiceError(409, "orgs.bank_account_in_use",
                               params={"field": "bank_accounts", "account": number})
        for a in gone:
            db.delete(a)
        db.flush()
    for position, acc in enumerate(accounts):
        row = stored.get(acc.account)
        if row is None:
            db.add(BankAccount(org_id=org_id, position=position, bik=acc.bik,
                               account=acc.account, corr_account=acc.corr_account,
                               bank_name=acc.bank_name))
        else:
            row.position, row.bik = position, acc.bik
            row.corr_account, row.bank_name = acc.corr_account, acc.bank_name
    db.flush()


def _accounts(db: Session, org_id: str) -> list[BankAccount]:
    return list(
        db.scalars(
            select(BankAccount).where(BankAccount.org_id == org_id).order_by(BankAccount.position)
        )
    )


def _org_out(db: Session, org: Organisation, role: str) -> m.Org:
    return m.Org.model_construct(
        id=org.id,
        kind=org.kind,
        full_name=org.full_name,
        short_name=org.short_name,
        inn=org.inn,
        kpp=org.kpp,
        ogrn=org.ogrn,
        address=org.address,
        director=org.director,
        chief_accountant=org.chief_accountant,
        tax_regime=org.tax_regime,
        usn_rate=_rate(org.usn_rate_bp),
        vat_mode=org.vat_mode,
        bank_accounts=[
            m.BankAccountOut.model_construct(
                id=a.id, bik=a.bik, account=a.account, corr_account=a.corr_account,
                bank_name=a.bank_name,
            )
            for a in _accounts(db, org.id)
        ],
        role=role,
        created_at=org.created_at,
    )


def mask_email(email: str) -> str:
    """``ivan@example.ru`` → ``i…@example.ru``: who it is, for a colleague who knows the
    team, without an address to write to."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


@dataclass
class Orgs:
    settings: Settings

    # --- organisations --------------------------------------------------------

    def create(self, db: Session, ctx: Ctx, data: m.OrgIn) -> m.Org:
        assert ctx.user_id is not None
        with db.begin():
            org = Organisation(created_at=ctx.now, updated_at=ctx.now)
            _apply(org, data)
            db.add(org)
            db.flush()
            _replace_accounts(db, org.id, data.bank_accounts)
            ensure_chart(db, org.id)
            db.add(Membership(org_id=org.id, user_id=ctx.user_id, role=Role.ACCOUNTANT,
                              status="active", created_at=ctx.now))
            db.flush()
            audit.record(db, ctx, "org.create", org_id=org.id, object_type="org",
                         object_id=org.id, summary=f"после: {_summary(org, _accounts(db, org.id))}")
            self._use(db, ctx, org.id)
            return _org_out(db, org, Role.ACCOUNTANT)

    def list_mine(self, db: Session, ctx: Ctx) -> m.OrgList:
        with db.begin():
            device = db.get(Device, ctx.device_id) if ctx.device_id else None
            last = device.last_org_id if device else None
            rows = db.execute(
                select(Organisation, Membership)
                .join(Membership, Membership.org_id == Organisation.id)
                .where(Membership.user_id == ctx.user_id)
                .order_by(Organisation.short_name)
                .limit(500)
            ).all()
            return m.OrgList(
                items=[
                    m.OrgSummary(
                        id=o.id, short_name=o.short_name, inn=o.inn, kind=o.kind,
                        role=ms.role, status=ms.status, last_used=o.id == last,
                        permissions=sorted(ROLE_PERMS[Role(ms.role)]),
                    )
                    for o, ms in rows
                ]
            )

    def get(self, db: Session, oc: OrgCtx) -> m.Org:
        with db.begin():
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            return _org_out(db, org, oc.role)

    def update(self, db: Session, oc: OrgCtx, data: m.OrgIn) -> m.Org:
        with db.begin():
            org = db.get(Organisation, oc.org_id, with_for_update=True)
            assert org is not None
            before = _fields(org, _accounts(db, org.id))
            _apply(org, data)
            org.updated_at = oc.ctx.now
            _replace_accounts(db, org.id, data.bank_accounts)
            db.flush()
            after = _fields(org, _accounts(db, org.id))
            audit.record(db, oc.ctx, "org.update", org_id=org.id, object_type="org",
                         object_id=org.id, summary=audit.changes(before, after))
            return _org_out(db, org, oc.role)

    def use(self, db: Session, oc: OrgCtx) -> None:
        with db.begin():
            self._use(db, oc.ctx, oc.org_id)

    def _use(self, db: Session, ctx: Ctx, org_id: str) -> None:
        device = db.get(Device, ctx.device_id) if ctx.device_id else None
        if device is not None:
            device.last_org_id = org_id

    # --- team -----------------------------------------------------------------

    def team(self, db: Session, oc: OrgCtx) -> m.Team:
        with db.begin():
            members = db.execute(
                select(Membership, User)
                .join(User, User.id == Membership.user_id)
                .where(Membership.org_id == oc.org_id)
                .order_by(User.email)
            ).all()
            invitations = db.scalars(
                select(Invitation)
                .where(
                    Invitation.org_id == oc.org_id,
                    Invitation.accepted_at.is_(None),
                    Invitation.revoked_at.is_(None),
                    Invitation.expires_at > oc.ctx.now,
                )
                .order_by(Invitation.created_at.desc())
            ).all()
            # An observer needs to know who is on the team and in what role, not how to
            # reach them: the others' addresses masked, no pending invitations.
            contacts = sees_team_contacts(oc.role)
            return m.Team(
                members=[
                    m.Member(user_id=u.id,
                             email=u.email if contacts or u.id == oc.user_id
                             else mask_email(u.email),
                             role=ms.role, status=ms.status,
                             joined_at=ms.created_at, you=u.id == oc.user_id)
                    for ms, u in members
                ],
                invitations=[
                    m.InvitationOut(id=i.id, email=i.email, role=i.role,
                                    created_at=i.created_at, expires_at=i.expires_at)
                    for i in invitations
                ] if contacts else [],
            )

    def invite(self, db: Session, oc: OrgCtx, data: m.InviteIn) -> m.InvitationOut:
        with db.begin():
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            member = db.execute(
                select(Membership)
                .join(User, User.id == Membership.user_id)
                .where(Membership.org_id == oc.org_id, User.email == data.email)
            ).first()
            if member is not None:
                raise ServiceError(409, "team.already_member")
            token = human_token()
            invitation = Invitation(
                org_id=oc.org_id, email=data.email, role=data.role,
                token_hash=human_digest(token), invited_by=oc.user_id,
                created_at=oc.ctx.now, expires_at=oc.ctx.now + INVITATION_TTL,
            )
            db.add(invitation)
            db.flush()
            outbox.enqueue_email(
                db,
                data.email,
                i18n.text("msg.invite.subject", oc.ctx.lang,
                          org=quoted(org.short_name, oc.ctx.lang)),
                i18n.text("msg.invite.body", oc.ctx.lang,
                          org=quoted(org.short_name, oc.ctx.lang),
                          role=i18n.text(f"role.{data.role}", oc.ctx.lang), token=token,
                          days=INVITATION_TTL.days),
            )
            audit.record(db, oc.ctx, "team.invite", org_id=oc.org_id, object_type="invitation",
                         object_id=invitation.id,
                         summary=f"{data.email}: {audit.role_name(data.role)}")
            return m.InvitationOut(id=invitation.id, email=invitation.email,
                                   role=invitation.role, created_at=invitation.created_at,
                                   expires_at=invitation.expires_at)

    def revoke_invitation(self, db: Session, oc: OrgCtx, invitation_id: str) -> None:
        with db.begin():
            inv = db.get(Invitation, invitation_id)
            if inv is None or inv.org_id != oc.org_id:
                raise ServiceError(404, "team.invitation_not_found")
            if inv.revoked_at is None and inv.accepted_at is None:
                inv.revoked_at = oc.ctx.now
                audit.record(db, oc.ctx, "team.invitation_revoke", org_id=oc.org_id,
                             object_type="invitation", object_id=inv.id, summary=inv.email)

    def accept(self, db: Session, ctx: Ctx, token: str) -> m.Joined:
        """The invitee (signed in with the invited address) joins with the role offered.

        Wrong codes count against the caller's address like the e-mailed codes do. The try
        is counted with the check, before the code is looked at (so parallel tries cannot
        all pass one check), and given back unless the code was wrong.
        """
        bucket = f"token-ip:{ctx.ip}"
        with db.begin():
            hit = ratelimit.take(db, bucket, self.settings.token_failures_per_ip, 3600, ctx.now)
        try:
            joined = self._accept(db, ctx, token)
        except ServiceError as exc:
            if exc.code not in ("team.invitation_invalid", "team.invitation_expired"):
                with db.begin():
                    ratelimit.refund(db, [hit])
            raise
        with db.begin():
            ratelimit.refund(db, [hit])
        return joined

    def _accept(self, db: Session, ctx: Ctx, token: str) -> m.Joined:
        with db.begin():
            inv = db.scalars(
                select(Invitation)
                .where(Invitation.token_hash == human_digest(token))
                .with_for_update()
            ).first()
            user = db.get(User, ctx.user_id)
            assert user is not None
            if inv is None or inv.accepted_at is not None or inv.revoked_at is not None:
                raise ServiceError(400, "team.invitation_invalid")
            if inv.expires_at <= ctx.now:
                raise ServiceError(400, "team.invitation_expired")
            if inv.email != user.email:
                raise ServiceError(403, "team.invitation_other_email")
            existing = db.get(Membership, (inv.org_id, user.id))
            if existing is not None:
                raise ServiceError(409, "team.already_member")
            inv.accepted_at = ctx.now
            inv.accepted_by = user.id
            db.add(Membership(org_id=inv.org_id, user_id=user.id, role=inv.role,
                              status="active", created_at=ctx.now))
            audit.record(db, ctx, "team.join", org_id=inv.org_id, object_type="member",
                         object_id=user.id, summary=f"{user.email}: {audit.role_name(inv.role)}")
            org = db.get(Organisation, inv.org_id)
            notify(db, inv.org_id, [inv.invited_by], "invitation_accepted", ("member", user.id),
                   {"email": user.email, "org": org.short_name if org else ""}, now=ctx.now)
            return m.Joined(org_id=inv.org_id, role=inv.role)

    def _managers_left(self, db: Session, org_id: str, without: str) -> int:
        rows = db.scalars(
            select(Membership).where(
                Membership.org_id == org_id,
                Membership.status == "active",
                Membership.user_id != without,
            )
        ).all()
        return sum(1 for r in rows if can_manage_team(r.role))

    def change_member(
        self, db: Session, oc: OrgCtx, user_id: str, patch: m.MemberPatch
    ) -> m.Member:
        with db.begin():
            ms = db.get(Membership, (oc.org_id, user_id), with_for_update=True)
            if ms is None:
                raise ServiceError(404, "team.member_not_found")
            user = db.get(User, user_id)
            assert user is not None
            before = audit.member_state(ms.role, ms.status)
            new_role = patch.role or ms.role
            new_status = patch.status or ms.status
            loses_management = can_manage_team(ms.role) and ms.status == "active" and (
                not can_manage_team(new_role) or new_status != "active"
            )
            if loses_management and self._managers_left(db, oc.org_id, user_id) == 0:
                raise ServiceError(409, "team.last_manager")
            ms.role, ms.status = new_role, new_status
            audit.record(db, oc.ctx, "team.change", org_id=oc.org_id, object_type="member",
                         object_id=user_id,
                         summary=f"{user.email}: {before} → "
                                 f"{audit.member_state(ms.role, ms.status)}")
            return m.Member(user_id=user_id, email=user.email, role=ms.role, status=ms.status,
                            joined_at=ms.created_at, you=user_id == oc.user_id)

    def remove_member(self, db: Session, oc: OrgCtx, user_id: str) -> None:
        with db.begin():
            ms = db.get(Membership, (oc.org_id, user_id), with_for_update=True)
            if ms is None:
                raise ServiceError(404, "team.member_not_found")
            if (
                can_manage_team(ms.role)
                and ms.status == "active"
                and self._managers_left(db, oc.org_id, user_id) == 0
            ):
                raise ServiceError(409, "team.last_manager")
            user = db.get(User, user_id)
            db.delete(ms)
            audit.record(db, oc.ctx, "team.remove", org_id=oc.org_id, object_type="member",
                         object_id=user_id,
                         summary=f"{user.email if user else user_id}: "
                                 f"{audit.member_state(ms.role, ms.status)}")

    # --- audit log --------------------------------------------------------------

    def audit_page(
        self,
        db: Session,
        oc: OrgCtx,
        *,
        user_email: str | None,
        object_type: str | None,
        date_from: datetime | None,
        date_to: datetime | None,
        cursor: str | None,
        limit: int,
    ) -> m.AuditPage:
        query = (
            select(AuditEvent, User.email, Device.name)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .outerjoin(Device, Device.id == AuditEvent.device_id)
            .where(AuditEvent.org_id == oc.org_id)
        )
        if user_email:
            query = query.where(func.lower(User.email).contains(user_email.lower()))
        if object_type:
            query = query.where(AuditEvent.object_type == object_type)
        if date_from:
            query = query.where(AuditEvent.created_at >= date_from)
        if date_to:
            query = query.where(AuditEvent.created_at < date_to)
        if cursor:
            query = query.where(AuditEvent.id < decode_cursor(cursor))
        with db.begin():
            rows = db.execute(query.order_by(AuditEvent.id.desc()).limit(limit + 1)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        return m.AuditPage(
            items=[
                m.AuditEntry(id=e.id, created_at=e.created_at, user_email=email,
                             device_name=device, action=e.action, object_type=e.object_type,
                             object_id=e.object_id, outcome=e.outcome, summary=e.summary)
                for e, email, device in rows
            ],
            next_cursor=encode_cursor(rows[-1][0].id) if more and rows else None,
        )

