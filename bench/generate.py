"""Realistic ledger data for the benchmarks: one organisation's operations, bulk-inserted.

The user, the organisation and ~30 counterparties (valid ИНН checksums) are made through
the real API with the client layer (``ApiClient``), exactly as the app makes them; the
entries and postings go in with SQLAlchemy Core ``executemany`` in batches, which is
what makes a million postings a matter of a minute or two.

An operation is one of the things a small business books every month: sales acts
(62.01/90.01 with VAT 90.03/68.02), bank receipts (51/62.01), purchases (41.01/60.01
with input VAT 19.03/60.01), payments to suppliers (60.01/51), rent (26/60.01, 19.04/60.01,
paid 60.01/51), salaries (26/70, 26/69.01, 70/68.01, paid 70/51), bank commission
(91.02/51), cash and advances (50/51, 71/50) — entered as manual entries — and now and
then a reversal (сторно) of a recent entry.

    python bench/generate.py [--database-url URL] [--year 2025] [--scale 1]

Without ``--database-url`` a fresh SQLite file is made in a temporary directory (and
kept, its path printed). ``journal_paging.py`` reuses the pieces below.
"""

from __future__ import annotations

import argparse
import asyncio
import calendar
import random
import re
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, insert  # noqa: E402

from client.api import ApiClient  # noqa: E402
from core import contract as m  # noqa: E402
from server.db.models import Entry, Posting  # noqa: E402
from server.domain.query import fold  # noqa: E402

PASSWORD = "Белый кит плывёт на север 42"
EMAIL = "bench@example.ru"
PHONE = "+79123456789"
FAST_HASH = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}
BATCH = 10_000
"""Rows per executemany (postings; entries go with them)."""

MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
          "сентябрь", "октябрь", "ноябрь", "декабрь"]
CUSTOMERS = ["Ромашка", "Василёк", "Гвоздика", "Лютик", "Одуванчик", "Ландыш", "Колокольчик",
             "Незабудка", "Подсолнух", "Клевер", "Тюльпан", "Фиалка"]
SUPPLIERS = ["Поставка", "ТехноСнаб", "Бумага и Ко", "Канцторг", "Электросеть", "Связьинвест",
             "Клининг Про", "Логистик", "Стройматериалы", "Опт-Маркет", "Водоканал"]
LANDLORD = "Бизнес-центр «Северный»"
PEOPLE = ["Иванов Иван Иванович", "Петров Пётр Петрович", "Сидорова Анна Сергеевна",
          "Кузнецов Олег Викторович", "Смирнова Елена Павловна", "Фёдоров Илья Андреевич",
          "Морозова Ольга Игоревна"]


# --- identifiers with valid checksums (client/identifiers.py rules) --------------------


def _check_digit(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)


def inn10(n: int) -> str:
    """A company ИНН: region 77, nine digits from ``n``, the checksum digit."""
    body = f"77{n % 10_000_000:07d}"
    return body + _check_digit(body, (2, 4, 10, 3, 5, 9, 4, 6, 8))


def inn12(n: int) -> str:
    """A person's (ИП) ИНН: region 50, ten digits from ``n``, two checksum digits."""
    body = f"50{n % 100_000_000:08d}"
    body += _check_digit(body, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    return body + _check_digit(body, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))


def counterparty_bodies(count: int = 30) -> list[m.CounterpartyIn]:
    """Customers, suppliers, the landlord and a few ИП; every ИНН passes its checksum."""
    bodies = [m.CounterpartyIn(kind="org", name=f"ООО «{LANDLORD}»"[:300],
                               inn=inn10(1000), kpp="770101001")]
    for i, name in enumerate(CUSTOMERS):
        bodies.append(m.CounterpartyIn(kind="org", name=f"ООО «{name}»", inn=inn10(2000 + i),
                                       kpp="770101001"))
    for i, name in enumerate(SUPPLIERS):
        bodies.append(m.CounterpartyIn(kind="org", name=f"ООО «{name}»", inn=inn10(3000 + i),
                                       kpp="770101001"))
    i = 0
    while len(bodies) < count:
        person = PEOPLE[i % len(PEOPLE)]
        bodies.append(m.CounterpartyIn(kind="ip", name=f"ИП {person}", inn=inn12(4000 + i)))
        i += 1
    return bodies[:count]


# --- the server, through the client layer -------------------------------------------


@dataclass
class Books:
    api: ApiClient
    org_id: str
    user_id: str
    counterparties: list[m.CounterpartyOut] = field(default_factory=list)


