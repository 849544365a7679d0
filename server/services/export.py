"""Provides the plain-text export of the books: a journal ledger-cli 3.x and hledger read.

The journal is streamed: entries in (date, number) order, a batch at a time (keyset on
(date, number), one short transaction per batch, so SQLite writers are never held up for
the whole export), never the whole ledger in memory. Entries are append-only, so what a
concurrent writer adds after the export has passed its date is simply not in this file.

The text, the same for both tools but for the directives of the header (``hledger`` gets
``decimal-mark .`` and its one-line ``commodity``; ledger-cli its ``commodity`` block):

    ; header comments: organisation, ИНН, when it was made
    commodity RUB              (ledger-cli)      decimal-mark .            (hledger)
        format 1000.00 RUB                       commodity 1000.00 RUB

    account 60  ; Расчеты с поставщиками и подрядчиками
    account 60:01  ; Расчеты с поставщиками и подрядчиками (в рублях)

    2026-11-25 * (3) Оплата от покупателя
        ; doc: Акт № 3 от 05.03.2026
        51                    150000.00 RUB  ; cp: ООО «Василёк» (7719617469)
        62:01                -150000.00 RUB  ; cp: ООО «Василёк» (7719617469)

Every amount carries the commodity ``RUB`` and the commodity is declared with two decimals:
without it ledger-cli prints a commodity-less sum with the fewest decimals it needs
(``148999`` for 148 999,00, checked with ledger 3.3); with ``format 1000.00 RUB`` both
tools print ``148999.00 RUB``. No digit grouping, as in the amounts of the file.

Each posting (Дт, Кт, amount) becomes two lines: the debit account with the amount, the
credit account with minus the amount, so every entry balances and ``bal`` shows a debit
balance positive, as the trial balance does. A reversal (сторно) keeps its negative
amounts. Sub-account codes ``60.01`` become ``60:01``, so ``bal 60`` rolls them up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from server import i18n
from server.db.models import Counterparty, Document, Entry, LedgerAccount, Organisation, Posting
from server.domain import chart
from server.services import audit, payroll_view
from server.services.context import OrgCtx
from server.services.errors import ServiceError

Format = Literal["ledger", "hledger"]
FORMATS: tuple[str, ...] = ("ledger", "hledger")
BATCH = 2000
"""Entries per query (with their postings: about 3600 lines of text)."""
AMOUNT_COLUMN = 36
"""Where the amounts end (right-aligned, before the commodity), counted from the start of a
posting line."""
COMMODITY = "RUB"
"""The commodity of every amount (ISO 4217 code of the rouble: plain ASCII, no quoting)."""
COMMODITY_FORMAT = f"1000.00 {COMMODITY}"
"""How both tools display it: the symbol after the amount, a dot, two decimals, no grouping."""

_BREAKS = re.compile(r"[\r\n\t\x00-\x1f\x7f\u2028\u2029]+")


def account_name(code: str) -> str:
    """``60.01`` → ``60:01`` (ledger's sub-account separator), ``76.АВ`` → ``76:АВ``."""
    return "_".join(code.strip().split()).replace(".", ":")


def one_line(text: str | None) -> str:
    """Text for a comment: control characters and line breaks become single spaces."""
    return " ".join(_BREAKS.sub(" ", text or "").split())


def description(text: str | None) -> str:
    """An entry's description for the payee position: one line, without ``;`` (hledger
    takes the rest of the line after a ``;`` as a comment, ledger after ``  ;``)."""
    return one_line((text or "").replace(";", ","))


def amount(kopecks: int) -> str:
    """``-15000050`` → ``-150000.50``: a dot, two decimals, no grouping, no commodity."""
    sign = "-" if kopecks < 0 else ""
    whole, cents = divmod(abs(kopecks), 100)
    return f"{sign}{whole}.{cents:02d}"


def posting_line(account: str, kopecks: int, comment: str | None = None) -> str:
    """``    62:01          -150000.00 RUB  ; comment``: at least two spaces before the
    amount."""
    money = amount(kopecks)
    gap = max(2, AMOUNT_COLUMN - 4 - len(account) - len(money))
    line = f"    {account}{' ' * gap}{money} {COMMODITY}"
    return f"{line}  ; {comment}" if comment else line


def commodity_directives(fmt: str) -> str:
    """The commodity with its display precision, in each tool's own syntax: ledger-cli's
    ``commodity`` block with a ``format`` sub-directive, hledger's one-line ``commodity``
    with a sample amount (after ``decimal-mark .``: two decimals make the dot a decimal
    mark anyway; said outright all the same)."""
    if fmt == "hledger":
        return f"decimal-mark .\ncommodity {COMMODITY_FORMAT}\n\n"
    return f"commodity {COMMODITY}\n    format {COMMODITY_FORMAT}\n\n"


@dataclass(frozen=True)
class _Head:
    short_name: str
    inn: str
    kpp: str | None


class JournalExport:
    """The organisation's books as a ledger-cli / hledger journal, as a stream of text."""

    def __init__(self, sessions: sessionmaker[Session], *, batch: int | None = None) -> None:
        self.sessions = sessions
        self.batch = batch or BATCH

    def start(self, oc: OrgCtx, fmt: str) -> Iterator[str]:
        """Check the request and note it in the audit log now (so a refusal is an error
        response, not a cut stream); the returned iterator yields the text in chunks."""
        if fmt not in FORMATS:
            raise ServiceError(422, "export.format", params={"format": fmt})
        with self.sessions() as db, db.begin():
            org = db.get(Organisation, oc.org_id)
            if org is None:
                raise ServiceError(404, "orgs.not_found")
            head = _Head(org.short_name, org.inn, org.kpp)
            audit.record(db, oc.ctx, "export.journal", org_id=oc.org_id,
                         object_type="journal", object_id=fmt,
                         summary=f"Журнал для {fmt}")
        return self._stream(oc, fmt, head)

    def _stream(self, oc: OrgCtx, fmt: str, head: _Head) -> Iterator[str]:
        yield self._header(oc, fmt, head)
        with self.sessions() as db:
            with db.begin():
                yield self._accounts(db, oc.org_id)
            names: dict[str, str] = {}
            titles: dict[str, str] = {}
            after: tuple[date, int] | None = None
            while True:
                with db.begin():
                    rows = self._batch(db, oc.org_id, after)
                    if not rows:
                        return
                    self._lookups(db, rows, names, titles)
                after = (rows[-1].date, rows[-1].number)
                yield self._entries(rows, names, titles, payroll_view.neutral(oc)
                                    if payroll_view.hidden(oc) else None)

    # --- pieces of text ---------------------------------------------------------

    def _header(self, oc: OrgCtx, fmt: str, head: _Head) -> str:
        lang = oc.ctx.lang
        inn = f"{head.inn}/{head.kpp}" if head.kpp else head.inn
        lines = [
            i18n.text("export.header.title", lang,
                      tool="ledger-cli" if fmt == "ledger" else "hledger"),
            i18n.text("export.header.org", lang, name=one_line(head.short_name), inn=inn),
            i18n.text("export.header.generated", lang,
                      at=oc.ctx.now.strftime("%Y-%m-%d %H:%M:%S UTC")),
            i18n.text("export.header.signs", lang),
            i18n.text("export.header.tags", lang),
        ]
        text = "".join(f"; {one_line(x)}\n" for x in lines) + "\n"
        return text + commodity_directives(fmt)

    def _accounts(self, db: Session, org_id: str) -> str:
        """``account`` declarations: the built-in chart and the organisation's own
        sub-accounts (its own names win), in code order."""
        names = {a.code: a.name for a in chart.load_chart()}
        names.update((r.code, r.name) for r in db.execute(
            select(LedgerAccount.code, LedgerAccount.name).where(LedgerAccount.org_id == org_id)))
        lines = [f"account {account_name(code)}  ; {one_line(names[code])}"
                 for code in sorted(names)]
        return "\n".join(lines) + "\n"

    def _batch(self, db: Session, org_id: str, after: tuple[date, int] | None) -> list[Any]:
        """The next ``batch`` entries after ``after`` with their postings, in order."""
        original = aliased(Entry)
        page = (
            select(Entry.id, Entry.date, Entry.number, Entry.description, Entry.document_id,
                   original.number.label("reverses_number"))
            .outerjoin(original, original.id == Entry.reverses_id)
            .where(Entry.org_id == org_id)
        )
        if after is not None:
            day, number = after
            # The (org_id, date, number) index starts right at the cursor.
            page = page.where(Entry.date >= day,
                              or_(Entry.date > day, and_(Entry.date == day,
                                                         Entry.number > number)))
        sub = page.order_by(Entry.date, Entry.number).limit(self.batch).subquery()
        query = (
            select(sub, Posting.debit, Posting.credit, Posting.amount_kopecks, Posting.memo,
                   Posting.counterparty_id)
            .outerjoin(Posting, Posting.entry_id == sub.c.id)
            .order_by(sub.c.date, sub.c.number, Posting.line)
        )
        # Core rows straight from the connection: no ORM entities to build.
        return list(db.connection().execute(query).all())

    def _lookups(self, db: Session, rows: list[Any], names: dict[str, str],
                 titles: dict[str, str]) -> None:
        """Counterparties (kept across batches: there are few) and document titles."""
        wanted = {r.counterparty_id for r in rows if r.counterparty_id} - names.keys()
        if wanted:
            for cp in db.execute(select(Counterparty.id, Counterparty.name, Counterparty.inn)
                                 .where(Counterparty.id.in_(wanted))):
                label = one_line(cp.name)
                names[cp.id] = f"{label} ({cp.inn})" if cp.inn else label
        titles.clear()
        docs = {r.document_id for r in rows if r.document_id}
        if docs:
            from core.documents import document_title

            for d in db.execute(select(Document.id, Document.type, Document.number,
                                       Document.date).where(Document.id.in_(docs))):
                titles[d.id] = document_title(d.type, d.number, d.date)

    def _entries(self, rows: list[Any], names: dict[str, str], titles: dict[str, str],
                 payroll_text: str | None = None) -> str:
        """With ``payroll_text`` (a role without payroll rights): an entry touching a
        payroll account is described by it, and its payroll postings carry no
        counterparty and no memo (``server.services.payroll_view``)."""
        hidden = {r.id for r in rows if payroll_text is not None
                  and payroll_view.touches(r.debit, r.credit)}
        out: list[str] = []
        current: str | None = None
        accounts: dict[str, str] = {}
        for r in rows:
            if r.id != current:
                current = r.id
                text = description(payroll_text if r.id in hidden else r.description)
                out.append(f"\n{r.date.isoformat()} * ({r.number})" + (f" {text}" if text
                                                                       else ""))
                if r.document_id:
                    out.append(f"    ; doc: {one_line(titles.get(r.document_id, ''))}")
                if r.reverses_number is not None:
                    out.append(f"    ; reverses: {r.reverses_number}")
            if r.debit is None:  # an entry without postings (never made by the ledger)
                continue
            masked = r.id in hidden and payroll_view.touches(r.debit, r.credit)
            comment = f"cp: {names[r.counterparty_id]}" if r.counterparty_id and not masked \
                else None
            memo = one_line(r.memo) if r.memo and not masked else ""
            for code, kopecks in ((r.debit, r.amount_kopecks), (r.credit, -r.amount_kopecks)):
                name = accounts.get(code)
                if name is None:
                    name = accounts[code] = account_name(code)
                out.append(posting_line(name, kopecks, comment))
                if memo:
                    out.append(f"        ; {memo}")
        return "\n".join(out) + "\n"
