"""Every page, as every role, in English and in Dutch: no untranslated Dutch and no code names.

For each role the test logs in, switches the interface to English with the language form, and walks
every page it can reach: breadth-first from the home page over the same-site links (GET only; no
logout, language switch or file download), one page per URL pattern (and, for a dossier, per state of
the dossier, since each state shows different parts), then the patterns of the URL conf that no link
led to, filled in with an object of the right kind. On every page it reads the visible text and the
labels that are not in it (option labels, placeholders, titles, aria-labels, button values) and looks for
  (a) Dutch words that an English page must not show (`DUTCH`, whole words), and
  (b) code names: `snake_case` and `dotted.codes`, the workflow's and the models' codes,
      "draft -> submitted" arrows, raw decimals ("300000.00", "9791.20000000000"), Python reprs.
Then the same pages in Dutch, for (b) only.

What users and data entered (company, provider and people's names, addresses, motivations, findings,
report texts: `user_texts`) is not ours to translate and is taken out before the check, as are the
parts of a page marked `data-user-content` or `lang="nl"`. Every offending page is collected with
what was found; the test fails once, with the whole list (also in test-artifacts/untranslated.txt).

WALK_DEBUG=1 prints every page and its text; WALK_ROLES=provider,admin walks only those roles.
"""

import os
import re
import time
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError

from cstraject.companies.models import Company, NaceCode
from cstraject.dossiers.eligibility import CRITERIA
from cstraject.dossiers.models import Dossier
from cstraject.dossiers.workflow import TRANSITIONS
from tests.factories import TEST_PASSWORD

from .world import USERS, build_world

pytestmark = pytest.mark.browser
DEBUG = bool(os.environ.get("WALK_DEBUG"))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# (a) Frequent Dutch words and the scheme's Dutch terms, whole words, case-insensitive; none that is an
# English word too.
DUTCH = _words(
    """
    aanvraag aanvragen aanvrager dossierbehandelaar behandelaar offerte offertes schijf schijven
    betaling betalingen betalingsaanvraag betalingsaanvragen prestatiestaat prestatiestaten goedgekeurd
    goedkeuren ingediend indienen geweigerd weigeren terugvordering terugvorderingen onderneming
    ondernemingen ondernemingsnummer inning inningen afrekening eindverslag eindverslagen
    beleidsmedewerker beheerder dienstverlener dienstverleners controleur controles steekproef oproep
    oproepen kmo kmo's beslissing motivering stopgezet stopzetten lopend afgewerkt ingetrokken intrekken
    ontwerp uitbetaald uitbetaling mensdagen geleverd geleverde pakket pakketten subsidiabel
    subsidiabiliteit bedrag bedragen kwartaal jaar jaren gemeente provincie jaarrekening jaarrekeningen
    omzet balanstotaal werknemers bevinding bevindingen risico rode vlag vlaggen opvolging bevestigen
    bevestigd toegekend toekenning weigering reden statistieken werkboek downloaden vraag antwoord
    periode tonen zoeken opzoeken opslaan wijzigen annuleren aanmelden afmelden gebruikersnaam
    wachtwoord terug verder totaal overzicht nieuwe nieuw mijn onze uw geen niet het een van voor
    zijn wordt worden kan kunnen moet moeten deze dit dat wat wie als maar ook nog naar bij uit aan tot
    op te en de nee ja alle alles gegevens zonder eerst eerder later binnen tussen tegen volgens omdat
    waarom welke hier daar audittrail werkvoorraad risicowachtrij inlezen ondertekend ondertekenen
    medeondertekenen thema's themas verbeterpunt verbeterpunten maturiteit uitgevoerd gepland bedrijf
    bedrijven vandaag gisteren toelichting opmerking opmerkingen
    """
)
# Not on it, being English words too: of, met, stand, datum, status, in, is, die, over, door, was, had, plan, start.

# Proper nouns and names that stay as they are in English (allowed on every page).
ALLOWED = [
    "VLAIO",  # the agency
    "KBO",  # Crossroads Bank for Enterprises: the English text says "Crossroads Bank for Enterprises (KBO)"
    "CyberFundamentals",
    "CyFun",
    "Nederlands",  # the language's own name in the language menu
    "de minimis",  # Latin, the EU's own English term for the aid
    "De minimis",
    "None available",  # Django's admin: no recent actions
    "vlaio.be",
]

# The CyberFundamentals / NIST CSF functions go by their codes in every language ("DE" is Detect).
FRAMEWORK_CODES = frozenset({"GV", "ID", "PR", "DE", "RS", "RC"})

# A command line quoted in the text ("cstraject report") is a name, in every language.
CLI_COMMAND = re.compile(r"\bcstraject [a-z][a-z-]*")

