"""The text of the answer, generated from the figures: one or two plain sentences per part (Dutch, or the
active language), and the
method of the impact analysis (question 5). Nothing here is typed per period: every number comes from the
tables, and which sentence is used depends on the figures (no data, one year, several years).

Used by the docx answer, the workbook's sheet 5 and the statistics page.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cstraject.core.numbers import format_number

from .impact_tables import NO_THEME
from .statistics import Table

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")  # fmt: skip


def eur(amount) -> str:
    """EUR 935.757,61 in Dutch, EUR 935,757.61 in English (always two decimals)."""
    amount = Decimal(amount)
    return f"{'-' if amount < 0 else ''}EUR {format_number(abs(amount), places=2)}"


def number(value) -> str:
    """1.234 for counts; 4,25 for decimals (1,234 and 4.25 in English)."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return format_number(value, places=2)
    return format_number(int(value))


def pct(value) -> str:
    return f"{format_number(Decimal(value), places=1)} %"


def score(value) -> str:
    return format_number(Decimal(value), places=2)


def long_date(day) -> str:
    """27 november 2026 (Dutch), 27 November 2026 (English)."""
    if (get_language() or "nl").startswith("nl"):
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return formats.date_format(day, "j F Y")


def _by_key(tables: list[Table], key: str) -> Table | None:
    return next((t for t in tables if t.key == key), None)


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(items)s en %(last)s") % {"items": ", ".join(parts[:-1]), "last": parts[-1]}


def _per_year(table: Table | None, build) -> list[str]:
    """`build(year, total_row)` per year with figures, for the Totaal row of `table`."""
    if table is None or table.total is None:
        return []
    return [text for year in table.years if (text := build(year, table.total))]


