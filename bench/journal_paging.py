"""Journal paging and queries at scale, through the client layer (``ApiClient.entries``).

A fresh database (SQLite in a temp dir, or ``--database-url``, where a schema of its own
is made and dropped on PostgreSQL) gets a user and an organisation through the real API,
then ``--postings`` postings bulk-inserted (``bench/generate.py``: entries of 1–3 postings
over several years, most with counterparties). Then, timed one request at a time:

- pages: the first page (several times), 20 pages forward from it, and 5 pages forward
  from cursors deep in the ledger (a quarter, half, three quarters and all the way down);
- queries: ``acct:51 amt:>10000``, ``cp:<ИНН>``, ``desc:аренда date:2025-Q1`` (first page).

The goal: paging stays flat as the ledger grows — the median page time at 1 000 000
postings at most twice the one at 10 000. ``--baseline-postings 10000`` runs that small
ledger first in the same process and prints the ratios. The last three lines are always
``page_ms_median=…``, ``query_ms_median=…`` and ``peak_rss_mb=…``.

    python bench/journal_paging.py [--postings 10000] [--baseline-postings 10000]
                                   [--database-url URL] [--page-size 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as gen
from sqlalchemy import create_engine, func, select, text

from server.db.models import Entry
from server.db.session import make_engine, normalize_url
from server.services.paging import encode_cursor_value

START, END = date(2021, 1, 1), date(2025, 12, 31)
FORWARD_PAGES = 20
JUMP_PAGES = 5
JUMPS = (0.25, 0.5, 0.75, 0.999)


@dataclass
class Result:
    postings: int
    entries: int = 0
    fill_s: float = 0.0
    first_ms: list[float] = field(default_factory=list)
    forward_ms: list[float] = field(default_factory=list)
    jump_ms: list[float] = field(default_factory=list)
    query_ms: dict[str, list[float]] = field(default_factory=dict)

    @property
    def page_ms(self) -> list[float]:
        return self.first_ms + self.forward_ms + self.jump_ms

    @property
    def all_query_ms(self) -> list[float]:
        return [x for times in self.query_ms.values() for x in times]


async def timed(call: Callable[[], Awaitable[object]]) -> tuple[float, object]:
    started = time.perf_counter()
    value = await call()
    return (time.perf_counter() - started) * 1000, value


def ms(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else "-"


class Database:
    """A fresh database for one run: a SQLite file, or a PostgreSQL schema of its own."""

    def __init__(self, base_url: str | None, workdir: Path, name: str) -> None:
        self.schema: str | None = None
        self.base_url = base_url
        if base_url is None or base_url.startswith("sqlite"):
            self.url = f"sqlite:///{workdir / f'{name}.sqlite3'}"
            return
        self.schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        joiner = "&" if "?" in base_url else "?"
        self.url = f"{base_url}{joiner}options=-csearch_path%3D{self.schema}"
        self._admin(f'CREATE SCHEMA "{self.schema}"')

    def _admin(self, sql: str) -> None:
        assert self.base_url is not None
        engine = create_engine(normalize_url(self.base_url))
        try:
            with engine.begin() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.schema:
            self._admin(f'DROP SCHEMA "{self.schema}" CASCADE')


async def run(postings: int, base_url: str | None, workdir: Path, *, page_size: int,
              repeat: int) -> Result:
    result = Result(postings)
    db = Database(base_url, workdir, f"p{postings}")
    try:
        async with gen.api_for(db.url) as api:
            books = await gen.sign_up(api)
            engine = make_engine(db.url)
            try:
                started = time.perf_counter()
                ledger = gen.Ledger([c.id for c in books.counterparties])
                result.entries, inserted = gen.bulk_insert(
                    engine, books, ledger.spread(START, END, postings), limit=postings,
                    progress=True)
                assert inserted == postings, inserted
                gen.analyze(engine)
                result.fill_s = time.perf_counter() - started
                # Cursors deep in the ledger, as the server makes them for the last row of
                # a page (newest first: position p counts from the newest entry).
                cursors = []
                with engine.connect() as conn:
                    for share in JUMPS:
                        row = conn.execute(
                            select(Entry.date, Entry.number).where(Entry.org_id == books.org_id)
                            .order_by(Entry.date.desc(), Entry.number.desc())
                            .offset(int(result.entries * share)).limit(1)).one()
                        cursors.append(encode_cursor_value(f"{row.date}/{row.number}", "e"))
                    total = conn.scalar(select(func.count()).select_from(Entry))
                assert total == result.entries
            finally:
                engine.dispose()
            org = books.org_id
            print(f"[{postings}] filled: {result.entries} entries in {result.fill_s:.1f} s",
                  file=sys.stderr)

            # Warm-up: imports, first connections, page cache.
            await api.ledger.entries(org, limit=page_size)
            for _ in range(repeat):
                elapsed, _page = await timed(lambda: api.ledger.entries(org, limit=page_size))
                result.first_ms.append(elapsed)
            cursor = None
            for _ in range(FORWARD_PAGES):
                elapsed, page = await timed(
                    lambda c=cursor: api.ledger.entries(org, cursor=c, limit=page_size))
                assert len(page.items) == page_size  # type: ignore[attr-defined]
                result.forward_ms.append(elapsed)
                cursor = page.next_cursor  # type: ignore[attr-defined]
            for deep in cursors:
                cursor = deep
                for _ in range(JUMP_PAGES):
                    if cursor is None:
                        break
                    elapsed, page = await timed(
                        lambda c=cursor: api.ledger.entries(org, cursor=c, limit=page_size))
                    result.jump_ms.append(elapsed)
                    cursor = page.next_cursor  # type: ignore[attr-defined]

            customer = books.counterparties[1]
            queries = ["acct:51 amt:>10000", f"cp:{customer.inn}", "desc:аренда date:2025-Q1"]
            for q in queries:
                await api.ledger.entries(org, q=q, limit=page_size)  # warm-up
                times = result.query_ms.setdefault(q, [])
                for _ in range(repeat):
                    elapsed, page = await timed(lambda q=q: api.ledger.entries(org, q=q,
                                                                        limit=page_size))
                    assert page.items, q  # type: ignore[attr-defined]
                    times.append(elapsed)
    finally:
        db.drop()
    print(f"[{postings}] pages: first {ms(result.first_ms)} ms, forward "
          f"{ms(result.forward_ms)} ms, deep {ms(result.jump_ms)} ms "
          f"({len(result.page_ms)} pages of {page_size})")
    for q, times in result.query_ms.items():
        print(f"[{postings}] query {q!r}: {ms(times)} ms")
    return result


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="buhta-bench-") as tmp:
        workdir = Path(tmp)
        baseline = None
        if args.baseline_postings:
            baseline = await run(args.baseline_postings, args.database_url, workdir,
                                 page_size=args.page_size, repeat=args.repeat)
        result = await run(args.postings, args.database_url, workdir,
                           page_size=args.page_size, repeat=args.repeat)
    print(f"postings={result.postings} entries={result.entries} fill_s={result.fill_s:.1f}")
    if baseline is not None:
        page_ratio = statistics.median(result.page_ms) / statistics.median(baseline.page_ms)
        query_ratio = (statistics.median(result.all_query_ms)
                       / statistics.median(baseline.all_query_ms))
        print(f"baseline_postings={baseline.postings} "
              f"baseline_page_ms_median={ms(baseline.page_ms)} "
              f"baseline_query_ms_median={ms(baseline.all_query_ms)}")
        print(f"page_ratio={page_ratio:.2f} (goal: at most 2)")
        print(f"query_ratio={query_ratio:.2f}")
    print(f"page_ms_median={ms(result.page_ms)}")
    print(f"query_ms_median={ms(result.all_query_ms)}")
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak_rss_mb={rss_kib / 1024:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--baseline-postings", type=int, default=0,
                        help="run this smaller ledger first and print the ratios")
    parser.add_argument("--database-url", default=os.environ.get("BUHTA_BENCH_DATABASE_URL"),
                        help="default: SQLite in a temp dir; PostgreSQL gets its own schema")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed runs of the first page and of each query")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
