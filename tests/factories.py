"""factory_boy factories: valid, realistic objects by default; tests override what matters."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from cstraject.accounts.models import Profile, Role
from cstraject.calls.models import Call, Package, PackageKind
from cstraject.companies.models import AnnualAccounts, Company, LegalForm, NaceCode
from cstraject.core.enterprise_number import check_digits
from cstraject.dossiers.models import Dossier, DossierStatus, QuoteLine, SizeClass
from cstraject.providers.models import ServiceProvider


def enterprise_number(n: int) -> str:
    first_eight = f"{(40_000_000 + n * 7919) % 100_000_000:08d}"
    first_eight = "0" + first_eight[1:]
    return first_eight + check_digits(first_eight)


class NaceCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NaceCode
        django_get_or_create = ("version", "code")

    version = "2008"
    code = "62010"
    level = "subclass"
    label_nl = "Ontwerpen en programmeren van computerprogramma's"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    enterprise_number = factory.Sequence(enterprise_number)
    name = factory.Sequence(lambda n: f"Testbedrijf {n} BV")
    legal_form = LegalForm.BV
    nace_code = factory.SubFactory(NaceCodeFactory)
    postal_code = "9000"
    municipality = "Gent"


class AnnualAccountsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualAccounts

    company = factory.SubFactory(CompanyFactory)
    year = 2020
    headcount = Decimal("12.0")
    turnover = Decimal("1500000.00")
    balance_sheet_total = Decimal("900000.00")
    equity = Decimal("300000.00")


class CallFactory(factory.django.DjangoModelFactory):
    """The 2021-2022 call: 45 % of the VAT-inclusive quote, once per company."""

    class Meta:
        model = Call
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = "CS-2021"
    name = "Cybersecurity verbetertrajecten 2021-2022"
    opens_date = date(2021, 1, 1)
    closes_date = date(2022, 12, 31)
    subsidy_rate = Decimal("0.4500")
    rate_on_vat_inclusive = True
    vat_rate = Decimal("0.2100")
    acceptable_legal_forms = ["bv", "nv", "cv", "vof", "commv", "eenmanszaak"]
    excluded_nace_prefixes = ["01", "02", "03", "84", "99"]

    @factory.post_generation
    def packages(call, create, extracted, **kwargs):
        if not create:
            return
        for code, kind, is_extension in (
            ("BASIS", PackageKind.BASIS, False),
            ("LIGHT", PackageKind.LIGHT, False),
            ("UITBREIDING", PackageKind.UITBREIDING, True),
        ):
            Package.objects.get_or_create(
                call=call, code=code, defaults={"name": code.title(), "kind": kind, "is_extension": is_extension}
            )


class ServiceProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvider
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.LazyAttribute(lambda o: f"Dienstverlener {o.code}")
    enterprise_number = factory.Sequence(lambda n: enterprise_number(50_000 + n))


class DossierFactory(factory.django.DjangoModelFactory):
    """A granted basis dossier of EUR 30,000 excl. VAT: subsidy 16,335.00."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CS-T-{n:05d}")
    call = factory.SubFactory(CallFactory)
    provider = factory.SubFactory(ServiceProviderFactory)
    company = factory.SubFactory(CompanyFactory)
    status = DossierStatus.APPROVED
    province = factory.LazyAttribute(lambda o: o.company.province)
    nace_code = factory.LazyAttribute(lambda o: o.company.nace_code)
    size_class = SizeClass.MICRO
    package_mix = "basis"
    quote_excl_vat = Decimal("30000.00")
    quote_man_days = Decimal("22.0")
    subsidy_amount = factory.LazyAttribute(lambda o: o.call.subsidy_for(o.quote_excl_vat))
    submitted_date = date(2021, 3, 1)
    decided_date = date(2021, 3, 20)

    @factory.post_generation
    def lines(dossier, create, extracted, **kwargs):
        if create and extracted is not False:
            package = dossier.call.packages.get(code=dossier.package_mix.split("+")[0].upper())
            QuoteLine.objects.create(
                dossier=dossier,
                package=package,
                amount_excl_vat=dossier.quote_excl_vat,
                man_days=dossier.quote_man_days,
            )


TEST_PASSWORD = "demo-wachtwoord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    password = factory.django.Password(TEST_PASSWORD)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    role = Role.CASE_HANDLER


# --- lifecycle (added by the lifecycle work) -------------------------------------------------

from cstraject.accounts.actors import Actor  # noqa: E402
from cstraject.companies.models import CompanyRelation, DeMinimisAid  # noqa: E402
from cstraject.dossiers.declarations import DECLARATIONS  # noqa: E402
from cstraject.payments.models import PerformanceStatement  # noqa: E402

ALL_DECLARATIONS = dict.fromkeys(DECLARATIONS, True)


class CompanyRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyRelation

    company = factory.SubFactory(CompanyFactory)
    related_company = factory.SubFactory(CompanyFactory)
    share_pct = Decimal("30.00")


class DeMinimisAidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeMinimisAid

    company = factory.SubFactory(CompanyFactory)
    granted_date = date(2021, 1, 15)
    amount = Decimal("50000.00")
    grantor = "Vlaamse overheid"


class PerformanceStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceStatement

    dossier = factory.SubFactory(DossierFactory)
    quarter = "2021Q2"
    delivered_man_days = Decimal("14.0")
    delivered_amount = Decimal("18000.00")
    reported_date = date(2021, 7, 5)


class Call2023Factory(CallFactory):
    """The call from 2023: 50 %, START/MEDIUM/PLUS, EUR 9,200-35,000, once per 4 years."""

    code = "CS-2023"
    name = "Cybersecurity verbetertrajecten vanaf 2023"
    opens_date = date(2023, 1, 1)
    closes_date = None
    subsidy_rate = Decimal("0.5000")
    min_quote_excl_vat = Decimal("9200.00")
    max_quote_excl_vat = Decimal("35000.00")
    support_interval_years = 4

    @factory.post_generation
    def packages(call, create, extracted, **kwargs):
        if not create:
            return
        for code, kind in (("START", PackageKind.START), ("MEDIUM", PackageKind.MEDIUM), ("PLUS", PackageKind.PLUS)):
            Package.objects.get_or_create(
                call=call, code=code, defaults={"name": code, "kind": kind, "is_extension": False}
            )


def actor(role, *, provider=None, company=None, user=None, label=None) -> Actor:
    """An Actor for tests; with `user` it is tied to a real user (audit events name it)."""
    return Actor(
        label=label or (user.username if user else f"test-{role}"),
        role=Role(role),
        user_id=user.pk if user else None,
        provider_id=provider.pk if provider else None,
        company_id=company.pk if company else None,
    )


def eligible_company(*, accounts_years=(2019, 2020), **overrides):
    """A small Flemish BV with closed accounts: passes every criterion of the 2021 call."""
    company = CompanyFactory(**overrides)
    for year in accounts_years:
        AnnualAccountsFactory(company=company, year=year)
    return company


def offering_provider(call, **overrides):
    """A provider with every package of `call` in its catalogue."""
    provider = ServiceProviderFactory(**overrides)
    provider.packages.add(*call.packages.all())
    return provider


def user_with_role(username: str, role: Role, **links):
    """A user who can log in with TEST_PASSWORD, with a profile: role and provider/company."""
    return ProfileFactory(user=UserFactory(username=username), role=role, **links).user


def pdf_bytes(text: str = "Offerte") -> bytes:
    """A real, harmless one-page PDF (made with pypdf), as a signed quote would be."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode("latin-1"))
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
