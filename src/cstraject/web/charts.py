"""Bar charts as inline SVG, computed on the server: no script, no CDN.

One horizontal bar group per row of a table, one bar per year, for the
table's first amount (or its first measure when it has no amounts). The table itself stays on the page next to the chart,
so the chart is a picture of figures that are also there as text.
"""

from dataclasses import dataclass
from decimal import Decimal

from cstraject.core.money import format_euro
from cstraject.core.numbers import format_number

# Colours with at least 3:1 contrast to white (WCAG 1.4.11 non-text contrast).
PALETTE = ["#1f4e79", "#b3541e", "#2e7d32", "#6a1b9a", "#8d6e00", "#00695c"]
LABEL_WIDTH = 260
BAR_AREA = 380
VALUE_WIDTH = 120
BAR_HEIGHT = 14
GAP = 10


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    text: str
    text_x: int
    text_y: int
    title: str


@dataclass
class Chart:
    width: int
    height: int
    labels: list[tuple[str, int]]
    bars: list[Bar]
    legend: list[tuple[str, str, int]]
    measure_label: str
    axis_x: int


def _format(value, is_money: bool) -> str:
    if is_money:
        return format_euro(Decimal(value))
    return format_number(value) if isinstance(value, int) else f"{value}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(table) -> Chart | None:
    if table.is_empty or not table.measures:
        return None
    # The amount tells more than the count; tables without amounts chart their count; the impact tables
    # (shares and scores, see reporting.impact_tables) chart their mean maturity gain.
    plain = [m for m in table.measures if not getattr(m, "unit", "")]
    measure = next((m for m in plain if m.is_money), None) or next(
        (m for m in table.measures if m.key == "winst"), plain[0] if plain else table.measures[0]
    )
    years = list(table.years)
    rows = list(table.rows)
    peak = max((abs(row.value(y, measure.key) or 0) for row in rows for y in years), default=0) or 1
    group_height = len(years) * BAR_HEIGHT + GAP
    top = 28
    bars, labels = [], []
    for index, row in enumerate(rows):
        y0 = top + index * group_height
        labels.append((_short(row.label), y0 + (len(years) * BAR_HEIGHT) // 2 + 4))
        for j, year in enumerate(years):
            value = row.value(year, measure.key)
            width = int(round(BAR_AREA * float(abs(value or 0)) / float(peak)))
            y = y0 + j * BAR_HEIGHT
            text = "–" if value is None else _format(value, measure.is_money)
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=y,
                    width=max(width, 1 if value else 0),
                    height=BAR_HEIGHT - 2,
                    colour=PALETTE[j % len(PALETTE)],
                    text=text,
                    text_x=LABEL_WIDTH + width + 4,
                    text_y=y + BAR_HEIGHT - 4,
                    title=f"{row.label}, {year}: {text}",
                )
            )
    legend = [(year, PALETTE[j % len(PALETTE)], LABEL_WIDTH + j * 90) for j, year in enumerate(years)]
    return Chart(
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=top + len(rows) * group_height + 6,
        labels=labels,
        bars=bars,
        legend=legend,
        measure_label=measure.label,
        axis_x=LABEL_WIDTH,
    )
