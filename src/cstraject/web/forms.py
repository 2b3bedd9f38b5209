"""Forms of the web application. They check the shape of the input; the
rules of the scheme are checked by the services, whose ValidationErrors are
put back on the fields they name (see `views.common.apply_errors`)."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cstraject.calls.models import Call, Package
from cstraject.companies.models import Company, LegalForm
from cstraject.core.enterprise_number import normalize_enterprise_number
from cstraject.core.geography import Province
from cstraject.core.money import parse_amount, parse_quantity
from cstraject.dossiers.declarations import DECLARATIONS
from cstraject.dossiers.models import DossierStatus, SizeClass
from cstraject.impact.models import FinalReport
from cstraject.payments.models import PerformanceStatement
from cstraject.providers.models import ServiceProvider

QUARTER_RE = re.compile(r"^(20\d\d)Q([1-4])$")


class VersionedForm(forms.Form):
    """Carries the dossier's `updated_at` so a stale form (another tab, another user) is refused."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)


def needed_when(field: forms.Field, text) -> forms.Field:
    """Mark `field` as needed in some cases only ("verplicht bij afwijzing"): its label says so
    instead of "(optioneel)" (see `web_tags.requirement_marker`); the form's clean checks it."""
    setattr(field, "requirement", text)  # noqa: B010 (an attribute of our own on Django's Field)
    return field


def _amount(value, field):
    try:
        return parse_amount(value, field=field)
    except ValidationError as error:
        raise ValidationError(error.message_dict[field]) from None


def _quantity(value, field):
    try:
        return parse_quantity(value, field=field)
    except ValidationError as error:
        raise ValidationError(error.message_dict[field]) from None


