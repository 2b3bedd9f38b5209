from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cstraject.accounts.actors import system_actor
from cstraject.audit.models import AuditEvent
from cstraject.impact.models import FinalReport, FollowUp, FollowUpItem, FunctionMaturity, ImprovementPoint
from cstraject.impact.services import (
    add_months,
    final_report_cosign,
    final_report_submit,
    follow_up_answer,
    follow_ups_send,
)
from tests.factories import DossierFactory, ServiceProviderFactory

from .helpers import maturity, points, provider_actor, sme_actor, valid_report, with_framework


@pytest.fixture
def dossier(db):
    dossier = DossierFactory(status="in_progress", started_date=date(2021, 4, 1))
    with_framework(dossier.call)
    return dossier


def cosign(dossier, **overrides):
    data = {
        "signatory": "Bart",
        "satisfaction": 4,
        "would_recommend": True,
        "changed_practice": "ja",
        "feedback": "Top",
    }
    data.update(overrides)
    return final_report_cosign(actor=sme_actor(dossier), dossier=dossier, **data)


def test_provider_files_a_structured_report_and_the_sme_cosigns_with_feedback(dossier):
    report = final_report_submit(actor=provider_actor(dossier), dossier=dossier, **valid_report())
    assert report.is_structured and not report.is_cosigned
    assert list(report.points.values_list("theme__code", "status", "maturity_before", "maturity_after")) == [
        ("PR.AA", "realised", Decimal("1.0"), Decimal("3.0")),
        ("RC.RP", "partly", Decimal("2.0"), Decimal("2.5")),
    ]
    assert report.function_maturities.count() == 6
    # Rewritten before co-signing: the points are replaced, not added.
    final_report_submit(
        actor=provider_actor(dossier), dossier=dossier, **valid_report(points=points(("DE.CM", "not", "1", "1")))
    )
    assert list(ImprovementPoint.objects.values_list("theme__code", flat=True)) == ["DE.CM"]
    report = cosign(dossier)
    assert (report.satisfaction, report.would_recommend, report.changed_practice) == (4, True, True)
    assert AuditEvent.objects.filter(dossier=dossier, action="document").count() == 3


def test_cosigned_twice_is_refused(dossier):
    final_report_submit(actor=provider_actor(dossier), dossier=dossier, **valid_report())
    cosign(dossier)
    with pytest.raises(ValidationError) as error:
        cosign(dossier, signatory="Iemand anders", satisfaction=1)
    assert "al medeondertekend" in error.value.message_dict["signatory"][0]
    report = FinalReport.objects.get()
    assert (report.sme_signatory, report.satisfaction) == ("Bart", 4)
    with pytest.raises(ValidationError) as error:
        final_report_submit(actor=provider_actor(dossier), dossier=dossier, **valid_report())
    assert "medeondertekend" in error.value.message_dict["points"][0]


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"points": points(("PR.AA", "realised", "0", "3"))}, "points[0].maturity_before", "1 tot 5"),
        ({"points": points(("PR.AA", "realised", "2", "6"))}, "points[0].maturity_after", "1 tot 5"),
        ({"points": points(("PR.AA", "realised", "2", "2.25"))}, "points[0].maturity_after", "decimaal"),
        ({"points": points(("PR.AA", "realised", "x", "2"))}, "points[0].maturity_before", "geen maturiteit"),
        ({"points": points(("PR.ZZ", "realised", "2", "3"))}, "points[0].theme", "bestaat niet in CYFUN-2025"),
        ({"points": points(("PR.AA", "maybe", "2", "3"))}, "points[0].status", "gerealiseerd"),
        ({"points": []}, "points", "minstens één"),
        ({"function_maturity": maturity(PR=("2", "7"))}, "function_maturity[2].after", "1 tot 5"),
        ({"function_maturity": maturity()[:5]}, "function_maturity", "RC"),
        ({"signatory": " "}, "signatory", "naam"),
        ({"signatory": "x" * 151}, "signatory", "150"),
        ({"improvements": "x" * 5001}, "improvements", "5000"),
    ],
)
def test_bad_report_input_names_the_field_and_saves_nothing(dossier, overrides, field, fragment):
    with pytest.raises(ValidationError) as error:
        final_report_submit(actor=provider_actor(dossier), dossier=dossier, **valid_report(**overrides))
    assert fragment in error.value.message_dict[field][0]
    assert not FinalReport.objects.exists()
    assert not ImprovementPoint.objects.exists() and not FunctionMaturity.objects.exists()
    assert not AuditEvent.objects.filter(dossier=dossier).exists()


