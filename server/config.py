"""Provides the server's settings (pydantic-settings, prefix ``BUHTA_``)."""

from __future__ import annotations

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every field can be set in the environment as ``BUHTA_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="BUHTA_", extra="ignore")

    database_url: str = "sqlite:///buhta-server.sqlite3"
    """SQLAlchemy URL: ``sqlite:///path`` or ``postgresql+psycopg://user@host/db``."""
    migrate_on_start: bool = True
    """Run Alembic migrations when the server starts."""
    embedded: bool = False
    """Set by the app when it runs the server in-process."""

    access_token_ttl_s: int = 900
    refresh_token_ttl_days: int = 60
    """Refresh token lifetime for a remembered device."""
    device_max_age_days: int = 180
    """Absolute lifetime of a signed-in device: refreshing never takes it past this many
    days after its login (then the user signs in again)."""
    refresh_reuse_interval_s: int = 30
    """A just-rotated refresh token presented again by the same device within this many
    seconds gets the device's current session instead of revoking it (two processes of
    one device refreshing at once); later, a spent token still revokes the device."""
    session_ttl_hours: int = 12
    """Refresh token lifetime when the user did not tick "remember me"."""
    confirm_token_ttl_hours: int = 48
    reset_token_ttl_minutes: int = 60
    sms_code_ttl_s: int = 600
    sms_code_max_tries: int = 5
    sms_sends_per_hour: int = 3

    login_failures_per_account: int = 5
    login_failures_per_ip: int = 30
    login_window_s: int = 900
    recovery_requests_per_hour: int = 5
    token_failures_per_ip: int = 20
    registrations_per_ip_hour: int = 20
    resets_per_ip_hour: int = 30
    sms_sends_per_ip_hour: int = 30
    """An office behind one address registers several people: keep these generous."""

    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4

    mail_backend: Literal["smtp", "log", "local"] = "log"
    """smtp: send through the SMTP server below; log: write to the log; local: keep only."""
    mail_from: str = "Бухта <no-reply@buhta.local>"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_s: int = 30

    sms_backend: str = "log"
    """log, local, or ``package.module:Class`` with a ``send(phone, text)`` method."""

    outbox_poll_s: float = 1.0
    outbox_max_attempts: int = 8
    dev_outbox: bool = False
    """Expose /api/v1/dev/outbox (the embedded app's local mailbox). Never in production."""
    run_worker: bool = True
    """Deliver (mail, SMS, notifications) in this process; ``false`` when a separate
    ``buhta-server worker`` does it."""
    telegram_bot_token: str | None = None
    """The bot's token from @BotFather; unset: no Telegram channel."""
    telegram_bot_username: str | None = None
    telegram_api_base: str = "https://api.telegram.org"
    telegram_poll_s: float = 5.0
    """How often a worker asks the Bot API for new messages (``/start CODE``)."""
    webhook_timeout_s: float = 10.0
    webhook_allow_loopback: bool = False
    """Tests only: webhooks may reach 127.0.0.1 / ::1 (every other forbidden address stays
    forbidden)."""
    webhook_ca_file: str | None = None
    """Extra CA certificates (PEM) webhook receivers' certificates may chain to (tests)."""
    tax_deadline_notice_days: int = 3
    """«Срок через N дней»: how many days ahead a tax-calendar deadline is announced."""

    public_url: str = "http://127.0.0.1:8000"
    """The address people reach this server at (``https://buhta.example.ru``): links in
    mail (the newsletter's unsubscribe link ``<public_url>/u/<token>``) start with it."""
    newsletter_secret: str | None = None
    """Signs the unsubscribe links; when unset a random key is made once and kept in the
    database (every node shares it)."""
    newsletter_unsubscribe_mailto: str | None = None
    """An address whose mail unsubscribes (``unsubscribe@buhta.example.ru``), listed in
    ``List-Unsubscribe`` after the link; unset: the link only."""

    support_phone: str = "8 800 000-00-00"
    """The support centre's one number (shown in «Поддержка»), answered 24/7."""
    support_hours: str = "24/7"
    support_email: str = "support@buhta.local"
    support_grant_hours: int = 24
    """How long a read access granted to support lasts unless the user says otherwise."""
    support_requests_per_hour: int = 5
    support_messages_per_hour: int = 30
    support_callbacks_per_day: int = 3
    """Per user: requests, messages (replies) and callback orders."""

    trust_forwarded_for: bool = False
    """Take the client address from X-Forwarded-For (behind a trusted proxy only)."""

    signature_trust_dir: str | None = None
    """A folder of trusted root and intermediate CA certificates (``*.pem``, ``*.crt``,
    ``*.cer``, ``*.der``) and their CRLs (``*.crl``) for verifying signatures; every
    organisation trusts these besides its own (``server.services.signatures.trust``)."""

    json_max_bytes: int = 1024 * 1024
    """The largest request body of every route but the statement upload: a larger one is
    refused with 413 before it is read (``server.api.limits``). The largest valid body is
    a document of 500 lines with 300-letter Cyrillic names sent as ``\\uXXXX`` escapes:
    500 × about 2 030 bytes = 1 015 000 bytes, under 1 MiB (1 048 576)."""
    statement_max_bytes: int = 5 * 1024 * 1024
    """The largest statement upload on the wire (gzip-compressed, as the client sends it;
    at most the Idempotency-Key middleware's 5 MiB buffer)."""
    statement_max_inflated_bytes: int = 16 * 1024 * 1024
    """The largest statement once inflated (about 40 000 documents): a gzip bomb is refused
    with 413 as soon as it inflates past it."""
