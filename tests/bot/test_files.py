"""Reports as files: PDF, Word and HTML made here, read back as text the extractor can use."""

from __future__ import annotations

import os
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from bot.cli import main
from bot.files import document_text, read_document, read_text
from commands.errors import BadInput
from storage.models import Item
from tests.conftest import Stores
from tests.documents import (
    RUNNING_HEADER,
    report_docx,
    report_html,
    report_pdf,
    sample_report,
    scanned_pdf,
)


def stored_items(stores: Stores, source: str) -> list[Item]:
    """The source's items in the register the command line used (GOVBOT_DB)."""
    store = stores.open(os.environ["GOVBOT_DB"])
    with store.transaction():
        return store.items.by_source(source)


def squashed(text: str) -> str:
    return " ".join(text.split())


def assert_in_order(text: str, expected: list[str]) -> None:
    flat = squashed(text)
    positions = [flat.find(squashed(e)) for e in expected]
    missing = [e for e, p in zip(expected, positions, strict=True) if p < 0]
    assert not missing, f"not in the text: {missing}"
    assert positions == sorted(positions)


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def test_a_pdf_keeps_headings_paragraphs_and_bullets_without_page_furniture():
    blocks, expected = sample_report(sections=4, filler=8)
    data = report_pdf(blocks)
    assert len(PdfReader(BytesIO(data)).pages) > 4  # sections run over page breaks
    text = document_text("report.pdf", data)
    assert_in_order(text, expected)
    lines = lines_of(text)
    for n in range(1, 5):  # each heading on a line of its own, with a blank line around it
        index = lines.index(f"{n}. Findings for area {n}")
        assert lines[index - 1] == "" and lines[index + 1] == ""
    assert sum(line.startswith("• ") for line in lines) == 12
    assert RUNNING_HEADER not in text
    assert not any(line.startswith("Page ") for line in lines)


def test_a_word_document_keeps_order_bullets_headings_and_table_rows():
    blocks, expected = sample_report(sections=2)
    table = [("Recommendation", "Lead"), ("Grade missing reports", "Det Supt Ashby")]
    text = document_text("response.docx", report_docx(blocks, table))
    assert_in_order(text, expected)
    lines = lines_of(text)
    index = lines.index("2. Findings for area 2")
    assert lines[index - 1] == "" and lines[index + 1] == ""
    bullets = [i for i, line in enumerate(lines) if line.startswith("• ")]
    assert len(bullets) == 6 and bullets[1] == bullets[0] + 1  # a list's items line by line
    assert lines[-2:] == ["Recommendation\tLead", "Grade missing reports\tDet Supt Ashby"]


def test_a_web_page_drops_furniture_and_keeps_nested_and_numbered_lists():
    blocks, expected = sample_report(sections=2)
    page = report_html(blocks).replace(
        "</main>",
        "<h3>Next steps</h3><ol><li>First &amp; foremost</li><li>Then<ul><li>a detail</li>"
        "</ul></li></ol><p>Fish&nbsp;&amp;&nbsp;chips&hellip;<br>new line</p></main>",
    )
    text = document_text("page.html", page.encode())
    assert_in_order(text, expected)
    for noise in ("Home", "About us", "tracking", "color", "Inspectorate"):
        assert noise not in text
    lines = lines_of(text)
    assert lines[0] == "Missing children: an inspection of Northshire Constabulary"
    assert lines[1] == ""
    assert lines[-6:-3] == ["1. First & foremost", "2. Then", "  • a detail"]
    assert lines[-2:] == ["Fish & chips…", "new line"]


def test_a_windows_1252_web_page_is_decoded_by_its_declared_charset():
    page = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 \x93quoted\x94</p>'
    assert document_text("page.htm", page.encode("latin-1")) == "Café “quoted”\n"


def test_plain_text_is_read_as_utf8_or_windows_1252():
    assert document_text("a.txt", "\ufeffWe recommend… £5".encode()) == "We recommend… £5"
    assert document_text("b.TXT", "We recommend £5".encode("cp1252")) == "We recommend £5"


def test_read_document_reads_a_path(tmp_path):
    blocks, expected = sample_report(sections=1)
    path = tmp_path / "r.docx"
    path.write_bytes(report_docx(blocks))
    assert_in_order(read_document(path), expected)
    with pytest.raises(BadInput, match=r"missing\.pdf: no such file"):
        read_document(tmp_path / "missing.pdf")


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(report_pdf(sample_report(1)[0]))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def empty_docx() -> bytes:
    return report_docx([])