def sentences_1a(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1a_toegekend_provincie")
    if table is None or table.total is None:
        return [_("In deze periode werd geen steun toegekend.")]
    years = [y for y in table.years if table.total.value(y, "aantal")]
    if not years:
        return [_("In deze periode werd geen steun toegekend.")]
    first, *rest = years
    total = table.total
    text = _("In %(first)s werden %(number)s dossiers toegekend voor in totaal %(eur)s") % {
        "first": first,
        "number": number(total.value(first, "aantal")),
        "eur": eur(total.value(first, "bedrag")),
    }
    if rest:
        text += "; " + "; ".join(
            (
                _("in %(y)s %(number)s dossiers voor %(eur)s")
                % {"y": y, "number": number(total.value(y, "aantal")), "eur": eur(total.value(y, "bedrag"))}
            )
            for y in rest
        )
    sentences = [text + "."]
    paid = [
        (_("%(eur)s in %(y)s") % {"eur": eur(total.value(y, "uitbetaald")), "y": y})
        for y in table.years
        if total.value(y, "uitbetaald")
    ]
    if paid:
        sentences.append(_("Uitbetaald werd %(join)s.") % {"join": _join(paid)})
    return sentences


def sentences_1b(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1b_aanvragen_uitkomst")
    if table is None or table.total is None:
        return [_("In deze periode werden geen aanvragen ingediend.")]
    outcomes = {row.label: row for row in table.rows}

    def applied(year, total):
        n = total.value(year, "aantal")
        if not n:
            return ""
        detail = [
            f"{number(r.value(year, 'aantal'))} {label}" for label, r in outcomes.items() if r.value(year, "aantal")
        ]
        return _("in %(year)s %(number)s aanvragen (%(detail)s)") % {
            "year": year,
            "number": number(n),
            "detail": ", ".join(detail),
        }

    return [(_("Ingediend werden %(join)s.") % {"join": _join(_per_year(table, applied))})]


def sentences_1c(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1c_steunverkrijgers_grootte")
    parts = _per_year(
        table,
        lambda y, t: (
            (_("%(number)s in %(y)s") % {"number": number(t.value(y, "aantal")), "y": y})
            if t.value(y, "aantal")
            else ""
        ),
    )
    if not parts:
        return [_("In deze periode waren er geen steunverkrijgers.")]
    return [(_("Het aantal unieke steunverkrijgers bedraagt %(join)s.") % {"join": _join(parts)})]


def sentences_1d(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1d_bedrijven_toekenningen")
    if table is None or table.total is None:
        return [_("In deze periode kreeg geen onderneming steun.")]
    year = table.years[0]
    once = next((r.figure(year, "aantal") for r in table.rows if r.category[0].startswith("1 ")), 0)
    total = table.total.figure(year, "aantal")
    more = total - once
    text = _("Over %(year)s kregen %(number)s ondernemingen steun; %(number2)s van hen één keer") % {
        "year": year,
        "number": number(total),
        "number2": number(once),
    }
    return [
        text
        + (
            (_(", %(number)s meer dan één keer.") % {"number": number(more)})
            if more
            else _(", geen enkele meer dan één keer.")
        )
    ]


def sentences_1e(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1e_thema_functie")
    if table is None or table.total is None:
        return [_("In deze periode werd geen steun toegekend, dus ook niet per thema.")]
    text = []
    no_theme = _(NO_THEME)  # the row's label in the active language
    for year in table.years:
        if not table.total.value(year, "dossiers"):
            continue
        themed = [r for r in table.rows if r.category[0] != no_theme and r.value(year, "dossiers")]
        unthemed = next((r for r in table.rows if r.category[0] == no_theme), None)
        if not themed:
            text.append(_("Voor de %(number)s dossiers van %(year)s werden geen thema's geregistreerd.") % {"number": number(table.total.value(year, 'dossiers')), "year": year})  # fmt: skip
            continue
        top = max(themed, key=lambda r: r.figure(year, "bedrag"))
        sentence = _(
            "In %(year)s ging het grootste deel van het toegekende bedrag naar %(category)s (%(pct)s, %(eur)s)"
        ) % {
            "year": year,
            "category": top.category[0],
            "pct": pct(top.value(year, "aandeel_bedrag")),
            "eur": eur(top.value(year, "bedrag")),
        }
        main = max(themed, key=lambda r: r.figure(year, "hoofdthema"))
        sentence += _("; %(category)s was het vaakst het hoofdthema (%(pct)s van de dossiers)") % {
            "category": main.category[0],
            "pct": pct(main.value(year, "aandeel_hoofdthema")),
        }
        if unthemed is not None and unthemed.value(year, "dossiers"):
            sentence += _("; %(number)s dossiers hebben geen geregistreerd thema") % {
                "number": number(unthemed.value(year, "dossiers"))
            }
        text.append(sentence + ".")
    return text or [_("In deze periode werd geen steun toegekend, dus ook niet per thema.")]


def sentences_1f(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1f_pakket")
    if table is None or table.total is None:
        return [_("In deze periode werden geen trajecten toegekend.")]

    def top(year, total):
        if not total.value(year, "aantal"):
            return ""
        row = max(table.rows, key=lambda r: r.value(year, "aantal"))
        return _("in %(year)s %(category)s (%(number)s van %(number2)s)") % {
            "year": year,
            "category": row.category[0],
            "number": number(row.value(year, "aantal")),
            "number2": number(total.value(year, "aantal")),
        }

    return [(_("Het meest gekozen pakket was %(join)s.") % {"join": _join(_per_year(table, top))})]


def sentences_1g(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1g_niet_afgewerkt_provincie")
    parts = _per_year(
        table,
        lambda y, t: (
            (_("%(number)s in %(y)s") % {"number": number(t.value(y, "aantal")), "y": y})
            if t.value(y, "aantal")
            else ""
        ),
    )
    if not parts:
        return [_("Er werden geen aanvragen gestart zonder ze af te werken.")]
    return [
        (_("Aanvragen die niet afgewerkt werden (nooit ingediend of ingetrokken): %(join)s.") % {"join": _join(parts)})
    ]


def sentences_2b(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "2b_terugvorderingen_grootte")
    parts = _per_year(
        table,
        lambda y, t: (
            (
                _("in %(y)s %(number)s dossiers voor %(eur)s")
                % {"y": y, "number": number(t.value(y, "aantal")), "eur": eur(t.value(y, "bedrag"))}
            )
            if t.value(y, "aantal")
            else ""
        ),
    )
    if not parts:
        return [_("In deze periode werden geen terugvorderingen verstuurd.")]
    return [(_("Terugvorderingen werden verstuurd %(join)s.") % {"join": _join(parts)})]


def sentences_2c(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "2c_inningen_grootte")
    parts = _per_year(
        table,
        lambda y, t: (_("%(eur)s in %(y)s") % {"eur": eur(t.value(y, "geind")), "y": y}) if t.value(y, "geind") else "",
    )
    if not parts:
        return [_("In deze periode werd niets geïnd op terugvorderingen.")]
    return [(_("Effectief geïnd werd %(join)s.") % {"join": _join(parts)})]


def impact_method(tables: list[Table]) -> list[str]:
    """Question 5: how the impact is examined, mapped and followed up, with the figures of the period."""
    overview = _by_key(tables, "5_impact_jaar")
    functions = _by_key(tables, "5_maturiteit_functie")
    paragraphs = [
        _(
            "Elk traject wordt afgesloten met een eindverslag dat de dienstverlener opmaakt en de kmo medeondertekent. "
            "Het verslag beschrijft per verbeterpunt het thema volgens CyberFundamentals (CyFun) van het Centrum voor "
            "Cybersecurity België, dat de functies en categorieën van het NIST Cybersecurity Framework 2.0 volgt, of het "
            "punt gerealiseerd werd, en de maturiteit van de kmo op dat thema voor en na het traject op de CyFun-schaal "
            "van 1 tot 5. Daarnaast wordt per functie (Besturen, Identificeren, Beschermen, Detecteren, Reageren, "
            "Herstellen) de maturiteit voor en na vastgelegd. De kmo beantwoordt bij de medeondertekening een korte "
            "bevraging: tevredenheid (1 tot 5), of ze het traject zou aanbevelen en of het haar manier van werken "
            "veranderde. Twaalf maanden na het einde vraagt een opvolgingsbevraging welke verbeteringen nog van kracht zijn."
        )
    ]
    if overview is None or overview.total is None:
        paragraphs.append(
            _("In deze periode werden nog geen trajecten afgerond; een portefeuilleanalyse is nog niet mogelijk.")
        )
        return paragraphs
    period = overview.years[0]
    total = overview.total

    def value(key):
        return total.value(period, key)

    finished, reports = value("afgerond"), value("eindverslag")
    if not reports:
        paragraphs.append(
            _(
                "In %(period)s werden %(number)s trajecten afgerond, maar geen ervan heeft een medeondertekend gestructureerd eindverslag; de impact kan voor deze periode nog niet gemeten worden."
            )
            % {"period": period, "number": number(finished)}
        )
        return paragraphs
    text = _(
        "In %(period)s werden %(number)s trajecten afgerond; voor %(number2)s ervan is er een medeondertekend eindverslag. %(pct)s van die trajecten toont een hogere maturiteit, met een gemiddelde winst van %(score)s punt op de schaal van 1 tot 5."
    ) % {
        "period": period,
        "number": number(finished),
        "number2": number(reports),
        "pct": pct(value("aandeel_winst")),
        "score": score(value("winst")),
    }
    if functions is not None and functions.total is not None:
        low, high = functions.total.value(period, "bi_laag"), functions.total.value(period, "bi_hoog")
        if low is not None and high is not None:
            text += (
                _(" Met 95 %% betrouwbaarheid ligt de gemiddelde winst tussen %(score)s en %(score2)s punt")
                % {"score": score(low), "score2": score(high)}
            ) + (
                _("; de verbetering is dus statistisch aantoonbaar.")
                if low > 0
                else _("; een verbetering is dus (nog) niet statistisch aantoonbaar.")
            )
        best = [r for r in functions.rows if r.value(period, "winst") is not None]
        if best:
            top = max(best, key=lambda r: r.figure(period, "winst"))  # the rows with a figure
            text += _(" De grootste winst was er voor %(category)s in %(category2)s (%(score)s punt).") % {
                "category": top.category[1],
                "category2": top.category[0],
                "score": score(top.value(period, "winst")),
            }
    paragraphs.append(text)
    feedback = []
    if value("tevredenheid") is not None:
        feedback.append(
            _("De kmo's gaven gemiddeld %(score)s op 5 voor hun tevredenheid") % {"score": score(value("tevredenheid"))}
        )
    if value("aanbevelen") is not None:
        feedback.append(_("%(pct)s zou het traject aanbevelen") % {"pct": pct(value("aanbevelen"))})
    if value("praktijk") is not None:
        feedback.append(_("%(pct)s zegt dat het de beveiligingspraktijk veranderde") % {"pct": pct(value("praktijk"))})
    if feedback:
        paragraphs.append(_join(feedback) + ".")
    if value("opvolging"):
        follow = _("Er werden %(number)s opvolgingsbevragingen verstuurd, waarvan %(pct)s beantwoord werd") % {
            "number": number(value("opvolging")),
            "pct": pct(value("respons")),
        }
        if value("behoud") is not None:
            follow += _(
                "; van de gerealiseerde verbeterpunten is volgens de kmo's %(pct)s na een jaar nog van kracht"
            ) % {"pct": pct(value("behoud"))}
        paragraphs.append(follow + ".")
    else:
        paragraphs.append(_("De opvolgingsbevraging na twaalf maanden was voor deze trajecten nog niet aan de orde."))
    if value("kost_per_punt") is not None:
        paragraphs.append(
            _(
                "Per punt maturiteitswinst werd gemiddeld %(eur)s steun toegekend. Deze cijfers worden per jaar, grootte, sector en dienstverlener opgevolgd (zie de tabellen), zodat de doelmatigheid van de maatregel en de bijdrage aan een betere cyberweerbaarheid van de Vlaamse kmo's, een doelstelling van de Vlaamse Regering, zichtbaar worden."
            )
            % {"eur": eur(value("kost_per_punt"))}
        )
    return paragraphs


SENTENCES = {
    "1a": sentences_1a,
    "1b": sentences_1b,
    "1c": sentences_1c,
    "1d": sentences_1d,
    "1e": sentences_1e,
    "1f": sentences_1f,
    "1g": sentences_1g,
    "2b": sentences_2b,
    "2c": sentences_2c,
    "5": impact_method,
}


def part_text(question: str, tables: list[Table]) -> list[str]:
    """The generated sentences for one part of the question (empty for a part without figures)."""
    build = SENTENCES.get(question)
    return build(tables) if build else []