def test_improvement_points_on_another_providers_dossier_are_refused(dossier):
    other = DossierFactory(provider=ServiceProviderFactory(), call=dossier.call, status="in_progress")
    with pytest.raises(PermissionDenied, match="andere dienstverlener"):
        final_report_submit(actor=provider_actor(dossier), dossier=other, **valid_report())
    assert not FinalReport.objects.exists()


def test_sme_of_another_company_cannot_cosign_and_bad_survey_is_refused(dossier):
    final_report_submit(actor=provider_actor(dossier), dossier=dossier, **valid_report())
    other = DossierFactory(call=dossier.call)
    with pytest.raises(PermissionDenied):
        final_report_cosign(
            actor=sme_actor(other),
            dossier=dossier,
            signatory="X",
            satisfaction=3,
            would_recommend=True,
            changed_practice=True,
        )
    with pytest.raises(ValidationError) as error:
        cosign(dossier, satisfaction=6, would_recommend="misschien", changed_practice=None)
    assert set(error.value.message_dict) == {"satisfaction", "would_recommend", "changed_practice"}
    assert not FinalReport.objects.get().is_cosigned


def test_report_only_after_approval(db):
    dossier = DossierFactory(status="submitted", decided_date=None)
    with_framework(dossier.call)
    with pytest.raises(ValidationError) as error:
        final_report_submit(actor=provider_actor(dossier), dossier=dossier, **valid_report())
    assert "na goedkeuring" in error.value.message_dict["points"][0]


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(date(2023, 5, 17), 12) == date(2024, 5, 17)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), -12) == date(2023, 1, 31)


@pytest.fixture
def finished(dossier):
    final_report_submit(
        actor=provider_actor(dossier),
        dossier=dossier,
        **valid_report(
            points=points(("PR.AA", "realised", "1", "3"), ("ID.AM", "partly", "1", "2"), ("DE.CM", "not", "1", "1"))
        ),
    )
    cosign(dossier)
    dossier.status = "finished"
    dossier.finished_date = date(2022, 3, 15)
    dossier.save()
    return dossier


def test_follow_up_opens_twelve_months_after_the_end_and_is_answered_once(finished):
    assert follow_ups_send(actor=system_actor(), today=date(2023, 3, 14)) == []
    [follow_up] = follow_ups_send(actor=system_actor(), today=date(2023, 3, 15))
    assert (follow_up.opens_on, follow_up.deadline) == (date(2023, 3, 15), date(2023, 5, 14))
    assert follow_ups_send(actor=system_actor(), today=date(2023, 4, 1)) == []  # idempotent
    asked = {p.theme.code: p.pk for p in ImprovementPoint.objects.select_related("theme")}
    follow_up_answer(
        actor=sme_actor(finished),
        dossier=finished,
        answers={asked["PR.AA"]: "ja", asked["ID.AM"]: False},
        comment="MFA blijft",
        today=date(2023, 4, 1),
    )
    assert dict(FollowUpItem.objects.values_list("point__theme__code", "still_in_place")) == {
        "PR.AA": True,
        "ID.AM": False,
    }
    with pytest.raises(ValidationError, match="al beantwoord"):
        follow_up_answer(actor=sme_actor(finished), dossier=finished, answers={}, today=date(2023, 4, 2))


def test_follow_up_after_its_deadline_is_refused(finished):
    follow_ups_send(actor=system_actor(), today=date(2023, 3, 15))
    asked = {p.theme.code: p.pk for p in ImprovementPoint.objects.select_related("theme")}
    with pytest.raises(ValidationError) as error:
        follow_up_answer(
            actor=sme_actor(finished),
            dossier=finished,
            answers={asked["PR.AA"]: True, asked["ID.AM"]: True},
            today=date(2023, 5, 15),
        )
    assert "14-05-2023" in error.value.message_dict["answers"][0]
    assert not FollowUpItem.objects.exists() and not FollowUp.objects.get().is_answered


def test_follow_up_needs_every_point_and_only_its_own(finished):
    follow_ups_send(actor=system_actor(), today=date(2023, 3, 15))
    asked = {p.theme.code: p.pk for p in ImprovementPoint.objects.select_related("theme")}
    with pytest.raises(ValidationError) as error:
        follow_up_answer(
            actor=sme_actor(finished),
            dossier=finished,
            answers={asked["PR.AA"]: True, asked["DE.CM"]: True},
            today=date(2023, 4, 1),
        )
    assert set(error.value.message_dict) == {f"point_{asked['ID.AM']}", f"point_{asked['DE.CM']}"}
    assert not FollowUpItem.objects.exists()
