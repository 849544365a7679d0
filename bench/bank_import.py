"""Bank statement import at scale, through the client layer (upload → post).

A fresh embedded server over a temp SQLite file (or ``--database-url``: the same app over
ASGI) gets a user and an organisation with a bank account through the real API
(``bench/generate.py``). A 1CClientBankExchange statement of ``--lines`` documents is
built in memory: ~200 counterparties with valid ИНН checksums (``generate.inn10`` /
``inn12``), customers paying in, suppliers paid, bank fees, the ЕНП, salaries. Then,
timed: ``ApiClient.upload_statement`` (parse, match, propose, stage, the preview back)
and ``ApiClient.post_import`` (counterparties, entries, postings, turnovers in one
transaction). The goal: 10 000 lines in under 2 seconds. The last line is always
``import_s=…`` (upload + post).

    python bench/bank_import.py [--lines 10000] [--counterparties 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
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


async def run(database_url: str, lines: int, counterparties: int) -> float:
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
        return upload_s + post_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--counterparties", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("BUHTA_BENCH_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        total = asyncio.run(run(url, args.lines, args.counterparties))
    print(f"import_s={total:.3f}")


if __name__ == "__main__":
    main()
