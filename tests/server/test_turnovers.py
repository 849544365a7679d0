"""Per-month turnover aggregates (server/services/turnovers.py): kept in the postings'
transaction, equal to a recomputation from the postings, backfilled by migration 0007,
and ``balances`` for any period equal to a direct sum over the postings."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from alembic import command
from alembic.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from core import contract as m
from core.money import from_kopecks
from server.db.models import AccountTurnover, Counterparty, Organisation, Posting
from server.db.session import MIGRATIONS, make_engine, make_sessionmaker, migrate
from server.domain.roles import Role
from server.services import turnovers
from server.services.context import Ctx, OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import Ledger, ensure_chart
from server.services.turnovers import AccountBalance, balances
from tests.both_databases import database_url  # noqa: F401 (fixture)


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    migrate(engine)
    turnovers.install()  # as the app factory does at start-up
    return make_sessionmaker(engine)


# --- helpers -----------------------------------------------------------------------------

ACCOUNTS = ("51", "60.01", "60.02", "62.01", "90.01", "26", "68.02")
START = date(2025, 11, 1)
DAYS = 430  # 01.11.2025 … 04.01.2027: about fourteen months


def new_org(db) -> tuple[OrgCtx, list[str]]:
    """An organisation with the built-in chart and three counterparties."""
    org_id = str(uuid.uuid4())
    with db.begin():
        db.add(Organisation(id=org_id, kind="ooo", full_name="ООО «Проба»", short_name="Проба",
                            inn="7707083893", kpp="773601001", ogrn="1027700132195",
                            address="г. Москва", director="Иванов И. И.", tax_regime="osno",
                            vat_mode="general"))
        db.flush()
        ensure_chart(db, org_id)
        cps = []
        for i in range(3):
            cp = Counterparty(org_id=org_id, kind="org", name=f"Контрагент {i}",
                              name_folded=f"контрагент {i}")
            db.add(cp)
            db.flush()
            cps.append(cp.id)
    user = str(uuid.uuid4())
    return OrgCtx(ctx=Ctx(ip="127.0.0.1", user_id=user), org_id=org_id, user_id=user,
                  role=Role.ACCOUNTANT), cps


def stored(db, org_id: str) -> dict[tuple, tuple[int, int]]:
    rows = db.execute(select(AccountTurnover).where(AccountTurnover.org_id == org_id)).scalars()
    return {(r.account, r.counterparty_key, r.month): (r.debit_kopecks, r.credit_kopecks)
            for r in rows}


def postings_of(db, org_id: str) -> list:
    return db.execute(select(Posting.date, Posting.debit, Posting.credit,
                             Posting.amount_kopecks, Posting.counterparty_id)
                      .where(Posting.org_id == org_id)).all()


def recomputed(postings) -> dict[tuple, tuple[int, int]]:
    """The aggregates computed afresh, posting by posting, independently of the service."""
    out: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for p in postings:
        month = date(p.date.year, p.date.month, 1)
        out[(p.debit, p.counterparty_id or "", month)][0] += p.amount_kopecks
        out[(p.credit, p.counterparty_id or "", month)][1] += p.amount_kopecks
    return {k: (d, c) for k, (d, c) in out.items()}


def direct_balances(postings, date_from: date, date_to: date, by_cp: bool,
                    accounts: list[str] | None) -> dict[tuple, AccountBalance]:
    """What ``balances`` must answer, summed straight from the postings."""
    out: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for p in postings:
        cp = p.counterparty_id if by_cp else None
        for side, code in ((0, p.debit), (1, p.credit)):
            if accounts is not None and not any(code == a or code.startswith(a + ".")
                                                for a in accounts):
                continue
            f = out[(code, cp)]
            sign = 1 if side == 0 else -1
            if p.date < date_from:
                f[0] += sign * p.amount_kopecks
            elif p.date <= date_to:
                f[1 + side] += p.amount_kopecks
    return {k: AccountBalance(*f) for k, f in out.items() if any(f)}


# --- the property ------------------------------------------------------------------------

posting = st.tuples(
    st.lists(st.sampled_from(ACCOUNTS), min_size=2, max_size=2, unique=True),
    st.integers(min_value=1, max_value=10_000_000), st.sampled_from([None, 0, 1, 2]),
).map(lambda p: (p[0][0], p[0][1], p[1], p[2]))
operation = st.one_of(
    st.tuples(st.just("post"), st.integers(0, DAYS), st.lists(posting, min_size=1, max_size=3)),
    st.tuples(st.just("reverse"), st.integers(0, 1000), st.one_of(st.none(),
                                                                  st.integers(0, 60))),
)
MONTHS = [date(2025 + (10 + i) // 12, (10 + i) % 12 + 1, 1) for i in range(16)]
"""01.11.2025 … 01.02.2027: the month edges of the range."""


def days_near(posted: list[date]) -> st.SearchStrategy[date]:
    """A period edge: anywhere, on a month edge, or on / next to a posting's day (where
    an off-by-one in the part-month arithmetic would show)."""
    near = [d + timedelta(days=k) for d in posted for k in (-1, 0, 1)]
    return st.one_of(
        st.integers(-40, DAYS + 40).map(lambda n: START + timedelta(days=n)),
        st.sampled_from(MONTHS),
        st.sampled_from(MONTHS).map(lambda d: d - timedelta(days=1)),
        *([st.sampled_from(near)] if near else []),
    )


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=1, max_size=20), data=st.data())
def test_aggregates_and_balances_equal_the_postings(sessions, ops, data):
    ledger = Ledger()
    with sessions() as db:
        oc, cps = new_org(db)
        reversible: list[tuple[str, date]] = []
        for op in ops:
            if op[0] == "post":
                _, offset, lines = op
                day = START + timedelta(days=offset)
                made = ledger.post(db, oc, m.EntryIn(
                    date=day, description="Операция",
                    postings=[m.PostingIn(debit=d, credit=c, amount=from_kopecks(k),
                                          counterparty_id=None if i is None else cps[i])
                              for d, c, k, i in lines]))
                reversible.append((made.id, day))
            elif reversible:
                _, pick, shift = op
                entry_id, day = reversible.pop(pick % len(reversible))
                when = None if shift is None else day + timedelta(days=shift)
                ledger.reverse(db, oc, entry_id, m.ReverseIn(reason="ошибка", date=when))

        with db.begin():
            postings = postings_of(db, oc.org_id)
            aggregates = stored(db, oc.org_id)
        # Kept in step by the flush listener, posting by posting, reversals included.
        assert aggregates == recomputed(postings)
        # ``rebuild`` (the bulk-load path) arrives at the very same rows.
        turnovers.rebuild(db, oc.org_id)
        db.commit()
        with db.begin():
            assert stored(db, oc.org_id) == aggregates

        edge = days_near(sorted({p.date for p in postings}))
        for _ in range(8):
            date_from, date_to = sorted((data.draw(edge), data.draw(edge)))
            by_cp = data.draw(st.booleans())
            accounts = data.draw(st.sampled_from(
                [None, ["60"], ["62.01", "51"], ["9"], ["26", "68"]]))
            with db.begin():
                got = balances(db, oc.org_id, date_from, date_to, by_counterparty=by_cp,
                               accounts=accounts)
            want = direct_balances(postings, date_from, date_to, by_cp, accounts)
            assert got == want, (date_from, date_to, by_cp, accounts)
            if not by_cp:
                assert all(cp is None for _, cp in got)


# --- worked examples ---------------------------------------------------------------------


def test_a_posting_and_its_turnover_commit_or_roll_back_together(sessions):
    ledger = Ledger()
    with sessions() as db:
        oc, cps = new_org(db)
        entry = ledger.post(db, oc, m.EntryIn(date=date(2026, 3, 5), description="Продажа",
                                              postings=[m.PostingIn(
                                                  debit="62.01", credit="90.01",
                                                  amount=Decimal("1200.50"),
                                                  counterparty_id=cps[0])]))
        ledger.post(db, oc, m.EntryIn(date=date(2026, 3, 20), description="Оплата",
                                      postings=[m.PostingIn(debit="51", credit="62.01",
                                                            amount=Decimal("1000.00"),
                                                            counterparty_id=cps[0])]))
        ledger.reverse(db, oc, entry.id, m.ReverseIn(reason="ошибка", date=date(2026, 4, 2)))
        march, april = date(2026, 3, 1), date(2026, 4, 1)
        with db.begin():
            # 62.01: Дт 1 200,50 in March, Кт 1 000,00 in March; the reversal in April
            # is red: Дт −1 200,50.
            assert stored(db, oc.org_id) == {
                ("62.01", cps[0], march): (120_050, 100_000),
                ("90.01", cps[0], march): (0, 120_050),
                ("51", cps[0], march): (100_000, 0),
                ("62.01", cps[0], april): (-120_050, 0),
                ("90.01", cps[0], april): (0, -120_050),
            }
        # A flush that fails rolls its turnover back with it.
        with pytest.raises(ServiceError), db.begin():
            db.add(Posting(entry_id=entry.id, org_id=oc.org_id, line=7, date=march,
                           debit="51", credit="50", amount_kopecks=999))
            db.flush()
            raise ServiceError(409, "test.rollback")
        with db.begin():
            assert ("51", "", march) not in stored(db, oc.org_id)
            # 21.03–10.04 cuts both months, so March and April are read from postings.
            got = balances(db, oc.org_id, date(2026, 3, 21), date(2026, 4, 10),
                           accounts=["62"])
        # Opening on 21.03: Дт 1 200,50 (05.03) − Кт 1 000,00 (20.03) = 200,50; in the period
        # only the reversal, Дт −1 200,50; closing 200,50 − 1 200,50 = −1 000,00 (credit).
        assert got == {("62.01", None): AccountBalance(opening=20_050, debit=-120_050,
                                                       credit=0)}
        assert got[("62.01", None)].closing == -100_000


def revision_0006(engine) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")


def test_the_migration_backfills_the_existing_postings(engine):
    revision_0006(engine)
    org, cp = str(uuid.uuid4()), str(uuid.uuid4())
    entries = [str(uuid.uuid4()) for _ in range(4)]
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO organisations (id, kind, full_name, short_name, inn, ogrn, address, "
            "director, tax_regime, vat_mode, created_at, updated_at) VALUES (:id, 'ooo', "
            "'ООО «Старое»', 'Старое', '7707083893', '1027700132195', 'г. Москва', 'Иванов', "
            "'osno', 'general', :now, :now)"), {"id": org, "now": "2026-01-01 00:00:00"})
        conn.execute(text(
            "INSERT INTO counterparties (id, org_id, kind, name, name_folded, archived, "
            "created_at, updated_at) VALUES (:id, :org, 'org', 'ООО «Покупатель»', "
            "'ооо «покупатель»', false, :now, :now)"),
            {"id": cp, "org": org, "now": "2026-01-01 00:00:00"})
        book = [  # number, date, Дт, Кт, kopecks, counterparty
            (1, date(2026, 1, 10), "51", "62.01", 100_000, cp),
            (2, date(2026, 1, 20), "51", "62.01", 50_000, cp),
            (3, date(2026, 2, 3), "60.01", "51", 30_000, None),
            (4, date(2026, 2, 4), "51", "62.01", -50_000, cp),  # сторно of № 2
        ]
        for entry_id, (number, day, debit, credit, kopecks, party) in zip(entries, book,
                                                                          strict=True):
            conn.execute(text(
                "INSERT INTO entries (id, org_id, number, date, description, created_at, "
                "created_by) VALUES (:id, :org, :n, :d, 'Операция', :now, 'u')"),
                {"id": entry_id, "org": org, "n": number, "d": day,
                 "now": "2026-01-01 00:00:00"})
            conn.execute(text(
                "INSERT INTO postings (entry_id, org_id, line, date, debit, credit, "
                "amount_kopecks, counterparty_id) VALUES (:e, :org, 0, :d, :dt, :kt, :k, :cp)"),
                {"e": entry_id, "org": org, "d": day, "dt": debit, "kt": credit, "k": kopecks,
                 "cp": party})
    migrate(engine)
    jan, feb = date(2026, 1, 1), date(2026, 2, 1)
    with make_sessionmaker(engine)() as db, db.begin():
        # January: 51 Дт 1 000,00 + 500,00 = 1 500,00 (both with the buyer), 62.01 Кт the
        # same. February: 60.01 Дт 300,00 and 51 Кт 300,00 without a counterparty; the
        # reversal makes the buyer's 51 Дт −500,00 and 62.01 Кт −500,00.
        assert stored(db, org) == {
            ("51", cp, jan): (150_000, 0),
            ("62.01", cp, jan): (0, 150_000),
            ("60.01", "", feb): (30_000, 0),
            ("51", "", feb): (0, 30_000),
            ("51", cp, feb): (-50_000, 0),
            ("62.01", cp, feb): (0, -50_000),
        }
        # 51 on 01.02–28.02: opened at 1 500,00; Дт −500,00, Кт 300,00; closes 700,00.
        got = balances(db, org, feb, date(2026, 2, 28), accounts=["51"])
        assert got == {("51", None): AccountBalance(150_000, -50_000, 30_000)}
        assert got[("51", None)].closing == 70_000
