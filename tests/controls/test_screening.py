from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cstraject.accounts.actors import system_actor
from cstraject.accounts.models import Role
from cstraject.calls.models import Call
from cstraject.controls.models import (
    ControlSelection,
    DossierRisk,
    IndicatorHit,
    ScreeningParameters,
    ScreeningRun,
    SelectedDossier,
)
from cstraject.controls.screening.run import screening_parameters_set, screening_run
from cstraject.controls.selection import control_select
from cstraject.controls.selectors import dossier_flags, indicator_stats, risk_queue
from cstraject.controls.services import control_record
from tests.factories import AnnualAccountsFactory, DossierFactory, actor

TODAY = date(2025, 6, 30)


def established(**kwargs):
    """A dossier of a company with accounts since 2015 (no 'young company' flag)."""
    dossier = DossierFactory(**kwargs)
    AnnualAccountsFactory(company=dossier.company, year=2015)
    return dossier


@pytest.fixture
def flagged_world(db):
    """Three dossiers: one with two red flags (size near the ceiling, finished in 9 days), one with one, one clean."""
    established(
        reference="CS-X-1",
        size_class="micro",
        size_headcount=Decimal("9.8"),
        status="finished",
        started_date=date(2021, 4, 1),
        finished_date=date(2021, 4, 10),
    )
    established(reference="CS-X-2", size_class="micro", size_headcount=Decimal("9.9"))
    established(reference="CS-X-3", size_class="micro", size_headcount=Decimal("3.0"))
    # The final reports of this call are kept elsewhere: that flag is off.
    screening_parameters_set(
        actor=system_actor(), call=Call.objects.get(), values={"D3_EINDVERSLAG_ONTBREEKT": {"days": None}}
    )


def snapshot(run):
    return sorted(
        (h.dossier.reference, h.indicator, str(h.weight), h.figures, h.explanation)
        for h in IndicatorHit.objects.filter(run=run).select_related("dossier")
    )


def test_screening_twice_gives_the_same_hits_and_one_current_run(flagged_world):
    first = screening_run(actor=system_actor(), today=TODAY)
    second = screening_run(actor=system_actor(), today=TODAY)
    assert snapshot(first) == snapshot(second) and snapshot(first)
    assert list(ScreeningRun.objects.filter(is_current=True)) == [second]
    queue = list(risk_queue(actor=actor(Role.CONTROLLER)))
    assert [r.dossier.reference for r in queue][:2] == ["CS-X-1", "CS-X-2"]
    assert queue[0].score == Decimal("2.5") and queue[0].hit_count == 2


def test_an_interrupted_run_leaves_the_previous_results(flagged_world):
    first = screening_run(actor=system_actor(), today=TODAY)
    before = snapshot(first)

    class Interrupted(Exception):
        pass

    def interrupt(done, total, label):
        if done == total // 2:
            raise Interrupted

    established(reference="CS-X-4", size_class="micro", size_headcount=Decimal("9.7"))
    with pytest.raises(Interrupted):
        screening_run(actor=system_actor(), today=TODAY, progress=interrupt)
    assert ScreeningRun.objects.get(is_current=True) == first and snapshot(first) == before
    assert "CS-X-4" not in {r.dossier.reference for r in risk_queue(actor=actor(Role.CONTROLLER))}
    third = screening_run(actor=system_actor(), today=TODAY)
    assert not ScreeningRun.objects.filter(status="running").exists()
    assert "CS-X-4" in {r.dossier.reference for r in risk_queue(actor=actor(Role.CONTROLLER), run=third)}


def test_flags_explain_themselves(flagged_world):
    screening_run(actor=system_actor(), today=TODAY)
    from cstraject.dossiers.models import Dossier

    flags = dossier_flags(dossier=Dossier.objects.get(reference="CS-X-1"))
    assert [f.code for f in flags] == ["R3_TE_SNEL_AFGEROND", "A1_GROOTTE_NABIJ_PLAFOND"]
    assert flags[0].explanation == "Afgerond 9 dagen na de start; minder dan 30 dagen is onwaarschijnlijk."


@pytest.mark.parametrize(
    "values, field",
    [
        ({"R3_TE_SNEL_AFGEROND": {"min_days": "dertig"}}, "screening.CS-2021.R3_TE_SNEL_AFGEROND.min_days"),
        ({"R3_TE_SNEL_AFGEROND": {"min_days": 30.5}}, "screening.CS-2021.R3_TE_SNEL_AFGEROND.min_days"),
        ({"A1_GROOTTE_NABIJ_PLAFOND": {"margin_pct": 5.5}}, "screening.CS-2021.A1_GROOTTE_NABIJ_PLAFOND.margin_pct"),
        ({"A1_GROOTTE_NABIJ_PLAFOND": {"margin_pct": "vijf"}}, "screening.CS-2021.A1_GROOTTE_NABIJ_PLAFOND.margin_pct"),
        ({"F1_DEMINIMIS_ZELFDE_DOEL": {"keywords": "cyber"}}, "screening.CS-2021.F1_DEMINIMIS_ZELFDE_DOEL.keywords"),
        ({"A1_GROOTTE_NABIJ_PLAFOND": {"marge": "5"}}, "screening.CS-2021.A1_GROOTTE_NABIJ_PLAFOND.marge"),
        ({"BESTAAT_NIET": {}}, "screening.CS-2021.BESTAAT_NIET"),
    ],
)
def test_wrong_parameter_type_names_the_field_and_saves_nothing(db, values, field):
    call = DossierFactory().call
    with pytest.raises(ValidationError) as error:
        screening_parameters_set(actor=system_actor(), call=call, values=values)
    assert field in error.value.message_dict
    assert not ScreeningParameters.objects.exists()


