"""Provides the ledger reports: trial balance, account card, account analysis.

- Оборотно-сальдовая ведомость (``trial_balance``): every account with a balance or a
  turnover in the period, in chart order; a synthetic account (level 0) shows itself and
  its sub-accounts rolled up, each sub-account follows at level 1 and, ``by=counterparty``,
  the counterparty lines of an account whose analytics include the counterparty follow
  it at level 2. Each row's balance is the net of what it covers, printed on the debit
  or the credit side — but the active-passive settlement accounts (60, 62, 68, 69, 71,
  76) show it expanded, by counterparty or sub-account, both sides printed
  (``server.domain.balances``), even by account. ``totals`` sums the level-0 rows: as
  every posting debits one account and credits another, its debit and credit columns
  are equal pairwise (expanding adds the same amount to both sides).
- Карточка счёта (``account_card``): the postings of an account and its sub-accounts in
  (date, entry number, line) order with a running balance, paged by an opaque cursor.
  A posting between two sub-accounts of the account (Дт 60.01 Кт 60.02 on the card of 60)
  is two rows: its debit side, then its credit side.
- Анализ счёта (``account_analysis``): the period's turnover by corresponding account.

Figures come from ``server.services.turnovers.balances`` (per-month aggregates, postings
only for part-months); the card reads one page of postings, the analysis groups the
period's postings of the account in SQL. Nothing builds an ORM object per posting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from core import contract as m
from core.money import from_kopecks
from server import i18n
from server.db.models import Counterparty, Entry, LedgerAccount, Organisation, Posting
from server.domain import balances as balance_rules
from server.domain import chart
from server.services import payroll_view
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import _document_titles, check_book_dates, check_counterparties
from server.services.paging import decode_cursor_value, encode_cursor_value
from server.services.turnovers import AccountBalance, balances

CARD_CURSOR = "card"
CARD_FIRST_WINDOW_DAYS = 8


@dataclass(frozen=True)
class ChartAccount:
    code: str
    name: str
    parent: str | None
    analytics: tuple[str, ...]


def chart_key(code: str) -> tuple[str, ...]:
    """Chart order: an account, then its sub-accounts (``60``, ``60.01``, ``60.02``, ``62``)."""
    return tuple(code.split("."))


def _chart(db: Session, org_id: str) -> dict[str, ChartAccount]:
    """The organisation's chart (the built-in one until it has its own rows)."""
    out = {a.code: ChartAccount(a.code, a.name, a.parent, a.analytics)
           for a in chart.load_chart()}
    for row in db.execute(select(LedgerAccount.code, LedgerAccount.name, LedgerAccount.parent,
                                 LedgerAccount.analytics)
                          .where(LedgerAccount.org_id == org_id)):
        out[row.code] = ChartAccount(row.code, row.name, row.parent,
                                     tuple(x for x in row.analytics.split(",") if x))
    return out


def _info(accounts: dict[str, ChartAccount], code: str) -> ChartAccount:
    """A posted code missing from the chart (a bulk load) still gets a row."""
    found = accounts.get(code)
    if found is not None:
        return found
    parent = code.rpartition(".")[0] or None
    return ChartAccount(code, code, parent, ())


