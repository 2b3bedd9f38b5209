from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction, AuditEvent
from cstraject.dossiers import services
from cstraject.dossiers.models import Dossier, DossierStatus, EligibilityResult
from cstraject.dossiers.workflow import FINAL_STATES, TRANSITIONS, allowed_transitions
from tests.factories import (
    ALL_DECLARATIONS,
    CallFactory,
    DossierFactory,
    actor,
    eligible_company,
    offering_provider,
)

BASIS = [{"package": "BASIS", "amount_excl_vat": "30000.00", "man_days": "22"}]


@pytest.fixture
def world(db):
    call = CallFactory()
    provider = offering_provider(call)
    company = eligible_company()
    return dict(
        call=call,
        provider=provider,
        company=company,
        provider_actor=actor(Role.PROVIDER, provider=provider),
        handler=actor(Role.CASE_HANDLER),
    )


def draft(world, **kwargs):
    return services.dossier_create_draft(
        actor=world["provider_actor"],
        call=world["call"],
        provider=world["provider"],
        company=world["company"],
        quote_lines=kwargs.get("quote_lines", BASIS),
        declarations=kwargs.get("declarations", ALL_DECLARATIONS),
    )


def test_full_happy_path_sets_milestones_and_audits(world):
    dossier = draft(world)
    assert dossier.status == DossierStatus.DRAFT and dossier.reference == "CS-2021-0001"
    p, h = world["provider_actor"], world["handler"]
    services.dossier_submit(actor=p, dossier=dossier, on_date=date(2021, 3, 1))
    assert dossier.size_class == "klein" and dossier.size_accounting_year == 2020
    services.dossier_approve(actor=h, dossier=dossier, on_date=date(2021, 3, 20))
    services.dossier_start(actor=p, dossier=dossier, on_date=date(2021, 4, 1))
    services.dossier_finish(actor=p, dossier=dossier, on_date=date(2021, 9, 30))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.FINISHED
    assert (dossier.submitted_date, dossier.decided_date, dossier.started_date, dossier.finished_date) == (
        date(2021, 3, 1),
        date(2021, 3, 20),
        date(2021, 4, 1),
        date(2021, 9, 30),
    )
    transitions = AuditEvent.objects.filter(dossier=dossier, action=AuditAction.TRANSITION)
    assert [(e.from_status, e.to_status, e.actor_role) for e in transitions] == [
        ("draft", "submitted", "provider"),
        ("submitted", "approved", "case_handler"),
        ("approved", "in_progress", "provider"),
        ("in_progress", "finished", "provider"),
    ]
    assert transitions[1].data["eligibility"]["sme"] == "pass"
    assert EligibilityResult.objects.filter(dossier=dossier, stage="submission").count() == 12
    assert EligibilityResult.objects.filter(dossier=dossier, stage="decision").count() == 12


def _dossier_in(state):
    dates = {
        DossierStatus.DRAFT: {},
        DossierStatus.SUBMITTED: {"submitted_date": date(2021, 3, 1)},
        DossierStatus.WITHDRAWN: {"submitted_date": date(2021, 3, 1)},
        DossierStatus.REJECTED: {"submitted_date": date(2021, 3, 1), "decided_date": date(2021, 3, 20)},
        DossierStatus.APPROVED: {"submitted_date": date(2021, 3, 1), "decided_date": date(2021, 3, 20)},
        DossierStatus.IN_PROGRESS: {"started_date": date(2021, 4, 1)},
        DossierStatus.FINISHED: {"started_date": date(2021, 4, 1), "finished_date": date(2021, 9, 30)},
        DossierStatus.STOPPED: {"started_date": date(2021, 4, 1)},
    }[state]
    base = {"submitted_date": None, "decided_date": None} if state == DossierStatus.DRAFT else {}
    return DossierFactory(status=state, **{**base, **dates})


