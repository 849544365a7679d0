"""Bank statement import at scale, through the client layer (upload → post).

A fresh embedded server over a temp SQLite file (or ``--database-url``: the same app over
ASGI) gets a user and an organisation with a bank account through the real API
(``bench/generate.py``). A 1CClientBankExchange statement of ``--lines`` documents is
built in memory: ~200 counterparties with valid ИНН checksums (``generate.inn10`` /
``inn12``), customers paying in, suppliers paid, bank fees, the ЕНП, salaries. Then,
timed: ``ApiClient.upload_statement`` (parse, match, propose, stage, the preview back)
and ``ApiClient.post_import`` (counterparties, entries, postings, turnovers in one
transaction). The goal: 10 000 lines in under 2 seconds.

Then the raw baseline, measured in the same run on the same database: the entries and
postings the import made, copied (new ids and numbers) and inserted with one raw DBAPI
``executemany`` each into the same tables, in one transaction — what the rows cost the
database without parsing, matching, staging, the preview, HTTP or the turnover aggregates.
``import_ratio`` is (upload + post) / baseline (goal: at most 3). On PostgreSQL the run
gets a schema of its own, dropped at the end. The last lines are
always ``import_s=…`` (upload + post), ``baseline_s=…`` and ``import_ratio=…``; with
``--runs N`` (a busy machine: the figures of one run scatter) the whole run is made N
times, each on a fresh database, each run's figures printed, and the last lines are the
medians (the ratio the median of the runs' ratios).

    python bench/bank_import.py [--lines 10000] [--counterparties 200] [--database-url URL]
                                [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as gen

from core import contract as m

ACCOUNT = "40702810038000000008"  # valid with БИК 044525225 (reference §8)
SBER = m.BankAccountIn(bik="044525225", account=ACCOUNT,
                       corr_account="30101810400000000225", bank_name="ПАО Сбербанк")
TREASURY = ("7727406020", "770801001", "Казначейство России (ФНС России)",
            "03100643000000018500")


def parties(count: int) -> list[tuple[str, str, str, str]]:
    """(ИНН, КПП, name, account): companies and ИП, every ИНН with a valid checksum."""
    out = []
    names = gen.CUSTOMERS + gen.SUPPLIERS
    for i in range(count):
        if i % 4 == 3:
            person = gen.PEOPLE[i % len(gen.PEOPLE)]
            out.append((gen.inn12(7000 + i), "", f"ИП {person}", f"40802810{i:012d}"))
        else:
            out.append((gen.inn10(5000 + i), "770101001",
                        f"ООО «{names[i % len(names)]} {i}»", f"40702810{i:012d}"))
    return out


def statement(lines: int, counterparties: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    people = parties(counterparties)
    own = ("7707083893", "773601001", "ООО «Бухта»", ACCOUNT)
    start = date(2026, 1, 1)
    out = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows",
           "Отправитель=Сбербанк Бизнес Онлайн", "ДатаНачала=01.01.2026",
           "ДатаКонца=31.12.2026", f"РасчСчет={ACCOUNT}", "Документ=Платежное поручение"]
    docs: list[str] = []
    credited = debited = 0
    for n in range(lines):
        day = start + timedelta(days=n * 365 // max(lines, 1))
        roll = rng.random()
        kind = "Платежное поручение"
        kopecks = rng.randint(100_00, 500_000_00)
        if roll < 0.5:
            payer, payee = rng.choice(people), own
            purpose = f"Оплата по счету № {n} от {day:%d.%m.%Y}, без НДС"
        elif roll < 0.85:
            payer, payee = own, rng.choice(people)
            purpose = f"Оплата по договору № {n % 97}, без НДС"
        elif roll < 0.93:
            kind, payer, payee = "Банковский ордер", own, ("", "", "ПАО Сбербанк",
                                                           "70601810000000000001")
            kopecks = rng.randint(10_00, 3_000_00)
            purpose = "Комиссия за перевод"
        elif roll < 0.97:
            payer, payee = own, TREASURY
            purpose = "Единый налоговый платеж"
        else:
            payer, payee = own, ("", "", gen.PEOPLE[n % len(gen.PEOPLE)],
                                 "40817810899910004312")
            purpose = "Заработная плата за месяц"
        if payee is own:
            credited += kopecks
        else:
            debited += kopecks
        amount = f"{kopecks // 100}.{kopecks % 100:02d}"
        docs += [f"СекцияДокумент={kind}", f"Номер={n + 1}", f"Дата={day:%d.%m.%Y}",
                 f"Сумма={amount}", f"ПлательщикСчет={payer[3]}", f"ПлательщикИНН={payer[0]}",
                 f"ПлательщикКПП={payer[1]}", f"Плательщик1={payer[2]}",
                 "ПлательщикБИК=044525225", f"ПолучательСчет={payee[3]}",
                 f"ПолучательИНН={payee[0]}", f"ПолучательКПП={payee[1]}",
                 f"Получатель1={payee[2]}", "ПолучательБИК=044525225",
                 f"НазначениеПлатежа={purpose}",
                 f"Дата{'Поступило' if payee is own else 'Списано'}={day:%d.%m.%Y}",
                 "КонецДокумента"]
    opening = 1_000_000_00

    def rub(k: int) -> str:
        return f"{k // 100}.{k % 100:02d}"

    out += ["СекцияРасчСчет", "ДатаНачала=01.01.2026", "ДатаКонца=31.12.2026",
            f"РасчСчет={ACCOUNT}", f"НачальныйОстаток={rub(opening)}",
            f"ВсегоПоступило={rub(credited)}", f"ВсегоСписано={rub(debited)}",
            f"КонечныйОстаток={rub(opening + credited - debited)}", "КонецРасчСчет"]
    return "\r\n".join([*out, *docs, "КонецФайла"]).encode("cp1251")


def baseline(database_url: str, org_id: str) -> float:
    """Seconds to insert a copy of the organisation's entries and postings (new ids,
    numbers after the last) with one raw DBAPI ``executemany`` per table, in one
    transaction: the statements compiled and the rows turned into driver values before
    the clock starts, so only the database's own work is timed."""
    from sqlalchemy import func, insert, select

    from server.db.models import Entry, Posting, new_id
    from server.db.session import make_engine

    engine = make_engine(database_url)
    try:
        E, P = Entry.__table__, Posting.__table__
        with engine.connect() as conn:
            entries = [dict(r._mapping) for r in conn.execute(
                select(E).where(E.c.org_id == org_id).order_by(E.c.number))]
            postings = [dict(r._mapping) for r in conn.execute(
                select(P).where(P.c.org_id == org_id).order_by(P.c.entry_id, P.c.line))]
            top = conn.scalar(select(func.max(E.c.number)).where(E.c.org_id == org_id)) or 0
        fresh = {e["id"]: new_id() for e in entries}
        entry_rows = [{**e, "id": fresh[e["id"]], "number": top + i + 1, "reverses_id": None}
                      for i, e in enumerate(entries)]
        posting_rows = [{k: v for k, v in {**p, "entry_id": fresh[p["entry_id"]]}.items()
                         if k != "id"} for p in postings]
        statements = []
        for table, rows in ((E, entry_rows), (P, posting_rows)):
            compiled = insert(table).compile(dialect=engine.dialect, column_keys=list(rows[0]))
            processors = compiled._bind_processors
            if compiled.positiontup is not None:  # qmark / format: tuples in order
                order = list(compiled.positiontup)
                params: list = [tuple(processors[n](r[n]) if n in processors else r[n]
                                      for n in order) for r in rows]
            else:  # pyformat (psycopg): dicts by name
                params = [{n: processors[n](v) if n in processors else v
                           for n, v in r.items()} for r in rows]
            statements.append((compiled.string, params))
        raw = engine.raw_connection()
        try:
            started = time.perf_counter()
            cursor = raw.cursor()
            if engine.dialect.name == "sqlite":
                cursor.execute("BEGIN")  # SQLAlchemy leaves pysqlite in autocommit
            for sql, params in statements:
                cursor.executemany(sql, params)
            raw.commit()
            return time.perf_counter() - started
        finally:
            raw.close()
    finally:
        engine.dispose()


