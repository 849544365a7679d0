"""Provides the report writers: XLSX (openpyxl) and CSV the way Russian Excel reads it.

Both take the same table: a title, a few head lines (organisation, period, when
computed), column names and rows of cells. A cell is text, a Decimal (money, in the
columns listed in ``money_columns``), an int, a date or None (an empty cell).

- XLSX: money stays a number (the Decimal itself, never a float) with the format
  ``#,##0.00``, so Excel sums it; dates are dates (``DD.MM.YYYY``); the header row is
  bold, the columns as wide as their contents.
- CSV: ``;`` between cells and a decimal comma (``1234,56``), UTF-8 with a BOM: what
  Excel in a Russian locale opens by a double click without an import wizard.

Files are written next to their final name and renamed into place, so a failed write
never leaves half a report under the real name.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

Cell = str | Decimal | int | date | None

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "DD.MM.YYYY"
MAX_WIDTH = 60
"""Widest column in an XLSX (characters); longer text is still all there."""
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def default_export_dir() -> Path:
    """BUHTA_EXPORT_DIR, or the user's documents folder / Buhta (as the PDF forms)."""
    override = os.environ.get("BUHTA_EXPORT_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / "Buhta"


def safe_file_name(name: str) -> str:
    """A file name every system accepts: «Карточка 62/01» → «Карточка_62_01»."""
    clean = re.sub(r"[\\/:*?\"<>|\s]+", "_", name.strip())
    return clean.strip("._") or "report"


def csv_cell(value: Cell, money: bool = False) -> str:
    """One CSV cell: ``Decimal("-1234.5")`` → ``-1234,50`` (2 places in a money column),
    a date → ``28.11.2026``, None → empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{value:.2f}" if money else format(value, "f")
        return text.replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _replace_into(path: Path, write: Callable[[Path], None]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
    return path.resolve()


def write_csv(
    path: Path | str,
    title: str,
    head_lines: Sequence[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    money_columns: set[int],
) -> Path:
    """Write the table as CSV (title and head lines first, one cell each, then a blank
    line, the column names and the rows). Returns the file's full path."""

    def write(target: Path) -> None:
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            out.writerow([title])
            for line in head_lines:
                out.writerow([line])
            out.writerow([])
            out.writerow(list(columns))
            for row in rows:
                out.writerow([csv_cell(v, i in money_columns) for i, v in enumerate(row)])

    return _replace_into(Path(path), write)


def _width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return len(f"{abs(value):,.2f}") + (1 if value < 0 else 0)
    if isinstance(value, date):
        return 10
    return max((len(part) for part in str(value).splitlines()), default=0)


def write_xlsx(
    path: Path | str,
    title: str,
    head_lines: Sequence[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    money_columns: set[int],
    *,
    bold_rows: set[int] | frozenset[int] = frozenset(),
) -> Path:
    """Write the table as one XLSX sheet. ``bold_rows`` are indexes into ``rows``
    (totals). Returns the file's full path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _SHEET_FORBIDDEN.sub(" ", title)[:31] or "Report"
    bold = Font(bold=True)
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    line = 2
    for text in head_lines:
        sheet.cell(row=line, column=1, value=text)
        line += 1
    header_row = line + 1
    widths = [len(name) for name in columns]
    for col, name in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=col, value=name)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, row in enumerate(rows):
        excel_row = header_row + 1 + index
        for col, value in enumerate(row):
            if isinstance(value, Decimal) and not value.is_finite():
                raise ValueError(f"not a finite amount: {value}")
            cell = sheet.cell(row=excel_row, column=col + 1, value=value)
            if col in money_columns and isinstance(value, Decimal | int):
                cell.number_format = MONEY_FORMAT
            elif isinstance(value, date) and not isinstance(value, datetime):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
            if index in bold_rows:
                cell.font = bold
            if col < len(widths):
                widths[col] = max(widths[col], _width(value))
            else:
                widths.append(_width(value))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    def write(target: Path) -> None:
        book.save(target)

    return _replace_into(Path(path), write)


def write_table(
    path: Path | str,
    title: str,
    head_lines: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    money_columns: set[int],
    *,
    bold_rows: set[int] | frozenset[int] = frozenset(),
) -> Path:
    """CSV when the name ends in ``.csv``, XLSX otherwise."""
    if str(path).lower().endswith(".csv"):
        return write_csv(path, title, head_lines, columns, rows, money_columns)
    return write_xlsx(path, title, head_lines, columns, rows, money_columns,
                      bold_rows=bold_rows)