# (b) Code names.
# "draft -> submitted" is the code's own notation; "submitted → approved" between labels is fine (snake_case
# codes beside an arrow are caught by SNAKE).
ARROW = re.compile(r"\b[a-z_]+ ?-> ?[a-z_]+\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z_]{2,}\.[a-z_]{2,}\b")  # not abbreviations: "e.g.", "p.m."
RAW_DECIMAL = re.compile(r"(?<![\d.,])\d{4,}\.\d{2}(?![\d.,])|\d[.,]\d{5,}")
REPRS = re.compile(r"\bNone\b|<QuerySet|object at 0x|\bDecimal\(|datetime\.date\(|%\([a-z_]+\)s|\{\{|\{%")


def _code_values() -> set[str]:
    """Every code the models, the permission table and the workflow store or use."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    values = set(TRANSITIONS) | set(CRITERIA)
    for choices in subclasses(models.TextChoices):
        if choices.__module__.startswith("cstraject"):
            values |= {str(v) for v in choices.values}
    return {v for v in values if not v.isdigit()}


# Codes that are also ordinary Dutch (or both-language) words: the Dutch pages may use them as words.
CODES_THAT_ARE_WORDS = _words(
    """
    basis klein groot middelgroot micro medium plus light start standard import partner review screening
    document web api cli update volledig verkort eenmanszaak publiekrechtelijk bv nv cv vof commv vzw
    antwerpen brussel henegouwen limburg luik luxemburg namen vlaanderen wallonie oost-vlaanderen
    west-vlaanderen vlaams-brabant waals-brabant division section group class admin uitbreiding
    """
)

WEB_DOWNLOADS = {
    "web:document_download",
    "letter_download",
    "web:bulk_errors",
    "web:bulk_template",
    "web:statistics_workbook",
    "web:statistics_document",
}
NEVER = {"logout", "set_language", "web:dossier_transition"} | WEB_DOWNLOADS


def user_texts() -> list[str]:
    """What users and the data entered, longest first: names, addresses, motivations, findings, reports.

    The NACE-BEL labels are the official nomenclature (published in Dutch and French only)."""
    fields = {
        "companies.Company": ["name", "municipality"],
        "companies.DeMinimisAid": ["grantor", "description"],
        "providers.ServiceProvider": ["name"],
        "calls.Call": ["name"],
        "calls.Package": ["name"],
        "dossiers.Dossier": ["decision_reason"],
        "dossiers.DossierDocument": ["original_name"],
        "dossiers.DeclaredDeMinimisAid": ["grantor", "description"],
        "payments.PaymentRequest": ["decision_reason"],
        "payments.Recovery": ["reason"],
        "impact.PlannedTheme": ["description"],
        "impact.FinalReport": ["improvements", "provider_signatory", "sme_signatory", "sme_feedback"],
        "impact.ImprovementPoint": ["description"],
        "impact.FollowUp": ["comment"],
        "controls.Control": ["scope", "controller_label"],
        "controls.Finding": ["description"],
        "audit.AuditEvent": ["actor_label"],
    }
    texts = set()
    for label, names in fields.items():
        for row in apps.get_model(label).objects.values_list(*names):
            texts |= {value.strip() for value in row if value and len(value.strip()) > 2}
    used = set(Company.objects.values_list("nace_code", flat=True)) | set(
        Dossier.objects.values_list("nace_code", flat=True)
    )
    texts |= set(NaceCode.objects.filter(pk__in=used).values_list("label_nl", flat=True))
    texts |= set(apps.get_model("operations.Notification").objects.values_list("to_address", flat=True))
    for row in get_user_model().objects.values_list("username", "first_name", "last_name", "email"):
        texts |= {value for value in row if value}
    return sorted((t for t in texts if len(t.strip()) > 2), key=len, reverse=True)


# The visible text and the labels a screen reader or a select shows, without the parts marked as user content.
PAGE_TEXT = """() => {
  const skip = '[data-user-content], body [lang="nl"], body [lang="nl-BE"], script, style, template';
  for (const el of document.querySelectorAll(skip)) el.setAttribute('data-walk-hidden', el.style.display);
  for (const el of document.querySelectorAll(skip)) el.style.display = 'none';
  const parts = [document.body.innerText];
  for (const el of document.querySelectorAll('option, [placeholder], [title], [aria-label], input[type=submit], img[alt]')) {
    if (el.closest(skip)) continue;
    for (const value of [el.tagName === 'OPTION' ? el.textContent : '', el.getAttribute('placeholder'),
                         el.getAttribute('title'), el.getAttribute('aria-label'),
                         el.type === 'submit' ? el.value : '', el.getAttribute('alt')]) {
      if (value) parts.push(value);
    }
  }
  for (const el of document.querySelectorAll('[data-walk-hidden]')) {
    el.style.display = el.getAttribute('data-walk-hidden'); el.removeAttribute('data-walk-hidden');
  }
  return parts.join('\\n');
}"""

LINKS = """() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"""


class Walk:
    def __init__(self, browser, base: str):
        self.browser, self.base = browser, base
        self.codes = _code_values()
        self.english_codes = {c for c in self.codes if SNAKE.fullmatch(c) or DOTTED.fullmatch(c)} | {"sme", "kmo"}
        self.dutch_codes = self.codes - CODES_THAT_ARE_WORDS
        texts = user_texts() + ALLOWED
        self.user_text = re.compile("|".join(re.escape(t) for t in texts), re.IGNORECASE) if texts else None
        self.problems: dict[str, set[str]] = {}
        self.visited: dict[str, list[str]] = {}
        self.statuses = dict(Dossier.objects.values_list("pk", "status"))

    # --- which URLs -------------------------------------------------------------------------------
    def key(self, url: str) -> str | None:
        """One page per URL pattern (and per dossier state); None: not to visit."""
        parts = urlsplit(url)
        if parts.netloc != urlsplit(self.base).netloc:
            return None
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        name = match.view_name
        if name in NEVER or (name.startswith("admin:") and name.endswith(("_delete", "logout", "_history"))):
            return None
        if parts.path.startswith("/api/") or parts.path.startswith("/health/"):
            return None
        key = name
        if name.startswith("admin:"):
            # Django's admin: one page of each kind (index, app list, change list, change form), not one
            # per model; the index lists every model's name.
            key = "admin:" + next((kind for kind in ("changelist", "change", "add") if name.endswith(kind)), name)
        if name == "web:dossier_detail":
            key += f"[{self.statuses.get(int(match.kwargs['pk']), '?')}]"
        query = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)} - {"page"})
        if query and not name.startswith("admin:"):
            key += "?" + "&".join(query)
        return key

    def unlinked(self) -> list[str]:
        """The URL conf's patterns, with an object of the right kind for those that need one."""
        from cstraject.payments.models import PaymentRequest, Recovery

        objects = {
            "dossiers/": list(Dossier.objects.values_list("pk", flat=True)),
            "terugvorderingen/": list(Recovery.objects.values_list("pk", flat=True)[:1]),
            "betalingsaanvragen/": list(
                PaymentRequest.objects.filter(status="requested").values_list("pk", flat=True)[:1]
            ),
            "ondernemingen/": list(Company.objects.values_list("pk", flat=True)[:1]),
        }
        # One dossier per state.
        per_state = {}
        for pk, status in self.statuses.items():
            per_state.setdefault(status, pk)
        objects["dossiers/"] = [
            per_state[s] for s in ("in_progress", "finished", "draft", "submitted") if s in per_state
        ]
        urls = []

        def walk(patterns, prefix=""):
            for entry in patterns:
                if isinstance(entry, URLResolver):
                    namespace = f"{entry.namespace}:" if entry.namespace else ""
                    if namespace in ("admin:",) or str(entry.pattern).startswith(("api/", "i18n/")):
                        continue
                    walk(entry.url_patterns, prefix + namespace)
                elif isinstance(entry, URLPattern) and entry.name:
                    name = prefix + entry.name
                    if name in NEVER:
                        continue
                    route = str(entry.pattern)
                    if "<" not in route:
                        urls.append(reverse(name))
                        continue
                    if "<slug:" in route:
                        continue
                    for kind, pks in objects.items():
                        if route.startswith(kind) or f"/{kind}" in f"/{route}":
                            urls.extend(reverse(name, kwargs={"pk": pk}) for pk in pks)
                            break

        walk(get_resolver().url_patterns)
        return [self.base + url for url in urls]

    # --- checking -----------------------------------------------------------------------------------
    def found(self, text: str, *, english: bool) -> set[str]:
        if self.user_text is not None:
            text = self.user_text.sub(" ", text)
        text = CLI_COMMAND.sub(" ", text)
        hits = set()
        if english:
            for word in re.findall(r"[A-Za-zÀ-ÿ'_]+", text):  # "de_minimis" is a code name, not "de"
                if word in FRAMEWORK_CODES:
                    continue
                if word.lower().strip("'") in DUTCH:
                    hits.add(word)
        for pattern in (ARROW, SNAKE, DOTTED, RAW_DECIMAL, REPRS):
            hits |= {f"«{m}»" for m in pattern.findall(text)}
        codes = self.english_codes if english else self.dutch_codes
        for word in re.findall(r"[a-z][a-z_.\-]*[a-z]", text):
            if word in codes:
                hits.add(f"«{word}»")
        return hits

    def check(self, page, label: str, *, english: bool) -> None:
        text = page.evaluate(PAGE_TEXT)
        if DEBUG:
            print(f"WALK TEXT {label}: {text!r}", flush=True)
        hits = self.found(text, english=english)
        if hits:
            self.problems.setdefault(label, set()).update(hits)

    def login(self, username: str):
        context = self.browser.new_context(locale="nl-BE")
        page = context.new_page()
        page.goto(f"{self.base}/aanmelden/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(TEST_PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_load_state()
        return page

    def language(self, page, code: str) -> None:
        if not page.locator("#language-select").count():  # Django's admin: the same choice, by its cookie
            page.context.add_cookies([{"name": "django_language", "value": code, "url": self.base}])
            page.reload()
            return
        page.locator("#language-select").select_option(code)
        page.locator("form.lang-switch button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == code

    def walk(self, page, role: str) -> list[str]:
        """Breadth-first over the links, then the unlinked patterns; checks each page in English."""
        seen: set[str] = set()
        pages: list[str] = []
        queue = deque([f"{self.base}/"])
        unlinked = deque(self.unlinked())

        while queue or unlinked:
            linked = bool(queue)
            url = (queue or unlinked).popleft().split("#")[0]
            key = self.key(url)
            if key is None or key in seen:
                continue
            if not linked:  # probe first: most unlinked patterns are not for this role (403) or POST only
                probe = page.request.get(url, max_redirects=0)
                if probe.status == 405:  # POST only: no other object makes it a page
                    seen.add(key)
                if probe.status != 200 or "text/html" not in probe.headers.get("content-type", ""):
                    continue
            try:
                response = page.goto(url)
            except PlaywrightError as error:  # a response without a page (405 for a POST-only view)
                if linked:
                    self.problems.setdefault(f"{role} {url}", set()).add(str(error).splitlines()[0])
                continue
            if (
                response is None
                or response.status != 200
                or "text/html" not in response.headers.get("content-type", "")
            ):
                if linked and response is not None and response.status >= 500:
                    self.problems.setdefault(f"{role} {url}", set()).add(f"HTTP {response.status}")
                continue
            final_key = self.key(page.url) or key
            seen |= {key, final_key}
            pages.append(page.url)
            if DEBUG:
                print(f"WALK {time.monotonic():.1f} {role} {key} {page.url}", flush=True)
            self.check(
                page,
                f"{role} en {urlsplit(page.url).path}{'?' + urlsplit(page.url).query if urlsplit(page.url).query else ''}",
                english=True,
            )
            for href in page.evaluate(LINKS):
                href = href.split("#")[0]
                if self.key(href) not in seen and self.key(href) is not None:
                    queue.append(href)
        return pages


def test_every_page_in_every_role_is_in_the_chosen_language(transactional_db, browser, live_server, artifacts):
    started = time.monotonic()
    # The world's stored texts (reasons, letters) are written in Dutch, as a Dutch-speaking agency writes
    # them, whatever language an earlier test left active in this thread.
    with translation.override("nl"):
        build_world()
    built = time.monotonic() - started
    walk = Walk(browser, live_server.url)
    # The checker itself finds what it must (and a user's text such as a company name stays out of it).
    assert walk.found(
        "Beslissingsbrief (weigering) draft -> submitted 300000.00 de_minimis Kmo Walk BV", english=True
    ) == {
        "weigering",
        "«draft -> submitted»",
        "«300000.00»",
        "«de_minimis»",
    }
    counts = {}
    dutch_done: set[str] = set()
    for role in [r for r in USERS if not os.environ.get("WALK_ROLES") or r in os.environ["WALK_ROLES"].split(",")]:
        role_started = time.monotonic()
        page = walk.login(USERS[role])
        context = page.context
        walk.language(page, "en")
        pages = walk.walk(page, role.value)
        page.close()
        page = context.new_page()
        page.goto(pages[0])
        walk.language(page, "nl")
        for url in pages:  # the same pages in Dutch, each kind once over all roles: code names only
            if walk.key(url) in dutch_done:
                continue
            dutch_done.add(walk.key(url))
            page.goto(url)
            walk.check(page, f"{role.value} nl {urlsplit(url).path}", english=False)
        counts[role.value] = (len(pages), round(time.monotonic() - role_started, 1))
        walk.visited[role.value] = pages
        page.context.close()

    report = "\n".join(f"{label}: {', '.join(sorted(hits))}" for label, hits in sorted(walk.problems.items()))
    visited = "\n".join(f"{role}: {' '.join(urlsplit(u).path for u in urls)}" for role, urls in walk.visited.items())
    (artifacts / "untranslated.txt").write_text(
        f"{report}\n\npages walked per role: {counts}\n{visited}\n", encoding="utf-8"
    )
    print(f"world {built:.1f} s, walk {time.monotonic() - started - built:.1f} s, pages per role {counts}")
    # Every role reached more than its home page.
    assert all(count >= 2 for count, _seconds in counts.values()), counts
    assert not walk.problems, f"{len(walk.problems)} pages show Dutch or code names:\n{report}"
