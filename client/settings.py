"""Provides the app's settings (pydantic-settings, prefix ``BUHTA_``).

The command line's flags are passed as arguments (``ClientSettings(**overrides)``,
see ``client.options.StartOptions``): they win over the environment, which they
never change. Loaded off the first frame's path, since pydantic-settings is slow
to import.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class ClientSettings(BaseSettings):
    """Settings of the terminal app. Each can be set as ``BUHTA_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="BUHTA_", extra="ignore")

    server: str | None = None
    """URL of a hosted Buhta server; empty means the embedded server (default)."""
    lang: str | None = None
    """``ru`` or ``en``; empty follows the locale (LC_ALL, LC_MESSAGES, LANG)."""
    data_dir: Path | None = None
    """Where the embedded database and the credentials live (default: platformdirs)."""
    remember_allowed: bool = True
    """False disables remembering devices (set it when serving the app to browsers)."""
    request_timeout_s: int = 20
    """Seconds a request may take before it is retried."""
    retries: int = 3
    """How many times a failed transport is retried, with the same Idempotency-Key."""
    keepalive_s: float = 60
    """Seconds an idle connection to a hosted server is kept (the server keeps it 75)."""
    http2: bool = False
    """Use HTTP/2 where the server's proxy offers it (needs the ``h2`` package)."""
    low_bandwidth: bool = False
    """Slow links: no animations, the status line redrawn and the server polled less
    often, notifications gathered into a digest (unset: the device's choice, ctrl+b).
    Read before the first frame straight from the environment (``tui.traffic.install``)."""
