"""Provides PagedTable: a DataTable that loads its rows page by page from the server.

It holds a window of items (one or more table rows each), asks for the next page
as the cursor nears the end of what is loaded, drops an answer to a question no
longer asked (the generation guard) and shows an empty state when nothing came.
With ``window_pages`` it keeps at most that many pages and drops the oldest from
the top (``trimmed`` then tells that ↑ at the top means "start over").

    table = PagedTable(page=self._page, render=self._cells, empty="#docs-empty",
                       empty_text=lambda: t("docs.empty"), id="documents",
                       cursor_type="row", zebra_stripes=True)

    def _page(self, cursor: str | None) -> Callable[[ApiClient], Awaitable[m.DocumentPage]]:
        q = ...  # read the screen's state now, not when the worker runs
        return lambda api: api.documents.search(org_id, q=q, cursor=cursor, limit=PAGE)

``page(cursor)`` is called when a page is wanted and returns the API call (None:
nothing to ask); a ``page(cursor, limit)`` is told how many items to ask for: about two
screenfuls (``page_size``, the table's visible height × 2), not a fixed hundred — on a
slow link the first screen comes sooner and nothing is fetched that is never seen.
``prefetch=None`` asks for the next page half a screen before the end.
``render(item)`` gives the item's rows (each a tuple of cells). ``reload()``
starts over; ``revalidate()`` asks for the first page again (with ``If-None-Match``: a
304 when nothing changed) and keeps the rows and the cursor when it is the same; after
every page the table posts ``PagedTable.Shown`` (bubbling to
the screen), and a refusal shows on the screen's error line and posts
``PagedTable.Refused``.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from textual import on
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import Worker

from tui.workers import ApiWorkers, Done, Failed

if TYPE_CHECKING:
    from textual.widgets.data_table import RowKey

    from client.api import ApiClient


class Page(Protocol):
    @property
    def items(self) -> Sequence[Any]: ...

    @property
    def next_cursor(self) -> str | None: ...


Call = Callable[["ApiClient"], Awaitable[Any]]


MIN_PAGE = 10
"""The fewest items a page asks for (a table not laid out yet, or a tiny one)."""


@dataclass(eq=False)
class _PageLoaded(Done[Any]):
    reset: bool
    keep_if_same: bool = False


class _PageRefused(Failed):
    pass


class PagedTable(ApiWorkers, DataTable[Any]):
    """A server-paged table: a window of items, the next page fetched ahead of the cursor."""

    class Shown(Message):
        """A page was shown (``reset``: the first one after a reload)."""

        def __init__(self, table: PagedTable, reset: bool) -> None:
            super().__init__()
            self.table = table
            self.reset = reset

        @property
        def control(self) -> PagedTable:
            return self.table

    class Refused(Failed, bubble=True):
        """The server refused a page (already said on the error line)."""

    def __init__(
        self,
        *,
        page: Callable[..., Call | None],
        render: Callable[[Any], Sequence[Sequence[Any]]],
        empty: str | None = None,
        empty_text: Callable[[], str] | None = None,
        prefetch: int | None = 10,
        window_pages: int | None = None,
        clear_at_once: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.page_call = page
        self.sized = _takes_limit(page)
        """``page`` takes the number of items to ask for."""
        self._page_size: tuple[tuple[int, ...], int] | None = None
        self.window_size: int | None = None
        """The items each page of the window asks for (``page_size`` when it began)."""
        self.render_item = render
        self.empty = empty
        """The selector of the Static (on the screen) that says the table is empty."""
        self.empty_text = empty_text or (lambda: "")
        self._prefetch = prefetch
        """Ask for the next page when the cursor is this many rows from the end (None:
        half the visible height)."""
        self.window_pages = window_pages
        self.clear_at_once = clear_at_once
        """Empty the table when a reload starts (else when its first page arrives)."""
        self.items: list[Any] = []
        """The window: the items loaded, top first."""
        self.row_items: list[Any] = []
        """The item behind each table row."""
        self.row_keys: list[RowKey] = []
        self.pages: list[tuple[int, int]] = []
        """Items and table rows of each page in the window, top first."""
        self.next_cursor: str | None = None
        self.trimmed = False
        """Pages were dropped from the top: their place is gone, ↑ there starts over."""
        self.generation = 0
        self.pending: Worker[Any] | None = None
        self._seq = 0

    # --- loading ----------------------------------------------------------------------

    def reload(self, *, delay: float = 0) -> None:
        """Start over from the first page (an answer to an older question is dropped)."""
        self.generation += 1
        self.next_cursor = None
        if self.clear_at_once:
            self._forget()
            self.clear()
            self._show_empty("")
        self._fetch(reset=True, delay=delay)

    @property
    def visible_rows(self) -> int:
        """Rows the table shows at once (the screen's height before it is laid out)."""
        height = self.scrollable_content_region.height if self.size.height else 0
        return height or max(self.app.size.height - 8, 1)

    @property
    def page_size(self) -> int:
        """Items a page asks for: two screenfuls (at 80x24 the journal shows 15 rows: 30).

        Measured once per terminal size: every question the table asks then has the same
        ``limit``, so a month seen before is the same URL (a 304 from the cache)."""
        size = tuple(self.app.size)
        if self._page_size is None or self._page_size[0] != size:
            self._page_size = (size, max(MIN_PAGE, 2 * self.visible_rows))
        return self._page_size[1]

    @property
    def prefetch(self) -> int:
        return self._prefetch if self._prefetch is not None else max(self.visible_rows // 2, 1)

    @prefetch.setter
    def prefetch(self, value: int | None) -> None:
        self._prefetch = value

    def revalidate(self) -> None:
        """Ask for the first page again, as it was asked (the same URL: a 304 on the
        wire when nothing changed); the same answer keeps the rows, the window and the
        cursor as they are; a changed one is shown anew."""
        self.generation += 1
        self._fetch(reset=True, keep_if_same=True, size=self.window_size)

    def _forget(self) -> None:
        self.items, self.row_items, self.row_keys, self.pages = [], [], [], []
        self.trimmed = False

    def _fetch(self, *, reset: bool, delay: float = 0, keep_if_same: bool = False,
               size: int | None = None) -> None:
        cursor = None if reset else self.next_cursor
        if (reset and size is None) or self.window_size is None:
            # Sized once per window: its pages and a revalidation ask the same question.
            self.window_size = self.page_size
        size = size or self.window_size
        call = self.page_call(cursor, size) if self.sized else self.page_call(cursor)
        if call is None:
            return  # nothing to ask (no organisation yet)

        async def job(api: ApiClient) -> Any:
            if delay:
                await asyncio.sleep(delay)
            return await call(api)

        self.pending = self.call_api(
            job, done=lambda page: _PageLoaded(page, reset=reset, keep_if_same=keep_if_same),
            failed=_PageRefused,
            guard=lambda: self.generation, group="paged-table", exclusive=True)

    @property
    def loading_more(self) -> bool:
        return self.pending is not None and not self.pending.is_finished

    @on(_PageLoaded)
    def _page_loaded(self, message: _PageLoaded) -> None:
        page: Page = message.result
        if message.keep_if_same and self._holds(page):
            self.post_message(self.Shown(self, False))
            return
        if message.reset and (not self.clear_at_once or message.keep_if_same):
            self._forget()
            self.clear()
        rows = 0
        for item in page.items:
            self.items.append(item)
            rows += self._add_rows(item)
        self.pages.append((len(page.items), rows))
        self.next_cursor = page.next_cursor
        self._trim()
        self._show_empty("" if self.items else self.empty_text())
        self.post_message(self.Shown(self, message.reset))

    @on(_PageRefused)
    def _page_refused(self, message: _PageRefused) -> None:
        self.show_refusal(message.error)
        self.post_message(self.Refused(message.error))

    def _holds(self, page: Page) -> bool:
        """The window starts with exactly this first page (same items, same cursor)."""
        if not self.pages or self.trimmed:
            return False
        first = self.pages[0][0]
        same_cursor = len(self.pages) > 1 or self.next_cursor == page.next_cursor
        return first == len(page.items) and list(page.items) == self.items[:first] \
            and same_cursor

    def _show_empty(self, text: str) -> None:
        if self.empty is not None:
            self.screen.query_one(self.empty, Static).update(text)

    def _add_rows(self, item: Any) -> int:
        rows = self.render_item(item)
        for cells in rows:
            self._seq += 1
            key = self.add_row(*cells, key=str(self._seq))
            self.row_keys.append(key)
            self.row_items.append(item)
        return len(rows)

    def _trim(self) -> None:
        """Drop the oldest pages while the window holds more than ``window_pages``.

        Only pages wholly above the cursor go, and the cursor never lands on the top
        row by it (there, ↑ means "back to the start"). Worked example with 3 rows a
        page: 11 pages = 33 rows, the cursor on row 31; the first page's 3 rows go,
        the cursor moves to row 28 on the same entry, 30 rows remain.
        """
        if self.window_pages is None:
            return
        while len(self.pages) > self.window_pages:
            items, rows = self.pages[0]
            row = self.cursor_row
            if row - rows < 1:
                break
            for key in self.row_keys[:rows]:
                self.remove_row(key)
            del self.row_keys[:rows], self.row_items[:rows], self.items[:items]
            self.pages.pop(0)
            self.move_cursor(row=row - rows)
            self.trimmed = True

    @on(DataTable.RowHighlighted)
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        # Fetch the next page before the cursor reaches the end of what is loaded.
        if (self.next_cursor and event.cursor_row >= len(self.row_items) - self.prefetch
                and not self.loading_more):
            self._fetch(reset=False)

    # --- the items --------------------------------------------------------------------

    @property
    def current(self) -> Any | None:
        """The item under the cursor (None for an empty table)."""
        if not self.row_items:
            return None
        return self.row_items[min(self.cursor_row, len(self.row_items) - 1)]

    def refill(self, columns: Callable[[], None] | None = None) -> None:
        """Draw the loaded items again, the cursor kept; ``columns`` first clears the
        columns and adds them anew (a resize changed their widths)."""
        row = self.cursor_row
        self.clear(columns=columns is not None)
        if columns is not None:
            columns()
        self.row_keys, self.row_items = [], []
        for item in self.items:
            self._add_rows(item)
        if self.row_items:
            self.move_cursor(row=min(row, len(self.row_items) - 1))

    def replace(self, item: Any, same: Callable[[Any, Any], bool]) -> None:
        """Show an item's new state in its rows (posted, cancelled) without a reload."""
        for i, old in enumerate(self.items):
            if same(old, item):
                self.items[i] = item
        rows = iter(self.render_item(item))
        columns = [column.key for column in self.ordered_columns]
        for i, old in enumerate(self.row_items):
            if same(old, item):
                self.row_items[i] = item
                cells = next(rows, None)
                if cells is None:
                    break
                for column, value in zip(columns, cells, strict=True):
                    self.update_cell(self.row_keys[i], column, value)


def _takes_limit(page: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(page).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind is p.VAR_POSITIONAL for p in params)
