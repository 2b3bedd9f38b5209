"""The tables of the answer to written question 526, declared as data.

Each table says what it shows; `reporting.engine` computes it. A table has
its id (`key`, stable: the CSV's `table` column), the sub-question it answers,
a Dutch title, its dimensions (`reporting.dimensions`), and per source it
reads (`reporting.sources`) the year column (which date defines the year),
a filter and its measures. `TABLES` is the answer in its order.

To add a table: see "How to add a table" in `reporting.engine`.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .engine import (
    COUNT,
    Aggregate,
    Bucketed,
    Count,
    CountsPerEntity,
    GroupedTable,
    Measure,
    Part,
    Period,
    TableSpec,
    distinct,
    total,
)
from .impact_tables import ImpactTables, ThemeTables

YEAR_GRANTED = _("het jaar van de beslissing tot toekenning (beslist op)")
YEAR_SUBMITTED = _("het jaar van indiening van de aanvraag (ingediend op)")
YEAR_PAID = _("het jaar van de betaling (betaaldatum)")
YEAR_RECOVERY = _("het jaar waarin de terugvordering werd verstuurd (verstuurd op)")
YEAR_COLLECTED = _("het jaar van de inning (geïnd op)")
YEAR_STARTED = _("het jaar van indiening, of voor nooit ingediende aanvragen het jaar waarin ze werden aangemaakt")

COUNT_GRANTED = Measure("aantal", _("Aantal"), False, YEAR_GRANTED)
AMOUNT_GRANTED = Measure("bedrag", _("Bedrag"), True, YEAR_GRANTED)
AMOUNT_PAID = Measure("uitbetaald", _("Uitbetaald"), True, YEAR_PAID)
COUNT_APPLIED = Measure("aantal", _("Aantal"), False, YEAR_SUBMITTED)
AMOUNT_REQUESTED = Measure("bedrag", _("Bedrag"), True, YEAR_SUBMITTED)
COUNT_RECOVERY_DOSSIERS = Measure("aantal", _("Dossiers"), False, YEAR_RECOVERY)
AMOUNT_RECOVERED = Measure("bedrag", _("Teruggevorderd"), True, YEAR_RECOVERY)
AMOUNT_COLLECTED = Measure("geind", _("Geïnd"), True, YEAR_COLLECTED)
YEAR_CONTROL = _("het jaar waarin de controle werd uitgevoerd (uitgevoerd op)")
COUNT_CONTROLS = Measure("aantal", _("Aantal"), False, YEAR_CONTROL)
COUNT_IRREGULAR = Measure("onregelmatigheid", _("Onregelmatigheid"), False, YEAR_CONTROL)
COUNT_FRAUD = Measure("fraude", _("Fraude"), False, YEAR_CONTROL)
COUNT_FINDINGS = Measure("aantal", _("Aantal"), False, YEAR_CONTROL)
AMOUNT_EFFECT = Measure("bedrag", _("Bedrag"), True, YEAR_CONTROL)
COUNT_STARTED = Measure("aantal", _("Aantal"), False, YEAR_STARTED)
AMOUNT_STARTED = Measure("bedrag", _("Bedrag"), True, YEAR_STARTED)

# --------------------------------------------------------------------------- what each source contributes

GRANTED = Part(
    "dossiers",
    year="decided_year",
    where="granted",
    measures=((COUNT_GRANTED, COUNT), (AMOUNT_GRANTED, total("cents"))),
)
PAID = Part("payments", year="paid_year", measures=((AMOUNT_PAID, total("cents")),))
APPLIED = Part("dossiers", year="submitted_year", measures=((COUNT_APPLIED, COUNT), (AMOUNT_REQUESTED, total("cents"))))
BENEFICIARIES = Part(
    "dossiers", year="decided_year", where="granted", measures=((COUNT_GRANTED, distinct("company_id")),)
)
ABANDONED = Part(
    "dossiers",
    year="started_year",
    where="abandoned",
    measures=((COUNT_STARTED, COUNT), (AMOUNT_STARTED, total("cents"))),
)
RECOVERED = Part(
    "recoveries",
    year="issued_year",
    measures=((COUNT_RECOVERY_DOSSIERS, distinct("dossier_id")), (AMOUNT_RECOVERED, total("cents"))),
)
CONTROLS = Part("controls", year="performed_year", measures=((COUNT_CONTROLS, COUNT),))
CONTROL_OUTCOMES = Part(
    "controls",
    year="performed_year",
    measures=(
        (COUNT_CONTROLS, COUNT),
        (COUNT_IRREGULAR, Aggregate("count(*) FILTER (WHERE irregular)")),
        (COUNT_FRAUD, Aggregate("count(*) FILTER (WHERE fraud)")),
    ),
)
FINDINGS = Part("findings", year="performed_year", measures=((COUNT_FINDINGS, COUNT), (AMOUNT_EFFECT, total("cents"))))
COLLECTED = Part("collections", year="collected_year", measures=((AMOUNT_COLLECTED, total("cents")),))

# --------------------------------------------------------------------------- notes

# The years the published answer to question 526 covered.
PUBLISHED_YEARS = (2021, 2022)
_ROUNDING_NOTE = _(
    "Bedragen exact tot op de cent. Het gepubliceerde antwoord rondde deze tabel af op de euro, "
    "waardoor de rijen niet optelden tot het totaal (935.758 tegenover 935.757,61 in 2021)."
)
_GRANTED_NOTE = _(
    "Toegekend: dossiers goedgekeurd, in uitvoering, afgerond of stopgezet; bedrag = toegekende steun. "
    "Uitbetaald: betaalde schijven, in het jaar van betaling, ook voor dossiers die in een ander jaar werden toegekend."
)


def _size_note(period: Period) -> str:
    size = gettext("Grootte volgens de kmo-toets van het dossier.")
    note = f"{_GRANTED_NOTE} {size}"
    return note + (f" {_ROUNDING_NOTE}" if period.overlaps(*PUBLISHED_YEARS) else "")


_APPLIED_NOTE = _(
    "Alle ingediende aanvragen, wat ook de uitkomst is (toegekend, afgewezen, ingetrokken, in behandeling); "
    "bedrag = gevraagde steun volgens de offerte."
)
_BENEFICIARIES_NOTE = _(
    "Aantal verschillende ondernemingen met een toegekende steun in het jaar. Het totaal telt elke onderneming "
    "één keer, ook als ze in meer dan één rij voorkomt."
)
_PACKAGE_NOTE = _(
    "Pakketcombinatie volgens de offerte: een basis- of lightpakket, eventueel met uitbreiding "
    "(oproep 2021-2022); START, MEDIUM of PLUS (vanaf 2023)."
)
_ABANDONED_NOTE = _(
    "Gestarte aanvragen die niet afgewerkt werden: nooit ingediende ontwerpen en ingetrokken aanvragen; "
    "bedrag = gevraagde steun volgens de offerte. Bezoeken of 'clicks' op het formulier worden niet bijgehouden."
)


_CONTROLS_NOTE = _(
    "Elke uitgevoerde controle telt: de standaardstappen van de levenscyclus (controle bij de aanvraag bij de "
    "beslissing, bureaucontrole van de prestatiestaat bij elke betaling) en de controles op risico, steekproef of "
    "signaal. Grootte volgens de kmo-toets van het dossier (groot: geen kmo)."
)


def _1d_year_basis(period: Period) -> str:
    return gettext(
        "de periode %(period)s als geheel (aanvragen volgens de indieningsdatum, "
        "toekenningen volgens de datum van de beslissing)"
    ) % {"period": period.label}


# --------------------------------------------------------------------------- the answer, in its order

TABLES: list[TableSpec] = [
    # 1a: granted and paid support
    GroupedTable(
        "1a_toegekend_provincie",
        "1a",
        _("Toegekende en uitbetaalde steun per provincie"),
        ("provincie",),
        (GRANTED, PAID),
        _GRANTED_NOTE,
    ),
    GroupedTable(
        "1a_toegekend_grootte",
        "1a",
        _("Toegekende en uitbetaalde steun per grootte van de onderneming"),
        ("grootte",),
        (GRANTED, PAID),
        _size_note,
    ),
    GroupedTable(
        "1a_toegekend_sector",
        "1a",
        _("Toegekende steun per sector (hoofdactiviteit, NACE-BEL)"),
        ("sector",),
        (GRANTED,),
        _("Gegroepeerd op NACE-code van het dossier, niet op omschrijving: één activiteit is één rij."),
    ),
    # 1b: applications, whatever their outcome
    GroupedTable(
        "1b_aanvragen_uitkomst", "1b", _("Ingediende aanvragen per uitkomst"), ("uitkomst",), (APPLIED,), _APPLIED_NOTE
    ),
    GroupedTable(
        "1b_aanvragen_provincie",
        "1b",
        _("Ingediende aanvragen per provincie en uitkomst"),
        ("provincie", "uitkomst"),
        (APPLIED,),
        _APPLIED_NOTE,
    ),
    GroupedTable(
        "1b_aanvragen_grootte",
        "1b",
        _("Ingediende aanvragen per grootte en uitkomst"),
        ("grootte", "uitkomst"),
        (APPLIED,),
        _APPLIED_NOTE,
    ),
    GroupedTable(
        "1b_aanvragen_sector",
        "1b",
        _("Ingediende aanvragen per sector en uitkomst"),
        ("sector", "uitkomst"),
        (APPLIED,),
        _APPLIED_NOTE,
    ),
    # 1c: unique beneficiaries
    *(
        GroupedTable(
            f"1c_steunverkrijgers_{dimension}",
            "1c",
            title,
            (dimension,),
            (BENEFICIARIES,),
            _BENEFICIARIES_NOTE,
        )
        for dimension, title in (
            ("grootte", _("Unieke steunverkrijgers per grootte")),
            ("sector", _("Unieke steunverkrijgers per sector")),
            ("provincie", _("Unieke steunverkrijgers per provincie")),
        )
    ),
    # 1d: companies by number of applications and of grants, over the period
    CountsPerEntity(
        question="1d",
        source="dossiers",
        entity="company_id",
        counts=(
            Count("aanvragen", "submitted_year IS NOT NULL", _("aanvraag"), _("aanvragen")),
            Count("toekenningen", "granted AND decided_year IS NOT NULL", _("toekenning"), _("toekenningen")),
        ),
        tables=(
            Bucketed(
                "1d_bedrijven_aanvragen",
                _("Ondernemingen naar aantal ingediende aanvragen"),
                _("Aanvragen ingediend in de periode, wat ook de uitkomst is."),
                (0,),
            ),
            Bucketed(
                "1d_bedrijven_toekenningen",
                _("Ondernemingen naar aantal toekenningen"),
                _("Steun toegekend in de periode."),
                (1,),
            ),
            Bucketed(
                "1d_bedrijven_aanvragen_toekenningen",
                _("Ondernemingen naar aantal aanvragen en aantal toekenningen"),
                _(
                    "Bv. '2 aanvragen · 1 toekenning': ondernemingen die twee keer aanvroegen en één keer steun kregen. "
                    "'0 aanvragen': de aanvraag werd vóór de periode ingediend."
                ),
                (0, 1),
            ),
        ),
        year_basis=_1d_year_basis,
    ),
    # 1e: themes (CyFun / NIST CSF 2.0) of the granted projects, see reporting.impact_tables
    ThemeTables(),
    # 1f: packages
    GroupedTable("1f_pakket", "1f", _("Toegekende trajecten per pakket"), ("pakket",), (GRANTED,), _PACKAGE_NOTE),
    GroupedTable(
        "1f_pakket_grootte",
        "1f",
        _("Toegekende trajecten per pakket en grootte van de onderneming"),
        ("pakket", "grootte"),
        (GRANTED,),
        _PACKAGE_NOTE,
    ),
    # 1g: started but not completed
    *(
        GroupedTable(
            f"1g_niet_afgewerkt_{dimension}",
            "1g",
            title,
            (dimension, "stand"),
            (ABANDONED,),
            _ABANDONED_NOTE,
        )
        for dimension, title in (
            ("provincie", _("Niet afgewerkte aanvragen per provincie")),
            ("grootte", _("Niet afgewerkte aanvragen per grootte")),
            ("sector", _("Niet afgewerkte aanvragen per sector")),
        )
    ),
    # 2, 2a: controls (cstraject.controls), by size class as question 2 asks
    GroupedTable(
        "2_controles_grootte",
        "2",
        _("Uitgevoerde controles per grootte van de onderneming"),
        ("grootte",),
        (CONTROLS,),
        _CONTROLS_NOTE,
    ),
    GroupedTable(
        "2_controles_soort",
        "2",
        _("Uitgevoerde controles per soort en grootte"),
        ("soort", "grootte"),
        (CONTROLS,),
        _CONTROLS_NOTE,
    ),
    GroupedTable(
        "2_controles_aanleiding",
        "2",
        _("Uitgevoerde controles per aanleiding en grootte"),
        ("aanleiding", "grootte"),
        (CONTROLS,),
        _CONTROLS_NOTE,
    ),
    GroupedTable(
        "2a_onregelmatigheden_grootte",
        "2a",
        _("Controles die een onregelmatigheid of een vermoeden van fraude aan het licht brachten, per grootte"),
        ("grootte",),
        (CONTROL_OUTCOMES,),
        format_lazy(
            "{} {}",
            _(
                "Met onregelmatigheid: elke controle met een bevinding, ook die met een vermoeden van fraude; "
                "vermoeden van fraude: doorverwezen."
            ),
            _CONTROLS_NOTE,
        ),
    ),
    GroupedTable(
        "2a_bevindingen_categorie",
        "2a",
        _("Bevindingen per categorie en grootte, met hun financieel effect"),
        ("bevinding", "grootte"),
        (FINDINGS,),
        _(
            "Financieel effect: het bedrag dat de bevinding onterecht maakte; een effect leidt tot een terugvordering "
            "(zie 2b)."
        ),
    ),
    # 2b, 2c: recovery orders and collections, by size class as question 2 asks
    GroupedTable(
        "2b_terugvorderingen_grootte",
        "2b",
        _("Terugvorderingen per grootte van de onderneming"),
        ("grootte",),
        (RECOVERED,),
        _(
            "Dossiers waarin een terugvordering werd verstuurd, en het teruggevorderde bedrag. Een dossier met "
            "meer dan één terugvordering in een jaar telt één keer."
        ),
    ),
    GroupedTable(
        "2c_inningen_grootte",
        "2c",
        _("Geïnde terugvorderingen per grootte van de onderneming"),
        ("grootte",),
        (COLLECTED,),
        _("Bedragen effectief geïnd op terugvorderingen, ook gedeeltelijke inningen, in het jaar van de inning."),
    ),
    # 5: impact of the finished trajectories, see reporting.impact_tables
    ImpactTables(),
]
