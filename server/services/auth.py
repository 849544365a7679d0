"""Provides the identity use cases: registration, confirmation, login, tokens, recovery.

Each public function is one action with one transaction (``with db.begin()``).
No account enumeration: a failed login, a recovery request and a registration
with a taken e-mail give the same status and body for known and unknown
addresses, spend the same argon2 time and count against the same rate limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import contract as m
from core.validation import InvalidInput
from server import i18n
from server.config import Settings
from server.db.models import Device, EmailToken, IdempotencyRecord, SmsCode, User
from server.domain.passwords import Hasher, check_password
from server.services import audit, outbox, ratelimit
from server.services.context import Ctx
from server.services.errors import ServiceError
from server.services.notifications import notify
from server.services.tokens import (
    digest,
    human_digest,
    human_token,
    opaque_token,
    seal,
    sms_code,
    unseal,
)

CONFIRM = "confirm"
RESET = "reset"
GRACE = "refresh-grace"
# Write last_seen_at at most this often, so reads do not turn into writes.
LAST_SEEN_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class Caller:
    """A signed-in caller: the account, the device (its session) and the request's context."""

    user: User
    device: Device
    ctx: Ctx


@dataclass
class Auth:
    """The identity service, configured once per application."""

    settings: Settings
    hasher: Hasher

    # --- registration -------------------------------------------------------

    def send_sms_code(self, db: Session, ctx: Ctx, phone: str) -> m.SmsCodeSent:
        s = self.settings
        with db.begin():
            ratelimit.check(db, f"sms:{phone}", s.sms_sends_per_hour, 3600, ctx.now)
            ratelimit.check(db, f"sms-ip:{ctx.ip}", s.sms_sends_per_ip_hour, 3600, ctx.now)
            ratelimit.hit(db, f"sms:{phone}", ctx.now)
            ratelimit.hit(db, f"sms-ip:{ctx.ip}", ctx.now)
            # A new code replaces the old ones.
            db.execute(
                update(SmsCode)
                .where(SmsCode.phone == phone, SmsCode.used_at.is_(None))
                .values(used_at=ctx.now)
            )
            code = sms_code()
            db.add(
                SmsCode(
                    phone=phone,
                    code_hash=digest(f"{phone}:{code}"),
                    created_at=ctx.now,
                    expires_at=ctx.now + timedelta(seconds=s.sms_code_ttl_s),
                )
            )
            outbox.enqueue_sms(db, phone, i18n.text("msg.sms_code", ctx.lang, code=code))
        return m.SmsCodeSent(expires_in=s.sms_code_ttl_s)

    def _use_sms_code(self, db: Session, ctx: Ctx, phone: str, code: str) -> None:
        """Check the code in its own transaction, so that wrong tries are counted."""
        error: ServiceError | None = None
        with db.begin():
            row = db.scalars(
                select(SmsCode)
                .where(SmsCode.phone == phone, SmsCode.used_at.is_(None))
                .order_by(SmsCode.id.desc())
                .limit(1)
                .with_for_update()
            ).first()
            if row is None or row.expires_at <= ctx.now:
                error = ServiceError(400, "auth.sms_code_expired")
            elif row.code_hash != digest(f"{phone}:{code}"):
                row.attempts += 1
                if row.attempts >= self.settings.sms_code_max_tries:
                    # The fifth wrong try spends the code: a new one must be asked for.
                    row.used_at = ctx.now
                    error = ServiceError(400, "auth.sms_code_attempts")
                else:
                    error = ServiceError(400, "auth.sms_code_invalid")
            else:
                row.used_at = ctx.now
        if error is not None:
            raise error

    def register(self, db: Session, ctx: Ctx, req: m.RegisterRequest) -> m.Accepted:
        try:
            check_password(req.password, req.email)
        except InvalidInput as exc:
            raise _password_error(exc, ctx) from None
        with db.begin():
            ratelimit.check(
                db, f"register-ip:{ctx.ip}", self.settings.registrations_per_ip_hour, 3600, ctx.now
            )
            ratelimit.hit(db, f"register-ip:{ctx.ip}", ctx.now)
        self._use_sms_code(db, ctx, req.phone, req.sms_code)
        # Hash before looking: a taken address costs the same time as a new one.
        password_hash = self.hasher.hash(req.password)
        with db.begin():
            existing = db.scalars(select(User).where(User.email == req.email)).first()
            if existing is not None:
                outbox.enqueue_email(
                    db,
                    existing.email,
                    i18n.text("msg.taken.subject", ctx.lang),
                    i18n.text("msg.taken.body", ctx.lang),
                )
                audit.record(
                    db, ctx, "auth.register", user_id=existing.id, outcome="denied",
                    summary="address already registered",
                )
                return m.Accepted()
            user = User(
                email=req.email,
                phone=req.phone,
                password_hash=password_hash,
                created_at=ctx.now,
                password_changed_at=ctx.now,
            )
            db.add(user)
            db.flush()
            self._send_confirmation(db, ctx, user)
            audit.record(
                db, ctx, "auth.register", user_id=user.id, object_type="user",
                object_id=user.id, summary=f"email={user.email} phone={user.phone}",
            )
        return m.Accepted()

    def _send_confirmation(self, db: Session, ctx: Ctx, user: User) -> None:
        hours = self.settings.confirm_token_ttl_hours
        self._mail_token(db, ctx, user, CONFIRM, timedelta(hours=hours), "msg.confirm", hours=hours)

    def _mail_token(
        self,
        db: Session,
        ctx: Ctx,
        user: User,
        purpose: str,
        ttl: timedelta,
        message: str,
        **params: object,
    ) -> None:
        """Issue a single-use code (stored hashed) and queue the e-mail that carries it."""
        token = human_token()
        db.add(
            EmailToken(
                user_id=user.id,
                purpose=purpose,
                token_hash=human_digest(token),
                created_at=ctx.now,
                expires_at=ctx.now + ttl,
            )
        )
        outbox.enqueue_email(
            db,
            user.email,
            i18n.text(f"{message}.subject", ctx.lang),
            i18n.text(f"{message}.body", ctx.lang, token=token, **params),
        )

    def resend_confirmation(self, db: Session, ctx: Ctx, email: str) -> m.Accepted:
        with db.begin():
            ratelimit.check(
                db, f"mail:{digest(email)}", self.settings.recovery_requests_per_hour, 3600, ctx.now
            )
            ratelimit.hit(db, f"mail:{digest(email)}", ctx.now)
            user = db.scalars(select(User).where(User.email == email)).first()
            if user is not None and user.email_confirmed_at is None:
                self._send_confirmation(db, ctx, user)
        return m.Accepted()

    def _take_token(self, db: Session, ctx: Ctx, token: str, purpose: str) -> EmailToken:
        """Find a live single-use token and mark it used (inside the caller's transaction)."""
        row = db.scalars(
            select(EmailToken)
            .where(EmailToken.token_hash == human_digest(token), EmailToken.purpose == purpose)
            .with_for_update()
        ).first()
        if row is None or row.used_at is not None:
            raise ServiceError(400, "auth.token_invalid")
        if row.expires_at <= ctx.now:
            raise ServiceError(400, "auth.token_expired")
        row.used_at = ctx.now
        return row

    def _guard_token_guessing(self, db: Session, ctx: Ctx) -> int:
        """Count a code try before it is looked at (see ``ratelimit.take``); the event's id,
        given back with :meth:`_not_a_token_failure` unless the code was wrong."""
        with db.begin():
            return ratelimit.take(
                db, f"token-ip:{ctx.ip}", self.settings.token_failures_per_ip, 3600, ctx.now
            )

    def _not_a_token_failure(self, db: Session, hit: int) -> None:
        with db.begin():
            ratelimit.refund(db, [hit])

    def confirm_email(self, db: Session, ctx: Ctx, token: str) -> m.Confirmed:
        hit = self._guard_token_guessing(db, ctx)
        # A wrong or spent code raises here: the try stays counted.
        with db.begin():
            row = self._take_token(db, ctx, token, CONFIRM)
            user = db.get(User, row.user_id)
            assert user is not None
            if user.email_confirmed_at is None:
                user.email_confirmed_at = ctx.now
            audit.record(db, ctx, "auth.confirm_email", user_id=user.id,
                         object_type="user", object_id=user.id)
        self._not_a_token_failure(db, hit)
        return m.Confirmed()

    # --- sessions -------------------------------------------------------------

    def login(self, db: Session, ctx: Ctx, req: m.LoginRequest) -> m.TokenPair:
        s = self.settings
        acct = f"login:{digest(req.email)}"
        ip = f"login-ip:{ctx.ip}"
        # Count the try before the slow check, so parallel tries cannot all pass a check
        # made before any of them was counted; the right password gives it back.
        with db.begin():
            hits = [
                ratelimit.take(db, acct, s.login_failures_per_account, s.login_window_s, ctx.now),
                ratelimit.take(db, ip, s.login_failures_per_ip, s.login_window_s, ctx.now),
            ]
            user = db.scalars(select(User).where(User.email == req.email)).first()
        ok = self.hasher.verify(user.password_hash if user else None, req.password)
        if not ok or user is None:
            with db.begin():
                audit.record(db, ctx, "auth.login", user_id=user.id if user else None,
                             outcome="denied", summary="wrong e-mail or password")
            raise ServiceError(401, "auth.invalid_credentials")
        if user.email_confirmed_at is None:
            with db.begin():
                ratelimit.refund(db, hits)
            raise ServiceError(403, "auth.email_not_confirmed")
        with db.begin():
            ratelimit.refund(db, hits)
            ratelimit.clear(db, acct)
            if self.hasher.needs_rehash(user.password_hash):
                db.get(User, user.id).password_hash = self.hasher.hash(req.password)  # type: ignore[union-attr]
            access, refresh = opaque_token(), opaque_token()
            # New: the account has signed in before, never with this name from this address.
            seen = {(name, ip) for name, ip in db.execute(select(Device.name, Device.last_ip)
                                                          .where(Device.user_id == user.id))}
            new_device = bool(seen) and (req.device_name, ctx.ip) not in seen
            device = Device(
                user_id=user.id,
                name=req.device_name,
                remembered=req.remember,
                access_hash=digest(access),
                access_expires_at=ctx.now + timedelta(seconds=s.access_token_ttl_s),
                refresh_hash=digest(refresh),
                refresh_expires_at=ctx.now + min(self._refresh_ttl(req.remember),
                                                  self._max_age()),
                created_at=ctx.now,
                last_seen_at=ctx.now,
                last_ip=ctx.ip,
            )
            db.add(device)
            db.flush()
            audit.record(db, ctx, "auth.login", user_id=user.id, device_id=device.id,
                         object_type="device", object_id=device.id,
                         summary=f"remember={req.remember}")
            if new_device:
                notify(db, None, [user.id], "login_new_device", ("device", device.id),
                       {"device": req.device_name, "ip": ctx.ip}, now=ctx.now)
            return self._pair(device, user, access, refresh)

    def _max_age(self) -> timedelta:
        return timedelta(days=self.settings.device_max_age_days)

    def _refresh_ttl(self, remember: bool) -> timedelta:
        if remember:
            return timedelta(days=self.settings.refresh_token_ttl_days)
        return timedelta(hours=self.settings.session_ttl_hours)

    def _pair(self, device: Device, user: User, access: str, refresh: str) -> m.TokenPair:
        return m.TokenPair(
            access_token=access,
            refresh_token=refresh,
            expires_in=self.settings.access_token_ttl_s,
            device_id=device.id,
            remember=device.remembered,
            user=user_out(user),
        )

    def refresh(self, db: Session, ctx: Ctx, refresh_token: str) -> m.TokenPair:
        """Rotate: the presented token is spent; presenting a spent one revokes the device.

        Except just after the rotation: two processes of one device (the app and
        ``buhta export``) may refresh with the same token at once. The one that comes
        second, from the same address within ``refresh_reuse_interval_s``, gets the pair
        the first was given (kept sealed with the spent token, see :func:`_keep_grace`).
        Later, or from elsewhere, a spent token still revokes the device (it was copied).
        A device never outlives ``device_max_age_days`` after its login.
        """
        h = digest(refresh_token)
        error: ServiceError | None = None
        with db.begin():
            device = db.scalars(
                select(Device).where(Device.refresh_hash == h).with_for_update()
            ).first()
            if device is None:
                reused = db.scalars(
                    select(Device).where(Device.previous_refresh_hash == h).with_for_update()
                ).first()
                error = ServiceError(401, "auth.unauthorized")
                if reused is not None:
                    again = self._grace_pair(db, ctx, reused, refresh_token)
                    if again is not None:
                        return again
                    error = ServiceError(401, "auth.session_revoked")
                    if reused.revoked_at is None:
                        # A spent token came back: it was copied. Cut the device off.
                        reused.revoked_at = ctx.now
                        reused.revoked_reason = "refresh_reuse"
                        audit.record(db, ctx, "auth.refresh", user_id=reused.user_id,
                                     device_id=reused.id, outcome="denied",
                                     summary="spent refresh token presented; device revoked")
            elif (
                device.revoked_at is not None
                or device.refresh_expires_at <= ctx.now
                or device.created_at + self._max_age() <= ctx.now
            ):
                error = ServiceError(401, "auth.session_revoked")
            else:
                user = db.get(User, device.user_id)
                assert user is not None
                access, refresh = opaque_token(), opaque_token()
                device.previous_refresh_hash = device.refresh_hash
                device.refresh_hash = digest(refresh)
                device.refresh_expires_at = min(
                    ctx.now + self._refresh_ttl(device.remembered),
                    device.created_at + self._max_age(),
                )
                device.access_hash = digest(access)
                device.access_expires_at = ctx.now + timedelta(
                    seconds=self.settings.access_token_ttl_s
                )
                device.last_seen_at = ctx.now
                device.last_ip = ctx.ip
                pair = self._pair(device, user, access, refresh)
                _keep_grace(db, ctx, refresh_token, pair)
        if error is not None:
            raise error
        return pair

    def _grace_pair(
        self, db: Session, ctx: Ctx, device: Device, spent: str
    ) -> m.TokenPair | None:
        """The pair the device was given when ``spent`` was rotated, if that was within the
        reuse interval, from the caller's address, and the device still lives."""
        if device.revoked_at is not None or device.refresh_expires_at <= ctx.now:
            return None
        if device.last_ip != ctx.ip:
            return None
        row = db.get(IdempotencyRecord, _grace_key(spent))
        interval = timedelta(seconds=self.settings.refresh_reuse_interval_s)
        if row is None or row.body is None or ctx.now - row.created_at > interval:
            return None
        kept = unseal(spent, GRACE, row.body)
        if kept is None:
            return None
        pair = m.TokenPair.model_validate_json(kept)
        if pair.device_id != device.id or digest(pair.refresh_token) != device.refresh_hash:
            return None  # rotated again since: that pair is spent too
        return pair

    def caller(self, db: Session, ctx: Ctx, access_token: str) -> Caller:
        """The signed-in caller of a bearer token, with ``ctx`` naming them (401 otherwise)."""
        user, device = self.authenticate(db, ctx, access_token)
        return Caller(user, device, Ctx(ip=ctx.ip, lang=ctx.lang, user_id=user.id,
                                        device_id=device.id, now=ctx.now))

    def authenticate(self, db: Session, ctx: Ctx, access_token: str) -> tuple[User, Device]:
        with db.begin():
            device = db.scalars(
                select(Device).where(Device.access_hash == digest(access_token))
            ).first()
            if device is None:
                raise ServiceError(401, "auth.unauthorized")
            if device.revoked_at is not None:
                raise ServiceError(401, "auth.session_revoked")
            if device.access_expires_at <= ctx.now:
                raise ServiceError(401, "auth.access_expired")
            user = db.get(User, device.user_id)
            if user is None:
                raise ServiceError(401, "auth.unauthorized")
            if ctx.now - device.last_seen_at >= LAST_SEEN_GRANULARITY:
                device.last_seen_at = ctx.now
                device.last_ip = ctx.ip
            return user, device

    def logout(self, db: Session, ctx: Ctx, device_id: str) -> None:
        with db.begin():
            device = db.get(Device, device_id)
            if device is not None and device.revoked_at is None:
                device.revoked_at = ctx.now
                device.revoked_reason = "logout"
                audit.record(db, ctx, "auth.logout", object_type="device", object_id=device_id)

    def list_devices(self, db: Session, ctx: Ctx, user_id: str) -> m.DeviceList:
        with db.begin():
            rows = db.scalars(
                select(Device)
                .where(
                    Device.user_id == user_id,
                    Device.revoked_at.is_(None),
                    Device.refresh_expires_at > ctx.now,
                )
                .order_by(Device.last_seen_at.desc())
                .limit(200)
            ).all()
            return m.DeviceList(
                items=[
                    m.Device(
                        id=d.id,
                        name=d.name,
                        remembered=d.remembered,
                        created_at=d.created_at,
                        last_seen_at=d.last_seen_at,
                        current=d.id == ctx.device_id,
                    )
                    for d in rows
                ]
            )

    def revoke_device(self, db: Session, ctx: Ctx, user_id: str, device_id: str) -> None:
        with db.begin():
            device = db.get(Device, device_id)
            if device is None or device.user_id != user_id:
                raise ServiceError(404, "devices.not_found")
            if device.revoked_at is None:
                device.revoked_at = ctx.now
                device.revoked_reason = "revoked_by_user"
                audit.record(db, ctx, "devices.revoke", object_type="device",
                             object_id=device_id, summary=f"name={device.name}")

    # --- recovery -------------------------------------------------------------

    def request_reset(self, db: Session, ctx: Ctx, email: str) -> m.Accepted:
        with db.begin():
            ratelimit.check(
                db, f"mail:{digest(email)}", self.settings.recovery_requests_per_hour, 3600, ctx.now
            )
            ratelimit.check(
                db, f"reset-ip:{ctx.ip}", self.settings.resets_per_ip_hour, 3600, ctx.now
            )
            ratelimit.hit(db, f"mail:{digest(email)}", ctx.now)
            ratelimit.hit(db, f"reset-ip:{ctx.ip}", ctx.now)
            user = db.scalars(select(User).where(User.email == email)).first()
            if user is not None:
                # A new code spends the earlier ones: only the latest e-mail works.
                db.execute(
                    update(EmailToken)
                    .where(
                        EmailToken.user_id == user.id,
                        EmailToken.purpose == RESET,
                        EmailToken.used_at.is_(None),
                    )
                    .values(used_at=ctx.now)
                )
                minutes = self.settings.reset_token_ttl_minutes
                self._mail_token(
                    db, ctx, user, RESET, timedelta(minutes=minutes), "msg.reset", minutes=minutes
                )
                audit.record(db, ctx, "auth.password_reset_requested", user_id=user.id)
        return m.Accepted()

    def reset_password(self, db: Session, ctx: Ctx, req: m.PasswordResetConfirm) -> m.Confirmed:
        hit = self._guard_token_guessing(db, ctx)
        try:
            with db.begin():
                row = db.scalars(
                    select(EmailToken).where(
                        EmailToken.token_hash == human_digest(req.token),
                        EmailToken.purpose == RESET,
                    )
                ).first()
                email = None
                if row is not None:
                    owner = db.get(User, row.user_id)
                    email = owner.email if owner else None
            try:
                check_password(req.new_password, email)
            except InvalidInput as exc:
                raise _password_error(exc, ctx) from None
            new_hash = self.hasher.hash(req.new_password)
            with db.begin():
                row = self._take_token(db, ctx, req.token, RESET)
                user = db.get(User, row.user_id)
                assert user is not None
                user.password_hash = new_hash
                user.password_changed_at = ctx.now
                # Whoever could read the mailbox proved the address too.
                if user.email_confirmed_at is None:
                    user.email_confirmed_at = ctx.now
                revoke_all(db, user.id, ctx.now, "password_reset")
                # Spend every other reset token of this user.
                db.execute(
                    update(EmailToken)
                    .where(
                        EmailToken.user_id == user.id,
                        EmailToken.purpose == RESET,
                        EmailToken.used_at.is_(None),
                    )
                    .values(used_at=ctx.now)
                )
                ratelimit.clear(db, f"login:{digest(user.email)}")
                audit.record(db, ctx, "auth.password_reset", user_id=user.id,
                             object_type="user", object_id=user.id,
                             summary="password changed; all sessions revoked")
        except ServiceError as exc:
            if not exc.code.startswith("auth.token"):
                self._not_a_token_failure(db, hit)
            raise
        self._not_a_token_failure(db, hit)
        return m.Confirmed()


