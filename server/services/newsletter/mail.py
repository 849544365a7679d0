"""Provides an issue's mail to one subscriber and the ``newsletter`` job that sends it.

Each mail carries the one-click unsubscribe of RFC 8058: ``List-Unsubscribe:
<https://…/u/TOKEN>[, <mailto:…>]`` with ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click`` (a mail client POSTs to the link, no sign-in needed), and the
same link in the text and HTML bodies. The job runs on the job table
(``server.services.jobs``: claimed with ``FOR UPDATE SKIP LOCKED``, retried with backoff);
a delivered job marks its delivery row sent.
"""

from __future__ import annotations

import html
import json
import logging
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy.orm import Session, sessionmaker

from server import i18n
from server.config import Settings
from server.db.models.newsletter import (
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterSubscriber,
)
from server.db.models.notifications import Job
from server.services import jobs, outbox
from server.services.newsletter import links, topics

log = logging.getLogger("buhta.newsletter")
KIND = "newsletter"
LANG = "ru"
"""Issues are written in Russian; their footer is too."""


def enqueue(db: Session, delivery: NewsletterDelivery) -> None:
    """The delivery's mail job, in the caller's transaction (the one writing the row)."""
    job = jobs.enqueue(db, KIND, {"delivery_id": delivery.id}, ref_id=delivery.subscriber_id,
                       dedupe_key=f"newsletter:{delivery.issue_id}:{delivery.subscriber_id}")
    db.flush()
    delivery.job_id = job.id


def build(settings: Settings, issue: NewsletterIssue, email: str, token: str) -> EmailMessage:
    url = links.unsubscribe_url(settings, token)
    title = topics.title(issue.topic, LANG)
    footer = i18n.text("newsletter.mail.footer", LANG, topic=title, url=url)
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = email
    msg["Subject"] = issue.subject
    msg["Message-ID"] = make_msgid(domain="buhta")
    msg["List-Id"] = f"{title} <{issue.topic}.newsletter.buhta>"
    msg["Precedence"] = "bulk"
    for name, value in links.list_unsubscribe(settings, token).items():
        msg[name] = value
    msg.set_content(f"{issue.body_text.rstrip()}\n\n-- \n{footer}\n")
    link = i18n.text("newsletter.mail.unsubscribe", LANG)
    page = (f'<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
            f"<title>{html.escape(issue.subject)}</title></head><body>\n"
            f"<h1>{html.escape(issue.subject)}</h1>\n{issue.body_html}"
            f'<hr><p style="font-size:smaller">{html.escape(title)} · '
            f'<a href="{html.escape(url)}">{html.escape(link)}</a></p>\n</body></html>\n')
    msg.add_alternative(page, subtype="html")
    return msg


def smtp_send(settings: Settings, msg: EmailMessage) -> None:
    s = settings
    context = ssl.create_default_context()
    if s.smtp_security == "tls":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port,
                                              timeout=s.smtp_timeout_s, context=context)
    else:
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s)
    with smtp:
        if s.smtp_security == "starttls":
            smtp.starttls(context=context)
        if s.smtp_username:
            smtp.login(s.smtp_username, s.smtp_password or "")
        smtp.send_message(msg)


def handler(sessions: sessionmaker[Session], settings: Settings, secret: bytes | None = None
            ) -> jobs.Handler:
    """The ``newsletter`` job: send one issue to one subscriber. Unsubscribed since it was
    queued: nothing is sent (the job ends as ``failed`` with ``unsubscribed``)."""
    from server.services.newsletter.links import load_secret

    key: list[bytes] = [secret] if secret else []

    def run(job: Job) -> jobs.Outcome:
        delivery_id = json.loads(job.payload).get("delivery_id")
        with sessions() as db:
            if not key:
                key.append(load_secret(db, settings))
            with db.begin():
                delivery = db.get(NewsletterDelivery, delivery_id)
                if delivery is None:
                    return jobs.Outcome(error="delivery_gone", final=True)
                if delivery.sent_at is not None:
                    return jobs.Outcome()  # sent by an earlier attempt
                subscriber = db.get(NewsletterSubscriber, delivery.subscriber_id)
                issue = db.get(NewsletterIssue, delivery.issue_id)
                if subscriber is None or issue is None or not subscriber.active:
                    return jobs.Outcome(error="unsubscribed", final=True)
                token = links.make_token(key[0], subscriber.id, subscriber.topic)
                msg = build(settings, issue, delivery.email, token)
                if settings.mail_backend == "local":
                    # The embedded app's local mailbox is the outbox: keep it there.
                    outbox.enqueue_email(db, delivery.email, issue.subject,
                                         msg.get_body(("plain",)).get_content())  # type: ignore[union-attr]
                    return jobs.Outcome()
        if settings.mail_backend == "smtp":
            smtp_send(settings, msg)
        else:
            log.info("newsletter mail to %s: %s", msg["To"], msg["Subject"])
        return jobs.Outcome()

    return run


def mark_sent(db: Session, job: Job, now: datetime) -> None:
    """The ``on_success`` hook of the runner: the delivery row says when it went."""
    delivery_id = json.loads(job.payload).get("delivery_id")
    delivery = db.get(NewsletterDelivery, delivery_id)
    if delivery is not None and delivery.sent_at is None:
        delivery.sent_at = now
