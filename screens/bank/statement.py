"""Provides the bank statement (Банк): import a statement (1CClientBankExchange), check the
proposed entries, change a line's accounts, save rules, post all at once, and reconcile
with account 51."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from client.errors import os_error_text
from client.i18n import t
from client.paths import data_dir
from core import contract as m
from core.money import format_amount
from screens.bank.rules import RulesScreen
from tui.errors import describe
from tui.screen import BuhtaModal, BuhtaScreen
from tui.styles import sheets
from tui.widgets.accounts import AccountSuggester, CompletingInput
from tui.widgets.form import ErrorLine
from tui.workers import Done, Failed

STATUS_MARKS = {"new": "○", "posted": "✓", "duplicate": "=", "unknown_account": "?",
                "in_books": "≡"}
"""A line's status as one symbol in the table (its word is on the detail line)."""
COLUMNS = (("status", 1), ("date", 8), ("dir", 1), ("amount", 14), ("counterparty", 21),
           ("debit", 6), ("credit", 6))
"""The preview's columns: 57 characters + 2 of padding each = 71, inside 80 columns."""

if TYPE_CHECKING:
    from client.api import ApiClient


def export_dir(root: Path | None = None) -> Path:
    return data_dir(root) / "export"


def _code(value: str) -> str:
    """«62.01 Расчеты с покупателями» → «62.01» (what the account suggester fills in)."""
    return value.strip().split(" ", 1)[0]


def line_notes(line: m.StatementLineOut) -> str:
    """What the detail adds for a line, on a line of its own: each warning («⚠ …»: the
    line is accepted as the bank sent it) and the employee of a line on 71."""
    notes = ["⚠ " + t(f"bank.warning.{code}") for code in line.warnings]
    if line.employee:
        notes.append(t("bank.employee", name=line.employee))
    return ("\n" + " · ".join(notes)) if notes else ""


def totals_problems(preview: m.StatementPreview) -> list[str]:
    """The statement's own totals (СекцияРасчСчет) against its lines, before posting.

    For each account of the file: ВсегоПоступило = the lines into it, ВсегоСписано = the
    lines out of it, НачальныйОстаток + ВсегоПоступило − ВсегоСписано = КонечныйОстаток.
    A figure the file leaves out is not checked. E.g. 0,00 + 5 000,00 − 1 200,00 =
    3 800,00 holds; a file saying ВсегоПоступило=5 100,00 over lines of 5 000,00 does not.
    """
    problems: list[str] = []
    for acc in preview.accounts:
        lines = [x for x in preview.lines if x.bank_account == acc.account]
        came = sum((x.amount for x in lines if x.direction == "in"), Decimal(0))
        went = sum((x.amount for x in lines if x.direction == "out"), Decimal(0))
        for said, counted, key in ((acc.credited, came, "bank.totals_in"),
                                   (acc.debited, went, "bank.totals_out")):
            if said is not None and said != counted:
                problems.append(t(key, account=acc.account, said=format_amount(said),
                                  counted=format_amount(counted)))
        opening, credited, debited, closing = acc.opening, acc.credited, acc.debited, \
            acc.closing
        if opening is not None and credited is not None and debited is not None \
                and closing is not None and opening + credited - debited != closing:
            problems.append(t("bank.totals_balance", account=acc.account,
                              closing=format_amount(closing),
                              expected=format_amount(opening + credited - debited)))
    return problems


class StatementPosted(Done[tuple[m.BankPostResult, m.StatementPreview,
                                 m.ReconciliationOut]]):
    """The statement was posted: the result, the preview and reconciliation after it."""


class PostRefused(Failed):
    """The server refused to post the statement (nothing was posted)."""


class AccountsLoaded(Done[list[m.LedgerAccountOut]]):
    """The chart of accounts, for the line dialogs."""


class StatementUploaded(Done[m.StatementPreview]):
    """The statement's preview: its lines and the proposed entries."""


class UploadRefused(Failed):
    """The server refused the file (nothing was loaded)."""


class LineChanged(Done[m.StatementLineOut]):
    """A line's accounts were changed."""


class RuleSaved(Done[m.BankRuleOut]):
    """A rule was saved."""


class Reconciled(Done[m.ReconciliationOut]):
    """The reconciliation with account 51."""


