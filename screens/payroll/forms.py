"""Provides PayrollFormsScreen: 6-НДФЛ and РСВ of a period (Q1, half-year, 9 months, year)
as their forms lay them out; `f` switches the form, `[` / `]` the period, `e` exports the
shown form to XLSX or CSV, `j` to JSON. The XML for upload to ФНС comes later.

Every figure is the server's (server/services/payroll/forms.py); the line numbers and
their wording come with the answer (server/domain/payroll_forms.py).
"""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from client.errors import ApiError, os_error_text
from client.export import Cell, safe_file_name, write_table
from client.i18n import t
from core import contract as m
from screens.payroll.common import bare, export_dir, short_name
from tui.footer import KeyFooter
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.dates import day_text, month_title
from tui.widgets.form import ErrorLine
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient

PERIODS = ("Q1", "H1", "9M", "Y")
FORMS = ("ndfl6", "rsv")
# 80 columns less a scrollbar: 6-НДФЛ 3 columns pad 6, 4 + 20 (a КБК) + the name (49);
# РСВ 6 columns pad 12, 4 + 4 × 12 + the name (15). «1 234 567,89» is 12.
CODE_W, VALUE_W, MONTH_W = 4, 20, 12
SCREEN_MIN = 80

NDFL2_FIELDS = (("110", "income"), ("111", "dividends"), ("112", "labour"),
                ("113", "civil"), ("120", "persons"), ("130", "deductions"),
                ("140", "computed"), ("160", "withheld"), ("170", "not_withheld"),
                ("180", "excess"), ("190", "returned"))
RSV_COUNTS = (("010", "insured"), ("020", "persons"), ("021", "persons_above_limit"))
RSV_MONEY = (("030", "payments"), ("040", "not_subject"), ("050", "base"),
             ("051", "base_above_limit"), ("060", "contributions"),
             ("061", "contrib_within"), ("062", "contrib_above"))

NdflRow = tuple[str, str, str, Cell]
"""(section, line, meaning, value)."""
RsvRow = tuple[str, str, list[Cell]]
"""(line, meaning, [from 1 January, the last three months, month 1, 2, 3])."""


class FormsLoaded(Done[tuple[m.Ndfl6, m.Rsv]]):
    """Both forms of the period."""


class FormsExported(Done[Path]):
    """The shown form written to XLSX, CSV or JSON (where)."""


def period_title(year: int, period: str) -> str:
    """«1 квартал 2026», «полугодие 2026», «9 месяцев 2026», «2026 год»."""
    return t(f"pforms.period.{period}", year=year)


def _names(lines: list[m.FormLine]) -> dict[str, str]:
    return {x.code: x.name for x in lines}


def ndfl_rows(f: m.Ndfl6) -> list[NdflRow]:
    """6-НДФЛ as the form's lines: section 1 per КБК, section 2 per rate."""
    n1, n2 = _names(f.section1_lines), _names(f.section2_lines)
    rows: list[NdflRow] = [("", "", t("pforms.ndfl.section1"), None)]
    for s in f.section1:
        rows.append(("1", "010", n1["010"], s.kbk))
        rows.append(("1", "020", n1["020"], s.withheld))
        for d in s.deadlines:
            rows.append(("1", "021", n1["021"], d.due))
            rows.append(("1", "022", n1["022"], d.amount))
        rows.append(("1", "030", n1["030"], s.returned))
    rows.append(("", "", t("pforms.ndfl.section2"), None))
    for r in f.section2:
        rows.append(("2", "100", n2["100"], f"{r.rate.normalize():f}"))
        rows.append(("2", "105", n2["105"], r.kbk))
        for code, name in NDFL2_FIELDS:
            value = getattr(r, name)
            rows.append(("2", code, n2.get(code, code),
                         str(value) if isinstance(value, int) else value))
    return rows


def rsv_rows(r: m.Rsv) -> list[RsvRow]:
    """РСВ: section 1 (the КБК and the amounts due), подраздел 1.1 per tariff, section 3
    per person (the last three months' payments, base and contributions)."""
    n1, n3 = _names(r.section1_lines), _names(r.section3_lines)
    # Line 001 «Код тарифа плательщика» is shown as «Код тарифа 01».

    def money_cols(c: m.RsvColumns) -> list[Cell]:
        return [c.ytd, c.quarter, c.month1, c.month2, c.month3]

    def count_cols(c: m.RsvCount) -> list[Cell]:
        return [str(c.ytd), str(c.quarter), str(c.month1), str(c.month2), str(c.month3)]

    rows: list[RsvRow] = [("", t("pforms.rsv.section1"), []),
                          ("020", f"{t('pforms.kbk')} {r.kbk}", []),
                          ("030", t("pforms.rsv.due"), money_cols(r.due))]
    for tariff in r.tariffs:
        rows.append(("001", t("pforms.rsv.tariff", code=tariff.tariff), []))
        for code, name in RSV_COUNTS:
            rows.append((code, n1[code], count_cols(getattr(tariff, name))))
        for code, name in RSV_MONEY:
            rows.append((code, n1[code], money_cols(getattr(tariff, name))))
    rows.append(("", t("pforms.rsv.section3"), []))
    first = r.last_months[0]
    for p in r.persons:
        by = {x.month: x for x in p.months}
        rows.append(("040", p.full_name, []))
        rows.append(("", person_line(p), []))
        if p.missing:
            rows.append(("", t("pforms.rsv.missing", fields=", ".join(
                t(f"pscreen.emp.{x}") for x in p.missing)), []))
        for code, name in (("140", "payments"), ("150", "base"), ("170", "contributions")):
            months: list[Cell] = [getattr(by[mo], name) if mo in by else None
                                  for mo in (first, first + 1, first + 2)]
            rows.append((code, n3[code], [None, getattr(p, name), *months]))
    return rows


