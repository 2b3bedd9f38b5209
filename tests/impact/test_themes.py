from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cstraject.audit.models import AuditEvent
from cstraject.impact.models import FrameworkVersion, PlannedTheme, Theme
from cstraject.impact.themes import framework_version_upsert, planned_themes_set
from cstraject.reference.loader import load_frameworks
from tests.factories import DossierFactory, ServiceProviderFactory

from .helpers import provider_actor, with_framework


@pytest.fixture
def dossier(db):
    dossier = DossierFactory(status="approved", quote_man_days=Decimal("22.0"))
    with_framework(dossier.call)
    return dossier


def test_cyfun_2025_has_the_six_csf_functions_and_22_categories(db):
    load_frameworks()
    load_frameworks()  # idempotent
    version = FrameworkVersion.objects.get(code="CYFUN-2025")
    functions = list(Theme.objects.filter(version=version, parent__isnull=True).values_list("code", flat=True))
    assert functions == ["GV", "ID", "PR", "DE", "RS", "RC"]
    categories = set(Theme.objects.filter(version=version, parent__isnull=False).values_list("code", flat=True))
    assert len(categories) == 22
    assert {"GV.OC", "ID.AM", "PR.AA", "PR.DS", "DE.CM", "RS.MA", "RC.RP", "GV.SC", "PR.IR"} <= categories
    assert all(Theme.objects.get(version=version, code=c).parent.code == c[:2] for c in categories)


def test_provider_plans_themes_with_man_days_and_the_main_theme_follows(dossier):
    rows = planned_themes_set(
        actor=provider_actor(dossier),
        dossier=dossier,
        themes=[
            {"theme": "pr.aa", "man_days": "8", "quote_line": "BASIS", "description": "MFA"},
            {"theme": "ID.AM", "man_days": "10"},
            {"theme": "RC.RP", "man_days": "4"},
        ],
    )
    assert len(rows) == 3
    main = PlannedTheme.objects.get(dossier=dossier, is_main=True)
    assert main.theme.code == "ID.AM"
    assert PlannedTheme.objects.get(dossier=dossier, theme__code="PR.AA").quote_line.package.code == "BASIS"
    assert AuditEvent.objects.filter(dossier=dossier, reason__contains="Thema's").count() == 1
    # Replacing: ties broken by theme code.
    planned_themes_set(
        actor=provider_actor(dossier),
        dossier=dossier,
        themes=[{"theme": "RS.MA", "man_days": "5"}, {"theme": "DE.CM", "man_days": "5"}],
    )
    assert list(
        PlannedTheme.objects.filter(dossier=dossier).values_list("theme__code", "is_main").order_by("theme__code")
    ) == [
        ("DE.CM", True),
        ("RS.MA", False),
    ]


@pytest.mark.parametrize(
    ("item", "field", "fragment"),
    [
        ({"theme": "XX.YY", "man_days": "2"}, "themes[0].theme", "bestaat niet in CYFUN-2025"),
        ({"theme": "PR", "man_days": "2"}, "themes[0].theme", "is een functie"),
        ({"theme": "PR.AA", "man_days": "0"}, "themes[0].man_days", "groter dan 0"),
        ({"theme": "PR.AA", "man_days": "-1"}, "themes[0].man_days", "negatief"),
        ({"theme": "PR.AA", "man_days": "2", "quote_line": "PLUS"}, "themes[0].quote_line", "PLUS"),
        ({"theme": "PR.AA", "man_days": "30"}, "themes", "meer dan de offerte"),
        ({"theme": "PR.AA", "man_days": "150000"}, "themes[0].man_days", "te veel"),
        ({"theme": "PR.AA", "man_days": "1e10"}, "themes[0].man_days", "te groot"),  # core.money: at most 6 digits
        ({"theme": "PR.AA", "man_days": "NaN"}, "themes[0].man_days", "geen getal"),
    ],
)
def test_bad_themes_are_refused_and_nothing_is_saved(dossier, item, field, fragment):
    planned_themes_set(actor=provider_actor(dossier), dossier=dossier, themes=[{"theme": "ID.AM", "man_days": "3"}])
    with pytest.raises(ValidationError) as error:
        planned_themes_set(actor=provider_actor(dossier), dossier=dossier, themes=[item])
    assert fragment in error.value.message_dict[field][0]
    assert list(PlannedTheme.objects.filter(dossier=dossier).values_list("theme__code", flat=True)) == ["ID.AM"]


def test_theme_of_another_framework_version_is_not_in_the_call(dossier):
    framework_version_upsert(
        code="CYFUN-TEST",
        name="Test",
        functions=[{"code": "ZZ", "name_nl": "Z", "categories": [{"code": "ZZ.AA", "name_nl": "Z a"}]}],
    )
    with pytest.raises(ValidationError) as error:
        planned_themes_set(actor=provider_actor(dossier), dossier=dossier, themes=[{"theme": "ZZ.AA", "man_days": "1"}])
    assert "ZZ.AA" in error.value.message_dict["themes[0].theme"][0]
    assert not PlannedTheme.objects.exists()


def test_themes_on_another_providers_dossier_are_refused(dossier):
    other = DossierFactory(provider=ServiceProviderFactory(), call=dossier.call)
    with pytest.raises(PermissionDenied, match="andere dienstverlener"):
        planned_themes_set(actor=provider_actor(dossier), dossier=other, themes=[{"theme": "PR.AA", "man_days": "1"}])
    assert not PlannedTheme.objects.exists()


def test_themes_cannot_change_after_the_work_is_finished(dossier):
    dossier.status = "finished"
    dossier.finished_date = date(2021, 12, 1)
    dossier.save()
    with pytest.raises(ValidationError) as error:
        planned_themes_set(actor=provider_actor(dossier), dossier=dossier, themes=[{"theme": "PR.AA", "man_days": "1"}])
    assert "afgerond" in error.value.message_dict["themes"][0]
