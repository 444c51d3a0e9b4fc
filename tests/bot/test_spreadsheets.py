from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.spreadsheets import cell_ref, read_sheets
from commands.errors import BadInput


@pytest.mark.parametrize(
    ("row", "column", "ref"), [(0, 0, "A1"), (5, 5, "F6"), (0, 25, "Z1"), (9, 26, "AA10")]
)
def test_cell_refs_are_spreadsheet_style(row: int, column: int, ref: str) -> None:
    assert cell_ref(row, column) == ref


def test_csv_cells_are_stripped_and_blanks_are_none(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("\ufeffRef, Text ,\nA-1,,  keep  \n", encoding="utf-8")
    (sheet,) = read_sheets(path)
    assert sheet.name == "register"
    assert sheet.rows == [["Ref", "Text", None], ["A-1", None, "keep"]]


def test_windows_csv_is_read_as_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("Lead,Note\nACC,£5 – done\n".encode("cp1252"))
    assert read_sheets(path)[0].rows[1] == ["ACC", "£5 – done"]


def test_tsv_splits_on_tabs(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("a\tb,c\n", encoding="utf-8")
    assert read_sheets(path)[0].rows == [["a", "b,c"]]


def test_xlsx_gives_every_sheet_with_typed_cells(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Referrals"
    book.active.append(["District", "Apr-15", None])
    book.active.append(["Sheffield", 12, datetime(2015, 7, 31)])
    book.create_sheet("Offences").append(["  x  "])
    path = tmp_path / "w.xlsx"
    book.save(path)
    sheets = read_sheets(path)
    assert [s.name for s in sheets] == ["Referrals", "Offences"]
    assert sheets[0].rows == [
        ["District", "Apr-15", None],
        ["Sheffield", 12, datetime(2015, 7, 31)],
    ]
    assert sheets[1].rows == [["x"]]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("w.xlsx", b"not a zip", "w.xlsx: not a readable .xlsx workbook"),
        ("w.ods", b"", "w.ods: not a spreadsheet"),
    ],
)
def test_unreadable_files_are_refused_by_name(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(BadInput, match=message):
        read_sheets(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file"):
        read_sheets(tmp_path / "gone.csv")
