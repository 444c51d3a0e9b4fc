"""Disclosure control: small counts hidden, and enough others that no total gives one away."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

SECONDARY_MARK = "*"


@dataclass(frozen=True)
class Disclosure:
    """Which cells and totals a reply hides, and why."""

    below: int = 0  # counts from 1 to below-1 are suppressed; 0 = off
    primary: frozenset[Hashable] = frozenset()
    secondary: frozenset[Hashable] = frozenset()
    masked_totals: frozenset[Hashable] = frozenset()
    waived_below: int = 0  # suppression that applies elsewhere but not in this admin's DM

    def hides(self, key: Hashable) -> bool:
        """True when the cell's value must not be shown (nor used in a trend or change)."""
        return key in self.primary or key in self.secondary

    def mark(self, key: Hashable) -> str | None:
        """What a hidden cell shows instead of its value, or None when it is shown."""
        if key in self.primary:
            return f"<{self.below}"
        return SECONDARY_MARK if key in self.secondary else None

    def total_mark(self, group: Hashable) -> str | None:
        """What a total shows when it would equal the one small count it sums."""
        return f"<{self.below}" if group in self.masked_totals else None

    def notes(self, *, secondary_shown: bool) -> tuple[str, ...]:
        """The notes a table carries about what it hides."""
        if self.waived_below:
            return (
                f"Values below {self.waived_below} are shown in full because this is an "
                "admin's direct message: do not share them.",
            )
        if not self.below:
            return ()
        notes = [f"Values below {self.below} are suppressed."]
        if secondary_shown:
            notes.append(
                f"A cell shown as {SECONDARY_MARK} is hidden too, so that a suppressed value "
                "cannot be worked out from the total."
            )
        return tuple(notes)


def plan_disclosure(
    values: Mapping[Hashable, int],
    groups: Mapping[Hashable, Sequence[Hashable]],
    below: int,
) -> Disclosure:
    """Hide counts from 1 to below-1, then one more cell in any group summed to a shown total
    that hides only one, so that the total minus the others never reveals a suppressed count.
    """
    if below <= 0:
        return Disclosure()
    primary = frozenset(key for key, value in values.items() if 0 < value < below)
    secondary: set[Hashable] = set()
    changed = True
    while changed:  # a cell may sit in several groups: repeat until every group is safe
        changed = False
        for keys in groups.values():
            extra = _second_to_hide(keys, values, primary | secondary)
            if extra is not None:
                secondary.add(extra)
                changed = True
    hidden = primary | secondary
    masked = frozenset(
        group for group, keys in groups.items() if sum(key in hidden for key in keys) == 1
    )
    return Disclosure(below, primary, frozenset(secondary), masked)


def _second_to_hide(
    keys: Sequence[Hashable], values: Mapping[Hashable, int], hidden: frozenset[Hashable]
) -> Hashable | None:
    """The next-smallest non-zero shown cell (else a zero) when the group hides exactly one."""
    present = [key for key in keys if key in values]
    if sum(key in hidden for key in present) != 1:
        return None
    shown = [key for key in present if key not in hidden]
    # Hiding a zero still leaves two unknowns behind the total; prefer a non-zero cell.
    candidates = [key for key in shown if values[key] > 0] or shown
    return min(candidates, key=lambda key: values[key]) if candidates else None
