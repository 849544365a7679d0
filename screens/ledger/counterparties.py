"""Provides the counterparty screens: the searchable list and the card."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, DataTable, Header, Input, Select, Static

from client.i18n import t
from core import contract as m
from core import identifiers as ids
from core.validation import InvalidInput
from tui import rights
from tui.errors import field_of, invalid_text
from tui.footer import KeyFooter
from tui.screen import BuhtaScreen, FormScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine, FormRow, InfoLine
from tui.widgets.limits import max_length
from tui.widgets.paged_table import PagedTable
from tui.workers import Done, Failed

if TYPE_CHECKING:
    from client.api import ApiClient

KINDS = ("org", "ip", "person")
PAGE = 50
SEARCH_DELAY_S = 0.25
"""Typing restarts the search worker; only a pause this long reaches the server."""
TEXT_FIELDS = ("name", "full_name", "inn", "kpp", "address", "phone", "email", "contract",
               "bik", "account", "corr_account", "bank_name")


def kind_name(kind: str) -> str:
    return t(f"counterparties.kind_{kind}")


def inn_kpp(cp: m.CounterpartyOut) -> str:
    if not cp.inn:
        return "—"
    return f"{cp.inn}/{cp.kpp}" if cp.kpp else cp.inn


class Archived(Done[m.CounterpartyOut]):
    """A counterparty was archived or restored."""


class Saved(Done[m.CounterpartyOut]):
    """The counterparty was created or changed."""


class SaveRefused(Failed):
    """The server refused the counterparty."""


# --- list -----------------------------------------------------------------------------


class CounterpartiesScreen(BuhtaScreen):
    """Контрагенты: a search line over a table paged from the server as the cursor moves."""

    CSS_PATH = sheets("counterparties")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="counterparties.back"),
        Binding("slash", "search", "counterparties.find", id="counterparties.search"),
        Binding("n", "new", "counterparties.new", id="counterparties.new"),
        # A priority key: the table's own Enter would otherwise hide it in the Footer.
        Binding("enter", "open", "counterparties.open", id="counterparties.open",
                key_display="↵", priority=True),
        # One key, two meanings: the Footer names the one that applies to this list.
        Binding("a", "archive", "counterparties.archive", id="counterparties.archive"),
        Binding("a", "restore", "counterparties.restore", id="counterparties.restore"),
        Binding("h", "toggle_archived", "counterparties.show_archive",
                id="counterparties.show_archive"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.archived = False

    @property
    def table(self) -> PagedTable:
        return self.query_one("#counterparties", PagedTable)

    @property
    def rows(self) -> list[m.CounterpartyOut]:
        """The counterparties loaded, top first."""
        return self.table.items

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("counterparties.title"), id="cp-title", classes="form-title")
        yield Input(id="search", placeholder=t("counterparties.search"), compact=True)
        yield PagedTable(page=self._page,
                         render=lambda cp: [(cp.name, inn_kpp(cp), kind_name(cp.kind))],
                         empty="#cp-empty", empty_text=lambda: t("counterparties.empty"),
                         id="counterparties", cursor_type="row", zebra_stripes=True)
        yield Static("", id="cp-empty")
        yield ErrorLine()
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("counterparties.name"), width=38, key="name")
        table.add_column(t("counterparties.inn_kpp"), width=22, key="inn")
        table.add_column(t("counterparties.kind"), width=12, key="kind")
        table.focus()
        self.reload()

    # --- loading ------------------------------------------------------------------

    def reload(self, delay: float = 0) -> None:
        """Start over from the first page (the previous search, if any, is dropped)."""
        self.table.reload(delay=delay)

    def _page(self, cursor: str | None
              ) -> Callable[[ApiClient], Awaitable[m.CounterpartyPage]] | None:
        org_id = self.buhta.require_org()
        if org_id is None:
            return None
        archived = self.archived
        q = self.query_one("#search", Input).value.strip() or None
        return lambda api: api.counterparties.search(org_id, q, cursor, PAGE, archived=archived)

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.reload(delay=SEARCH_DELAY_S)

    # --- actions ------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def _selected(self) -> m.CounterpartyOut | None:
        return self.table.current

    def action_new(self) -> None:
        self.app.push_screen(CounterpartyFormScreen(), self._saved)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not rights.allowed(self, action):
            return None  # dimmed: the role may not (tui.rights)
        if action == "archive":
            return not self.archived
        if action == "restore":
            return self.archived
        return True

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        if self.query_one("#search", Input).has_focus:
            self.query_one(DataTable).focus()  # Enter ends the search: back to the list
            return
        cp = self._selected()
        if cp is not None:
            self.app.push_screen(CounterpartyFormScreen(cp), self._saved)

    def _saved(self, cp: m.CounterpartyOut | None) -> None:
        if cp is not None:
            self.reload()

    def action_restore(self) -> None:
        self.action_archive()

    def action_archive(self) -> None:
        cp, org_id = self._selected(), self.buhta.require_org()
        if cp is None or org_id is None:
            return
        if cp.archived:
            self.call_api(lambda api: api.counterparties.restore(org_id, cp.id), done=Archived)
        else:
            self.call_api(lambda api: api.counterparties.archive(org_id, cp.id), done=Archived)

    @on(Archived)
    def _archived(self, message: Archived) -> None:
        cp = message.result
        self.query_one(ErrorLine).clear()
        key = "counterparties.archived" if cp.archived else "counterparties.restored"
        self.app.notify(t(key, name=cp.name))
        self.reload()

    def action_toggle_archived(self) -> None:
        self.archived = not self.archived
        self.query_one("#cp-title", Static).update(
            t("counterparties.archive_title" if self.archived else "counterparties.title"))
        self.refresh_bindings()
        self.reload()

    def action_back(self) -> None:
        self.dismiss()


# --- card -----------------------------------------------------------------------------


class CounterpartyFormScreen(FormScreen):
    """A new counterparty, or the card of an existing one; F2 saves."""

    CSS_PATH = sheets("counterparties")
    FIRST_FIELD = "#name"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="counterparty.back"),
        Binding("f2", "save", "counterparties.save", id="counterparty.save"),
    ]

    def __init__(self, counterparty: m.CounterpartyOut | None = None) -> None:
        super().__init__()
        self.counterparty = counterparty

    def compose(self) -> ComposeResult:
        cp = self.counterparty
        yield Header()
        with VerticalScroll(id="cp-form"):
            yield Static(t("counterparties.card_title" if cp else "counterparties.new_title"),
                         classes="form-title")
            yield FormRow(t("counterparties.kind"), Select(
                [(kind_name(k), k) for k in KINDS], value=cp.kind if cp else "org",
                allow_blank=False, id="kind", compact=True))
            for field in TEXT_FIELDS:
                if field == "bik":
                    yield Static(t("counterparties.bank"), classes="section")
                value = (getattr(cp, field) or "") if cp else ""
                yield FormRow(t(f"counterparties.{field}"),
                              Input(value, id=field, compact=True,
                                    max_length=max_length(m.CounterpartyIn, field)))
            yield from self.form_end(
                Button(t("counterparties.save"), id="submit", variant="primary", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self._kind_changed(self.counterparty.kind if self.counterparty else "org")

    @on(Select.Changed, "#kind")
    def _kind_select(self, event: Select.Changed) -> None:
        self._kind_changed(str(event.value))

    def _kind_changed(self, kind: str) -> None:
        kpp = self.query_one("#kpp", Input)
        kpp.disabled = kind != "org"  # only an organisation has a КПП
        if kind != "org":
            kpp.value = ""
        inn = self.query_one("#inn", Input)
        if inn.value:
            self._mark(inn)

    # Checked as the user types: a finished identifier with a wrong check digit is
    # marked at once, with the reason in the error line.
    @on(Input.Changed)
    def _live_check(self, event: Input.Changed) -> None:
        self._mark(event.input)

    def _mark(self, box: Input) -> None:
        problem = self._check(box)
        box.set_class(problem is not None, "-invalid")
        if problem is not None:
            self.query_one(InfoLine).show("")  # both sit in the same docked place
            self.query_one(ErrorLine).show(problem)
        elif box.has_focus:
            self.query_one(ErrorLine).clear()

    def _check(self, box: Input) -> str | None:
        value = box.value.strip()
        field = box.id or ""
        kind = self.query_one("#kind", Select).value
        try:
            if field == "inn" and len(value) >= (10 if kind == "org" else 12):
                ids.check_inn(value, "org" if kind == "org" else "person")
            elif field == "kpp" and len(value) >= 9:
                ids.check_kpp(value)
            elif field == "bik" and len(value) >= 9:
                ids.check_bik(value)
            elif field in ("account", "corr_account") and len(value) >= 20:
                bik = self.query_one("#bik", Input).value
                check = ids.check_account if field == "account" else ids.check_corr_account
                check(value, bik)
        except InvalidInput as exc:
            return invalid_text(exc)
        return None

    def _collect(self) -> dict[str, Any]:
        value: dict[str, Any] = {f: self.query_one(f"#{f}", Input).value for f in TEXT_FIELDS}
        value["kind"] = self.query_one("#kind", Select).value
        return value

    def action_save(self) -> None:
        if not self.start():
            return
        try:
            data = m.CounterpartyIn.model_validate(self._collect())
        except ValidationError as exc:
            loc, text = field_of(exc)
            field = loc[-1] if loc else "name"
            self._refuse(field, f"{t(f'counterparties.{field}')}: {text}")
            return
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        if self.counterparty is None:
            self.call_api(lambda api: api.counterparties.create(org_id, data), done=Saved,
                          failed=SaveRefused)
        else:
            cp_id = self.counterparty.id
            self.call_api(lambda api: api.counterparties.update(org_id, cp_id, data),
                          done=Saved, failed=SaveRefused)

    def _refuse(self, field: str, text: str) -> None:
        if field in TEXT_FIELDS:
            self.fail(field, text)
        else:
            self.query_one(ErrorLine).show(text)

    @on(Button.Pressed, "#submit")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Saved)
    def _saved_now(self, message: Saved) -> None:
        cp = message.result
        self.app.notify(t("counterparties.saved", name=cp.name))
        self.dismiss(cp)

    @on(SaveRefused)
    def _save_refused(self, message: SaveRefused) -> None:
        error = message.error
        if error.code == "counterparties.duplicate":
            self.fail("inn", error.detail)
        elif error.errors:
            first = error.errors[0]
            field = first.get("field", "").rsplit(".", 1)[-1]
            self._refuse(field, first.get("message", error.detail))
        else:
            self.show_refusal(error)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)