async def run(database_url: str, lines: int, counterparties: int) -> tuple[float, str]:
    async with gen.api_for(database_url) as api:
        books = await gen.sign_up(api, counterparties=0)
        org = await api.orgs.get(books.org_id)
        body = m.OrgIn.model_validate({
            **{k: getattr(org, k) for k in m.OrgIn.model_fields if hasattr(org, k)
               and k != "bank_accounts"},
            "bank_accounts": [SBER]})
        await api.orgs.update(books.org_id, body)

        started = time.perf_counter()
        data = statement(lines, counterparties)
        build_s = time.perf_counter() - started
        print(f"build_s={build_s:.3f} bytes={len(data)}")

        started = time.perf_counter()
        preview = await api.bank.upload_statement(books.org_id, data, "kl_to_1c.txt")
        upload_s = time.perf_counter() - started
        c = preview.counts
        print(f"upload_s={upload_s:.3f} lines={c.total} new={c.new} "
              f"duplicate={c.duplicate} unknown={c.unknown_account}")

        started = time.perf_counter()
        result = await api.bank.post_import(books.org_id, preview.id)
        post_s = time.perf_counter() - started
        print(f"post_s={post_s:.3f} posted={result.posted} "
              f"counterparties_created={result.counterparties_created}")

        started = time.perf_counter()
        again = await api.bank.upload_statement(books.org_id, data, "again.txt")
        print(f"reupload_s={time.perf_counter() - started:.3f} "
              f"duplicates={again.counts.duplicate}")
        assert result.posted == c.new and again.counts.new == 0
        rec = await api.bank.reconciliation(books.org_id, preview.id)
        print(f"reconciliation_consistent={all(r.consistent for r in rec.rows)}")
        return upload_s + post_s, books.org_id