def _grace_key(spent: str) -> str:
    return digest(f"{GRACE}:{spent}")


def _keep_grace(db: Session, ctx: Ctx, spent: str, pair: m.TokenPair) -> None:
    """Keep the new pair, sealed with the token it replaced, for the reuse interval.

    Kept as a record of the idempotency store (filed under a hash of the spent token,
    dropped by its 24-hour purge): like a replayed answer, only the holder of the spent
    token can read it, and a copy of the database yields no token.
    """
    db.merge(
        IdempotencyRecord(
            key=_grace_key(spent), request_hash=GRACE, state="done", status_code=200,
            content_type="application/json",
            body=seal(spent, GRACE, pair.model_dump_json().encode()), created_at=ctx.now,
        )
    )


def revoke_all(db: Session, user_id: str, now: datetime, reason: str) -> None:
    db.execute(
        update(Device)
        .where(Device.user_id == user_id, Device.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )


def user_out(user: User) -> m.User:
    return m.User(
        id=user.id,
        email=user.email,
        phone=user.phone,
        email_confirmed=user.email_confirmed_at is not None,
        created_at=user.created_at,
    )


def _password_error(exc: InvalidInput, ctx: Ctx) -> ServiceError:
    reason = i18n.text(exc.key, ctx.lang, **exc.params)
    return ServiceError(422, "auth.password_policy", params={"reason": reason, "key": exc.key})

