"""Report speed: the trial balance through the client layer against ledger-cli and hledger
reading the same books from the journal export.

A fresh database (SQLite in a temp dir, or ``--database-url``: a PostgreSQL schema of its
own, dropped at the end) gets a user, an organisation and its counterparties through the
real API, then ``--postings`` postings bulk-inserted over 2021–2025 with SQLAlchemy Core
(``bench/generate.py``, as ``bench/journal_paging.py`` does), then the per-month turnover
aggregates are rebuilt (``server.services.turnovers.rebuild``: a Core load bypasses the
listener that keeps them).

Timed, for a quarter (2025-Q2) and for a year (2025):

- Buhta: ``ApiClient.trial_balance`` (the оборотно-сальдовая ведомость, all the way
  through the API), the median of ``--repeat`` runs after a warm-up;
- peers: the books exported with the export service (``server.services.export``) to a
  temporary journal, then ``ledger -f FILE bal -b … -e …`` and ``hledger -f FILE bal -b …
  -e …`` (``--no-total --depth 1``, hledger ``--flat``), the median of ``--tool-repeat`` runs.

The period's turnover of every synthetic account (debit minus credit: ledger shows a
debit positive, as we do) is compared between the trial balance and each tool.
The last lines are ``speedup_vs_ledger=…`` and ``speedup_vs_hledger=…`` (the tool's time
over ours, the smaller of the quarter and year ratios; ``n/a`` when skipped) and
``totals_agree=yes|no``. The goal at 1 000 000 postings: at least 500× ledger-cli with
identical totals.

    python bench/report_speed.py [--postings 100000] [--peers ledger,hledger]
                                 [--database-url URL] [--repeat 7] [--tool-repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as gen  # puts the repository on sys.path
from journal_paging import END, START, Database

from server.db.session import make_engine, make_sessionmaker
from server.domain.roles import Role
from server.services.context import Ctx, OrgCtx
from server.services.export import JournalExport

PERIODS = {
    "quarter": (date(2025, 4, 1), date(2025, 6, 30)),
    "year": (date(2025, 1, 1), date(2025, 12, 31)),
}
PEERS = ("ledger", "hledger")
INSTALL = "sudo apt-get install ledger hledger"


@dataclass
class Figures:
    """Turnover (debit − credit) per synthetic account, in roubles."""

    by_account: dict[str, Decimal] = field(default_factory=dict)

    def differences(self, other: Figures) -> list[str]:
        accounts = sorted(set(self.by_account) | set(other.by_account))
        out = []
        for account in accounts:
            ours = self.by_account.get(account, Decimal(0))
            theirs = other.by_account.get(account, Decimal(0))
            if ours != theirs:
                out.append(f"{account}: {ours} vs {theirs}")
        return out


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def parse_bal(output: str) -> Figures:
    """``bal --no-total --depth 1`` lines: ``  -146296.5  62`` (no commodity)."""
    figures = Figures()
    for line in output.splitlines():
        amount, _, account = line.strip().partition("  ")
        if not amount:
            continue
        figures.by_account[account.strip()] = Decimal(amount)
    return figures


def tool_command(tool: str, journal: Path, first: date, last: date) -> list[str]:
    # -e is exclusive in both tools: the day after the period. ledger's --flat would hide
    # every account that has sub-accounts at --depth 1; its tree at depth 1 is flat anyway.
    return [tool, "-f", str(journal), "bal", "-b", first.isoformat(),
            "-e", (last + timedelta(days=1)).isoformat(), "--no-total", "--depth", "1",
            *(["--flat"] if tool == "hledger" else [])]


def run_tool(tool: str, journal: Path, first: date, last: date,
             repeat: int) -> tuple[float, Figures]:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}  # hledger reads UTF-8 so
    times, output = [], ""
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(tool_command(tool, journal, first, last), capture_output=True,
                              text=True, env=env, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{tool} failed: {done.stderr.strip()[:2000]}")
        output = done.stdout
    return statistics.median(times), parse_bal(output)


def export_journal(url: str, books: gen.Books, fmt: str, path: Path) -> tuple[float, int]:
    """The books through the export service into ``path``; (seconds, bytes)."""
    engine = make_engine(url)
    try:
        oc = OrgCtx(ctx=Ctx(ip="bench", user_id=books.user_id), org_id=books.org_id,
                    user_id=books.user_id, role=Role.ACCOUNTANT)
        started = time.perf_counter()
        with path.open("w", encoding="utf-8") as fh:
            for chunk in JournalExport(make_sessionmaker(engine)).start(oc, fmt):
                fh.write(chunk)
        return time.perf_counter() - started, path.stat().st_size
    finally:
        engine.dispose()


def ours(tb: object) -> Figures:
    figures = Figures()
    for row in tb.rows:  # type: ignore[attr-defined]
        if row.level == 0:
            figures.by_account[row.account] = row.debit - row.credit
    return figures


async def run(args: argparse.Namespace, workdir: Path) -> None:
    from server.services import turnovers

    peers = [p for p in args.peers.split(",") if p]
    missing = [p for p in peers if shutil.which(p) is None]
    for tool in missing:
        print(f"{tool} is not installed: skipped (install: {INSTALL})", file=sys.stderr)
    peers = [p for p in peers if p not in missing]

    db = Database(args.database_url, workdir, f"r{args.postings}")
    try:
        async with gen.api_for(db.url) as api:
            books = await gen.sign_up(api)
            engine = make_engine(db.url)
            try:
                started = time.perf_counter()
                ledger = gen.Ledger([c.id for c in books.counterparties])
                entries, inserted = gen.bulk_insert(
                    engine, books, ledger.spread(START, END, args.postings),
                    limit=args.postings, progress=True)
                assert inserted == args.postings, inserted
                fill_s = time.perf_counter() - started
                started = time.perf_counter()
                with make_sessionmaker(engine)() as session:
                    turnovers.rebuild(session, books.org_id)
                gen.analyze(engine)
                rebuild_s = time.perf_counter() - started
            finally:
                engine.dispose()
            print(f"filled: {entries} entries, {inserted} postings in {fill_s:.1f} s; "
                  f"turnovers rebuilt in {rebuild_s:.1f} s", file=sys.stderr)

            tb_s: dict[str, float] = {}
            tb_figures: dict[str, Figures] = {}
            for name, (first, last) in PERIODS.items():
                await api.reports.trial_balance(books.org_id, first.isoformat(), last.isoformat())
                times = []
                for _ in range(args.repeat):
                    # A full answer every time, not a 304 from the client's ETag cache.
                    api.transport.clear_cache()
                    started = time.perf_counter()
                    tb = await api.reports.trial_balance(books.org_id, first.isoformat(),
                                                 last.isoformat())
                    times.append(time.perf_counter() - started)
                tb_s[name] = statistics.median(times)
                tb_figures[name] = ours(tb)
                print(f"buhta trial balance, {name} {first}..{last}: "
                      f"{median_ms(times):.1f} ms (median of {args.repeat}, "
                      f"{len(tb.rows)} rows)")

        tool_s: dict[str, dict[str, float]] = {}
        agree: list[bool] = []
        for tool in peers:
            journal = workdir / f"books.{tool}.journal"
            export_s, size = export_journal(db.url, books, tool, journal)
            print(f"export for {tool}: {size / 1e6:.1f} MB in {export_s:.1f} s "
                  f"({args.postings / export_s:,.0f} postings/s)")
            tool_s[tool] = {}
            for name, (first, last) in PERIODS.items():
                elapsed, figures = run_tool(tool, journal, first, last, args.tool_repeat)
                tool_s[tool][name] = elapsed
                diff = tb_figures[name].differences(figures)
                agree.append(not diff)
                print(f"{tool} bal, {name}: {elapsed:.2f} s (median of {args.tool_repeat}); "
                      f"{elapsed / tb_s[name]:.0f}× our time; totals "
                      f"{'agree' if not diff else 'DIFFER: ' + '; '.join(diff[:10])}")
            journal.unlink()
    finally:
        db.drop()

    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"postings={args.postings} entries={entries} fill_s={fill_s:.1f} "
          f"rebuild_s={rebuild_s:.1f} peak_rss_mb={rss_kib / 1024:.1f}")
    print(" ".join(f"tb_{name}_ms={tb_s[name] * 1000:.2f}" for name in PERIODS))
    for tool in peers:
        print(" ".join(f"{tool}_{name}_s={tool_s[tool][name]:.3f}" for name in PERIODS))
    for tool in PEERS:
        if tool in tool_s:
            ratio = min(tool_s[tool][name] / tb_s[name] for name in PERIODS)
            print(f"speedup_vs_{tool}={ratio:.0f}")
        else:
            print(f"speedup_vs_{tool}=n/a")
    print(f"totals_agree={'n/a' if not agree else 'yes' if all(agree) else 'no'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--peers", default="ledger,hledger",
                        help="comma-separated: ledger, hledger (--peers ledger skips hledger)")
    parser.add_argument("--database-url", default=os.environ.get("BUHTA_BENCH_DATABASE_URL"),
                        help="default: SQLite in a temp dir; PostgreSQL gets its own schema")
    parser.add_argument("--repeat", type=int, default=7,
                        help="timed trial balances per period")
    parser.add_argument("--tool-repeat", type=int, default=3,
                        help="timed runs of each tool per period")
    args = parser.parse_args()
    unknown = [p for p in args.peers.split(",") if p and p not in PEERS]
    if unknown:
        parser.error(f"unknown peer(s): {', '.join(unknown)} (ledger, hledger)")
    with tempfile.TemporaryDirectory(prefix="buhta-bench-") as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()