def test_parameters_change_the_threshold_and_null_switches_off(flagged_world):
    call = Call.objects.get()
    screening_parameters_set(
        actor=system_actor(),
        call=call,
        values={"R3_TE_SNEL_AFGEROND": {"min_days": 5}, "D3_EINDVERSLAG_ONTBREEKT": {"days": None}},
    )
    run = screening_run(actor=system_actor(), today=TODAY)
    assert not IndicatorHit.objects.filter(run=run, indicator="R3_TE_SNEL_AFGEROND").exists()
    screening_parameters_set(
        actor=system_actor(),
        call=call,
        values={"A1_GROOTTE_NABIJ_PLAFOND": {"margin_pct": None}, "D3_EINDVERSLAG_ONTBREEKT": {"days": None}},
    )
    run = screening_run(actor=system_actor(), today=TODAY)
    assert not IndicatorHit.objects.filter(run=run, indicator="A1_GROOTTE_NABIJ_PLAFOND").exists()
    assert run.parameters["CS-2021"]["A1_GROOTTE_NABIJ_PLAFOND"]["margin_pct"] is None


def test_only_controllers_and_the_system_screen(db):
    with pytest.raises(PermissionDenied):
        screening_run(actor=actor(Role.PROVIDER))


@pytest.fixture
def population(db):
    for i in range(40):
        DossierFactory(
            reference=f"CS-P-{i:02d}",
            size_class=["micro", "klein"][i % 2],
            decided_date=date(2021 + i % 2, 3, 1),
            size_headcount=Decimal("9.8") if i < 5 else None,
        )
    screening_run(actor=system_actor(), today=TODAY)


def picked(selection):
    return [(s.dossier.reference, s.basis, s.stratum) for s in selection.items.select_related("dossier").order_by("id")]


def test_selection_is_reproducible_from_its_seed(population):
    controller = actor(Role.CONTROLLER)
    one = control_select(actor=controller, risk_size=3, random_size=8, seed=42)
    two = control_select(actor=controller, risk_size=3, random_size=8, seed=42)
    other = control_select(actor=controller, risk_size=3, random_size=8, seed=43)
    assert picked(one) == picked(two) != picked(other)
    items = list(one.items.order_by("id"))
    assert [i.basis for i in items].count("risk") == 3 and [i.basis for i in items].count("random") == 8
    assert all(i.reason for i in items) and one.seed == 42
    # Stratified: 8 over the four strata micro/klein x 2021/2022 in proportion.
    strata = [i.stratum for i in items if i.basis == "random"]
    assert sorted(set(strata)) == ["klein 2022", "micro 2021"] or len(set(strata)) >= 2
    assert "seed 42" in items[-1].reason


def test_selection_needs_a_screening(db):
    with pytest.raises(ValidationError) as error:
        control_select(actor=actor(Role.CONTROLLER), seed=1)
    assert "run" in error.value.message_dict
    assert not ControlSelection.objects.exists()


def test_hit_rate_against_the_random_sample(population):
    controller = actor(Role.CONTROLLER)
    selection = control_select(actor=controller, risk_size=2, random_size=4, seed=7)
    for item in SelectedDossier.objects.filter(selection=selection):
        found = item.basis == "risk"
        control_record(
            actor=controller,
            dossier=item.dossier,
            kind="ex_post_audit",
            trigger=item.basis,
            performed_date=date(2025, 6, 1),
            outcome="irregularity" if found else "no_findings",
            scope="Steekproef.",
            findings=[{"category": "not_sme", "description": "Te groot."}] if found else [],
        )
    stats, (random_n, random_found) = indicator_stats()
    a1 = next(s for s in stats if s.code == "A1_GROOTTE_NABIJ_PLAFOND")
    assert (a1.hits, a1.controlled, a1.found, a1.hit_rate) == (3, 2, 2, Decimal("1.000"))
    assert (random_n, random_found) == (4, 0)
    assert DossierRisk.objects.filter(run__is_current=True).count() >= 3


def test_a_wrong_stored_parameter_stops_the_run_before_anything_is_written(flagged_world):
    from cstraject.controls.models import ScreeningParameters

    ScreeningParameters.objects.filter(call=Call.objects.get()).update(
        values={"R3_TE_SNEL_AFGEROND": {"min_days": "dertig"}}
    )
    with pytest.raises(ValidationError) as error:
        screening_run(actor=system_actor(), today=TODAY)
    assert "screening.CS-2021.R3_TE_SNEL_AFGEROND.min_days" in error.value.message_dict
    assert not ScreeningRun.objects.exists()


def test_a_run_removed_by_another_run_does_not_become_current(flagged_world):
    first = screening_run(actor=system_actor(), today=TODAY)

    def another_run_cleans_up(done, total, label):
        if done == total:  # what a run started meanwhile does first
            ScreeningRun.objects.filter(status="running").delete()

    with pytest.raises(RuntimeError, match="removed by another run"):
        screening_run(actor=system_actor(), today=TODAY, progress=another_run_cleans_up)
    assert ScreeningRun.objects.get(is_current=True) == first