@contextmanager
def scratch(database_url: str | None) -> Iterator[str | None]:
    """A PostgreSQL URL with a schema of its own (created empty, dropped afterwards), so
    a run starts from fresh tables and never meets an earlier run's user or rows; any
    other URL (or none) as given."""
    if not database_url or not database_url.startswith("postgresql"):
        yield database_url
        return
    from sqlalchemy import create_engine, text

    from server.db.session import normalize_url

    schema = f"bench_{uuid.uuid4().hex[:16]}"
    admin = create_engine(normalize_url(database_url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    joiner = "&" if "?" in database_url else "?"
    try:
        yield f"{database_url}{joiner}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--counterparties", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("BUHTA_BENCH_DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=1,
                        help="whole runs, each on a fresh database; the last lines are "
                             "then the medians (the ratio: of the runs' ratios)")
    args = parser.parse_args()
    figures: list[tuple[float, float]] = []
    for n in range(max(1, args.runs)):
        with tempfile.TemporaryDirectory() as tmp, scratch(args.database_url) as given:
            url = given or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            total, org_id = asyncio.run(run(url, args.lines, args.counterparties))
            base = baseline(url, org_id)
        figures.append((total, base))
        if args.runs > 1:
            print(f"run={n + 1} import_s={total:.3f} baseline_s={base:.3f} "
                  f"import_ratio={total / base:.2f}")
    total = statistics.median(t for t, _ in figures)
    base = statistics.median(b for _, b in figures)
    print(f"import_s={total:.3f}")
    print(f"baseline_s={base:.3f}")
    print(f"import_ratio={statistics.median(t / b for t, b in figures):.2f}")


if __name__ == "__main__":
    main()
