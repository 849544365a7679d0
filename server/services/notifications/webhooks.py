"""Provides an organisation's webhook endpoints: adding, changing and removing them, the
signed delivery (Standard Webhooks), the test send and the last deliveries.

A delivery is a ``jobs`` row of kind ``webhook``; its body was fixed when the event
happened and its ``event_id`` is the ``webhook-id`` header of every attempt. The
signature is ``v1,`` + base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}")), the secret
being the bytes of ``whsec_<base64>``. The address is checked when sending
(``ssrf.post``); a refused address gives up at once (no retry can make it allowed).
After the last retry fails the endpoint is marked ``failing``; a later delivery that
succeeds marks it ``active`` again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from datetime import datetime

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contract import notifications as nm
from server.config import Settings
from server.db.models.notifications import Job, WebhookEndpoint
from server.domain.roles import Role
from server.i18n import text
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.jobs import Outcome
from server.services.notifications import ssrf
from server.services.notifications.dispatch import webhook_body

LAST_DELIVERIES = 10
MANAGERS = (Role.ACCOUNTANT, Role.DIRECTOR)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def send(settings: Settings, endpoint: WebhookEndpoint, job: Job, now: datetime) -> Outcome:
    """One attempt of ``job`` to ``endpoint``."""
    body = json.loads(job.payload)["body"]
    ts = int(now.timestamp())
    headers = {"webhook-id": job.event_id or f"msg_{job.id}",
               "webhook-timestamp": str(ts),
               "webhook-signature": sign(endpoint.secret, job.event_id or "", ts, body),
               "User-Agent": "Buhta-Webhooks/1"}
    try:
        resp = ssrf.post(endpoint.url, body.encode(), headers,
                         timeout=settings.webhook_timeout_s,
                         allow_loopback=settings.webhook_allow_loopback,
                         ca_file=settings.webhook_ca_file)
    except ssrf.Refused as exc:
        return Outcome(error=f"refused:{exc.reason}:{exc.address}", final=True)
    except httpx.TimeoutException:
        return Outcome(error="timeout")
    except httpx.HTTPError as exc:
        return Outcome(error=f"connect:{type(exc).__name__}")
    if 200 <= resp.status_code < 300:
        return Outcome(status_code=resp.status_code)
    if 300 <= resp.status_code < 400:
        return Outcome(error="redirect", status_code=resp.status_code)
    return Outcome(error=f"http:{resp.status_code}", status_code=resp.status_code)


def mark_failing(db: Session, job: Job, now: datetime) -> None:
    ep = db.get(WebhookEndpoint, job.ref_id) if job.ref_id else None
    if ep is not None and job.event != "test" and ep.status != "failing":
        ep.status, ep.failing_since = "failing", now


def mark_active(db: Session, job: Job, now: datetime) -> None:
    ep = db.get(WebhookEndpoint, job.ref_id) if job.ref_id else None
    if ep is not None and ep.status == "failing":
        ep.status, ep.failing_since = "active", None


def error_text(error: str | None, lang: str) -> str | None:
    """``refused:private:10.0.0.1`` → «адрес 10.0.0.1 во внутренней сети — запрещён»."""
    if not error:
        return None
    kind, _, rest = error.partition(":")
    if kind == "refused":
        reason, _, address = rest.partition(":")
        return text(f"webhooks.refused.{reason}", lang, address=address)
    if kind == "http":
        return text("webhooks.error.http", lang, status=rest)
    if kind in ("timeout", "redirect", "connect"):
        return text(f"webhooks.error.{kind}", lang)
    return error


def delivery_out(job: Job, lang: str) -> nm.WebhookDeliveryOut:
    status = {"done": "delivered", "failed": "failed"}.get(
        job.status, "retrying" if job.attempts else "pending")
    return nm.WebhookDeliveryOut(
        id=str(job.id), event_id=job.event_id or "", event=job.event,  # type: ignore[arg-type]
        status=status, attempts=job.attempts,  # type: ignore[arg-type]
        last_status_code=job.last_status_code, last_error=error_text(job.last_error, lang),
        created_at=job.created_at, last_attempt_at=job.last_attempt_at,
        next_attempt_at=job.run_at if job.status == "pending" else None,
        delivered_at=job.done_at if job.status == "done" else None)


class Webhooks:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _manager(self, oc: OrgCtx) -> None:
        if oc.role not in MANAGERS:
            raise ServiceError(403, "webhooks.forbidden")

    def _endpoint(self, db: Session, oc: OrgCtx, webhook_id: str) -> WebhookEndpoint:
        ep = db.get(WebhookEndpoint, webhook_id)
        if ep is None or ep.org_id != oc.org_id:
            raise ServiceError(404, "webhooks.not_found")
        return ep

    def _check_url(self, url: str) -> None:
        try:
            ssrf.check(url, allow_loopback=self.settings.webhook_allow_loopback)
        except ssrf.Refused as exc:
            raise ServiceError(422, "webhooks.address_forbidden",
                               params={"field": "url", "reason": exc.reason,
                                       "address": exc.address}) from None

    def out(self, db: Session, ep: WebhookEndpoint, lang: str, *,
            secret: bool = False) -> nm.WebhookOut:
        jobs = db.scalars(select(Job).where(Job.kind == "webhook", Job.ref_id == ep.id)
                          .order_by(Job.id.desc()).limit(LAST_DELIVERIES)).all()
        fields = dict(id=ep.id, org_id=ep.org_id, url=ep.url, description=ep.description,
                      events=json.loads(ep.events) if ep.events else None,
                      enabled=ep.enabled,
                      status="disabled" if not ep.enabled else ep.status,
                      failing_since=ep.failing_since, created_at=ep.created_at,
                      last_deliveries=[delivery_out(j, lang) for j in jobs])
        if secret:
            return nm.WebhookCreated(**fields, secret=ep.secret)
        return nm.WebhookOut(**fields)

    def list(self, db: Session, oc: OrgCtx) -> nm.WebhookList:
        self._manager(oc)
        with db.begin():
            eps = db.scalars(select(WebhookEndpoint).where(WebhookEndpoint.org_id == oc.org_id)
                             .order_by(WebhookEndpoint.created_at)).all()
            return nm.WebhookList(items=[self.out(db, ep, oc.ctx.lang) for ep in eps])

    def create(self, db: Session, oc: OrgCtx, body: nm.WebhookIn) -> nm.WebhookCreated:
        self._manager(oc)
        self._check_url(body.url)
        with db.begin():
            ep = WebhookEndpoint(
                org_id=oc.org_id, url=body.url, secret=new_secret(),
                description=body.description, enabled=True, status="active",
                events=json.dumps(body.events) if body.events is not None else None,
                created_at=oc.ctx.now, created_by=oc.user_id)
            db.add(ep)
            db.flush()
            return self.out(db, ep, oc.ctx.lang, secret=True)  # type: ignore[return-value]

    def get(self, db: Session, oc: OrgCtx, webhook_id: str) -> nm.WebhookOut:
        self._manager(oc)
        with db.begin():
            return self.out(db, self._endpoint(db, oc, webhook_id), oc.ctx.lang)

    def update(self, db: Session, oc: OrgCtx, webhook_id: str,
               body: nm.WebhookPatch) -> nm.WebhookOut:
        self._manager(oc)
        sent = body.model_fields_set
        if "url" in sent and body.url is not None:
            self._check_url(body.url)
        with db.begin():
            ep = self._endpoint(db, oc, webhook_id)
            if "url" in sent and body.url is not None:
                ep.url = body.url
            if "description" in sent:
                ep.description = body.description
            if "enabled" in sent and body.enabled is not None:
                ep.enabled = body.enabled
                if body.enabled:
                    ep.status, ep.failing_since = "active", None
            if "events" in sent:
                ep.events = json.dumps(body.events) if body.events is not None else None
            return self.out(db, ep, oc.ctx.lang)

    def delete(self, db: Session, oc: OrgCtx, webhook_id: str) -> None:
        self._manager(oc)
        with db.begin():
            db.delete(self._endpoint(db, oc, webhook_id))

    def rotate(self, db: Session, oc: OrgCtx, webhook_id: str) -> nm.WebhookCreated:
        self._manager(oc)
        with db.begin():
            ep = self._endpoint(db, oc, webhook_id)
            ep.secret = new_secret()
            return self.out(db, ep, oc.ctx.lang, secret=True)  # type: ignore[return-value]

    def deliveries(self, db: Session, oc: OrgCtx, webhook_id: str,
                   limit: int) -> nm.WebhookDeliveryList:
        self._manager(oc)
        with db.begin():
            ep = self._endpoint(db, oc, webhook_id)
            rows = db.scalars(select(Job).where(Job.kind == "webhook", Job.ref_id == ep.id)
                              .order_by(Job.id.desc()).limit(limit)).all()
            return nm.WebhookDeliveryList(items=[delivery_out(j, oc.ctx.lang) for j in rows])

    def test(self, db: Session, oc: OrgCtx, webhook_id: str) -> nm.WebhookDeliveryOut:
        """Send a ``buhta.test`` event now (one attempt) and answer with its outcome."""
        self._manager(oc)
        now = oc.ctx.now
        event_id = f"msg_{uuid.uuid4().hex}"
        with db.begin():
            ep = self._endpoint(db, oc, webhook_id)
            body = webhook_body(event_id, "test", oc.org_id, now, None,
                                {"message": text("webhooks.test_message", "ru")})
            job = Job(kind="webhook", payload=json.dumps({"body": body}), run_at=now,
                      created_at=now, org_id=oc.org_id, ref_id=ep.id, event="test",
                      event_id=event_id, max_attempts=1, attempts=0, status="sending")
            db.add(job)
            db.flush()
            db.expunge(ep)
        outcome = send(self.settings, ep, job, now)
        with db.begin():
            row = db.get(Job, job.id)
            assert row is not None
            row.attempts, row.last_attempt_at = 1, now
            row.last_status_code = outcome.status_code
            row.status = "done" if outcome.error is None else "failed"
            row.done_at, row.last_error = now, outcome.error
            return delivery_out(row, oc.ctx.lang)


__all__ = ["Webhooks", "delivery_out", "mark_active", "mark_failing", "send", "sign"]
