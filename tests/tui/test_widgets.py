"""Shared widgets: the tick box, the server-paged table, typed worker messages."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Checkbox, Static

from tui.screen import BuhtaScreen
from tui.widgets.form import ErrorLine, TickBox
from tui.widgets.paged_table import PagedTable
from tui.workers import Done


class TickApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[bool] = []

    def compose(self) -> ComposeResult:
        yield TickBox("Цены включают НДС", id="box")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.changes.append(event.value)


async def test_a_tick_box_shows_its_state_and_tells_the_form():
    app = TickApp()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(TickBox)
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        assert box.value and box.BUTTON_INNER == "✓" and box.has_class("-on")
        await pilot.press("space")
        await pilot.pause()
        assert not box.value and box.BUTTON_INNER == " "
        # Each toggle reaches the form as Checkbox.Changed (the form recomputes totals).
        assert app.changes == [True, False]
        # Enter is the form's (submit), not the box's.
        await pilot.press("enter")
        await pilot.pause()
        assert not box.value


# --- PagedTable and typed worker messages ------------------------------------------------


@dataclass
class FakePage:
    items: list[int]
    next_cursor: str | None


class FakeApi:
    """Pages of numbers 1…total, ``size`` a page; a gate holds an answer back."""

    def __init__(self, total: int, size: int) -> None:
        self.total, self.size = total, size
        self.asked: list[tuple[str, str | None]] = []
        self.gate: asyncio.Event | None = None

    async def numbers(self, tag: str, cursor: str | None) -> FakePage:
        self.asked.append((tag, cursor))
        if self.gate is not None:
            await self.gate.wait()
        start = int(cursor or 0)
        end = min(start + self.size, self.total)
        return FakePage(list(range(start + 1, end + 1)), str(end) if end < self.total else None)


class Loaded(Done[int]):
    """A number arrived."""


class TableScreen(BuhtaScreen):
    def __init__(self, window_pages: int | None = None) -> None:
        super().__init__()
        self.window_pages = window_pages
        self.tag: str | None = "a"
        self.shown: list[bool] = []
        self.loaded: list[int] = []

    def compose(self) -> ComposeResult:
        yield PagedTable(page=self._page, render=lambda n: [(str(n),)], empty="#empty",
                         empty_text=lambda: "пусто", prefetch=2,
                         window_pages=self.window_pages, id="table", cursor_type="row")
        yield Static("", id="empty")
        yield ErrorLine()

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        table.add_column("n", key="n")
        table.focus()

    def _page(self, cursor: str | None):
        tag = self.tag
        if tag is None:
            return None  # nothing to ask (as a screen with no organisation)
        return lambda api: api.numbers(tag, cursor)

    @on(PagedTable.Shown)
    def _shown(self, message: PagedTable.Shown) -> None:
        self.shown.append(message.reset)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.loaded.append(message.result)


class TableApp(App):
    def __init__(self, fake: FakeApi, screen: TableScreen) -> None:
        super().__init__()
        self.fake = fake
        self.first = screen
        self.errors: list[BaseException | None] = []

    async def api(self) -> FakeApi:
        return self.fake

    def report_error(self, error: BaseException | None) -> None:
        self.errors.append(error)

    def on_mount(self) -> None:
        self.push_screen(self.first)


async def wait_workers(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_a_paged_table_fetches_ahead_and_shows_its_empty_state():
    fake = FakeApi(total=7, size=3)
    screen = TableScreen()
    async with TableApp(fake, screen).run_test(size=(80, 24)) as pilot:
        table = screen.query_one(PagedTable)
        table.reload()
        await wait_workers(pilot)
        assert table.items == [1, 2, 3] and table.next_cursor == "3"
        assert screen.shown == [True]
        await pilot.press("down")  # row 1 of 3: within prefetch 2 of the end
        await wait_workers(pilot)
        assert table.items == [1, 2, 3, 4, 5, 6]
        await pilot.press("down", "down", "down", "down")
        await wait_workers(pilot)
        assert table.items == list(range(1, 8)) and table.next_cursor is None
        assert table.row_count == 7 and table.current == 6
        assert [cursor for _, cursor in fake.asked] == [None, "3", "6"]
        # Nothing there: the empty line says so.
        fake.total = 0
        table.reload()
        await wait_workers(pilot)
        assert table.row_count == 0 and table.current is None
        assert "пусто" in str(screen.query_one("#empty", Static).render())


async def test_a_stale_page_never_reaches_the_table():
    fake = FakeApi(total=5, size=5)
    screen = TableScreen()
    async with TableApp(fake, screen).run_test(size=(80, 24)) as pilot:
        table = screen.query_one(PagedTable)
        fake.gate = asyncio.Event()
        table.reload()  # asks, and the answer is held back
        await pilot.pause()
        screen.tag = None
        table.reload()  # a newer question that asks nothing (the older one is stale)
        fake.gate.set()
        await wait_workers(pilot)
        assert fake.asked == [("a", None)]
        assert table.items == [] and screen.shown == []


async def test_a_windowed_table_drops_its_oldest_pages():
    fake = FakeApi(total=12, size=2)
    screen = TableScreen(window_pages=3)
    async with TableApp(fake, screen).run_test(size=(80, 24)) as pilot:
        table = screen.query_one(PagedTable)
        table.reload()
        await wait_workers(pilot)
        for _ in range(9):
            await pilot.press("down")
            await wait_workers(pilot)
        assert table.trimmed and len(table.pages) <= 3
        assert table.row_count == len(table.row_items) == len(table.items)
        assert table.current == 10 and table.items[0] > 1


async def test_typed_messages_reach_their_handler_and_a_guard_drops_stale_ones():
    fake = FakeApi(total=0, size=1)
    screen = TableScreen()
    async with TableApp(fake, screen).run_test(size=(80, 24)) as pilot:
        generation = [1]

        async def seven(api: object) -> int:
            return 7

        screen.call_api(seven, done=Loaded)
        await wait_workers(pilot)
        assert screen.loaded == [7]
        screen.call_api(seven, done=Loaded, guard=lambda: generation[0])
        generation[0] += 1  # the question changed before the answer came
        await wait_workers(pilot)
        assert screen.loaded == [7] and not screen.busy
