"""Provides the screen shown while a remembered device signs in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Footer, Header, Static

from client.i18n import t
from tui.screen import BuhtaScreen


class SplashScreen(BuhtaScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        with Middle(), Center():
            yield Static(t("app.title"), id="splash-title")
            yield Static(t("app.loading"), id="splash-status")
        yield Footer(compact=True)
