"""Matching what people type against known names: case, prefixes, and "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from commands.errors import UnknownItem


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest choice to `word`, if any is close."""
    by_lower = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None


def resolve_choice(word: str, choices: Iterable[str], what: str) -> str:
    """The one choice `word` names: exact or unambiguous prefix, case-insensitive.

    Raises UnknownItem with the valid choices, and a suggestion when one is close.
    """
    options = list(choices)
    lowered = word.strip().lower()
    for choice in options:
        if choice.lower() == lowered:
            return choice
    prefixed = [c for c in options if lowered and c.lower().startswith(lowered)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        raise UnknownItem(f"“{word}” could be {', '.join(prefixed)}: which one?")
    hint = suggest(word, options)
    did_you_mean = f" Did you mean {hint}?" if hint else ""
    raise UnknownItem(
        f"Unknown {what} “{word}”.{did_you_mean} Valid {what}s: {', '.join(options)}."
    )