def zip_without_word_parts() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a Word document")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"<html>oops</html>", r"^report\.pdf: not a PDF"),
        ("report.pdf", b"%PDF-1.7\n garbage", r"^report\.pdf: the PDF is damaged"),
        ("locked.pdf", encrypted_pdf(), r"^locked\.pdf: the PDF is encrypted"),
        ("scan.pdf", scanned_pdf(), r"^scan\.pdf: the PDF has no text layer.*OCR"),
        ("blank.docx", empty_docx(), r"^blank\.docx: the document is empty"),
        ("old.docx", b"\xd0\xcf\x11\xe0" + bytes(100), r"^old\.docx: not a \.docx"),
        ("zip.docx", zip_without_word_parts(), r"^zip\.docx: not a readable \.docx"),
        ("page.html", b"<html><nav>menu</nav><script>x</script></html>", r"document is empty"),
        ("notes.txt", b"\x00\x01binary", r"^notes\.txt: not a text file"),
        (
            "figures.xlsx",
            b"PK",
            r"^figures\.xlsx: unsupported file type '\.xlsx'; send the report as "
            r"\.txt, \.pdf, \.docx, \.html, \.htm$",
        ),
        ("README", b"text", r"^README: unsupported file type with no extension"),
    ],
)
def test_bad_files_get_a_one_line_message_naming_the_file(name, data, message):
    with pytest.raises(BadInput, match=message) as caught:
        document_text(name, data)
    assert "\n" not in caught.value.message


@pytest.fixture
def cli_env(tmp_path, monkeypatch, stores):
    monkeypatch.chdir(tmp_path)
    for name in ("GOVBOT_ADMINS", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOVBOT_DB", stores.location())
    return tmp_path


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("missing-children.pdf", lambda b: report_pdf(b)),
        ("missing-children.docx", lambda b: report_docx(b)),
        ("missing-children.html", lambda b: report_html(b).encode()),
    ],
)
def test_the_cli_imports_a_report_file(cli_env, stores, capsys, name, make):
    blocks, expected = sample_report(sections=3, filler=6)
    path = cli_env / name
    path.write_bytes(make(blocks))
    args = ["import-report", str(path), "--source", "MISS25", "--title", "Missing children"]
    args += ["--published", "2025-03-14"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"Would store {len(expected)} items from {name} as MISS25" in out
    assert stored_items(stores, "MISS25") == []
    assert main(args) == 0
    stored = stored_items(stores, "MISS25")
    assert [i.id for i in stored] == [f"MISS25-{n:02d}" for n in range(1, len(expected) + 1)]
    assert "reviews how section 2 cases are graded" in stored[4].text


def test_the_cli_names_a_bad_file_and_stores_nothing(cli_env, stores, capsys):
    path = cli_env / "scan.pdf"
    path.write_bytes(scanned_pdf())
    args = [
        "import-report",
        str(path),
        "--source",
        "X1",
        "--title",
        "T",
        "--published",
        "2025-01-01",
    ]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"govbot: {path}: the PDF has no text layer")
    assert stored_items(stores, "X1") == []


def _bad_files(folder: Path) -> dict[str, Path]:
    latin1 = folder / "latin1.txt"
    latin1.write_bytes(
        "Recommendations\n\nImmediately\n\nThe force should r\xe9view.\n".encode("latin-1")
    )
    return {"missing": folder / "no-such-report.txt", "latin1": latin1, "folder": folder}


@pytest.mark.parametrize(
    ("case", "says"),
    [("missing", "no such file"), ("latin1", "not UTF-8 text"), ("folder", "Is a directory")],
)
def test_a_file_that_cannot_be_read_gives_one_line_naming_it(tmp_path, case, says):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = _bad_files(inbox)[case]

    with pytest.raises(BadInput) as raised:
        read_text(bad)

    message = raised.value.message
    assert message.startswith(f"{bad}: ")
    assert says in message
    assert "\n" not in message


def test_read_text_reads_utf8_with_universal_newlines(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes("\ufeffdistrict,value\r\nBarnsley,9\rDoncaster,5\n".encode())
    assert read_text(path) == "district,value\nBarnsley,9\nDoncaster,5\n"