class EnterpriseNumberForm(forms.Form):
    enterprise_number = forms.CharField(
        label=_("Ondernemingsnummer"),
        max_length=20,
        help_text=_("10 cijfers, bv. 0123.456.789."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_enterprise_number(self):
        try:
            return normalize_enterprise_number(self.cleaned_data["enterprise_number"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["enterprise_number"]) from None


def _max_length(model, field: str) -> int:
    """A form field's max_length is the column's, never a second number."""
    return model._meta.get_field(field).max_length


class CompanyForm(forms.Form):
    """An enterprise we do not know yet, typed in by the provider."""

    enterprise_number = forms.CharField(widget=forms.HiddenInput, max_length=20)
    name = forms.CharField(label=_("Naam"), max_length=_max_length(Company, "name"))
    legal_form = forms.ChoiceField(label=_("Rechtsvorm"), choices=[("", "---------"), *LegalForm.choices])
    nace_code = forms.CharField(
        label=_("NACE-BEL 2008-code van de hoofdactiviteit"), max_length=8, help_text=_("Bv. 62.010")
    )
    postal_code = forms.CharField(label=_("Postcode"), max_length=6)
    municipality = forms.CharField(label=_("Gemeente"), max_length=_max_length(Company, "municipality"))


class MasterDataForm(forms.Form):
    """A correction of a company's master data by the agency (case handler, administrator)."""

    name = forms.CharField(label=_("Naam"), max_length=_max_length(Company, "name"))
    legal_form = forms.ChoiceField(label=_("Rechtsvorm"), choices=LegalForm.choices)
    nace_code = forms.CharField(
        label=_("NACE-BEL 2008-code van de hoofdactiviteit"), max_length=8, help_text=_("Bv. 62.010")
    )
    postal_code = forms.CharField(label=_("Postcode"), max_length=6)
    municipality = forms.CharField(label=_("Gemeente"), max_length=_max_length(Company, "municipality"))
    public_participation_pct = forms.CharField(label=_("Overheidsparticipatie (%)"), max_length=8)
    is_social_enterprise = forms.BooleanField(label=_("Erkend maatwerkbedrijf"), required=False)
    reason = forms.CharField(
        label=_("Reden van de correctie"),
        help_text=_("Bv. het KBO-uittreksel of het document waarop de correctie steunt."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class CompanySearchForm(forms.Form):
    enterprise_number = forms.CharField(label=_("Ondernemingsnummer"), max_length=20)

    def clean_enterprise_number(self):
        try:
            return normalize_enterprise_number(self.cleaned_data["enterprise_number"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["enterprise_number"]) from None


class PackagesForm(VersionedForm):
    """Which packages of the provider's catalogue, at what price and how many man-days."""

    packages = forms.MultipleChoiceField(
        label=_("Pakketten"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Pakket %(value)s zit niet in uw catalogus voor deze oproep.")},
    )

    def __init__(self, *args, catalogue: list[Package], **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        packages = self.fields["packages"]
        assert isinstance(packages, forms.ChoiceField)
        packages.choices = [(p.code, p.name) for p in catalogue]
        for package in catalogue:
            amount = self.fields[f"amount_{package.code}"] = forms.CharField(
                label=_("Bedrag excl. btw (EUR) voor %(name)s") % {"name": package.name},
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "data-amount": package.code}),
            )
            days = self.fields[f"man_days_{package.code}"] = forms.CharField(
                label=_("Mensdagen voor %(name)s") % {"name": package.name},
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            # Needed for every chosen package (checked in clean), so never shown as optional.
            needed_when(amount, _("verplicht als u dit pakket kiest"))
            needed_when(days, _("verplicht als u dit pakket kiest"))

    def clean(self):
        cleaned = super().clean()
        lines = []
        for code in cleaned.get("packages", []):
            amount_field, days_field = f"amount_{code}", f"man_days_{code}"
            amount = days = None
            if not (self.data.get(amount_field) or "").strip():
                self.add_error(amount_field, _("Vul het bedrag in voor dit pakket."))
            else:
                try:
                    amount = _amount(self.data.get(amount_field), amount_field)
                except ValidationError as error:
                    self.add_error(amount_field, error)
            if not (self.data.get(days_field) or "").strip():
                self.add_error(days_field, _("Vul het aantal mensdagen in voor dit pakket."))
            else:
                try:
                    days = _quantity(self.data.get(days_field), days_field)
                except ValidationError as error:
                    self.add_error(days_field, error)
            if amount is not None and days is not None:
                lines.append({"package": code, "amount_excl_vat": str(amount), "man_days": str(days)})
        cleaned["quote_lines"] = lines
        return cleaned


class DocumentsForm(VersionedForm):
    quote_file = forms.FileField(label=_("Offerte, ondertekend door de kmo (PDF, max. 10 MB)"), required=False)
    declarations_file = forms.FileField(label=_("Verklaringen op eer, ondertekend (PDF, max. 10 MB)"), required=False)

    def __init__(
        self, *args, have_quote: bool = False, have_declarations: bool = False, too_large: dict | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.have = {"quote_file": have_quote, "declarations_file": have_declarations}
        for name, have in self.have.items():
            if not have:  # required until uploaded once (checked in clean); then a new file only replaces it
                needed_when(self.fields[name], _("verplicht"))
        # Files dropped while streaming because they passed 10 MB (web.uploads.DocumentSizeUploadHandler).
        self.too_large = too_large or {}
        for key, text in DECLARATIONS.items():
            self.fields[f"declaration_{key}"] = forms.BooleanField(
                label=text,
                required=True,
                error_messages={"required": _("De kmo moet deze verklaring op eer afleggen.")},
            )

    def clean(self):
        cleaned = super().clean()
        for field, name in self.too_large.items():
            if field in self.fields:
                self.add_error(field, _("'%(name)s' is groter dan 10 MB.") % {"name": str(name)[-80:]})
        for field, have in self.have.items():
            if not have and not cleaned.get(field) and field not in self.errors:
                self.add_error(field, _("Laad dit document op (PDF)."))
        cleaned["declarations"] = {key: bool(cleaned.get(f"declaration_{key}")) for key in DECLARATIONS}
        return cleaned

    def declaration_fields(self):
        return [self[f"declaration_{key}"] for key in DECLARATIONS]


class SubmitForm(VersionedForm):
    confirm = forms.BooleanField(
        label=_("Ik bevestig dat de gegevens juist zijn en dien de aanvraag in bij VLAIO."),
        error_messages={"required": _("Vink aan dat u de aanvraag wilt indienen.")},
    )


class TransitionForm(VersionedForm):
    transition = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StatementForm(VersionedForm):
    quarter = forms.CharField(
        label=_("Kwartaal"), max_length=_max_length(PerformanceStatement, "quarter"), help_text=_("Bv. 2026Q3")
    )
    delivered_man_days = forms.CharField(
        label=_("Geleverde mensdagen (cumulatief)"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    delivered_amount = forms.CharField(
        label=_("Geleverd bedrag excl. btw (cumulatief, EUR)"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )

    def clean_quarter(self):
        value = self.cleaned_data["quarter"].strip().upper()
        if not QUARTER_RE.match(value):
            raise ValidationError(_("Geef het kwartaal als JJJJQn, bv. 2026Q3."))
        return value

    def clean_delivered_man_days(self):
        return _quantity(self.cleaned_data["delivered_man_days"], "delivered_man_days")

    def clean_delivered_amount(self):
        return _amount(self.cleaned_data["delivered_amount"], "delivered_amount")


class PaymentRequestForm(VersionedForm):
    quarter = forms.ChoiceField(label=_("Prestatiestaat van kwartaal"))

    def __init__(self, *args, quarters: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        quarter = self.fields["quarter"]
        assert isinstance(quarter, forms.ChoiceField)
        quarter.choices = [(q, q) for q in quarters]


class PaymentApproveForm(VersionedForm):
    """The confirmation on the page that shows the statement and the tranche arithmetic."""

    confirm = forms.BooleanField(
        label=_("Ik heb de prestatiestaat en de berekening nagekeken en keur deze schijf goed voor betaling."),
        error_messages={"required": _("Vink aan dat u de prestatiestaat en de berekening hebt nagekeken.")},
    )


class PaymentRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivering van de afwijzing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Geef een motivering voor de afwijzing.")},
    )


class CosignForm(VersionedForm):
    signatory = forms.CharField(
        label=_("Naam van de medeondertekenaar (kmo)"), max_length=_max_length(FinalReport, "sme_signatory")
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Tevredenheid over het traject"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(i, str(i)) for i in range(1, 6)],
        help_text=_("1 = zeer ontevreden, 5 = zeer tevreden"),
    )
    would_recommend = forms.ChoiceField(
        label=_("Zou u dit traject aanbevelen aan een andere kmo?"),
        choices=[("ja", _("ja")), ("nee", _("nee"))],
        widget=forms.RadioSelect,
    )
    changed_practice = forms.ChoiceField(
        label=_("Heeft het traject uw manier van werken rond cyberveiligheid veranderd?"),
        choices=[("ja", _("ja")), ("nee", _("nee"))],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Uw feedback"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    sign = forms.BooleanField(
        label=_("Ik medeonderteken dit eindverslag namens de onderneming."),
        error_messages={"required": _("Vink aan dat u het eindverslag medeondertekent.")},
    )


class ConfirmForm(VersionedForm):
    confirm = forms.BooleanField(
        label=_("Ik bevestig de offerte en de verklaringen op eer namens de onderneming."),
        error_messages={"required": _("Vink aan dat u bevestigt.")},
    )


class SettlementForm(VersionedForm):
    ineligible = forms.BooleanField(
        label=_("Niet subsidiabel bevonden: niets verschuldigd, alles wat betaald is terugvorderen"), required=False
    )
    reason = needed_when(
        forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})),
        _("verplicht als niet subsidiabel"),
    )


class RecoveryForm(forms.Form):
    amount = forms.CharField(
        label=_("Terug te vorderen bedrag (EUR)"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_amount(self):
        return _amount(self.cleaned_data["amount"], "amount")


class CollectionForm(forms.Form):
    amount = forms.CharField(label=_("Geïnd bedrag (EUR)"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    collected_date = forms.DateField(
        label=_("Geïnd op"), help_text=_("JJJJ-MM-DD"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_amount(self):
        return _amount(self.cleaned_data["amount"], "amount")


class QueueFilterForm(forms.Form):
    marks_requirements = False  # a filter: nothing in it is required
    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=100,
        help_text=_("Dossierreferentie, ondernemingsnummer (in elke schrijfwijze) of (een deel van) de naam."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("alle")), *DossierStatus.choices])
    call = forms.ModelChoiceField(label=_("Oproep"), required=False, queryset=Call.objects.all(), empty_label=_("alle"))
    provider = forms.ModelChoiceField(
        label=_("Dienstverlener"), required=False, queryset=ServiceProvider.objects.all(), empty_label=_("alle")
    )
    province = forms.ChoiceField(label=_("Provincie"), required=False, choices=[("", _("alle")), *Province.choices])
    size_class = forms.ChoiceField(label=_("Grootte"), required=False, choices=[("", _("alle")), *SizeClass.choices])
    sort = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[
            ("submitted", _("indiendatum, oudste eerst")),
            ("-submitted", _("indiendatum, nieuwste eerst")),
            ("reference", _("referentie")),
            ("-subsidy", _("steunbedrag, hoogste eerst")),
            ("subsidy", _("steunbedrag, laagste eerst")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class PeriodForm(forms.Form):
    marks_requirements = False  # the period of a report: both years always filled in
    year_from = forms.IntegerField(label=_("Van jaar"), min_value=2021, max_value=2100)
    year_to = forms.IntegerField(label=_("Tot en met jaar"), min_value=2021, max_value=2100)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year_from") and cleaned.get("year_to") and cleaned["year_from"] > cleaned["year_to"]:
            self.add_error("year_to", _("Het eindjaar ligt voor het beginjaar."))
        return cleaned


def decimal_or_none(value) -> Decimal | None:
    try:
        return parse_amount(value, field="x")
    except ValidationError:
        return None


# --- controls and red flags (cstraject.controls) ----------------------------------------------


def _control_choices():
    from cstraject.controls.models import ControlKind, ControlOutcome, ControlTrigger, FindingCategory

    return ControlKind, ControlOutcome, ControlTrigger, FindingCategory


class ControlForm(forms.Form):
    """A performed control with at most one finding (more findings: `cstraject controls record`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind, outcome, trigger, category = _control_choices()
        self.fields["kind"].choices = kind.choices
        self.fields["trigger"].choices = [c for c in trigger.choices if c[0] != "standard"]
        self.fields["outcome"].choices = outcome.choices
        self.fields["category"].choices = [("", _("geen bevinding")), *category.choices]

    kind = forms.ChoiceField(label=_("Soort controle"))
    trigger = forms.ChoiceField(label=_("Aanleiding"))
    performed_date = forms.DateField(
        label=_("Uitgevoerd op"), help_text=_("JJJJ-MM-DD"), widget=forms.DateInput(attrs={"type": "date"})
    )
    scope = forms.CharField(label=_("Reikwijdte"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("Uitkomst"))
    category = forms.ChoiceField(label=_("Categorie van de bevinding"), required=False)
    description = forms.CharField(
        label=_("Omschrijving van de bevinding"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    financial_effect = forms.CharField(
        label=_("Financieel effect (EUR)"),
        required=False,
        help_text=_("Een effect maakt meteen een terugvordering op (nooit meer dan betaald)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    fraud_referred = forms.BooleanField(label=_("Doorverwijzen als vermoeden van fraude"), required=False)
    conclusion = forms.CharField(
        label=_("Besluit"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def findings(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("category") and not data.get("description") and not data.get("financial_effect"):
            return []
        return [
            {
                "category": data.get("category") or "",
                "description": data.get("description") or "",
                "financial_effect": data.get("financial_effect") or None,
                "fraud_referred": data.get("fraud_referred", False),
            }
        ]


class RiskQueueFilterForm(forms.Form):
    marks_requirements = False  # a filter: nothing in it is required

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cstraject.controls.screening.indicators import INDICATORS
        from cstraject.controls.screening.registry import Category

        self.fields["indicator"].choices = [("", _("alle"))] + [
            # "A1 – Grootte vlak onder een kmo-plafond": the short number the answer uses, then the title.
            (i.code, f"{i.code.split('_', 1)[0]} – {i.title}")
            for i in INDICATORS
        ]
        self.fields["category"].choices = [("", _("alle"))] + [(c, Category.LABELS[c]) for c in Category.ORDER]

    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    category = forms.ChoiceField(label=_("Categorie"), required=False)
    provider = forms.ModelChoiceField(
        label=_("Dienstverlener"),
        required=False,
        queryset=ServiceProvider.objects.all(),
        empty_label=_("alle"),
        to_field_name="code",
    )