class BankScreen(BuhtaScreen):
    """The statement's lines as a table; keys act on the highlighted line."""

    CSS_PATH = sheets("bank")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="bank.back"),
        Binding("i", "import_file", "bank.import", id="bank.import"),
        Binding("enter", "edit", "bank.edit_line", id="bank.edit", key_display="↵",
                priority=True),
        Binding("r", "rule", "bank.rule_from_line", id="bank.rule"),
        Binding("f2", "post", "bank.post", id="bank.post"),
        Binding("c", "reconcile", "bank.reconcile", id="bank.reconcile"),
        Binding("x", "unmatched", "bank.unmatched", id="bank.unmatched", show=False),
        Binding("u", "rules", "bank.rules", id="bank.rules"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.preview: m.StatementPreview | None = None
        self.accounts: list[m.LedgerAccountOut] = []
        self.unmatched: list[int] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("bank.title"), classes="form-title")
        folder = export_dir(self.buhta.options.data_dir)
        yield Input(value=str(folder) + "/", id="bank-path", classes="hidden",
                    placeholder=t("bank.file_prompt"))
        yield Static(t("bank.intro"), id="bank-summary")
        yield Static("", id="bank-totals", markup=False)
        yield DataTable(id="bank-lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="bank-detail", markup=False)
        yield Static("", id="bank-recon")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, width in COLUMNS:
            label = "" if key == "status" else t(f"bank.col.{key}")
            table.add_column(label[:width] if key == "dir" else label, width=width, key=key)
        table.focus()
        org_id = self.buhta.require_org()
        if org_id is not None:
            self.call_api(lambda api: api.ledger.accounts(org_id), done=AccountsLoaded)

    @on(AccountsLoaded)
    def _got_accounts(self, message: AccountsLoaded) -> None:
        accounts = message.result
        self.accounts = accounts

    # --- import -------------------------------------------------------------------

    def action_import_file(self) -> None:
        box = self.query_one("#bank-path", Input)
        box.remove_class("hidden")
        box.focus()
        box.cursor_position = len(box.value)

    @on(Input.Submitted, "#bank-path")
    def _path_given(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        event.input.add_class("hidden")
        self.query_one(DataTable).focus()
        self.forget_preview()  # a refused file must not leave the old one on show
        self.query_one("#bank-summary", Static).update(t("bank.reading", path=str(path)))
        self._read(path)

    def forget_preview(self) -> None:
        """No statement on show: the table, its checks and the old messages go."""
        self.preview = None
        self.unmatched = []
        self.query_one(DataTable).clear()
        for name in ("#bank-totals", "#bank-detail", "#bank-recon"):
            self.query_one(name, Static).update("")
        self.query_one("#bank-totals", Static).remove_class("-warning")
        self.query_one(ErrorLine).clear()

    @work(exclusive=True, group="bank-read", exit_on_error=False)
    async def _read(self, path: Path) -> None:
        import anyio

        try:
            data = await anyio.Path(path).read_bytes()
        except OSError as exc:
            self.query_one("#bank-summary", Static).update(t("bank.intro"))
            self.show_error(t("bank.read_failed", path=str(path), error=os_error_text(exc)))
            return
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        # Every line: the table shows the whole statement.
        self.call_api(lambda api: api.bank.upload_statement(org_id, data, path.name,
                                                            lines=None),
                      done=StatementUploaded, failed=UploadRefused)

    @on(UploadRefused)
    def _upload_refused(self, message: UploadRefused) -> None:
        self.forget_preview()
        self.query_one("#bank-summary", Static).update(t("bank.intro"))
        self.show_error(describe(message.error))

    @on(StatementUploaded)
    def _got_upload(self, message: StatementUploaded) -> None:
        preview = message.result
        self.show(preview)

    def show(self, preview: m.StatementPreview) -> None:
        self.preview = preview
        self.query_one("#bank-recon", Static).update("")
        table = self.query_one(DataTable)
        table.clear()
        for line in preview.lines:
            table.add_row(*self._cells(line), key=str(line.no))
        c = preview.counts
        summary = t("bank.summary", file=preview.file_name, total=c.total, new=c.new,
                    duplicate=c.duplicate, unknown=c.unknown_account,
                    incoming=format_amount(c.incoming), outgoing=format_amount(c.outgoing))
        if c.in_books:
            summary += t("bank.summary_in_books", count=c.in_books)
        self.query_one("#bank-summary", Static).update(summary)
        problems = totals_problems(preview)
        totals = self.query_one("#bank-totals", Static)
        totals.update("\n".join(f"⚠ {x}" for x in problems))
        totals.set_class(bool(problems), "-warning")
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        """What the table leaves out for 80 columns: the status word, the purpose, why."""
        line = self.current()
        text = "" if line is None else t(
            "bank.detail", no=line.no, status=t(f"bank.status.{line.status}"),
            purpose=line.purpose or "—", reason=line.reason or "—")
        if line is not None:
            text += line_notes(line)
        self.query_one("#bank-detail", Static).update(text)

    def _cells(self, line: m.StatementLineOut) -> list[Any]:
        dim = line.status in ("duplicate", "unknown_account", "in_books")
        style = "dim" if dim else ""
        name = line.counterparty_name + (" *" if line.new_counterparty else "")
        if line.warnings:
            name = "⚠ " + name  # the detail line under the table says why
        cells = [STATUS_MARKS.get(line.status, "·"), f"{line.date:%d.%m.%y}",
                 "+" if line.direction == "in" else "−", format_amount(line.amount), name,
                 line.debit, line.credit]
        texts = [Text(str(x), style=style, no_wrap=True, overflow="ellipsis") for x in cells]
        texts[3].justify = "right"
        return texts

    def current(self) -> m.StatementLineOut | None:
        if self.preview is None or not self.preview.lines:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.preview.lines[row] if 0 <= row < len(self.preview.lines) else None

    # --- a line's accounts and rules --------------------------------------------

    async def action_edit(self) -> None:
        if isinstance(self.focused, Input):
            await self.focused.action_submit()  # Enter in the path line submits it
            return
        line = self.current()
        if line is None or self.preview is None:
            return
        self.app.push_screen(LineDialog(line, self.accounts), self._edited)

    def _edited(self, result: tuple[str, str] | None) -> None:
        line = self.current()
        if result is None or line is None or self.preview is None:
            return
        org_id, import_id, no = self.buhta.require_org(), self.preview.id, line.no
        if org_id is None:
            return
        self.call_api(lambda api: api.bank.change_line(org_id, import_id, no,
                                                                    *result), done=LineChanged)

    @on(LineChanged)
    def _got_change(self, message: LineChanged) -> None:
        line = message.result
        if self.preview is None:
            return
        self.preview.lines[line.no - 1] = line
        table = self.query_one(DataTable)
        for key, value in zip(("debit", "credit"), (line.debit, line.credit), strict=True):
            table.update_cell(str(line.no), key, Text(value))
        self.notify(t("bank.line_changed", no=line.no, debit=line.debit, credit=line.credit))

    def action_rule(self) -> None:
        line = self.current()
        if line is None:
            return
        self.app.push_screen(RuleDialog(line, self.accounts), self._rule_given)

    def _rule_given(self, body: m.BankRuleIn | None) -> None:
        org_id = self.buhta.require_org()
        if body is None or org_id is None:
            return
        self.call_api(lambda api: api.bank.create_rule(org_id, body), done=RuleSaved)

    @on(RuleSaved)
    def _got_rule(self, message: RuleSaved) -> None:
        rule = message.result
        label = ", ".join(x for x in (rule.inn or "", rule.purpose or "") if x)
        self.notify(t("bank.rule_saved", rule=label, account=rule.account))

    def action_rules(self) -> None:
        self.app.push_screen(RulesScreen())

    # --- posting and reconciliation ----------------------------------------------

    def action_post(self) -> None:
        if self.preview is None:
            self.show_error(t("bank.nothing"))
            return
        org_id, import_id = self.buhta.require_org(), self.preview.id
        if org_id is None:
            return

        async def call(api: ApiClient) -> tuple[m.BankPostResult, m.StatementPreview,
                                                  m.ReconciliationOut]:
            result = await api.bank.post_import(org_id, import_id)
            return (result, await api.bank.preview(org_id, import_id),
                    await api.bank.reconciliation(org_id, import_id))

        self.call_api(call, done=StatementPosted, failed=PostRefused)

    @on(StatementPosted)
    def _posted(self, message: StatementPosted) -> None:
        posted, preview, recon = message.result
        self.show(preview)
        message = t("bank.posted", posted=posted.posted, duplicates=posted.duplicates,
                    skipped=posted.skipped, created=posted.counterparties_created)
        if posted.in_books:
            message += t("bank.posted_in_books", count=posted.in_books)
        self.notify(message)
        self.show_recon(recon)

    @on(PostRefused)
    def _post_refused(self, message: PostRefused) -> None:
        self.show_error(describe(message.error))  # nothing was posted: the refusal says why

    def action_reconcile(self) -> None:
        if self.preview is None:
            return
        org_id, import_id = self.buhta.require_org(), self.preview.id
        if org_id is not None:
            self.call_api(lambda api: api.bank.reconciliation(org_id, import_id), done=Reconciled)

    @on(Reconciled)
    def _got_recon(self, message: Reconciled) -> None:
        recon = message.result
        self.show_recon(recon)

    def show_recon(self, recon: m.ReconciliationOut) -> None:
        def amount(x: Any) -> str:
            return "—" if x is None else format_amount(x)

        total = recon.total
        parts = [f"{t('bank.recon_title')}: {t('bank.col.statement')} "
                 f"{amount(total.statement_opening)} → {amount(total.statement_closing)}; "
                 f"{t('bank.col.books')} {amount(total.books_opening)} → "
                 f"{amount(total.books_closing)}"]
        diff = total.difference_closing
        parts.append(t("bank.recon_ok") if diff == 0 else
                     t("bank.recon_diff", amount=amount(diff)))
        if not all(r.consistent for r in recon.rows):
            parts.append(t("bank.recon_inconsistent"))
        self.unmatched = [u.no for u in recon.unmatched]
        if self.unmatched:
            parts.append(t("bank.recon_unmatched", count=len(self.unmatched)) + " (x)")
        self.query_one("#bank-recon", Static).update("\n".join(parts))

    def action_unmatched(self) -> None:
        """Jump to the next line with no entry in the books."""
        if not self.unmatched:
            return
        table = self.query_one(DataTable)
        after = [no for no in self.unmatched if no - 1 > table.cursor_row]
        table.move_cursor(row=(after or self.unmatched)[0] - 1)

    def action_back(self) -> None:
        box = self.query_one("#bank-path", Input)
        if not box.has_class("hidden"):
            box.add_class("hidden")
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()


class LineDialog(BuhtaModal):
    """Дт and Кт of one line, with the chart's accounts offered as one types."""

    BINDINGS = [Binding("escape", "cancel", "bank.cancel", id="bank_line.cancel")]

    def __init__(self, line: m.StatementLineOut, accounts: list[m.LedgerAccountOut]) -> None:
        super().__init__()
        self.line = line
        self.suggester = AccountSuggester(accounts) if accounts else None

    def compose(self) -> ComposeResult:
        with Vertical(id="bank-dialog"):
            yield Static(t("bank.line_title", no=self.line.no,
                           amount=format_amount(self.line.amount),
                           counterparty=self.line.counterparty_name))
            yield Static(t("bank.debit"))
            yield CompletingInput(self.line.debit, id="bank-debit", suggester=self.suggester)
            yield Static(t("bank.credit"))
            yield CompletingInput(self.line.credit, id="bank-credit",
                                  suggester=self.suggester)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "bank-debit":
            self.query_one("#bank-credit", Input).focus()
            return
        debit = _code(self.query_one("#bank-debit", Input).value)
        credit = _code(self.query_one("#bank-credit", Input).value)
        self.dismiss((debit, credit))

    def action_cancel(self) -> None:
        self.dismiss(None)


class RuleDialog(BuhtaModal):
    """A rule from a line: its ИНН and/or a word of its purpose → the line's account."""

    BINDINGS = [Binding("escape", "cancel", "bank.cancel", id="bank_rule.cancel")]

    def __init__(self, line: m.StatementLineOut, accounts: list[m.LedgerAccountOut]) -> None:
        super().__init__()
        self.line = line
        self.suggester = AccountSuggester(accounts) if accounts else None

    def compose(self) -> ComposeResult:
        account = self.line.credit if self.line.direction == "in" else self.line.debit
        with Vertical(id="bank-dialog"):
            yield Static(t("bank.rule_title"))
            yield Static(t("bank.rule_inn"))
            yield Input(self.line.counterparty_inn or "", id="rule-inn")
            yield Static(t("bank.rule_purpose"))
            yield Input("", id="rule-purpose")
            yield Static(t("bank.rule_account"))
            yield CompletingInput(account, id="rule-account", suggester=self.suggester)
            yield Static("", id="rule-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        order = ["rule-inn", "rule-purpose", "rule-account"]
        at = order.index(event.input.id or "rule-account")
        if at < 2:
            self.query_one(f"#{order[at + 1]}", Input).focus()
            return
        try:
            body = m.BankRuleIn(
                direction=self.line.direction,
                inn=self.query_one("#rule-inn", Input).value.strip() or None,
                purpose=self.query_one("#rule-purpose", Input).value.strip() or None,
                account=_code(self.query_one("#rule-account", Input).value))
        except ValueError:
            self.query_one("#rule-error", Static).update(t("bank.rule_empty"))
            return
        self.dismiss(body)

    def action_cancel(self) -> None:
        self.dismiss(None)