@asynccontextmanager
async def api_for(database_url: str) -> AsyncIterator[ApiClient]:
    """An ApiClient into the real server app: the embedded server (as the app runs it)
    for a SQLite file, the same app in-process over ASGI for any other database."""
    async with AsyncExitStack() as stack:
        if database_url.startswith("sqlite:///"):
            from client.embedded import EMBEDDED_BASE_URL, EmbeddedServer, EmbeddedTransport

            server = EmbeddedServer(Path(database_url.removeprefix("sqlite:///")),
                                    **FAST_HASH)
            server.start()
            stack.push_async_callback(server.aclose)
            transport: object = EmbeddedTransport(server)
            base_url = EMBEDDED_BASE_URL
        else:
            import httpx
            from asgi_lifespan import LifespanManager

            from server.app import Settings, create_app

            app = create_app(Settings(database_url=database_url, mail_backend="local",
                                      sms_backend="local", dev_outbox=True, **FAST_HASH))
            manager = await stack.enter_async_context(
                LifespanManager(app, startup_timeout=300, shutdown_timeout=60))
            transport = httpx.ASGITransport(app=manager.app, client=("127.0.0.1", 0))
            base_url = "http://bench"
        api = ApiClient(base_url=base_url, server_key="bench",
                        transport=transport, store=None, embedded=True,  # type: ignore[arg-type]
                        backoff_s=(0,), timeout_s=600, device_name="bench")
        stack.push_async_callback(api.aclose)
        yield api


