"""The ways a statistics table groups its rows: which source columns, what Dutch label, what order.

A dimension names the source columns it groups by (every source a table with
this dimension reads must have them, see `reporting.sources`). `dimensions()`
gives them by name for one report (the sector dimension keeps a cache of
labels per report and depends on the sector level asked for).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext as _

from cstraject.calls.models import PackageKind
from cstraject.companies.models import NaceCode
from cstraject.companies.nace import nace_label
from cstraject.core.geography import Province
from cstraject.dossiers.models import SizeClass

from .engine import Dimension

SECTOR_LEVELS = ("subclass", "division")


def _province_label(value: str) -> str:
    try:
        return str(Province(value).label)
    except ValueError:
        return value or gettext("onbekend")


def _size_label(value: str) -> str:
    try:
        return str(SizeClass(value).label)
    except ValueError:
        return value or gettext("onbekend")


_SIZE_ORDER = {value: index for index, value in enumerate(SizeClass.values)}

# Catalogue order: the 2021-2022 packages first (as the published answer lists them),
# then the 2023 kinds; within a generation the single packages before combinations.
_KIND_ORDER = {kind: index for index, kind in enumerate(PackageKind.values)}
_FIRST_GENERATION = {PackageKind.BASIS, PackageKind.LIGHT, PackageKind.UITBREIDING}


def _package_sort_key(mix: str) -> tuple:
    parts = [part for part in (mix or "").split("+") if part]
    if not parts:
        return (2, 0, ())
    generation = 0 if parts[0] in _FIRST_GENERATION else 1
    return (generation, len(parts), tuple(_KIND_ORDER.get(part, len(_KIND_ORDER)) for part in parts), mix)


def _ordered(labels: list[str]):
    order = {label: index for index, label in enumerate(labels)}
    return lambda key: (order.get(key[0], len(order)),)


# Outcome of an application (1b) and stage of an abandoned one (1g): labels computed by the
# source (`reporting.sources`), listed here in the order the tables show them.
# The values are Dutch keys; the label shown is their translation in the active language.
OUTCOME_LABELS = [gettext_noop("toegekend"), gettext_noop("afgewezen"), gettext_noop("ingetrokken"), "in behandeling"]
ABANDONED_LABELS = [gettext_noop("niet ingediend"), "ingetrokken"]
gettext_noop("in behandeling")

PROVINCE = Dimension(
    "provincie",
    ("province",),
    label=lambda key: _province_label(key[0]),
    sort_key=lambda key: (_province_label(key[0]).casefold(),),
)
SIZE = Dimension(
    "grootte",
    ("size_class",),
    label=lambda key: _size_label(key[0]),
    sort_key=lambda key: (_SIZE_ORDER.get(key[0], len(_SIZE_ORDER)), key[0]),
)
PACKAGE = Dimension(
    "pakket",
    ("package_mix",),
    label=lambda key: key[0] or gettext("onbekend"),
    sort_key=lambda key: _package_sort_key(key[0]),
)
OUTCOME = Dimension(
    "uitkomst", ("outcome",), label=lambda key: gettext(key[0]) if key[0] else key[0], sort_key=_ordered(OUTCOME_LABELS)
)
ABANDONMENT = Dimension(
    "stand", ("stage",), label=lambda key: gettext(key[0]) if key[0] else key[0], sort_key=_ordered(ABANDONED_LABELS)
)

# Labels published with answer 526 (2021-2022), verbatim: the published table's labels for the
# codes it lists, used when no official label was imported (`cstraject kbo import`). Not master data.
PUBLISHED_LABELS_FILE = Path(__file__).parent / "data" / "published_nace_labels.csv"


@cache
def published_labels() -> dict[tuple[str, str], str]:
    with PUBLISHED_LABELS_FILE.open(encoding="utf-8") as handle:
        return {(row["version"], row["code"]): row["label_published"] for row in csv.DictReader(handle)}


def _display_code(code: str) -> str:
    return f"{code[:2]}.{code[2:]}" if len(code) > 2 else code


class _SectorLabels:
    """Labels of the NACE codes a report shows, one query per batch of unseen codes: the official Dutch
    label imported from the KBO code table, else the label published with answer 526, else python-stdnum's
    (English) NACE label."""

    def __init__(self, level: str):
        self.level = level
        self.labels: dict[tuple[str, str], str] = {}

    def prepare(self, keys: set[tuple]) -> None:
        wanted = {(version, code) for version, code in keys if (version, code) not in self.labels}
        if not wanted:
            return
        query = NaceCode.objects.filter(code__in={code for _, code in wanted}, version__in={v for v, _ in wanted})
        if self.level == "division":
            query = query.filter(level="division")
        found = {(row["version"], row["code"]): row["label_nl"] for row in query.values("version", "code", "label_nl")}
        english = get_language() == "en"  # no official English label in the KBO: python-stdnum's NACE label
        for version, code in wanted:
            label = (nace_label(version, code) if english else "") or (
                found.get((version, code)) or published_labels().get((version, code)) or nace_label(version, code)
            )
            self.labels[(version, code)] = label

    def label(self, key: tuple) -> str:
        version, code = key
        text = f"{_display_code(code)} {self.labels.get((version, code), '')}".strip()
        if version != "2008":
            text += _(" (NACE-BEL %(version)s)") % {"version": version}
        return text


def sector_dimension(level: str) -> Dimension:
    """Sector by NACE code (version and code), never by label text; `division`: the first two digits."""
    if level not in SECTOR_LEVELS:
        raise ValueError(
            _("Onbekend sectorniveau '%(level)s'; kies uit %(sector_levels)s.")
            % {"level": level, "sector_levels": ", ".join(SECTOR_LEVELS)}
        )
    labels = _SectorLabels(level)
    code = "substr(sector_code, 1, 2)" if level == "division" else "sector_code"
    return Dimension(
        "sector",
        ("sector_version", code),
        label=labels.label,
        sort_key=lambda key: (key[1], key[0]),
        prepare=labels.prepare,
    )


def _choice_dimension(name: str, column: str, choices) -> Dimension:
    """Group by a column holding the value of Django choices: its Dutch label, in the choices' order."""
    order = {value: index for index, value in enumerate(choices.values)}

    def label(key: tuple) -> str:
        try:
            return str(choices(key[0]).label)
        except ValueError:
            return key[0] or gettext("onbekend")

    return Dimension(name, (column,), label=label, sort_key=lambda key: (order.get(key[0], len(order)), key[0]))


def _control_dimensions() -> tuple[Dimension, ...]:
    """Questions 2 and 2a: kind and trigger of a control, category of a finding (cstraject.controls)."""
    from cstraject.controls.models import ControlKind, ControlTrigger, FindingCategory

    return (
        _choice_dimension("soort", "kind", ControlKind),
        _choice_dimension("aanleiding", "trigger", ControlTrigger),
        _choice_dimension("bevinding", "category", FindingCategory),
    )


def dimensions(sector_level: str = "subclass") -> dict[str, Dimension]:
    """Every dimension by name, for one report."""
    return {
        dimension.name: dimension
        for dimension in (
            PROVINCE,
            SIZE,
            PACKAGE,
            OUTCOME,
            ABANDONMENT,
            sector_dimension(sector_level),
            *_control_dimensions(),
        )
    }
