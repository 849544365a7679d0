"""Windows sized to the screen (Pilot at 80x24): the journal asks for about two screenfuls,
the next page as the cursor nears the end, and coming back to it revalidates the page it
shows (If-None-Match → 304) instead of loading it again."""

from __future__ import annotations

from screens.ledger.entry_form import EntryFormScreen
from screens.ledger.journal import LedgerScreen
from tests.tui.conftest import settle
from tests.tui.test_ledger_screens import books
from tests.tui.test_org_screens import sign_in

SIZE = (80, 24)
VISIBLE = 15
"""Rows the journal's table shows at 80x24 (16 high, less its header)."""


async def journal_of(http, entries: int) -> None:
    h, base = await books(http)
    for i in range(entries):
        resp = await http.post(f"{base}/entries", headers=h, json={
            "date": "2026-03-02", "description": f"Оплата по счёту {i + 1}",
            "postings": [{"debit": "51", "credit": "62.01", "amount": "10.00"}]})
        assert resp.status_code == 201, resp.text


def traffic(api) -> list[tuple[str, str, str | None]]:
    """(what, query, If-None-Match) of each request and (what, status) of each answer."""
    seen: list = []

    async def asked(request) -> None:
        seen.append(("ask", request.url.path.rsplit("/", 1)[-1],
                     dict(request.url.params), request.headers.get("if-none-match")))

    async def answered(response) -> None:
        seen.append(("got", response.request.url.path.rsplit("/", 1)[-1],
                     response.status_code))

    api._http.event_hooks["request"].append(asked)
    api._http.event_hooks["response"].append(answered)
    return seen


async def open_march(pilot) -> LedgerScreen:
    await pilot.press("2")
    await settle(pilot)
    journal = pilot.app.screen
    assert isinstance(journal, LedgerScreen)
    while journal.month.month != 3 or journal.month.year != 2026:
        await pilot.press("left_square_bracket" if journal.month.year * 12 + journal.month.month
                          > 2026 * 12 + 3 else "right_square_bracket")
        await settle(pilot)
    return journal


async def test_the_journal_asks_for_two_screenfuls_and_the_next_near_the_end(app, http, api):
    await journal_of(http, 120)
    seen = traffic(api)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        journal = await open_march(pilot)
        asks = [s for s in seen if s[0] == "ask" and s[1] == "entries"]
        limit = int(asks[-1][2]["limit"])
        # About two screenfuls: 2 × 15 rows (2 × 16 before the table is laid out).
        assert 2 * VISIBLE <= limit <= 2 * (VISIBLE + 1), limit
        assert "cursor" not in asks[-1][2]
        assert len(journal.entries) == limit
        table = journal.table
        assert table.page_size == limit  # measured once: the same question each time
        seen.clear()
        # Half a screen before the end of what is loaded the next page is asked for.
        for _ in range(limit - VISIBLE // 2 - 2):
            await pilot.press("down")
        await settle(pilot)
        assert not [s for s in seen if s[0] == "ask" and s[1] == "entries"]
        await pilot.press("down", "down")
        await settle(pilot)
        nxt = [s for s in seen if s[0] == "ask" and s[1] == "entries"]
        assert len(nxt) == 1 and nxt[0][2].get("cursor") and int(nxt[0][2]["limit"]) == limit
        assert len(journal.entries) == 2 * limit


async def test_coming_back_revalidates_with_a_304_and_keeps_the_cursor(app, http, api):
    await journal_of(http, 60)
    seen = traffic(api)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        journal = await open_march(pilot)
        for _ in range(5):
            await pilot.press("down")
        await settle(pilot)
        rows = journal.table.row_count
        first = [s for s in seen if s[0] == "ask" and s[1] == "entries"][-1]
        await pilot.press("1")  # the dashboard, and back
        await settle(pilot)
        seen.clear()
        await pilot.press("2")
        await settle(pilot)
        assert pilot.app.screen is journal
        asks = [s for s in seen if s[0] == "ask" and s[1] == "entries"]
        got = [s for s in seen if s[0] == "got" and s[1] == "entries"]
        # Once, the same question, with the tag: 304, and nothing else for the journal.
        assert len(asks) == 1 and asks[0][2] == first[2] and asks[0][3]
        assert [s[2] for s in got] == [304]
        assert journal.table.row_count == rows and journal.table.cursor_row == 5
        # A month back and forward again: the month seen before is the same question.
        await pilot.press("left_square_bracket")
        await settle(pilot)
        seen.clear()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        asks = [s for s in seen if s[0] == "ask" and s[1] == "entries"]
        got = [s for s in seen if s[0] == "got" and s[1] == "entries"]
        assert asks[0][2] == first[2] and [s[2] for s in got] == [304]


async def test_the_entry_form_left_without_posting_loads_nothing(app, http, api):
    await journal_of(http, 3)
    seen = traffic(api)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await open_march(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, EntryFormScreen)
        seen.clear()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LedgerScreen)
        assert not [s for s in seen if s[1] in ("entries", "periods")], seen
