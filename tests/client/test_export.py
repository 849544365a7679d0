"""client/export.py: XLSX with real numbers and dates, CSV as Russian Excel reads it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from client.export import (
    csv_cell,
    default_export_dir,
    safe_file_name,
    write_csv,
    write_table,
    write_xlsx,
)

TITLE = "Оборотно-сальдовая ведомость"
HEAD = ["ООО «Ромашка», ИНН 7707083893", "Период: 4 квартал 2026"]
COLUMNS = ["Счёт", "Наименование", "Дата", "Дебет", "Кредит"]
ROWS = [
    ["51", "Расчетные счета", date(2026, 10, 5), Decimal("1234567.89"), None],
    ["62.01", "Расчеты с покупателями", date(2026, 11, 30), None, Decimal("-500.5")],
    ["Итого", "", None, Decimal("1234567.89"), Decimal("-500.50")],
]
MONEY = {3, 4}


def test_xlsx_keeps_money_as_formatted_numbers(tmp_path):
    path = write_xlsx(tmp_path / "out" / "ОСВ_2026-Q4.xlsx", TITLE, HEAD, COLUMNS, ROWS, MONEY,
                      bold_rows={2})
    assert path == (tmp_path / "out" / "ОСВ_2026-Q4.xlsx").resolve()
    assert not list((tmp_path / "out").glob(".*part"))  # no temporary file left behind
    sheet = load_workbook(path).active
    # Title, two head lines, a blank row, the header on row 5, the data from row 6.
    assert sheet["A1"].value == TITLE and sheet["A1"].font.bold
    assert [sheet["A2"].value, sheet["A3"].value] == HEAD
    assert sheet["A4"].value is None
    assert [c.value for c in sheet[5]] == COLUMNS
    assert all(c.font.bold for c in sheet[5])
    debit = sheet["D6"]
    assert debit.data_type == "n" and debit.number_format == "#,##0.00"
    # Read back exactly: the Decimal was written as its digits, never through a float
    # conversion of ours (openpyxl reads a number back as float).
    assert Decimal(str(debit.value)) == Decimal("1234567.89")
    credit = sheet["E7"]
    assert credit.data_type == "n" and Decimal(str(credit.value)) == Decimal("-500.5")
    assert credit.number_format == "#,##0.00"
    assert sheet["E6"].value is None  # None is an empty cell, not a zero
    day = sheet["C6"]
    assert day.is_date and day.value.date() == date(2026, 10, 5)
    assert day.number_format == "DD.MM.YYYY"
    assert sheet["A6"].value == "51" and sheet["A6"].data_type == "s"  # codes stay text
    # The totals row is bold; the others are not.
    assert sheet["D8"].font.bold and not sheet["D6"].font.bold
    # Columns as wide as their contents: «Расчеты с покупателями» (22) + 2.
    assert sheet.column_dimensions["B"].width == 24
    # «1,234,567.89» is 12 characters + 2.
    assert sheet.column_dimensions["D"].width == 14
    assert sheet.freeze_panes == "A6"


def test_csv_for_russian_excel(tmp_path):
    path = write_csv(tmp_path / "ОСВ.csv", TITLE, HEAD, COLUMNS, ROWS, MONEY)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines == [
        TITLE,
        HEAD[0],
        HEAD[1],
        "",
        "Счёт;Наименование;Дата;Дебет;Кредит",
        "51;Расчетные счета;05.10.2026;1234567,89;",
        # A money column always has two places: -500.5 → -500,50.
        "62.01;Расчеты с покупателями;30.11.2026;;-500,50",
        "Итого;;;1234567,89;-500,50",
        "",
    ]


def test_csv_quotes_a_cell_with_the_separator(tmp_path):
    path = write_csv(tmp_path / "a.csv", "T", [], ["Контрагент"], [["ООО «А; Б»"]], set())
    assert path.read_text(encoding="utf-8-sig").splitlines()[-1] == '"ООО «А; Б»"'


def test_cells_and_names():
    assert csv_cell(Decimal("1234.5"), money=True) == "1234,50"
    assert csv_cell(Decimal("0.125")) == "0,125"  # not money: as is
    assert csv_cell(7) == "7" and csv_cell(None) == ""
    assert safe_file_name("Карточка 62/01: Ромашка") == "Карточка_62_01_Ромашка"
    assert safe_file_name("  ") == "report"


def test_write_table_picks_the_format_by_the_name(tmp_path):
    csv_path = write_table(tmp_path / "r.CSV", TITLE, HEAD, COLUMNS, ROWS, MONEY)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    xlsx_path = write_table(tmp_path / "r.xlsx", TITLE, HEAD, COLUMNS, ROWS, MONEY)
    assert xlsx_path.read_bytes().startswith(b"PK")  # a zip: the XLSX container


def test_export_dir_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(tmp_path / "exports"))
    assert default_export_dir() == tmp_path / "exports"
    monkeypatch.delenv("BUHTA_EXPORT_DIR")
    assert default_export_dir().name == "Buhta"


def test_a_failed_write_leaves_no_file(tmp_path):
    with pytest.raises(ValueError):
        write_xlsx(tmp_path / "bad.xlsx", TITLE, [], ["x"], [[Decimal("NaN")]], {0})
    assert list(tmp_path.iterdir()) == []