ILLEGAL = [
    (state, name)
    for state in DossierStatus.values
    for name, transition in TRANSITIONS.items()
    if state not in transition.sources
]


@pytest.mark.parametrize("state, transition", ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(db, state, transition):
    dossier = _dossier_in(state)
    admin = actor(Role.ADMIN)  # the widest role: only the state can refuse it
    before = Dossier.objects.filter(pk=dossier.pk).values().get()
    with pytest.raises(ValidationError) as error:
        services.dossier_transition(
            actor=admin, dossier=dossier, transition=transition, reason="test", on_date=date(2021, 10, 1)
        )
    assert "status" in error.value.message_dict
    assert str(DossierStatus(state).label) in error.value.message_dict["status"][0]
    assert Dossier.objects.filter(pk=dossier.pk).values().get() == before
    assert not AuditEvent.objects.filter(action=AuditAction.TRANSITION).exists()
    assert not EligibilityResult.objects.exists()


def test_final_states_have_no_way_out():
    assert {"rejected", "withdrawn", "finished", "stopped"} == FINAL_STATES


ROLE_DENIALS = [
    (name, role) for name, transition in TRANSITIONS.items() for role in Role.values if role not in transition.roles
]


@pytest.mark.parametrize("transition, role", ROLE_DENIALS)
def test_roles_not_in_the_table_are_refused(db, transition, role):
    source = sorted(TRANSITIONS[transition].sources)[0]
    dossier = _dossier_in(source)
    who = actor(role, provider=dossier.provider, company=dossier.company)
    with pytest.raises(PermissionDenied):
        services.dossier_transition(
            actor=who, dossier=dossier, transition=transition, reason="x", on_date=date(2021, 10, 1)
        )
    dossier.refresh_from_db()
    assert dossier.status == source
    assert not AuditEvent.objects.exists()


def test_provider_acts_only_on_its_own_dossiers(world):
    dossier = draft(world)
    other = offering_provider(world["call"])
    stranger = actor(Role.PROVIDER, provider=other)
    with pytest.raises(PermissionDenied, match="andere dienstverlener"):
        services.dossier_submit(actor=stranger, dossier=dossier, on_date=date(2021, 3, 1))
    assert allowed_transitions(dossier, stranger) == []
    assert [t.name for t in allowed_transitions(dossier, world["provider_actor"])] == ["submit", "withdraw"]
    with pytest.raises(PermissionDenied):
        services.dossier_create_draft(
            actor=stranger, call=world["call"], provider=world["provider"], company=world["company"], quote_lines=BASIS
        )


@pytest.mark.parametrize("transition", ["reject", "stop"])
def test_reject_and_stop_need_a_reason(db, transition):
    dossier = _dossier_in(sorted(TRANSITIONS[transition].sources)[0])
    with pytest.raises(ValidationError) as error:
        services.dossier_transition(actor=actor(Role.CASE_HANDLER), dossier=dossier, transition=transition, reason="  ")
    assert "reason" in error.value.message_dict
    services.dossier_transition(
        actor=actor(Role.CASE_HANDLER),
        dossier=dossier,
        transition=transition,
        reason="Geen kmo.",
        on_date=date(2021, 10, 1),
    )
    event = AuditEvent.objects.get(action=AuditAction.TRANSITION)
    assert event.reason == "Geen kmo." and event.to_status == TRANSITIONS[transition].target


def test_dates_cannot_run_backwards_or_into_the_future(world):
    dossier = draft(world)
    services.dossier_submit(actor=world["provider_actor"], dossier=dossier, on_date=date(2021, 3, 1))
    with pytest.raises(ValidationError, match="vóór"):
        services.dossier_approve(actor=world["handler"], dossier=dossier, on_date=date(2021, 2, 28))
    with pytest.raises(ValidationError, match="toekomst"):
        services.dossier_approve(actor=world["handler"], dossier=dossier, on_date=date(2999, 1, 1))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.decided_date is None


def test_submission_outside_the_call_window_is_refused(world):
    dossier = draft(world)
    with pytest.raises(ValidationError, match="Oproep CS-2021 loopt van 01-01-2021 tot 31-12-2022"):
        services.dossier_submit(actor=world["provider_actor"], dossier=dossier, on_date=date(2023, 1, 2))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT and not EligibilityResult.objects.exists()


def test_approve_refuses_a_failing_criterion_and_keeps_nothing(world):
    world["company"].annual_accounts.filter(year=2020).update(headcount=300)
    world["company"].annual_accounts.filter(year=2019).update(headcount=300)
    dossier = draft(world)
    services.dossier_submit(actor=world["provider_actor"], dossier=dossier, on_date=date(2021, 3, 1))
    assert dossier.size_class == "groot"
    with pytest.raises(ValidationError) as error:
        services.dossier_approve(actor=world["handler"], dossier=dossier, reason="toch goed", on_date=date(2021, 3, 20))
    # The criterion by its label, not its code name ("sme").
    assert any(m.startswith("kmo-status:") and "300" in m for m in error.value.message_dict["eligibility"])
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert not EligibilityResult.objects.filter(stage="decision").exists()
    services.dossier_reject(
        actor=world["handler"], dossier=dossier, reason="Geen kmo (300 VTE).", on_date=date(2021, 3, 20)
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.REJECTED and dossier.decision_reason == "Geen kmo (300 VTE)."


def test_review_needs_the_case_handlers_motivation(world):
    world["company"].annual_accounts.all().delete()  # a starter: no closed accounting year
    dossier = draft(world)
    services.dossier_submit(actor=world["provider_actor"], dossier=dossier, on_date=date(2021, 3, 1))
    with pytest.raises(ValidationError) as error:
        services.dossier_approve(actor=world["handler"], dossier=dossier, on_date=date(2021, 3, 20))
    assert any("motivering" in m for m in error.value.message_dict["reason"])
    services.dossier_approve(
        actor=world["handler"], dossier=dossier, reason="Starter: openingsbalans nagekeken.", on_date=date(2021, 3, 20)
    )
    event = AuditEvent.objects.filter(action=AuditAction.TRANSITION).last()
    assert event.data["overridden"] == ["sme", "equity"]
    assert event.reason == "Starter: openingsbalans nagekeken."


def test_withdraw_from_draft_and_submitted(world):
    first, second = draft(world), draft(world)
    assert second.reference == "CS-2021-0002"
    services.dossier_withdraw(actor=world["provider_actor"], dossier=first)
    services.dossier_submit(actor=world["provider_actor"], dossier=second, on_date=date(2021, 3, 1))
    services.dossier_withdraw(actor=world["provider_actor"], dossier=second, reason="kmo ziet af")
    assert {first.status, second.status} == {DossierStatus.WITHDRAWN}


def test_unknown_transition(world):
    with pytest.raises(PermissionDenied, match="Onbekende overgang"):
        services.dossier_transition(actor=world["handler"], dossier=draft(world), transition="teleport")


def test_a_refusal_reads_in_the_language_of_the_user(world):
    """The message is Dutch source text through gettext: in English it is English, with the date the English way."""
    from django.utils import translation

    dossier = draft(world)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.dossier_submit(actor=world["provider_actor"], dossier=dossier, on_date=date(2023, 3, 1))
    assert refused.value.message_dict["on_date"] == [
        "Call CS-2021 runs from 01/01/2021 to 31/12/2022; submitting on 01/03/2023 is not possible."
    ]
    with pytest.raises(ValidationError) as geweigerd:
        services.dossier_submit(actor=world["provider_actor"], dossier=dossier, on_date=date(2023, 3, 1))
    assert geweigerd.value.message_dict["on_date"] == [
        "Oproep CS-2021 loopt van 01-01-2021 tot 31-12-2022; indienen op 01-03-2023 kan niet."
    ]
