"""Written question 526 of 1 April 2022 (Andries Gryffroy), verbatim, and which tables answer it.

The question stays Dutch in every language: it is quoted as it was put."""

from django.utils.translation import gettext_lazy

TITLE = "Schriftelijke vraag nr. 526 van 1 april 2022 van Andries Gryffroy: Cybersecurity verbetertrajecten - Steun"

# (code, text) as the question was put; line breaks of the published PDF joined.
QUESTIONS: list[tuple[str, str]] = [
    (
        "1",
        "Hoeveel steun werd in de periode 2021-heden (recentste cijfers) (cijfers per jaartal) toegekend in het "
        "kader van de cybersecurity verbetertrajecten? Graag een overzicht van:",
    ),
    (
        "1a",
        "De totale toegekende steun, per jaartal met onderscheid tussen het aantal dossiers en de uitgekeerde "
        "bedragen, alsook de steun toegekend aan micro-/kleine/middelgrote ondernemingen. Daarbij ook graag een "
        "opdeling per sector en provinciale spreiding.",
    ),
    (
        "1b",
        "Het totale aantal aanvragen, per jaartal met onderscheid tussen het aantal dossiers en de uitgekeerde "
        "bedragen, alsook de steun toegekend aan micro-/kleine/middelgrote ondernemingen. Daarbij ook graag een "
        "opdeling per sector en provinciale spreiding.",
    ),
    (
        "1c",
        "Het totale aantal unieke steunverkrijgers, per jaartal met onderscheid tussen micro-/kleine/middelgrote "
        "ondernemingen. Daarbij ook graag een opdeling per sector en provinciale spreiding.",
    ),
    (
        "1d",
        "De hoeveelheid aanvragen per bedrijf per subsidie. I.e. een bedrijf dat meerdere keren een subsidie "
        "aanvraagt. Bv: X aantal bedrijven dienden 1 maal een aanvraag in en kregen de subsidie; X aantal bedrijven "
        "dienden 2 maal een aanvraag in en kregen 2 maal de subsidie; …",
    ),
    (
        "1e",
        "De relatieve verdeling (zowel in steunbedrag als in aantal dossiers) per thema van de aangevraagde "
        "projecten binnen deze subsidie.",
    ),
    (
        "1f",
        "Voor welke projecten/toepassingen werd de premie verkregen? Graag een onderscheid per type onderneming "
        "en per jaar.",
    ),
    (
        "1g",
        "Het totale aantal gestarte aanvragen, maar die niet werden afgewerkt door de aanvrager (aan de hand van "
        "het aantal ‘clicks’). Daarbij graag een opdeling per sector en provinciale spreiding. Alsook de grootte "
        "van de onderneming (micro-/kleine/middelgrote onderneming).",
    ),
    (
        "2",
        "Hoeveel controles werden er reeds uitgevoerd voor de cybersecurity verbetertrajecten? Graag de cijfers "
        "per jaartal weergeven en onderscheid makend tussen micro-/kleine/middelgrote ondernemingen voor zowel "
        "deze als alle onderstaande vragen.",
    ),
    ("2a", "Hoeveel van deze controles brachten onregelmatigheden/fraude aan het licht?"),
    (
        "2b",
        "In hoeveel dossiers werden terugvorderingen uitgestuurd en over welk totaalbedrag aan terugvorderingen gaat het?",
    ),
    ("2c", "Hoeveel van de teruggevorderde bedragen werden effectief geïnd?"),
    (
        "3",
        "Hoe verloopt het controlemechanisme van de cybersecurity verbetertrajecten? Graag een beschrijving van het controleproces.",
    ),
    (
        "4",
        "Indien er gebruik wordt gemaakt van een automatische screening/controle, welke ‘red flags’ worden "
        "hiervoor gehanteerd? Welke categorieën/elementen worden in consideratie genomen?",
    ),
    (
        "5",
        "Hoe wordt de impact van de steunmaatregel op de onderneming onderzocht? Hoe worden de effecten in kaart "
        "gebracht om de doelmatigheid van de maatregel na te gaan? Hoe worden de resultaten opgevolgd en hoe dragen "
        "deze bij tot de doelstellingen van de Vlaamse Regering?",
    ),
    ("", "Bovenstaande cijfers graag in een excel-tabel."),
]

# Sub-questions this report does not answer from the records (yet), and why.
NOT_IN_THIS_REPORT = {
    "3": gettext_lazy(
        "Blad '3 controleproces': tekst en schema, gemaakt uit de workflow en de controlesoorten van cstraject."
    ),
}