async def sign_up(api: ApiClient, counterparties: int = 30) -> Books:
    """Register, confirm, sign in, create the organisation and its counterparties."""
    await api.auth.send_sms_code(PHONE)
    sms = next(x for x in await api.auth.local_mailbox() if x.channel == "sms")
    await api.auth.register(EMAIL, PHONE, PASSWORD, re.search(r"\b(\d{6})\b", sms.body)[1])
    mail = next(x for x in await api.auth.local_mailbox() if x.channel == "email")
    await api.auth.confirm_email(
        re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b", mail.body)[1])
    user = await api.auth.login(EMAIL, PASSWORD, remember=False)
    org = await api.orgs.create(m.OrgIn(
        kind="ooo", full_name="Общество с ограниченной ответственностью «Бухта»",
        short_name="ООО «Бухта»", inn="7707083893", kpp="773601001", ogrn="1027700132195",
        address="г. Москва, ул. Вавилова, д. 19", director="Иванов Иван Иванович",
        tax_regime="osno", vat_mode="general"))
    await api.ledger.accounts(org.id)  # the chart, as the journal screen would load it
    books = Books(api, org.id, user.id)
    for body in counterparty_bodies(counterparties):
        books.counterparties.append(await api.counterparties.create(org.id, body))
    return books


# --- operations -------------------------------------------------------------------

Line = tuple[str, str, int, str | None]
"""(debit, credit, kopecks, counterparty id)."""


@dataclass
class Operation:
    day: date
    description: str
    lines: list[Line]


def _rub(rng: random.Random, low: int, high: int) -> int:
    """An amount in kopecks between ``low`` and ``high`` roubles, with kopecks."""
    return rng.randint(low * 100, high * 100)


def vat_inside(kopecks: int, rate: int) -> int:
    """VAT inside a gross amount, to the kopeck: 12 000,00 at 20 % → 2 000,00 (× 20 / 120)."""
    return (kopecks * rate * 2 + (100 + rate)) // (2 * (100 + rate))


class Ledger:
    """Draws operations of a small business; ``counterparties`` are ids from the API,
    in the order of ``counterparty_bodies`` (landlord, customers, suppliers, ИП)."""

    def __init__(self, counterparties: list[str], seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.landlord = counterparties[0]
        self.customers = counterparties[1:1 + len(CUSTOMERS)] or counterparties
        rest = counterparties[1 + len(CUSTOMERS):]
        self.suppliers = rest or counterparties
        self.act = 0

    def vat_rate(self, day: date) -> int:
        return 22 if day.year >= 2026 else 20

    def sale(self, day: date) -> Operation:
        cp = self.rng.choice(self.customers)
        self.act += 1
        gross = _rub(self.rng, 3_000, 400_000)
        return Operation(day, f"Реализация услуг по акту № {self.act}", [
            ("62.01", "90.01", gross, cp),
            ("90.03", "68.02", vat_inside(gross, self.vat_rate(day)), None)])

    def receipt(self, day: date) -> Operation:
        cp = self.rng.choice(self.customers)
        return Operation(day, f"Поступление от покупателя по счёту № {self.rng.randint(1, 999)}",
                         [("51", "62.01", _rub(self.rng, 3_000, 400_000), cp)])

    def purchase(self, day: date) -> Operation:
        cp = self.rng.choice(self.suppliers)
        gross = _rub(self.rng, 1_000, 250_000)
        vat = vat_inside(gross, self.vat_rate(day))
        return Operation(day, f"Поступление товаров по накладной № {self.rng.randint(1, 9999)}",
                         [("41.01", "60.01", gross - vat, cp), ("19.03", "60.01", vat, cp)])

    def payment(self, day: date) -> Operation:
        cp = self.rng.choice(self.suppliers)
        return Operation(day, "Оплата поставщику по счёту", [
            ("60.01", "51", _rub(self.rng, 1_000, 250_000), cp)])

    def rent(self, day: date) -> Operation:
        gross = 15_000_000  # 150 000,00 ₽ a month, VAT inside
        vat = vat_inside(gross, self.vat_rate(day))
        month = f"{MONTHS[day.month - 1]} {day.year}"
        return Operation(day, f"Аренда офиса за {month}", [
            ("26", "60.01", gross - vat, self.landlord), ("19.04", "60.01", vat, self.landlord)])

    def rent_payment(self, day: date) -> Operation:
        return Operation(day, f"Оплата аренды за {MONTHS[day.month - 1]} {day.year}",
                         [("60.01", "51", 15_000_000, self.landlord)])

    def salary(self, day: date) -> Operation:
        gross = _rub(self.rng, 40_000, 180_000)
        month = f"{MONTHS[day.month - 1]} {day.year}"
        # НДФЛ 13 %, contributions 30 % of the gross (to the kopeck, half up).
        return Operation(day, f"Начислена зарплата за {month}", [
            ("26", "70", gross, None), ("26", "69.01", (gross * 30 + 50) // 100, None),
            ("70", "68.01", (gross * 13 + 50) // 100, None)])

    def salary_payment(self, day: date) -> Operation:
        return Operation(day, f"Выплата зарплаты {self.rng.choice(PEOPLE)}", [
            ("70", "51", _rub(self.rng, 30_000, 150_000), None)])

    def commission(self, day: date) -> Operation:
        return Operation(day, "Комиссия банка за ведение счёта", [
            ("91.02", "51", _rub(self.rng, 50, 3_000), None)])

    def cash(self, day: date) -> Operation:
        if self.rng.random() < 0.5:
            return Operation(day, "Снятие наличных в кассу", [
                ("50", "51", _rub(self.rng, 5_000, 100_000), None)])
        return Operation(day, f"Выдано под отчёт {self.rng.choice(PEOPLE)}", [
            ("71", "50", _rub(self.rng, 1_000, 30_000), None)])

    def any_operation(self, day: date) -> Operation:
        """One operation of a busy day, the everyday kinds weighted by how often they come."""
        kind = self.rng.choices(
            [self.sale, self.receipt, self.purchase, self.payment, self.salary_payment,
             self.commission, self.cash],
            weights=[26, 24, 14, 16, 6, 8, 6])[0]
        return kind(day)

    def month(self, year: int, month: int, scale: float = 1.0) -> Iterator[Operation]:
        """A month as it happens: rent on the 1st (paid on the 5th), salary on the last
        day (paid on the 10th of the next), and the everyday operations in between."""
        last = calendar.monthrange(year, month)[1]
        ops = [self.rent(date(year, month, 1)), self.rent_payment(date(year, month, 5)),
               self.salary(date(year, month, last))]
        for _ in range(len(PEOPLE)):
            ops.append(self.salary_payment(date(year, month, 10)))
        everyday = [self.sale] * 20 + [self.receipt] * 18 + [self.purchase] * 10 + \
            [self.payment] * 12 + [self.commission] * 4 + [self.cash] * 6
        for _ in range(round(len(everyday) * scale)):
            kind = self.rng.choice(everyday)
            ops.append(kind(date(year, month, self.rng.randint(1, last))))
        yield from sorted(ops, key=lambda op: op.day)

    def year(self, year: int, scale: float = 1.0) -> Iterator[Operation]:
        for month in range(1, 13):
            yield from self.month(year, month, scale)

    def spread(self, start: date, end: date, postings: int) -> Iterator[Operation]:
        """Operations day by day from ``start`` to ``end`` until ``postings`` postings are
        drawn (the last operation cut to fit): rent and salary every month, the rest evenly
        over the days. Dates never go backwards, so the numbers follow the dates."""
        days = (end - start).days + 1
        per_day = postings / 1.8 / days  # an operation has 1.8 postings on average
        drawn, carry, day = 0, 0.0, start
        while drawn < postings:
            ops: list[Operation] = []
            if day.day == 1:
                ops.append(self.rent(day))
            if day.day == 5:
                ops.append(self.rent_payment(day))
            if day.day == calendar.monthrange(day.year, day.month)[1]:
                ops.append(self.salary(day))
            carry += per_day
            while carry >= 1:
                carry -= 1
                ops.append(self.any_operation(day))
            for op in ops:
                if drawn >= postings:
                    return
                op.lines = op.lines[:postings - drawn]
                drawn += len(op.lines)
                yield op
            day = day + timedelta(days=1) if day < end else day


# --- bulk insert --------------------------------------------------------------------


def bulk_insert(engine: Engine, books: Books, operations: Iterator[Operation], *,
                limit: int | None = None, reversals: float = 0.004, batch: int = BATCH,
                seed: int = 2, progress: bool = False) -> tuple[int, int]:
    """Insert the operations as entries and postings (Core executemany, ``batch`` postings
    a transaction); a share ``reversals`` of them is followed by the reversal of a recent
    entry. Stops at ``limit`` postings (the last entry cut to fit). Returns (entries,
    postings). Numbers continue after the organisation's last."""
    from sqlalchemy import func, select

    rng = random.Random(seed)
    with engine.connect() as conn:
        number = conn.scalar(select(func.max(Entry.number))
                             .where(Entry.org_id == books.org_id)) or 0
    now = datetime.now(UTC)
    recent: deque[tuple[str, int, list[Line]]] = deque(maxlen=200)
    entry_rows: list[dict] = []
    posting_rows: list[dict] = []
    entries = postings = 0
    started = time.perf_counter()

    def flush() -> None:
        nonlocal entry_rows, posting_rows
        if entry_rows:
            with engine.begin() as conn:
                conn.execute(insert(Entry), entry_rows)
                conn.execute(insert(Posting), posting_rows)
        entry_rows, posting_rows = [], []

    def add(day: date, description: str, lines: list[Line], reverses: str | None = None
            ) -> str:
        nonlocal number, entries, postings
        if limit is not None:
            lines = lines[:limit - postings]
        number += 1
        entry_id = str(uuid.uuid4())
        entry_rows.append({
            "id": entry_id, "org_id": books.org_id, "number": number, "date": day,
            "description": description, "description_folded": fold(description),
            "reverses_id": reverses, "created_at": now, "created_by": books.user_id})
        for line, (debit, credit, kopecks, cp) in enumerate(lines):
            posting_rows.append({
                "entry_id": entry_id, "org_id": books.org_id, "line": line, "date": day,
                "debit": debit, "credit": credit, "amount_kopecks": kopecks, "memo": None,
                "counterparty_id": cp})
        entries += 1
        postings += len(lines)
        return entry_id

    for op in operations:
        if limit is not None and postings >= limit:
            break
        entry_id = add(op.day, op.description, op.lines)
        recent.append((entry_id, number, op.lines))
        if recent and rng.random() < reversals and (limit is None or postings < limit):
            original_id, original_number, lines = recent.popleft()
            add(op.day, f"Сторно №{original_number}: ошибка в сумме",
                [(d, c, -k, cp) for d, c, k, cp in lines], reverses=original_id)
        if len(posting_rows) >= batch:
            flush()
            if progress and postings % (batch * 20) < batch:
                rate = postings / (time.perf_counter() - started)
                print(f"  … {postings} postings ({rate:,.0f}/s)", file=sys.stderr)
    flush()
    return entries, postings


def analyze(engine: Engine) -> None:
    """PostgreSQL's autovacuum would gather statistics after a bulk load; do it now.
    SQLite is left as the app leaves it (nothing there runs ANALYZE)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE entries")
            conn.exec_driver_sql("ANALYZE postings")
            conn.exec_driver_sql("ANALYZE counterparties")


# --- command line -------------------------------------------------------------------


async def generate(database_url: str, year: int, scale: float) -> None:
    from server.db.session import make_engine

    async with api_for(database_url) as api:
        started = time.perf_counter()
        books = await sign_up(api)
        engine = make_engine(database_url)
        try:
            ledger = Ledger([c.id for c in books.counterparties])
            entries, postings = bulk_insert(engine, books, ledger.year(year, scale))
            analyze(engine)
        finally:
            engine.dispose()
        elapsed = time.perf_counter() - started
        page = await api.ledger.entries(books.org_id, limit=20)
        print(f"organisation={books.org_id} counterparties={len(books.counterparties)}")
        print(f"entries={entries} postings={postings} fill_s={elapsed:.1f}")
        for e in page.items[:5]:
            print(f"  №{e.number} {e.date:%d.%m.%Y} {e.description} {e.total}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp dir")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiplies the everyday operations of a month (default 70)")
    args = parser.parse_args()
    url = args.database_url or \
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='buhta-bench-')) / 'bench.sqlite3'}"
    print(f"database={url}")
    asyncio.run(generate(url, args.year, args.scale))


if __name__ == "__main__":
    main()
