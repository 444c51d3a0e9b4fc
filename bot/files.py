"""Reports as people get them (PDF, Word, saved web pages, text) → plain text for the extractor.

PDF: pypdf — pure Python, maintained, no system libraries to install on a police server. Its
layout mode keeps the vertical gaps between paragraphs as blank lines, which the extractor
needs to tell a heading from the paragraph under it; the plain mode runs them together.
Word: python-docx, which exposes paragraph styles and list numbering (numPr) in document order.
HTML: the standard library's html.parser (see bot/html_text.py); no new dependency.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from io import BytesIO
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from bot.html_text import html_blocks
from commands.errors import BadInput

SUPPORTED = (".txt", ".pdf", ".docx", ".html", ".htm")
# Running headers and footers: a line or two, set apart at the top or bottom of a page.
EDGE_LINES = 2
EDGE_WORDS = 15
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .doc files and password-protected .docx files


def file_bytes(path: Path) -> bytes:
    """The file's bytes, or BadInput naming the file."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except OSError as err:
        raise BadInput(f"{path}: {err.strerror}") from None


def read_text(path: Path) -> str:
    """The file's text, read as UTF-8 with universal newlines, or BadInput naming the file."""
    try:
        text = file_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise BadInput(f"{path}: not UTF-8 text (byte {err.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(path: Path) -> str:
    """The text of the report at `path`, or BadInput naming the file."""
    return document_text(str(path), file_bytes(path))


def document_text(name: str, data: bytes) -> str:
    """The text of a .txt, .pdf, .docx or .html/.htm document; BadInput naming `name` if not."""
    suffix = Path(name).suffix.lower()
    readers = {
        ".txt": _plain_text,
        ".pdf": _pdf_text,
        ".docx": _docx_text,
        ".html": _html_document,
        ".htm": _html_document,
    }
    reader = readers.get(suffix)
    if reader is None:
        kind = f"'{suffix}'" if suffix else "with no extension"
        raise BadInput(
            f"{name}: unsupported file type {kind}; send the report as {', '.join(SUPPORTED)}"
        )
    text = reader(name, data)
    if not text.strip():
        raise BadInput(f"{name}: the document is empty (no text in it)")
    return text


def _plain_text(name: str, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise BadInput(f"{name}: not a text file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # Notepad and older Word "Save as text" write Windows-1252
        return data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise BadInput(f"{name}: not UTF-8 text (byte {err.start})") from None


# -- PDF ----------------------------------------------------------------------------------------


def _pdf_text(name: str, data: bytes) -> str:
    if b"%PDF-" not in data[:1024]:
        raise BadInput(f"{name}: not a PDF (it does not start with %PDF-)")
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise BadInput(
                f"{name}: the PDF is encrypted (password-protected); save an unprotected copy"
            )
        pages = [_page_lines(page) for page in reader.pages]
    except BadInput:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise BadInput(f"{name}: the PDF is damaged and cannot be read ({err})") from None
    if not pages:
        raise BadInput(f"{name}: the PDF has no pages")
    if not any(line for lines in pages for line in lines):
        raise BadInput(
            f"{name}: the PDF has no text layer (a scanned document?); "
            "run it through OCR (e.g. ocrmypdf) and send the result"
        )
    return _join_pages(_without_running_lines(pages))


def _opens_without_password(reader: PdfReader) -> bool:
    """Many reports are "encrypted" only to restrict printing, with an empty open password."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises DependencyError for AES without the cryptography package
        return False


def _page_lines(page) -> list[str]:  # noqa: ANN001 - pypdf.PageObject
    """The page's lines, blank where the layout leaves a vertical gap, spacing squashed."""
    try:
        text = page.extract_text(extraction_mode="layout")
    except Exception:  # layout mode trips on some odd fonts; plain order is better than none
        text = page.extract_text()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _edge_indexes(lines: list[str]) -> list[int]:
    """Indexes of the short lines set apart by a gap at the top and bottom of a page."""
    blocks, start = [], None
    for i, line in enumerate([*lines, ""]):
        if line and start is None:
            start = i
        elif not line and start is not None:
            blocks.append(range(start, i))
            start = None
    edges = {blocks[0], blocks[-1]} if blocks else set()
    return sorted(
        i
        for block in edges
        if len(block) <= EDGE_LINES and all(len(lines[j].split()) <= EDGE_WORDS for j in block)
        for i in block
    )


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", line).casefold()


def _without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Pages without page numbers and the headers/footers repeated at the edge of most pages."""
    counts = Counter(
        key for lines in pages for key in {_edge_key(lines[i]) for i in _edge_indexes(lines)}
    )
    running = {key for key, n in counts.items() if len(pages) >= 3 and n * 2 > len(pages)}
    cleaned = []
    for lines in pages:
        drop = {
            i
            for i in _edge_indexes(lines)
            if _PAGE_NUMBER.match(lines[i]) or _edge_key(lines[i]) in running
        }
        cleaned.append([line for i, line in enumerate(lines) if i not in drop])
    return cleaned


def _join_pages(pages: list[list[str]]) -> str:
    """Pages separated by a blank line; runs of blank lines made one."""
    text = "\n\n".join("\n".join(lines) for lines in pages)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# -- Word ---------------------------------------------------------------------------------------


def _docx_text(name: str, data: bytes) -> str:
    if data.startswith(_OLE_MAGIC):
        raise BadInput(
            f"{name}: not a .docx (an old .doc, or a password-protected document); "
            "save it unprotected as .docx"
        )
    try:
        document = docx.Document(BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as err:
        raise BadInput(f"{name}: not a readable .docx Word document ({err})") from None
    except Exception as err:  # zipfile.BadZipFile, lxml's XMLSyntaxError
        raise BadInput(f"{name}: not a readable .docx Word document ({err})") from None
    return _join_blocks(_docx_blocks(document))


def _join_blocks(blocks: Iterable[tuple[str, str]]) -> str:
    """Paragraphs separated by blank lines; a list's items, or a table's rows, line by line."""
    out: list[str] = []
    previous = ""
    for kind, text in blocks:
        if out:
            out.append("\n" if kind == previous and kind in ("item", "row") else "\n\n")
        out.append(text)
        previous = kind
    return "".join(out) + ("\n" if out else "")


def _docx_blocks(document: DocxDocument) -> Iterator[tuple[str, str]]:
    """(kind, text) of paragraphs, "• " list items and table rows, in document order."""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from (("row", row) for row in _table_rows(block))
            continue
        text = block.text.strip()
        level = _list_level(block)
        if not text:
            continue
        if level is None:
            yield "para", text
        else:
            yield "item", "  " * level + "• " + text


def _list_level(paragraph: Paragraph) -> int | None:
    """The list nesting level (0 = top) of a list paragraph; None for any other paragraph."""
    ppr = paragraph._p.pPr
    numpr = ppr.numPr if ppr is not None else None
    if numpr is not None and numpr.numId is not None and numpr.numId.val != 0:
        return numpr.ilvl.val if numpr.ilvl is not None else 0
    style = paragraph.style.name if paragraph.style is not None else ""
    if style.startswith(("List Bullet", "List Number")):
        digits = style.rsplit(" ", 1)[-1]
        return int(digits) - 1 if digits.isdigit() else 0
    return None


def _table_rows(table: Table) -> Iterator[str]:
    """Each row's cells, tab-separated; a merged cell once."""
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            yield "\t".join(cells)


# -- HTML ---------------------------------------------------------------------------------------


def _html_document(name: str, data: bytes) -> str:
    return _join_blocks(html_blocks(_decode_html(data)))


def _decode_html(data: bytes) -> str:
    """HTML bytes as text: a BOM, else the declared charset, else UTF-8, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", data[:4096], re.I)
    encodings = [declared.group(1).decode("ascii")] if declared else []
    for encoding in [*encodings, "utf-8"]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace")
