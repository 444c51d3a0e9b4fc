"""The force's districts: their names, the other names spreadsheets give them, and how to write a list.

A list is written `Name;Name=Alias|Alias;…`, e.g.
`Bradford;Calderdale;Kirklees;Leeds=Leeds District|Leeds LPA;Wakefield`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from commands.errors import BadInput
from commands.matching import suggest
from storage.models import DISTRICTS
from storage.store import Store

SETTING = "districts"  # the name the list is stored under with the register
OTHER = "Other"  # force-level or unassigned figures
_RESERVED = frozenset({"other", "total", "totals", "force total", "grand total"})
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9 .&'’-]*")


@dataclass(frozen=True)
class Districts:
    """The districts, in the order the force lists them, and aliases for each."""

    names: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, district)

    @property
    def with_other(self) -> tuple[str, ...]:
        """The districts figures may be given for: the force's own, then Other."""
        return (*self.names, OTHER)

    def find(self, text: str) -> str | None:
        """The district a name or alias means (any case, spacing), Other included; else None."""
        key = _key(text)
        lookup = {_key(n): n for n in self.with_other} | {_key(a): d for a, d in self.aliases}
        return lookup.get(key)

    def closest(self, text: str) -> str | None:
        """The known name or alias nearest to `text`, for a "did you mean"."""
        return suggest(text, [*self.with_other, *(alias for alias, _ in self.aliases)])

    def named_in(self, text: str) -> tuple[str, ...]:
        """The districts a text names by name or alias, as whole words, in list order."""
        named = set()
        for word, district in [*((n, n) for n in self.names), *self.aliases]:
            if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text):
                named.add(district)
        return tuple(d for d in self.names if d in named)

    def applies_to(self, text: str) -> tuple[str, ...]:
        """The districts a recommendation is for: none (force-wide) when it says every district,
        and not those it only cites as an example ("as in Sheffield", "such as Rotherham")."""
        if _EVERY_DISTRICT.search(text):
            return ()
        return self.named_in(_EXAMPLE.sub(" ", text))

    def spec(self) -> str:
        """The list written the way `parse_districts` reads it."""
        parts = []
        for name in self.names:
            aliases = [alias for alias, district in self.aliases if district == name]
            parts.append(f"{name}={'|'.join(aliases)}" if aliases else name)
        return ";".join(parts)

    def describe(self) -> str:
        """One line for people: "Barnsley, Doncaster (also Donny), …"."""
        parts = []
        for name in self.names:
            aliases = [alias for alias, district in self.aliases if district == name]
            parts.append(f"{name} (also {', '.join(aliases)})" if aliases else name)
        return ", ".join(parts)


DEFAULT_DISTRICTS = Districts(DISTRICTS)
_EVERY_DISTRICT = re.compile(
    r"\b(?:all|each|every)\s+(?:of\s+the\s+)?(?:\w+\s+)?(?:districts?|areas)\b"
    r"|\bforce[- ]wide\b|\bacross\s+the\s+(?:whole\s+)?force\b",
    re.IGNORECASE,
)
# a place cited as the example to follow, up to the end of its clause
_EXAMPLE = re.compile(
    r"\b(?:for\s+example|for\s+instance|such\s+as|e\.g\.|as\s+in|like|achieved\s+(?:in|by)"
    r"|in\s+line\s+with)\b[^.;:()]*",
    re.IGNORECASE,
)


def parse_districts(spec: str) -> Districts:
    """Read `Name;Name=Alias|Alias;…`; a bad list raises BadInput saying what is wrong."""
    names: list[str] = []
    aliases: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(";")):
        if not part:
            continue
        name, _, alias_text = part.partition("=")
        name = _clean(name)
        _check(name, seen, f"district {name!r}")
        names.append(name)
        seen[_key(name)] = name
        for alias in (_clean(a) for a in alias_text.split("|") if a.strip()):
            _check(alias, seen, f"alias {alias!r} of {name}")
            aliases.append((alias, name))
            seen[_key(alias)] = name
    if not names:
        raise BadInput("no districts given: write them as Name;Name=Alias|Alias;…")
    return Districts(tuple(names), tuple(aliases))


def _clean(text: str) -> str:
    return " ".join(text.split())


def _check(name: str, seen: dict[str, str], what: str) -> None:
    if not _NAME.fullmatch(name):
        raise BadInput(f"{what}: use letters, digits, spaces, . & ' - (starting with a letter)")
    if _key(name) in _RESERVED:
        raise BadInput(f"{what}: {name} is reserved (Other and Total are always understood)")
    if _key(name) in seen:
        raise BadInput(f"{what}: {name} is already {seen[_key(name)]}")


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def stored_districts(store: Store) -> Districts | None:
    """The list set with `govbot districts set`, if any (it wins over GOVBOT_DISTRICTS)."""
    with store.transaction():
        spec = store.settings.get(SETTING)
    return parse_districts(spec) if spec else None


def save_districts(store: Store, spec: str) -> Districts:
    """Check and store a district list; a bad one raises BadInput and changes nothing."""
    districts = parse_districts(spec)
    with store.transaction():
        store.settings.set(SETTING, districts.spec())
    return districts


def forget_districts(store: Store) -> bool:
    """Drop the stored list (GOVBOT_DISTRICTS or the default applies again); True if there was one."""
    with store.transaction():
        return store.settings.clear(SETTING)
