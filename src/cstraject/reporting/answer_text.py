"""The text of the answer, generated from the figures: one or two plain Dutch sentences per part, and the
method of the impact analysis (question 5). Nothing here is typed per period: every number comes from the
tables, and which sentence is used depends on the figures (no data, one year, several years).

Used by the docx answer, the workbook's sheet 5 and the statistics page.
"""

from __future__ import annotations

from decimal import Decimal

from .statistics import Table

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")  # fmt: skip


def eur(amount) -> str:
    """EUR 935.757,61 (Dutch notation, always two decimals)."""
    amount = Decimal(amount)
    whole, cents = f"{abs(amount):.2f}".split(".")
    return f"{'-' if amount < 0 else ''}EUR {int(whole):,}".replace(",", ".") + f",{cents}"


def number(value) -> str:
    """1.234 for counts; 4,25 for decimals."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:.2f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def pct(value) -> str:
    return f"{Decimal(value):.1f} %".replace(".", ",")


def score(value) -> str:
    return f"{Decimal(value):.2f}".replace(".", ",")


def long_date(day) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _by_key(tables: list[Table], key: str) -> Table | None:
    return next((t for t in tables if t.key == key), None)


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def _per_year(table: Table | None, build) -> list[str]:
    """`build(year, total_row)` per year with figures, for the Totaal row of `table`."""
    if table is None or table.total is None:
        return []
    return [text for year in table.years if (text := build(year, table.total))]


def sentences_1a(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1a_toegekend_provincie")
    if table is None or table.total is None:
        return ["In deze periode werd geen steun toegekend."]
    years = [y for y in table.years if table.total.value(y, "aantal")]
    if not years:
        return ["In deze periode werd geen steun toegekend."]
    first, *rest = years
    total = table.total
    text = (
        f"In {first} werden {number(total.value(first, 'aantal'))} dossiers toegekend voor in totaal "
        f"{eur(total.value(first, 'bedrag'))}"
    )
    if rest:
        text += "; " + "; ".join(
            f"in {y} {number(total.value(y, 'aantal'))} dossiers voor {eur(total.value(y, 'bedrag'))}" for y in rest
        )
    sentences = [text + "."]
    paid = [f"{eur(total.value(y, 'uitbetaald'))} in {y}" for y in table.years if total.value(y, "uitbetaald")]
    if paid:
        sentences.append(f"Uitbetaald werd {_join(paid)}.")
    return sentences


def sentences_1b(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1b_aanvragen_uitkomst")
    if table is None or table.total is None:
        return ["In deze periode werden geen aanvragen ingediend."]
    outcomes = {row.label: row for row in table.rows}

    def applied(year, total):
        n = total.value(year, "aantal")
        if not n:
            return ""
        detail = [
            f"{number(r.value(year, 'aantal'))} {label}" for label, r in outcomes.items() if r.value(year, "aantal")
        ]
        return f"in {year} {number(n)} aanvragen ({', '.join(detail)})"

    return [f"Ingediend werden {_join(_per_year(table, applied))}."]


def sentences_1c(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1c_steunverkrijgers_grootte")
    parts = _per_year(table, lambda y, t: f"{number(t.value(y, 'aantal'))} in {y}" if t.value(y, "aantal") else "")
    if not parts:
        return ["In deze periode waren er geen steunverkrijgers."]
    return [f"Het aantal unieke steunverkrijgers bedraagt {_join(parts)}."]


def sentences_1d(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1d_bedrijven_toekenningen")
    if table is None or table.total is None:
        return ["In deze periode kreeg geen onderneming steun."]
    year = table.years[0]
    once = next((r.value(year, "aantal") for r in table.rows if r.category[0].startswith("1 ")), 0)
    total = table.total.value(year, "aantal")
    more = total - once
    text = f"Over {year} kregen {number(total)} ondernemingen steun; {number(once)} van hen één keer"
    return [text + (f", {number(more)} meer dan één keer." if more else ", geen enkele meer dan één keer.")]


def sentences_1e(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1e_thema_functie")
    if table is None or table.total is None:
        return ["In deze periode werd geen steun toegekend, dus ook niet per thema."]
    text = []
    for year in table.years:
        if not table.total.value(year, "dossiers"):
            continue
        themed = [r for r in table.rows if r.category[0] != "geen thema geregistreerd" and r.value(year, "dossiers")]
        unthemed = next((r for r in table.rows if r.category[0] == "geen thema geregistreerd"), None)
        if not themed:
            text.append(f"Voor de {number(table.total.value(year, 'dossiers'))} dossiers van {year} werden geen "
                        "thema's geregistreerd.")  # fmt: skip
            continue
        top = max(themed, key=lambda r: r.value(year, "bedrag"))
        sentence = (
            f"In {year} ging het grootste deel van het toegekende bedrag naar {top.category[0]} "
            f"({pct(top.value(year, 'aandeel_bedrag'))}, {eur(top.value(year, 'bedrag'))})"
        )
        main = max(themed, key=lambda r: r.value(year, "hoofdthema"))
        sentence += f"; {main.category[0]} was het vaakst het hoofdthema ({pct(main.value(year, 'aandeel_hoofdthema'))} van de dossiers)"
        if unthemed is not None and unthemed.value(year, "dossiers"):
            sentence += f"; {number(unthemed.value(year, 'dossiers'))} dossiers hebben geen geregistreerd thema"
        text.append(sentence + ".")
    return text or ["In deze periode werd geen steun toegekend, dus ook niet per thema."]


def sentences_1f(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1f_pakket")
    if table is None or table.total is None:
        return ["In deze periode werden geen trajecten toegekend."]

    def top(year, total):
        if not total.value(year, "aantal"):
            return ""
        row = max(table.rows, key=lambda r: r.value(year, "aantal"))
        return f"in {year} {row.category[0]} ({number(row.value(year, 'aantal'))} van {number(total.value(year, 'aantal'))})"

    return [f"Het meest gekozen pakket was {_join(_per_year(table, top))}."]


def sentences_1g(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "1g_niet_afgewerkt_provincie")
    parts = _per_year(table, lambda y, t: f"{number(t.value(y, 'aantal'))} in {y}" if t.value(y, "aantal") else "")
    if not parts:
        return ["Er werden geen aanvragen gestart zonder ze af te werken."]
    return [f"Aanvragen die niet afgewerkt werden (nooit ingediend of ingetrokken): {_join(parts)}."]


def sentences_2b(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "2b_terugvorderingen_grootte")
    parts = _per_year(
        table,
        lambda y, t: (
            f"in {y} {number(t.value(y, 'aantal'))} dossiers voor {eur(t.value(y, 'bedrag'))}"
            if t.value(y, "aantal")
            else ""
        ),
    )
    if not parts:
        return ["In deze periode werden geen terugvorderingen verstuurd."]
    return [f"Terugvorderingen werden verstuurd {_join(parts)}."]


def sentences_2c(tables: list[Table]) -> list[str]:
    table = _by_key(tables, "2c_inningen_grootte")
    parts = _per_year(table, lambda y, t: f"{eur(t.value(y, 'geind'))} in {y}" if t.value(y, "geind") else "")
    if not parts:
        return ["In deze periode werd niets geïnd op terugvorderingen."]
    return [f"Effectief geïnd werd {_join(parts)}."]


def impact_method(tables: list[Table]) -> list[str]:
    """Question 5: how the impact is examined, mapped and followed up, with the figures of the period."""
    overview = _by_key(tables, "5_impact_jaar")
    functions = _by_key(tables, "5_maturiteit_functie")
    paragraphs = [
        "Elk traject wordt afgesloten met een eindverslag dat de dienstverlener opmaakt en de kmo medeondertekent. "
        "Het verslag beschrijft per verbeterpunt het thema volgens CyberFundamentals (CyFun) van het Centrum voor "
        "Cybersecurity België, dat de functies en categorieën van het NIST Cybersecurity Framework 2.0 volgt, of het "
        "punt gerealiseerd werd, en de maturiteit van de kmo op dat thema voor en na het traject op de CyFun-schaal "
        "van 1 tot 5. Daarnaast wordt per functie (Besturen, Identificeren, Beschermen, Detecteren, Reageren, "
        "Herstellen) de maturiteit voor en na vastgelegd. De kmo beantwoordt bij de medeondertekening een korte "
        "bevraging: tevredenheid (1 tot 5), of ze het traject zou aanbevelen en of het haar manier van werken "
        "veranderde. Twaalf maanden na het einde vraagt een opvolgingsbevraging welke verbeteringen nog van kracht zijn."
    ]
    if overview is None or overview.total is None:
        paragraphs.append(
            "In deze periode werden nog geen trajecten afgerond; een portefeuilleanalyse is nog niet mogelijk."
        )
        return paragraphs
    period = overview.years[0]
    total = overview.total

    def value(key):
        return total.value(period, key)

    finished, reports = value("afgerond"), value("eindverslag")
    if not reports:
        paragraphs.append(
            f"In {period} werden {number(finished)} trajecten afgerond, maar geen ervan heeft een medeondertekend "
            "gestructureerd eindverslag; de impact kan voor deze periode nog niet gemeten worden."
        )
        return paragraphs
    text = (
        f"In {period} werden {number(finished)} trajecten afgerond; voor {number(reports)} ervan is er een "
        f"medeondertekend eindverslag. {pct(value('aandeel_winst'))} van die trajecten toont een hogere maturiteit, "
        f"met een gemiddelde winst van {score(value('winst'))} punt op de schaal van 1 tot 5."
    )
    if functions is not None and functions.total is not None:
        low, high = functions.total.value(period, "bi_laag"), functions.total.value(period, "bi_hoog")
        if low is not None and high is not None:
            text += f" Met 95 % betrouwbaarheid ligt de gemiddelde winst tussen {score(low)} en {score(high)} punt" + (
                "; de verbetering is dus statistisch aantoonbaar."
                if low > 0
                else "; een verbetering is dus (nog) niet statistisch aantoonbaar."
            )
        best = [r for r in functions.rows if r.value(period, "winst") is not None]
        if best:
            top = max(best, key=lambda r: r.value(period, "winst"))
            text += (
                f" De grootste winst was er voor {top.category[1]} in {top.category[0]} "
                f"({score(top.value(period, 'winst'))} punt)."
            )
    paragraphs.append(text)
    feedback = []
    if value("tevredenheid") is not None:
        feedback.append(f"De kmo's gaven gemiddeld {score(value('tevredenheid'))} op 5 voor hun tevredenheid")
    if value("aanbevelen") is not None:
        feedback.append(f"{pct(value('aanbevelen'))} zou het traject aanbevelen")
    if value("praktijk") is not None:
        feedback.append(f"{pct(value('praktijk'))} zegt dat het de beveiligingspraktijk veranderde")
    if feedback:
        paragraphs.append(_join(feedback) + ".")
    if value("opvolging"):
        follow = (
            f"Er werden {number(value('opvolging'))} opvolgingsbevragingen verstuurd, waarvan "
            f"{pct(value('respons'))} beantwoord werd"
        )
        if value("behoud") is not None:
            follow += f"; van de gerealiseerde verbeterpunten is volgens de kmo's {pct(value('behoud'))} na een jaar nog van kracht"
        paragraphs.append(follow + ".")
    else:
        paragraphs.append("De opvolgingsbevraging na twaalf maanden was voor deze trajecten nog niet aan de orde.")
    if value("kost_per_punt") is not None:
        paragraphs.append(
            f"Per punt maturiteitswinst werd gemiddeld {eur(value('kost_per_punt'))} steun toegekend. Deze cijfers "
            "worden per jaar, grootte, sector en dienstverlener opgevolgd (zie de tabellen), zodat de doelmatigheid "
            "van de maatregel en de bijdrage aan een betere cyberweerbaarheid van de Vlaamse kmo's, een doelstelling "
            "van de Vlaamse Regering, zichtbaar worden."
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