def _ancestors(code: str) -> list[str]:
    """``60.01`` → ``["60", "60.01"]``: the rows a posting on the code counts in."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _split(kopecks: int) -> tuple[Any, Any]:
    """A signed balance as (debit side, credit side), one of them zero."""
    return from_kopecks(max(kopecks, 0)), from_kopecks(max(-kopecks, 0))


def _check_period(date_from: date, date_to: date) -> None:
    check_book_dates(date_from=date_from, date_to=date_to)
    if date_from > date_to:
        raise ServiceError(422, "report.period", params={
            "date_from": f"{date_from:%d.%m.%Y}", "date_to": f"{date_to:%d.%m.%Y}"})


def _head(db: Session, oc: OrgCtx, date_from: date, date_to: date) -> m.ReportHead:
    org = db.get(Organisation, oc.org_id)
    if org is None:
        raise ServiceError(404, "orgs.not_found")
    return m.ReportHead(org_name=org.short_name, org_inn=org.inn, date_from=date_from,
                        date_to=date_to, computed_at=oc.ctx.now)


def _names(db: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({x for x in ids if x})
    if not wanted:
        return {}
    return dict(db.execute(select(Counterparty.id, Counterparty.name)
                           .where(Counterparty.id.in_(wanted))).all())


def _account(accounts: dict[str, ChartAccount], account: str) -> ChartAccount:
    code = chart.normalize_code(account)
    if code not in accounts:
        raise ServiceError(422, "ledger.unknown_account", params={"accounts": account.strip()})
    return accounts[code]


def _sum(items: Iterable[AccountBalance]) -> tuple[int, int, int]:
    opening = debit = credit = 0
    for b in items:
        opening += b.opening
        debit += b.debit
        credit += b.credit
    return opening, debit, credit


@dataclass(frozen=True)
class _CardRow:
    key: tuple[date, int, int, int]
    """(date, entry number, line, side: 0 the account debited, 1 credited)."""
    entry_id: str
    description: str
    document_id: str | None
    corr: str
    counterparty: str | None
    debit: int
    credit: int


@dataclass
class Reports:
    # --- оборотно-сальдовая ведомость ------------------------------------------------

    def trial_balance(
        self, db: Session, oc: OrgCtx, date_from: date, date_to: date,
        by: Literal["account", "counterparty"] = "account",
    ) -> m.TrialBalance:
        _check_period(date_from, date_to)
        by_cp = by == "counterparty"
        hide_pay = payroll_view.hidden(oc)
        with db.begin():
            head = _head(db, oc, date_from, date_to)
            accounts = _chart(db, oc.org_id)
            found = balances(db, oc.org_id, date_from, date_to, by_counterparty=by_cp)
            # The expanded balances need the counterparties of 60, 62, 71, 76 even by account.
            parts = found if by_cp else balances(
                db, oc.org_id, date_from, date_to, by_counterparty=True,
                accounts=balance_rules.EXPANDED_ACCOUNTS)
            # [opening, debit, credit] of each row: an account and everything under it.
            rolled: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
            lines: dict[str, dict[str | None, list[int]]] = defaultdict(
                lambda: defaultdict(lambda: [0, 0, 0]))
            for (code, cp), b in found.items():
                for row_code in _ancestors(code):
                    f = rolled[row_code]
                    f[0] += b.opening
                    f[1] += b.debit
                    f[2] += b.credit
                # No employee lines under a payroll account for a role without payroll
                # rights (server.services.payroll_view): the account's total stays.
                if by_cp and "counterparty" in _info(accounts, code).analytics \
                        and not (hide_pay and payroll_view.touches(code, None)):
                    f = lines[code][cp]
                    f[0] += b.opening
                    f[1] += b.debit
                    f[2] += b.credit
            names = _names(db, (cp for per in lines.values() for cp in per))
        expanded = _expanded(accounts, parts)
        # A row is shown when it has a figure or something under it has: 60 netted to
        # zero still heads its 60.01 and 60.02.
        shown: set[str] = set()
        for code, figures in rolled.items():
            if any(figures) or any(any(f) for f in lines.get(code, {}).values()):
                shown.update(_ancestors(code))
        no_cp = i18n.text("tb.no_counterparty", oc.ctx.lang)
        rows: list[m.TrialBalanceRow] = []
        for code in sorted(shown, key=chart_key):
            figures = rolled[code]
            info = _info(accounts, code)
            level = 0 if "." not in code else 1
            rows.append(_tb_row(code, info.name, level, info.parent if level else None,
                                figures, expanded=expanded.get(code)))
            per_cp = lines.get(code, {})
            for cp in sorted(per_cp, key=lambda c: (c is None, names.get(c or "", "").casefold(),
                                                    c or "")):
                if any(per_cp[cp]):
                    rows.append(_tb_row(code, info.name, 2, code, per_cp[cp],
                                        cp=cp, cp_name=names.get(cp, "") if cp else no_cp))
        top = [r for r in rows if r.level == 0]
        totals = m.TrialBalanceRow(
            account="", name=i18n.text("tb.totals", oc.ctx.lang), level=0, parent=None,
            **{f: sum((getattr(r, f) for r in top), start=from_kopecks(0))
               for f in ("opening_debit", "opening_credit", "debit", "credit",
                         "closing_debit", "closing_credit")},
        )
        return m.TrialBalance(head=head, by=by, rows=rows, totals=totals)

    # --- карточка счёта -----------------------------------------------------------------

    def account_card(
        self, db: Session, oc: OrgCtx, account: str, date_from: date, date_to: date,
        counterparty_id: str | None = None, cursor: str | None = None, limit: int = 200,
    ) -> m.AccountCard:
        _check_period(date_from, date_to)
        after = _decode_card_cursor(cursor) if cursor else None
        if after is not None and not date_from <= after[0] <= date_to:
            raise ServiceError(422, "validation.cursor")
        with db.begin():
            head = _head(db, oc, date_from, date_to)
            accounts = _chart(db, oc.org_id)
            info = _account(accounts, account)
            code = info.code
            payroll_view.check_readable(oc, code)
            codes = sorted(c for c in accounts if c == code or c.startswith(code + "."))
            cp_name: str | None = None
            if counterparty_id:
                check_counterparties(db, oc.org_id, {counterparty_id})
                cp_name = _names(db, [counterparty_id]).get(counterparty_id)
            opening, debit, credit = self._period(db, oc.org_id, code, date_from, date_to,
                                                  counterparty_id)
            page_opening = opening
            if after is not None:
                # The balance after the cursor's row: everything before its day, plus its
                # day's rows up to it.
                page_opening = self._period(db, oc.org_id, code, after[0], after[0],
                                            counterparty_id)[0]
                page_opening += sum(
                    r.debit - r.credit
                    for r in self._card_rows(db, oc.org_id, codes, after[0], after[0],
                                             counterparty_id, None, upto=after)
                )
            fetched = self._card_rows(db, oc.org_id, codes, date_from, date_to,
                                      counterparty_id, after, limit=limit)
            more = len(fetched) > limit
            fetched = fetched[:limit]
            titles = _document_titles(db, {r.document_id for r in fetched if r.document_id})
        running = page_opening
        out_rows: list[m.AccountCardRow] = []
        hide_pay = payroll_view.hidden(oc)
        for r in fetched:
            running += r.debit - r.credit
            # A row against a payroll account: the amount, not whose pay it was.
            masked = hide_pay and payroll_view.touches(r.corr, None)
            out_rows.append(m.AccountCardRow(
                date=r.key[0], entry_id=r.entry_id, entry_number=r.key[1],
                description=payroll_view.neutral(oc) if masked else r.description,
                document=titles.get(r.document_id or ""),
                corr_account=r.corr, counterparty=None if masked else r.counterparty,
                debit=from_kopecks(r.debit), credit=from_kopecks(r.credit),
                balance=from_kopecks(running)))
        next_cursor = _encode_card_cursor(fetched[-1].key) if more and fetched else None
        return m.AccountCard(
            head=head, account=code, name=info.name, counterparty_id=counterparty_id,
            counterparty=cp_name, opening=from_kopecks(page_opening), rows=out_rows,
            debit=from_kopecks(debit), credit=from_kopecks(credit),
            closing=from_kopecks(opening + debit - credit), next_cursor=next_cursor)

    def _period(self, db: Session, org_id: str, code: str, date_from: date, date_to: date,
                counterparty_id: str | None) -> tuple[int, int, int]:
        """(opening, debit, credit) of the account and its sub-accounts, maybe of one
        counterparty only."""
        found = balances(db, org_id, date_from, date_to, accounts=[code],
                         by_counterparty=counterparty_id is not None)
        return _sum(b for (_, cp), b in found.items()
                    if counterparty_id is None or cp == counterparty_id)

    def _card_rows(
        self, db: Session, org_id: str, codes: list[str], date_from: date, date_to: date,
        counterparty_id: str | None, after: tuple[date, int, int, int] | None, *,
        limit: int | None = None, upto: tuple[date, int, int, int] | None = None,
    ) -> list[_CardRow]:
        """The card's rows in order: those after ``after`` (at most ``limit`` + 1), or
        those up to ``upto`` inclusive.

        A page is read in growing windows of days (8, 32, 128… from where it starts), so
        the database sorts about a page of postings, not the whole period of a busy
        account; a quiet one takes a few cheap index lookups more.
        """
        start = after[0] if after else date_from
        if limit is None:
            return self._card_window(db, org_id, codes, start, date_to, counterparty_id,
                                     after, upto, None)
        out: list[_CardRow] = []
        span = CARD_FIRST_WINDOW_DAYS
        while start <= date_to and len(out) <= limit:
            end = min(date_to, start + timedelta(days=span - 1))
            out += self._card_window(db, org_id, codes, start, end, counterparty_id, after,
                                     upto, limit + 1 - len(out))
            start, span = end + timedelta(days=1), span * 4
        return out[:limit + 1]

    def _card_window(
        self, db: Session, org_id: str, codes: list[str], date_from: date, date_to: date,
        counterparty_id: str | None, after: tuple[date, int, int, int] | None,
        upto: tuple[date, int, int, int] | None, need: int | None,
    ) -> list[_CardRow]:
        """Rows dated in [date_from, date_to]: the account's debit side and its credit
        side are read apart (each through its own (org_id, debit|credit, date) index),
        then merged in order."""
        out: list[_CardRow] = []
        order = (Posting.date, Entry.number, Posting.line)
        for side, (mine, corr) in enumerate(((Posting.debit, Posting.credit),
                                             (Posting.credit, Posting.debit))):
            query = (
                select(Posting.date, Entry.number, Posting.line, Posting.entry_id,
                       Entry.description, Entry.document_id, corr.label("corr"),
                       Posting.amount_kopecks, Counterparty.name.label("cp_name"))
                .join(Entry, Entry.id == Posting.entry_id)
                .outerjoin(Counterparty, Counterparty.id == Posting.counterparty_id)
                .where(Posting.org_id == org_id, mine.in_(codes),
                       Posting.date >= date_from, Posting.date <= date_to)
                .order_by(*order)
            )
            if counterparty_id is not None:
                query = query.where(Posting.counterparty_id == counterparty_id)
            if after is not None:
                query = query.where(tuple_(*order) >= tuple_(*after[:3]))
            if upto is not None:
                query = query.where(tuple_(*order) <= tuple_(*upto[:3]))
            if need is not None:
                query = query.limit(need + 1)  # the cursor's own row may come back too
            for p in db.execute(query):
                key = (p.date, p.number, p.line, side)
                if (after is not None and key <= after) or (upto is not None and key > upto):
                    continue
                out.append(_CardRow(key, p.entry_id, p.description, p.document_id, p.corr,
                                    p.cp_name, p.amount_kopecks if side == 0 else 0,
                                    p.amount_kopecks if side == 1 else 0))
        out.sort(key=lambda r: r.key)
        return out if need is None else out[:need]

    # --- анализ счёта ---------------------------------------------------------------------

    def account_analysis(
        self, db: Session, oc: OrgCtx, account: str, date_from: date, date_to: date,
    ) -> m.AccountAnalysis:
        _check_period(date_from, date_to)
        with db.begin():
            head = _head(db, oc, date_from, date_to)
            accounts = _chart(db, oc.org_id)
            info = _account(accounts, account)
            code = info.code
            payroll_view.check_readable(oc, code)
            codes = sorted(c for c in accounts if c == code or c.startswith(code + "."))
            opening, debit, credit = self._period(db, oc.org_id, code, date_from, date_to,
                                                  None)
            by_corr: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for side, (mine, corr) in enumerate(((Posting.debit, Posting.credit),
                                                 (Posting.credit, Posting.debit))):
                query = (select(corr, func.sum(Posting.amount_kopecks))
                         .where(Posting.org_id == oc.org_id, mine.in_(codes),
                                Posting.date >= date_from, Posting.date <= date_to)
                         .group_by(corr))
                for corr_code, amount in db.execute(query):
                    by_corr[corr_code][side] += int(amount)
        rows = [
            m.AccountAnalysisRow(corr_account=c, name=_info(accounts, c).name,
                                 debit=from_kopecks(by_corr[c][0]),
                                 credit=from_kopecks(by_corr[c][1]))
            for c in sorted(by_corr, key=chart_key) if any(by_corr[c])
        ]
        return m.AccountAnalysis(
            head=head, account=code, name=info.name, opening=from_kopecks(opening), rows=rows,
            debit=from_kopecks(debit), credit=from_kopecks(credit),
            closing=from_kopecks(opening + debit - credit))


def _expanded(accounts: dict[str, ChartAccount],
              found: dict[tuple[str, str | None], AccountBalance],
              ) -> dict[str, tuple[int, int, int, int]]:
    """Row code → (opening debit, opening credit, closing debit, closing credit) of the
    expanded balance (``server.domain.balances``) of every row of an expanded account.

    The finest part is (posted code, counterparty) for an account kept by counterparty
    (or employee), the posted code otherwise: 68.02 posted with the buyer on the VAT line
    is one part, the budget's."""
    granules: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0])
    for (code, cp), b in found.items():
        if not balance_rules.is_expanded(code):
            continue
        kept = any(a in _info(accounts, code).analytics
                   for a in balance_rules.EXPANDED_ANALYTICS)
        g = granules[(code, cp if kept else None)]
        g[0] += b.opening
        g[1] += b.closing
    per_row: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for (code, _cp), (opening, closing) in granules.items():
        for row_code in _ancestors(code):
            if balance_rules.is_expanded(row_code):
                per_row[row_code][0].append(opening)
                per_row[row_code][1].append(closing)
    return {code: (*balance_rules.sides(o), *balance_rules.sides(c))
            for code, (o, c) in per_row.items()}


