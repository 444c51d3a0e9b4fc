"""A web page saved from the inspectorate's site → paragraphs, headings and list bullets as text."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

# Page furniture, not report text.
SKIPPED = frozenset(
    {"script", "style", "nav", "header", "footer", "noscript", "template", "svg", "head"}
)
BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "aside", "blockquote", "pre", "address",
        "figure", "figcaption", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ul", "ol", "li", "tr", "caption", "details",
        "summary", "body", "html",
    }
)  # fmt: skip
CELLS = frozenset({"td", "th"})


@dataclass
class _List:
    ordered: bool
    count: int = 0


class _Page(HTMLParser):
    """Collects (kind, text) blocks: kind is "para", "item" or "row"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.words: list[str] = []
        self.lists: list[_List] = []
        self.skipping = 0
        self.kind = "para"
        self.prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        if self.skipping:
            return
        if tag == "br":
            self.words.append("\n")
        elif tag in CELLS and self.words:
            self.words.append("\t")
        elif tag in BLOCKS:
            self._flush()
            if tag in ("ul", "ol"):
                self.lists.append(_List(ordered=tag == "ol"))
            elif tag == "li":
                self._start_item()
            elif tag == "tr":
                self.kind = "row"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SKIPPED:  # <br/>, <hr/>; a self-closed <nav/> holds nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping or tag not in BLOCKS:
            return
        self._flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.words.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _start_item(self) -> None:
        current = self.lists[-1] if self.lists else _List(ordered=False)
        current.count += 1
        marker = f"{current.count}. " if current.ordered else "• "
        self.kind, self.prefix = "item", "  " * max(0, len(self.lists) - 1) + marker

    def _flush(self) -> None:
        """End the current block: whitespace squashed, line breaks and cell tabs kept."""
        raw = "".join(self.words)
        lines = [
            "\t".join(" ".join(c.split()) for c in line.split("\t")) for line in raw.split("\n")
        ]
        text = "\n".join(line.strip("\t") for line in lines if line.strip())
        if text:
            self.blocks.append((self.kind, self.prefix + text))
        self.words, self.kind, self.prefix = [], "para", ""


def html_blocks(html: str) -> list[tuple[str, str]]:
    """The page's (kind, text) blocks: "para" (headings too), "item" ("• "/"1. ") or "row"."""
    page = _Page()
    page.feed(html.replace("\xa0", " "))
    page.close()
    return page.blocks
