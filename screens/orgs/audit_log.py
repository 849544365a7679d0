"""Provides AuditScreen: the organisation's activity log, newest first, paged."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Select,
    Static,
)

from client.i18n import t
from core import contract as m
from screens.orgs.labels import when_text
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from client.api import ApiClient

OBJECT_TYPES = ("org", "member", "invitation")
PAGE = 50


def _date(value: str) -> str | None:
    """``31.01.2026`` → ``2026-01-31``; empty → None; anything else raises ValueError."""
    value = value.strip()
    if not value:
        return None
    return datetime.strptime(value, "%d.%m.%Y").date().isoformat()


_ROLES = "accountant|primary|hr|director|observer"
_REFUSAL = re.compile(
    r"^(?:(?:GET|POST|PUT|PATCH|DELETE) /\S*|[a-z_.]+): (?P<code>[a-z_]+\.[a-z_]+)$")
_CODE = re.compile(r"^(?P<code>[a-z_]+\.[a-z_]+)$")
_AS_ROLE = re.compile(rf" как (?P<role>{_ROLES})\b")
_ROLE_STATE = re.compile(rf"\b(?P<role>{_ROLES})/(?P<status>active|blocked)\b")
_VAT = re.compile(r"\bНДС (?P<mode>none|usn_5|usn_7|general)\b")


def plain_summary(summary: str | None) -> str:
    """What an entry says, in words, also for entries written before the server said it
    in words: «POST /api/v1/orgs/…: orgs.forbidden» → «Вашей роли это действие не
    разрешено», «… как primary» → «…: Бухгалтер по первичке», «НДС general» → «НДС по
    общим ставкам»."""
    if not summary:
        return ""
    found = _REFUSAL.match(summary) or _CODE.match(summary)
    if found and t(f"error.{found['code']}") != f"error.{found['code']}":
        return t(f"error.{found['code']}")
    text = _AS_ROLE.sub(lambda x: f": {t('role.' + x['role'])}", summary)
    text = _ROLE_STATE.sub(
        lambda x: f"{t('role.' + x['role'])}, {t('team.' + x['status'])}", text)
    return _VAT.sub(lambda x: t(f"vat.{x['mode']}"), text)


def action_text(action: str) -> str:
    """``org.update`` → «изменены реквизиты»; ``denied.audit.read`` → «отказ: журнал …»."""
    if action.startswith("denied."):
        return t("audit.denied_action", what=t(f"perm.{action.removeprefix('denied.')}"))
    return t(f"action.{action}")


class AuditScreen(BuhtaScreen):
    """Журнал действий: read-only, newest first, paged from the server as you scroll."""

    CSS_PATH = sheets("orgs")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="audit.back"),
        Binding("f5", "reload", "audit.apply", id="audit.reload"),
        Binding("slash", "filters", "audit.filters", id="audit.filters"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters: dict[str, str | None] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="audit-filters"):
            yield Input(id="f-user", placeholder=t("audit.user"), compact=True)
            yield Select([(t(f"object.{o}"), o) for o in OBJECT_TYPES], prompt=t("audit.all"),
                         id="f-type", compact=True)
            yield Input(id="f-from", placeholder=t("audit.from"), compact=True)
            yield Input(id="f-to", placeholder=t("audit.to"), compact=True)
        # The next page is asked for 10 rows before the end of what is loaded.
        yield PagedTable(page=self._page, render=self._cells, prefetch=10, clear_at_once=True,
                         id="audit", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-detail", markup=False)
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(PagedTable).add_columns(
            t("audit.when"), t("audit.who"), t("audit.action"), t("audit.outcome"))
        self.query_one(PagedTable).focus()
        self.action_reload()

    def action_filters(self) -> None:
        self.query_one("#f-user", Input).focus()

    @on(Input.Submitted)
    @on(Select.Changed)
    def action_reload(self) -> None:
        try:
            self.filters = {
                "user": self.query_one("#f-user", Input).value.strip() or None,
                "object_type": (None if self.query_one("#f-type", Select).is_blank()
                                else str(self.query_one("#f-type", Select).value)),
                "date_from": _date(self.query_one("#f-from", Input).value),
                "date_to": _date(self.query_one("#f-to", Input).value),
            }
        except ValueError:
            self.query_one(ErrorLine).show(t("audit.bad_date"))
            return
        self.query_one(ErrorLine).clear()
        self.query_one(PagedTable).reload()

    def _page(self, cursor: str | None) -> Callable[[ApiClient], Awaitable[m.AuditPage]] | None:
        org_id = self.buhta.require_org()
        if org_id is None:
            return None
        filters = dict(self.filters)
        return lambda api: api.orgs.audit(org_id, cursor=cursor, limit=PAGE, **filters)

    @staticmethod
    def _cells(entry: m.AuditEntry) -> list[tuple[str, ...]]:
        outcome = "✓" if entry.outcome == "ok" else f"✗ {t('audit.denied')}"
        return [(when_text(entry.created_at), entry.user_email or "—",
                 action_text(entry.action), outcome)]

    @on(PagedTable.Shown)
    def _shown(self) -> None:
        if not self.query_one(PagedTable).items:
            self.query_one("#audit-detail", Static).update(t("audit.empty"))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        entries = self.query_one(PagedTable).row_items
        row = event.cursor_row
        if 0 <= row < len(entries):
            e = entries[row]
            device = f" ({e.device_name})" if e.device_name else ""
            self.query_one("#audit-detail", Static).update(
                f"{e.user_email or '—'}{device}: {plain_summary(e.summary)}")

    def action_back(self) -> None:
        self.dismiss()
