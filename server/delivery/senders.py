"""Provides the mail and SMS senders the outbox worker hands messages to.

Mail: ``smtp`` (host, port, STARTTLS or TLS, credentials from settings), ``log``
(writes the message to the log: a server without a mail relay) or ``local``
(keeps it in the outbox only, for the embedded app's local mailbox).

SMS: ``log`` by default (a hosted server needs a gateway contract to text
anybody), ``local`` for the embedded app, or your own gateway as
``package.module:Class``: a class built with no arguments (read your gateway's
credentials from the environment) whose ``send(phone, text)`` raises on failure.
"""

from __future__ import annotations

import importlib
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from server.config import Settings

log = logging.getLogger("buhta.delivery")


class MailSender(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class KeepLocally:
    """Sends nothing: the message stays readable in the local mailbox."""

    def send(self, *args: str) -> None:
        return None


class LogMail:
    def send(self, to: str, subject: str, body: str) -> None:
        log.info("mail to %s: %s\n%s", to, subject, body)


class LogSms:
    def send(self, phone: str, text: str) -> None:
        log.info("sms to %s: %s", phone, text)


class SmtpMail:
    def __init__(self, settings: Settings) -> None:
        self.s = settings

    def send(self, to: str, subject: str, body: str) -> None:
        s = self.s
        msg = EmailMessage()
        msg["From"] = s.mail_from
        msg["To"] = to
        msg["Subject"] = subject
        msg["Message-ID"] = make_msgid(domain="buhta")
        msg.set_content(body)
        context = ssl.create_default_context()
        if s.smtp_security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s, context=context
            )
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s)
        with smtp:
            if s.smtp_security == "starttls":
                smtp.starttls(context=context)
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password or "")
            smtp.send_message(msg)


def mail_sender(settings: Settings) -> MailSender:
    if settings.mail_backend == "smtp":
        return SmtpMail(settings)
    if settings.mail_backend == "local":
        return KeepLocally()
    return LogMail()


def sms_sender(settings: Settings) -> SmsSender:
    backend = settings.sms_backend
    if backend == "log":
        return LogSms()
    if backend == "local":
        return KeepLocally()
    module_name, _, class_name = backend.partition(":")
    if not class_name:
        raise ValueError(f"BUHTA_SMS_BACKEND must be log, local or module:Class, not {backend!r}")
    return getattr(importlib.import_module(module_name), class_name)()
