"""Bar charts as inline SVG, computed on the server: no script, no CDN.

One horizontal bar group per row of a table, one bar per year, for the
table's first amount (or its first measure when it has no amounts). The table itself stays on the page next to the chart,
so the chart is a picture of figures that are also there as text.

Labels are never cut: a long category ("28.990 Vervaardiging van andere machines, ...") is
wrapped over as many lines as it needs, the label column is as wide as its longest line and
each bar group as high as its label. `LABEL_CHAR_WIDTH` is a generous estimate of a 12 px
character, so the text fits in every sans-serif font (tests/browser/test_statistics_charts.py
measures it in Chromium at 1280 px).
"""

import textwrap
from dataclasses import dataclass
from decimal import Decimal

from cstraject.core.money import format_euro
from cstraject.core.numbers import format_number

# Colours with at least 3:1 contrast to white (WCAG 1.4.11 non-text contrast).
PALETTE = ["#1f4e79", "#b3541e", "#2e7d32", "#6a1b9a", "#8d6e00", "#00695c"]
LABEL_CHARS = 38  # characters per label line before it wraps
LABEL_CHAR_WIDTH = 7.5  # px per character at font-size 12, generous
LABEL_LINE_HEIGHT = 14
LABEL_MARGIN = 10  # between the label and the axis
MIN_LABEL_WIDTH = 120
BAR_AREA = 380
VALUE_WIDTH = 130
BAR_HEIGHT = 14
GAP = 10
LEGEND_STEP = 90


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
class Label:
    lines: list[str]
    y: int  # baseline of the first line
    title: str  # the whole label, for assistive technology and tooltips


@dataclass
class Chart:
    width: int
    height: int
    labels: list[Label]
    bars: list[Bar]
    legend: list[tuple[str, str, int]]
    measure_label: str
    axis_x: int
    line_height: int = LABEL_LINE_HEIGHT


def _format(value, is_money: bool) -> str:
    if is_money:
        return format_euro(Decimal(value))
    return format_number(value) if isinstance(value, int) else f"{value}"


def label_lines(text: str) -> list[str]:
    """`text` wrapped at word boundaries into lines of at most `LABEL_CHARS` characters
    (a single longer word is broken); never shortened."""
    return textwrap.wrap(text, LABEL_CHARS, break_long_words=True, break_on_hyphens=False) or [""]


def bar_chart(table, years=None) -> Chart | None:
    """The chart of `table` for `years` (default: all the table's years; the page passes those with data)."""
    if table.is_empty or not table.measures:
        return None
    # The amount tells more than the count; tables without amounts chart their count; the impact tables
    # (shares and scores, see reporting.impact_tables) chart their mean maturity gain.
    plain = [m for m in table.measures if not getattr(m, "unit", "")]
    measure = next((m for m in plain if m.is_money), None) or next(
        (m for m in table.measures if m.key == "winst"), plain[0] if plain else table.measures[0]
    )
    years = list(table.years if years is None else years)
    if not years:
        return None
    rows = list(table.rows)
    peak = max((abs(row.value(y, measure.key) or 0) for row in rows for y in years), default=0) or 1
    wrapped = [label_lines(row.display_label) for row in rows]
    longest = max((len(line) for lines in wrapped for line in lines), default=0)
    label_width = max(MIN_LABEL_WIDTH, int(longest * LABEL_CHAR_WIDTH) + LABEL_MARGIN)
    bars_height = len(years) * BAR_HEIGHT
    top = 28
    y0 = top
    bars, labels = [], []
    for row, lines in zip(rows, wrapped):
        block = max(bars_height, len(lines) * LABEL_LINE_HEIGHT)
        # The label's lines centred on the group's bars (12 px text: the baseline 4 px under the middle).
        first_baseline = y0 + block // 2 - (len(lines) - 1) * LABEL_LINE_HEIGHT // 2 + 4
        labels.append(Label(lines=lines, y=first_baseline, title=row.display_label))
        bars_top = y0 + (block - bars_height) // 2
        for j, year in enumerate(years):
            value = row.value(year, measure.key)
            width = int(round(BAR_AREA * float(abs(value or 0)) / float(peak)))
            y = bars_top + j * BAR_HEIGHT
            text = "–" if value is None else _format(value, measure.is_money)
            bars.append(
                Bar(
                    x=label_width,
                    y=y,
                    width=max(width, 1 if value else 0),
                    height=BAR_HEIGHT - 2,
                    colour=PALETTE[j % len(PALETTE)],
                    text=text,
                    text_x=label_width + width + 4,
                    text_y=y + BAR_HEIGHT - 4,
                    title=f"{row.display_label}, {year}: {text}",
                )
            )
        y0 += block + GAP
    legend = [(year, PALETTE[j % len(PALETTE)], label_width + j * LEGEND_STEP) for j, year in enumerate(years)]
    return Chart(
        width=max(label_width + BAR_AREA + VALUE_WIDTH, label_width + len(years) * LEGEND_STEP),
        height=y0 + 6 - GAP,
        labels=labels,
        bars=bars,
        legend=legend,
        measure_label=measure.label,
        axis_x=label_width,
    )