def person_line(p: m.RsvPerson) -> str:
    """«СНИЛС 112-233-445 95 · ИНН 500100732259 · 17.05.1990 · Ж · 643»."""
    from core import identifiers as ids

    parts = [f"{t('pforms.snils')} {ids.format_snils(p.snils) if p.snils else '—'}",
             f"{t('reports.inn')} {p.inn or '—'}",
             day_text(p.birth_date) if p.birth_date else "—", p.sex or "—",
             p.citizenship or "—"]
    return " · ".join(parts)


def shown(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return bare(value)
    if isinstance(value, date):
        return day_text(value)
    return str(value)


class PayrollFormsScreen(BuhtaScreen):
    """6-НДФЛ and РСВ of a period; `f` switches, `e` / `j` export."""

    CSS_PATH = sheets("payroll")
    DEFAULT_CSS = """
    PayrollFormsScreen #forms { height: 1fr; scrollbar-size-vertical: 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "app.back", id="pforms.back"),
        Binding("f", "switch", "pforms.switch", id="pforms.switch"),
        Binding("e", "export", "reports.export", id="pforms.export"),
        Binding("j", "export_json", "pforms.export_json", id="pforms.export_json"),
        Binding("left_square_bracket", "step(-1)", "pforms.prev", id="pforms.prev"),
        Binding("right_square_bracket", "step(1)", "pforms.next", id="pforms.next"),
        Binding("f5", "reload", "devices.refresh", id="pforms.reload", show=False),
    ]

    def __init__(self, year: int, period: str = "Q1", form: str = "ndfl6") -> None:
        super().__init__()
        self.year = year
        self.period = period if period in PERIODS else "Q1"
        self.form = form if form in FORMS else "ndfl6"
        self.ndfl: m.Ndfl6 | None = None
        self.rsv: m.Rsv | None = None
        self.generation = 0
        self.details: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="forms-title", classes="form-title")
        yield DataTable(id="forms", cursor_type="row", zebra_stripes=True)
        yield Static("", id="forms-detail", classes="hint")
        yield ErrorLine()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = t("pforms.title")
        self.query_one(DataTable).focus()
        self.action_reload()

    def title_text(self) -> str:
        """«РСВ · 1 квартал 2026 · КБК 182…   [ ] период»: the КБК does not fit РСВ's
        narrow name column; cards short of section 3 data are counted instead of the
        keys."""
        period = period_title(self.year, self.period)
        if self.form == "rsv" and self.rsv is not None:
            period = f"{period} · {t('pforms.kbk')} {self.rsv.kbk}"
        text = t("pforms.head", form=t(f"pforms.{self.form}"), period=period)
        missing = sum(1 for p in self.rsv.persons if p.missing) if self.rsv else 0
        if self.form == "rsv" and missing:
            text = text.split("   ")[0] + " · " + t("pforms.rsv.incomplete", count=missing)
        return text

    def action_reload(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        self.generation += 1
        self.ndfl = self.rsv = None
        year, period = self.year, self.period
        self.query_one("#forms-title", Static).update(self.title_text())
        self.query_one("#forms-detail", Static).update(t("pscreen.loading"))

        async def call(api: ApiClient) -> tuple[m.Ndfl6, m.Rsv]:
            return (await api.payroll.ndfl6(org_id, year, period),
                    await api.payroll.rsv(org_id, year, period))

        self.call_api(call, done=FormsLoaded, guard=lambda: self.generation, exclusive=True)

    @on(FormsLoaded)
    def _loaded(self, message: FormsLoaded) -> None:
        self.ndfl, self.rsv = message.result
        self.render_form()

    def render_form(self) -> None:
        self.query_one("#forms-title", Static).update(self.title_text())
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.details = []
        width = max(SCREEN_MIN, self.app.size.width)
        if self.form == "ndfl6" and self.ndfl is not None:
            name_w = width - 1 - 6 - CODE_W - VALUE_W
            table.add_column(t("pforms.line"), width=CODE_W)
            table.add_column(t("pforms.meaning"), width=name_w)
            table.add_column(Text(t("pforms.value"), justify="right"), width=VALUE_W)
            for _section, code, name, value in ndfl_rows(self.ndfl):
                table.add_row(code, name, Text(shown(value), justify="right"))
                self.details.append(f"{code} {name}".strip())
        elif self.form == "rsv" and self.rsv is not None:
            name_w = width - 1 - 12 - CODE_W - 4 * MONTH_W
            first = self.rsv.last_months[0]
            table.add_column(t("pforms.line"), width=CODE_W)
            table.add_column(t("pforms.meaning"), width=name_w)
            table.add_column(Text(t("pforms.ytd"), justify="right"), width=MONTH_W)
            for mo in (first, first + 1, first + 2):
                label = month_title(date(self.year, mo, 1)).split()[0][:MONTH_W]
                table.add_column(Text(label, justify="right"), width=MONTH_W)
            for code, name, cols in rsv_rows(self.rsv):
                cells = [cols[0], *cols[2:]] if cols else []
                table.add_row(code, short_name(name) if code == "040" and not cols else name,
                              *(Text(shown(c), justify="right") for c in cells),
                              *([""] * (4 - len(cells))))
                self.details.append(f"{code} {name}".strip())
        self._detail(table.cursor_row)
        self.refresh_bindings()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, row: int) -> None:
        text = self.details[row] if 0 <= row < len(self.details) else ""
        self.query_one("#forms-detail", Static).update(text)

    def action_switch(self) -> None:
        self.form = "rsv" if self.form == "ndfl6" else "ndfl6"
        self.render_form()

    def action_step(self, steps: int) -> None:
        index = self.year * 4 + PERIODS.index(self.period) + steps
        self.year, self.period = index // 4, PERIODS[index % 4]
        self.action_reload()

    # --- export -----------------------------------------------------------------------

    def export_table(self) -> tuple[str, list[str], list[list[Cell]], set[int]] | None:
        """(title, column names, rows, money columns) of the shown form."""
        if self.form == "ndfl6" and self.ndfl is not None:
            columns = [t("pforms.section"), t("pforms.line"), t("pforms.meaning"),
                       t("pforms.value")]
            rows = [list(r) for r in ndfl_rows(self.ndfl)]
            return t("pforms.ndfl6"), columns, rows, {3}
        if self.form == "rsv" and self.rsv is not None:
            first = self.rsv.last_months[0]
            columns = [t("pforms.line"), t("pforms.meaning"), t("pforms.ytd"),
                       t("pforms.last3"),
                       *(month_title(date(self.year, mo, 1))
                         for mo in (first, first + 1, first + 2))]
            rows = [[code, name, *cols] for code, name, cols in rsv_rows(self.rsv)]
            return t("pforms.rsv"), columns, rows, {2, 3, 4, 5, 6}
        return None

    def file_stem(self) -> str:
        return safe_file_name(f"{t(f'pforms.file.{self.form}')}_{self.year}-{self.period}")

    def head_lines(self) -> list[str]:
        org = self.buhta.org
        form = self.ndfl if self.form == "ndfl6" else self.rsv
        lines = [f"{org.short_name}, {t('reports.inn')} {org.inn}" if org else "",
                 t("pforms.head_export", period=period_title(self.year, self.period),
                   code=form.period_code if form else "")]
        if form is not None:
            lines.append(form.form)
        return lines

    def action_export(self) -> None:
        from tui.dialogs.export import ExportDialog

        table = self.export_table()
        if table is None:
            self.app.notify(t("reports.nothing_to_export"), severity="warning")
            return
        title, columns, rows, money_cols = table
        head = self.head_lines()

        def chosen(path: Path | None) -> None:
            if path is None:
                return

            async def call(_api: ApiClient) -> Path:
                try:
                    return await asyncio.to_thread(write_table, path, title, head, columns,
                                                   rows, money_cols)
                except OSError as exc:
                    raise ApiError(0, "pscreen.save_failed", t(
                        "pscreen.save_failed", path=str(path),
                        error=os_error_text(exc))) from exc

            self.call_api(call, done=FormsExported)

        self.app.push_screen(ExportDialog(export_dir() / f"{self.file_stem()}.xlsx"), chosen)

    def action_export_json(self) -> None:
        form = self.ndfl if self.form == "ndfl6" else self.rsv
        if form is None:
            self.app.notify(t("reports.nothing_to_export"), severity="warning")
            return
        path = export_dir() / f"{self.file_stem()}.json"
        text = form.model_dump_json(indent=2)

        async def call(_api: ApiClient) -> Path:
            def write() -> Path:
                path.parent.mkdir(parents=True, exist_ok=True)
                part = path.with_name(f".{path.name}.part")
                part.write_text(text, encoding="utf-8")
                part.replace(path)
                return path

            try:
                return await asyncio.to_thread(write)
            except OSError as exc:
                raise ApiError(0, "pscreen.save_failed", t(
                    "pscreen.save_failed", path=str(path),
                    error=os_error_text(exc))) from exc

        self.call_api(call, done=FormsExported)

    @on(FormsExported)
    def _exported(self, message: FormsExported) -> None:
        self.app.notify(t("reports.exported", path=str(message.result)), timeout=10)

    def action_back(self) -> None:
        self.dismiss(None)
