"""Bullet lists under a lead-in: which bullets are recommendations and which are their parts."""

from __future__ import annotations

import re

from commands.importing.report_text import Chunk

_BULLET_TAIL = re.compile(r"\s*(?:[;,]\s*(?:and|or)?|\band|\bor)$", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")


def nest(chunks: list[Chunk]) -> list[Chunk]:
    """Top-level bullets, each holding the sub-bullets listed after it when it ends with ':'."""
    top: list[Chunk] = []
    for chunk in chunks:
        text = _BULLET_TAIL.sub("", chunk.text)
        if top and top[-1].text.endswith(":") and not _resumes_top_level(text, top):
            top[-1].children.append(text)
        else:
            top.append(Chunk(chunk.line, text, bullet=True))
    return top


def _resumes_top_level(text: str, top: list[Chunk]) -> bool:
    """Whether a bullet after a ':' bullet starts like the top-level ones ("ensures ...")."""
    first = _first_word(text)
    earlier = [_first_word(bullet.text) for bullet in top]
    return first in earlier or (_third_person(first) and all(map(_third_person, earlier)))


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0].casefold() if text.strip() else ""


def _third_person(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith("ss")


def split_list(intro: Chunk, bullets: list[Chunk]) -> list[tuple[int, str]]:
    """(line, text) of each recommendation a paragraph and its bullets make.

    When the "We recommend" sentence itself leads into the list, each top-level bullet
    completes it and is a recommendation; otherwise the bullets are parts of the paragraph's
    single recommendation.
    """
    if bullets and intro.text.endswith(":") and not _SENTENCE_BREAK.search(intro.text):
        lead = intro.text[:-1].rstrip()
        return [(b.line, render(f"{lead} {b.text}", b.children)) for b in bullets]
    parts = [render(b.text, b.children, indent="  ") for b in bullets]
    return [(intro.line, render(intro.text, parts))]


def render(head: str, parts: list[str], indent: str = "") -> str:
    return head + "".join(f"\n{indent}- {part}" for part in parts)
