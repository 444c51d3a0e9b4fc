"""Published figures held as a grid by district, metric and period; what is absent was not published."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from commands.districts import DEFAULT_DISTRICTS, Districts
from commands.importing.figures_parser import METRICS, SNAPSHOT_METRICS
from storage.models import Figure

Key = tuple[str, str, str]  # district, metric, period

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def metric_label(metric: str) -> str:
    """How a metric is named to people: "charged or summonsed", not charged_or_summonsed."""
    return metric.replace("_", " ")


def period_label(period: str, *, long: bool = False) -> str:
    """ "Jul 2015" for a month, "31 Jul 2015" for a snapshot date; long: "July 2015"."""
    name = _MONTHS[int(period[5:7]) - 1]
    day = f"{int(period[8:10])} " if len(period) == 10 else ""
    return f"{day}{name if long else name[:3]} {period[:4]}"


def is_snapshot(metric: str) -> bool:
    return metric in SNAPSHOT_METRICS


@dataclass(frozen=True)
class FigureGrid:
    """Every published figure by (district, metric, period); what was not published is absent."""

    values: dict[Key, int]
    sources: dict[Key, str]
    conflicts: dict[Key, str]
    force: tuple[str, ...] = DEFAULT_DISTRICTS.names  # the force's districts, in its order

    @classmethod
    def from_figures(
        cls, figures: Iterable[Figure], districts: Districts = DEFAULT_DISTRICTS
    ) -> FigureGrid:
        """The grid of the store's figures; where two sources give one figure, the later wins."""
        values: dict[Key, int] = {}
        sources: dict[Key, str] = {}
        given: dict[Key, list[tuple[str, int]]] = defaultdict(list)
        for figure in figures:
            key = (figure.district, figure.metric, figure.period)
            values[key], sources[key] = figure.value, figure.source
            given[key].append((figure.source, figure.value))
        conflicts = {
            key: _conflict_note(key, pairs, sources[key])
            for key, pairs in given.items()
            if len({value for _, value in pairs}) > 1
        }
        return cls(values, sources, conflicts, districts.names)

    @property
    def all_districts(self) -> tuple[str, ...]:
        """The force's districts, then any others figures are held for (Other, an old list's)."""
        others = sorted({d for d, _, _ in self.values} - set(self.force))
        return (*self.force, *others)

    def periods(self, metric: str | None = None, district: str | None = None) -> list[str]:
        return sorted(
            {p for d, m, p in self.values if metric in (None, m) and district in (None, d)}
        )

    def metrics(self, district: str | None = None, period: str | None = None) -> list[str]:
        present = {m for d, m, p in self.values if district in (None, d) and period in (None, p)}
        return [m for m in METRICS if m in present] + sorted(present - set(METRICS))

    def months(self) -> list[str]:
        """The months that monthly (not snapshot) metrics have figures for."""
        return sorted({p for _, m, p in self.values if not is_snapshot(m)})

    def districts(self, cells: Iterable[tuple[str, str]]) -> list[str]:
        """Rows for these (metric, period) cells: the force's districts, then others present."""
        wanted = set(cells)
        present = {d for d, m, p in self.values if (m, p) in wanted}
        return [*self.force, *(d for d in self.all_districts[len(self.force) :] if d in present)]

    def district_view(self, district: str) -> tuple[list[str], list[str]]:
        """A district's rows and months: a month another district has is missing, not absent."""
        metrics = self.metrics() if district in self.force else self.metrics(district=district)
        months = sorted({p[:7] for _, m, p in self.values if m in metrics})
        return metrics, months

    def key_in_month(self, district: str, metric: str, month: str) -> Key | None:
        """The figure for a month: the month itself, or a snapshot's last date in it."""
        dated = [p for d, m, p in self.values if (d, m) == (district, metric) and p[:7] == month]
        return (district, metric, max(dated)) if dated else None

    def period_in_month(self, metric: str, month: str) -> str | None:
        """The metric's period in a month: the month itself, or a snapshot's last date in it."""
        return max((p for _, m, p in self.values if m == metric and p[:7] == month), default=None)

    def total_groups(self) -> dict[tuple[str, str], list[Key]]:
        """The cells each computed force total adds up, by (metric, period)."""
        groups: dict[tuple[str, str], list[Key]] = defaultdict(list)
        order = {district: index for index, district in enumerate(self.all_districts)}
        for key in sorted(self.values, key=lambda k: (k[1], k[2], order.get(k[0], len(order)))):
            groups[(key[1], key[2])].append(key)
        return dict(groups)


def _conflict_note(key: Key, pairs: list[tuple[str, int]], chosen: str) -> str:
    district, metric, period = key
    given = "; ".join(f"{source}: {value}" for source, value in pairs)
    return (
        f"{district} {metric_label(metric)} {period_label(period)}: "
        f"sources differ ({given}); showing {chosen}."
    )
