"""Provides MatrixScreen: which event goes to which channel, as a table of events (rows)
and channels (columns), for the caller in the active organisation or for the whole
organisation (``v`` switches; the organisation's needs its director or chief accountant).
Space (or Enter) turns the cell under the cursor on or off and saves it at once; ``r``
returns the cell to what applies above it (the organisation's, the default)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from client.i18n import t
from core.contract import notifications as nm
from tui.screen import BuhtaScreen
from tui.widgets.form import ErrorLine, InfoLine
from tui.widgets.text import clip
from tui.workers import Done

CSS = """
MatrixScreen DataTable { height: 1fr; margin: 0 1; }
MatrixScreen #matrix-head, MatrixScreen #matrix-legend { margin: 0 1; }
"""


class MatrixLoaded(Done[nm.NotificationMatrix]):
    """The matrix, as it applies now."""


def cell_text(cell: nm.MatrixCell | None, scope: str) -> Text:
    """``[x]`` on, ``[ ]`` off; ``*`` marks a choice made at this level."""
    if cell is None:
        return Text("")
    mark = "[x]" if cell.enabled else "[ ]"
    return Text(mark + ("*" if cell.source == scope else ""))


class MatrixScreen(BuhtaScreen):
    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("escape", "back", "app.back", id="matrix.back"),
        Binding("space", "toggle", "notif.key.toggle_cell", id="matrix.toggle",
                key_display="␣"),
        Binding("enter", "toggle", "notif.key.toggle_cell", id="matrix.toggle_enter",
                show=False, priority=True),
        Binding("r", "inherit", "notif.key.inherit", id="matrix.inherit"),
        Binding("v", "scope", "notif.key.scope", id="matrix.scope"),
        Binding("f5", "reload", "notif.key.reload", id="matrix.reload", show=False),
    ]

    def __init__(self, scope: str = "user") -> None:
        super().__init__()
        self.scope = scope
        self.matrix: nm.NotificationMatrix | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="matrix-head")
        yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True)
        yield Static(t("notif.matrix.legend"), id="matrix-legend", classes="hint",
                     markup=False)
        yield ErrorLine()
        yield InfoLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("notif.matrix.title")
        self.query_one(DataTable).focus()
        self.action_reload()

    @property
    def org_id(self) -> str | None:
        org = self.buhta.org
        return org.id if org is not None else None

    def action_reload(self) -> None:
        org_id = self.org_id
        if org_id is None:
            return
        scope = self.scope
        self.call_api(lambda api: api.notifications.matrix(org_id, scope), done=MatrixLoaded,
                      exclusive=True)

    @on(MatrixLoaded)
    def _loaded(self, message: MatrixLoaded) -> None:
        self.matrix = mx = message.result
        self.scope = mx.scope
        org = self.buhta.org
        self.query_one("#matrix-head", Static).update(
            t(f"notif.matrix.head.{mx.scope}", org=org.short_name if org else "")
            + ("" if mx.editable else " " + t("notif.matrix.read_only")))
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate if table.row_count else None
        cells = {(c.event, c.channel): c for c in mx.cells}
        table.clear(columns=True)
        table.add_column(t("notif.matrix.event"), width=26, key="event")
        for channel in mx.channels:
            table.add_column(t(f"notif.channel.{channel}"), width=10, key=channel)
        for ev in mx.events:
            table.add_row(clip(ev.title, 26),
                          *(cell_text(cells.get((ev.event, ch)), mx.scope) for ch in mx.channels),
                          key=ev.event)
        if keep is not None and table.row_count:
            table.cursor_coordinate = keep
        elif table.row_count and len(mx.channels):
            table.cursor_coordinate = table.cursor_coordinate._replace(column=1)

    def _cell(self) -> tuple[nm.MatrixEvent, str, nm.MatrixCell | None] | None:
        mx = self.matrix
        if mx is None:
            return None
        row, column = self.query_one(DataTable).cursor_coordinate
        if not 0 <= row < len(mx.events) or not 1 <= column <= len(mx.channels):
            return None
        ev, channel = mx.events[row], mx.channels[column - 1]
        found = next((c for c in mx.cells if c.event == ev.event and c.channel == channel),
                     None)
        return ev, channel, found

    def _save(self, enabled: bool | None) -> None:
        mx, org_id, picked = self.matrix, self.org_id, self._cell()
        if mx is None or org_id is None or picked is None:
            return
        if not mx.editable:
            self.query_one(ErrorLine).show(t("notif.matrix.not_editable"))
            return
        ev, channel, _cell = picked
        self.query_one(ErrorLine).clear()
        scope = mx.scope
        cells = [nm.MatrixCellIn(event=ev.event, channel=channel,  # type: ignore[arg-type]
                                 enabled=enabled)]
        self.call_api(lambda api: api.notifications.set_matrix(org_id, scope, cells),
                      done=MatrixLoaded)

    def action_toggle(self) -> None:
        picked = self._cell()
        if picked is not None:
            cell = picked[2]
            self._save(not (cell.enabled if cell is not None else False))

    def action_inherit(self) -> None:
        self._save(None)

    def action_scope(self) -> None:
        self.scope = "org" if self.scope == "user" else "user"
        self.query_one(DataTable).clear(columns=True)
        self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)
