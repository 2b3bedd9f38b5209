"""De minimis regimes as data: which ceiling applies on a decision date, over which window.

- Regulation (EU) 1407/2013: EUR 200,000 per single undertaking over the
  current and the two previous fiscal years (applied until 31 Dec 2023).
- Regulation (EU) 2023/2831: EUR 300,000 over any rolling period of three
  years (from 1 Jan 2024).

The rules never test a year: they look up the regime in force on the date.
A new regulation is a new row here. Fiscal years are taken as calendar years.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


class Window:
    FISCAL_YEARS = "fiscal_years"  # the current and the (years - 1) previous fiscal years
    ROLLING = "rolling"  # the `years` years ending on the decision date


@dataclass(frozen=True)
class DeMinimisRegime:
    name: str
    valid_from: date | None
    valid_until: date | None
    ceiling: Decimal
    window: str
    years: int

    def applies_on(self, on_date: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on_date) and (
            self.valid_until is None or on_date <= self.valid_until
        )

    def window_start(self, on_date: date) -> date:
        if self.window == Window.FISCAL_YEARS:
            return date(on_date.year - (self.years - 1), 1, 1)
        if self.window == Window.ROLLING:
            try:
                back = on_date.replace(year=on_date.year - self.years)
            except ValueError:  # 29 February
                back = on_date.replace(year=on_date.year - self.years, day=28)
            return back + timedelta(days=1)
        raise ValueError(f"Unknown de minimis window {self.window!r}")


REGIMES: tuple[DeMinimisRegime, ...] = (
    DeMinimisRegime(
        name="Verordening (EU) 1407/2013",
        valid_from=None,
        valid_until=date(2023, 12, 31),
        ceiling=Decimal("200000.00"),
        window=Window.FISCAL_YEARS,
        years=3,
    ),
    DeMinimisRegime(
        name="Verordening (EU) 2023/2831",
        valid_from=date(2024, 1, 1),
        valid_until=None,
        ceiling=Decimal("300000.00"),
        window=Window.ROLLING,
        years=3,
    ),
)


def regime_on(on_date: date, regimes=REGIMES) -> DeMinimisRegime:
    matching = [r for r in regimes if r.applies_on(on_date)]
    if len(matching) != 1:
        raise LookupError(f"{len(matching)} de minimis regimes apply on {on_date}; expected exactly one.")
    return matching[0]