def _tb_row(code: str, name: str, level: int, parent: str | None, figures: list[int], *,
            cp: str | None = None, cp_name: str | None = None,
            expanded: tuple[int, int, int, int] | None = None) -> m.TrialBalanceRow:
    opening, debit, credit = figures
    opening_debit, opening_credit = _split(opening)
    closing_debit, closing_credit = _split(opening + debit - credit)
    if expanded is not None:
        opening_debit, opening_credit, closing_debit, closing_credit = (
            from_kopecks(v) for v in expanded)
    return m.TrialBalanceRow(
        account=code, name=name, level=level, parent=parent, counterparty_id=cp,
        counterparty=cp_name, opening_debit=opening_debit, opening_credit=opening_credit,
        debit=from_kopecks(debit), credit=from_kopecks(credit),
        closing_debit=closing_debit, closing_credit=closing_credit,
        expanded=expanded is not None)


def _encode_card_cursor(key: tuple[date, int, int, int]) -> str:
    day, number, line, side = key
    return encode_cursor_value(f"{day.isoformat()}/{number}/{line}/{side}", CARD_CURSOR)


def _decode_card_cursor(cursor: str) -> tuple[date, int, int, int]:
    parts = decode_cursor_value(cursor, CARD_CURSOR).split("/")
    try:
        day_s, number, line, side = parts
        key = (date.fromisoformat(day_s), int(number), int(line), int(side))
    except ValueError:
        raise ServiceError(422, "validation.cursor") from None
    if key[3] not in (0, 1):
        raise ServiceError(422, "validation.cursor")
    return key
