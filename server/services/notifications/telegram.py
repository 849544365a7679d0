"""Provides the Telegram channel: linking a chat with a one-time code, reading the bot's
messages (``getUpdates``) and sending through ``sendMessage``.

Linking: the user asks for a code (eight characters, valid 15 minutes, only its SHA-256
kept) and sends ``/start CODE`` to the bot (or opens ``t.me/<bot>?start=CODE``, which
sends the same). The server polls the Bot API (``getUpdates`` with an offset): no public
address is needed, so it works for the embedded app and behind NAT. One worker node
polls at a time: it holds the ``telegram`` lease (``worker_leases``), which keeps the
offset. The API's base URL is a setting (``BUHTA_TELEGRAM_API_BASE``); tests run a fake.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import uuid
from datetime import datetime, timedelta

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from core.contract import notifications as nm
from server.config import Settings
from server.db.models.notifications import Job, NotificationChannel, WorkerLease
from server.i18n import text
from server.services.jobs import Outcome

log = logging.getLogger("buhta.telegram")

CODE_TTL = timedelta(minutes=15)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LEASE = "telegram"
LEASE_FOR = timedelta(minutes=1)


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def new_code(db: Session, user_id: str, now: datetime, settings: Settings) -> nm.TelegramLinkCode:
    """A new one-time code for ``user_id`` (the earlier one stops working)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    channel = db.get(NotificationChannel, user_id)
    if channel is None:
        channel = NotificationChannel(user_id=user_id, email_digest=False, digest_hour=9)
        db.add(channel)
    channel.telegram_code_hash = code_hash(code)
    channel.telegram_code_expires_at = now + CODE_TTL
    bot = settings.telegram_bot_username
    return nm.TelegramLinkCode(
        code=code, command=f"/start {code}", expires_at=now + CODE_TTL,
        deep_link=f"https://t.me/{bot.lstrip('@')}?start={code}" if bot else None)


def _api(settings: Settings, method: str) -> str:
    return f"{settings.telegram_api_base.rstrip('/')}/bot{settings.telegram_bot_token}/{method}"


def send_message(settings: Settings, chat_id: str, message: str) -> Outcome:
    if not settings.telegram_bot_token:
        return Outcome(error="telegram:not_configured", final=True)
    try:
        resp = httpx.post(_api(settings, "sendMessage"), json={"chat_id": chat_id,
                                                               "text": message},
                          timeout=15, trust_env=False)
    except httpx.HTTPError as exc:
        return Outcome(error=f"connect:{type(exc).__name__}")
    if resp.status_code == 200:
        return Outcome(status_code=200)
    # 403: the user blocked the bot; 400: the chat is gone. No retry can help those.
    return Outcome(error=f"http:{resp.status_code}", status_code=resp.status_code,
                   final=resp.status_code in (400, 403))


def handler(settings: Settings):  # type: ignore[no-untyped-def]
    def run(job: Job) -> Outcome:
        data = json.loads(job.payload)
        return send_message(settings, data["chat_id"], data["text"])
    return run


class TelegramPoller:
    """Reads the bot's updates now and then and links chats that sent a valid code."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        self.sessions = sessions
        self.settings = settings
        self.holder = f"{uuid.uuid4().hex[:12]}"

    def _take_lease(self, now: datetime) -> int | None:
        """Hold the poll lease (or renew it); the stored offset, None when another holds it."""
        with self.sessions() as db, db.begin():
            if db.get(WorkerLease, LEASE) is None:
                db.add(WorkerLease(name=LEASE, holder=None, until=None, state="0"))
                db.flush()
            done = db.execute(
                update(WorkerLease).where(
                    WorkerLease.name == LEASE,
                    or_(WorkerLease.until.is_(None), WorkerLease.until < now,
                        WorkerLease.holder == self.holder))
                .values(holder=self.holder, until=now + LEASE_FOR)
                .execution_options(synchronize_session=False))
            if done.rowcount != 1:  # type: ignore[attr-defined]
                return None
            lease = db.get(WorkerLease, LEASE)
            db.refresh(lease)
            return int(lease.state or 0) if lease else 0

    def poll(self, now: datetime) -> int:
        """One ``getUpdates`` round; returns how many chats were linked."""
        if not self.settings.telegram_bot_token:
            return 0
        offset = self._take_lease(now)
        if offset is None:
            return 0
        try:
            resp = httpx.get(_api(self.settings, "getUpdates"),
                             params={"offset": offset, "timeout": 0,
                                     "allowed_updates": '["message"]'},
                             timeout=15, trust_env=False)
            updates = resp.json().get("result", []) if resp.status_code == 200 else []
        except (httpx.HTTPError, ValueError):
            log.warning("telegram getUpdates failed", exc_info=True)
            return 0
        linked = 0
        replies: list[tuple[str, str]] = []
        with self.sessions() as db, db.begin():
            for upd in updates:
                offset = max(offset, int(upd.get("update_id", 0)) + 1)
                msg = upd.get("message") or {}
                words = str(msg.get("text") or "").split()
                chat = msg.get("chat") or {}
                if len(words) != 2 or words[0].split("@")[0] != "/start" or "id" not in chat:
                    continue
                channel = db.scalar(select(NotificationChannel).where(
                    NotificationChannel.telegram_code_hash == code_hash(words[1])))
                chat_id = str(chat["id"])
                if channel is None or channel.telegram_code_expires_at is None \
                        or channel.telegram_code_expires_at < now:
                    replies.append((chat_id, text("telegram.code_invalid", "ru")))
                    continue
                channel.telegram_chat_id = chat_id
                channel.telegram_chat_title = (
                    f"@{chat['username']}" if chat.get("username")
                    else chat.get("title") or chat.get("first_name"))
                channel.telegram_linked_at = now
                channel.telegram_code_hash = None
                channel.telegram_code_expires_at = None
                replies.append((chat_id, text("telegram.linked", "ru")))
                linked += 1
            lease = db.get(WorkerLease, LEASE)
            if lease is not None and lease.holder == self.holder:
                lease.state = str(offset)
        for chat_id, reply in replies:
            send_message(self.settings, chat_id, reply)
        return linked


__all__ = ["TelegramPoller", "code_hash", "handler", "new_code", "send_message"]
