"""Provides MonthClosing, the journal's base: the month shown, which months are closed,
and ``c`` to close the month shown or, on a closed one, reopen it (with a reason, audited).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on

from client.i18n import t
from core import contract as m
from screens.ledger.closing_preview import ClosingPreviewScreen
from tui.dialogs.reason import ReasonDialog
from tui.shell import ShellScreen
from tui.widgets.dates import month_title
from tui.workers import Done


class PeriodsLoaded(Done[m.PeriodList]):
    """The closed months."""


class PeriodClosed(Done[m.PeriodList]):
    """The month shown was closed."""


class PeriodReopened(Done[m.PeriodList]):
    """The month shown was reopened."""


class MonthClosing(ShellScreen):
    """A shell screen showing one month at a time, which it may close and reopen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.month = date.today().replace(day=1)
        self.closed: set[str] = set()

    def _show_period(self) -> None:
        """Say which month is shown and whether it is closed (the subclass draws it)."""

    def _books_changed(self) -> None:
        """Closing or reopening wrote entries (the closing ones, or their reversals): the
        subclass shows them."""

    def load_periods(self) -> None:
        org = self.buhta.org
        if org is not None:
            org_id = org.id
            self.call_api(lambda api: api.ledger.periods(org_id),
                          done=PeriodsLoaded, exclusive=True)

    @on(PeriodsLoaded)
    def _periods_loaded(self, message: Done[m.PeriodList]) -> None:
        self.closed = set(message.result.closed)
        self._show_period()

    @on(PeriodReopened)
    def _reopened(self, message: PeriodReopened) -> None:
        self._periods_loaded(message)
        self._books_changed()
        self.app.notify(t("ledger.reopened_now", period=month_title(self.month)))

    @on(PeriodClosed)
    def _closed(self, message: PeriodClosed) -> None:
        self._periods_loaded(message)
        self._books_changed()
        self.app.notify(t("ledger.closed_now", period=month_title(self.month)))

    def action_close_period(self) -> None:
        """Close the month shown; on a closed month, reopen it (with a reason, audited)."""
        org = self.buhta.org
        if org is None:
            return
        month = self.month.strftime("%Y-%m")
        if month in self.closed:

            def reopen(reason: str | None) -> None:
                if reason:
                    # Reopening reverses the month's closing entries (server.services.closing).
                    self.call_api(lambda api: api.closing.reopen(org.id, month, reason),
                                  done=PeriodReopened)  # type: ignore[arg-type]

            self.app.push_screen(ReasonDialog(t("ledger.reopen_confirm",
                                                period=month_title(self.month)),
                                              t("ledger.reopen_period")), reopen)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                # A write: its own group, never cancelled by a reload.
                # Posts the closing entries the preview showed, then closes the month.
                self.call_api(lambda api: api.closing.close(org.id, month),
                              done=PeriodClosed)  # type: ignore[arg-type]

        self.app.push_screen(ClosingPreviewScreen(org.id, month, month_title(self.month)),
                             answered)
