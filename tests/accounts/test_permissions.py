"""The permission table itself: its shape, its relation rules, the workflow reading it, the template tags."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template

from cstraject.accounts import permissions
from cstraject.accounts.models import Role
from cstraject.accounts.permissions import RULES, Action, may, require, scope_dossiers
from cstraject.dossiers.models import Dossier
from cstraject.dossiers.workflow import TRANSITIONS
from tests.factories import DossierFactory, actor


def test_every_action_has_a_row_and_every_transition_an_action():
    assert set(RULES) == set(Action)
    for name, transition in TRANSITIONS.items():
        assert transition.action == Action(f"dossier.{name}")
        assert transition.roles == frozenset(RULES[transition.action])


def test_the_workflow_roles_come_from_the_table(monkeypatch):
    """Change the table and the workflow follows: one place answers who may take a transition."""
    monkeypatch.setitem(RULES, Action.DOSSIER_APPROVE, {Role.CONTROLLER: permissions.ANY})
    assert TRANSITIONS["approve"].roles == {Role.CONTROLLER}


@pytest.fixture
def two_dossiers(db):
    own, other = DossierFactory(), DossierFactory()
    return own, other


def test_relation_own_provider_own_company_any(two_dossiers):
    own, other = two_dossiers
    provider = actor(Role.PROVIDER, provider=own.provider)
    sme = actor(Role.SME_CONTACT, company=own.company)
    handler = actor(Role.CASE_HANDLER)
    policy = actor(Role.POLICY)
    assert may(provider, Action.DOSSIER_VIEW, own) and not may(provider, Action.DOSSIER_VIEW, other)
    assert may(sme, Action.DOSSIER_VIEW, own) and not may(sme, Action.DOSSIER_VIEW, other)
    assert may(handler, Action.DOSSIER_VIEW, own) and may(handler, Action.DOSSIER_VIEW, other)
    assert not may(policy, Action.DOSSIER_VIEW) and not may(policy, Action.DOSSIER_VIEW, own)
    assert may(policy, Action.STATISTICS_VIEW)
    assert not may(None, Action.DOSSIER_VIEW)
    # A provider user without a provider may do nothing scoped.
    assert not may(actor(Role.PROVIDER), Action.DOSSIER_LIST)


def test_relation_follows_objects_that_hang_off_a_dossier(two_dossiers):
    from cstraject.payments.models import Collection, Recovery

    own, other = two_dossiers
    recovery = Recovery.objects.create(dossier=own, amount="10.00", reason="x", issued_date=own.decided_date)
    collection = Collection(recovery=recovery, amount="1.00", collected_date=own.decided_date)
    provider = actor(Role.PROVIDER, provider=own.provider)
    assert permissions.owners_of(collection) == (own.provider_id, own.company_id)
    assert may(provider, Action.DOSSIER_VIEW, recovery)
    assert not may(actor(Role.PROVIDER, provider=other.provider), Action.DOSSIER_VIEW, recovery)
    assert may(provider, Action.DOSSIER_CREATE, own.provider)
    assert not may(provider, Action.DOSSIER_CREATE, other.provider)


def test_require_says_who_may_in_dutch(two_dossiers):
    own, other = two_dossiers
    with pytest.raises(
        PermissionDenied, match=r"Rol 'Beleidsmedewerker' mag dit niet: dossiers oplijsten\. Toegelaten"
    ):
        require(actor(Role.POLICY), Action.DOSSIER_LIST)
    with pytest.raises(PermissionDenied, match=f"dossier {other.reference}; dat hoort bij een andere dienstverlener"):
        require(actor(Role.PROVIDER, provider=own.provider), Action.DOSSIER_SUBMIT, other)
    with pytest.raises(PermissionDenied, match="Niet aangemeld"):
        require(None, Action.DOSSIER_VIEW)
    require(actor(Role.ADMIN), Action.DOSSIER_STOP, other)


def test_scope_dossiers_narrows_lists(two_dossiers):
    own, other = two_dossiers
    assert list(scope_dossiers(actor(Role.PROVIDER, provider=own.provider))) == [own]
    assert list(scope_dossiers(actor(Role.SME_CONTACT, company=other.company))) == [other]
    assert scope_dossiers(actor(Role.CONTROLLER)).count() == 2
    assert scope_dossiers(actor(Role.POLICY)).count() == 0
    assert (
        scope_dossiers(
            actor(Role.PROVIDER, provider=own.provider), Dossier.objects.all(), Action.DOSSIER_APPROVE
        ).count()
        == 0
    )


def test_template_filter_and_tag(two_dossiers):
    own, other = two_dossiers
    template = Template(
        '{% load permissions %}{% if who|may:"statistics.view" %}stats{% endif %}|'
        '{% may_on who "dossier.submit" d as ok %}{% if ok %}submit{% endif %}'
    )
    provider = actor(Role.PROVIDER, provider=own.provider)
    assert template.render(Context({"who": provider, "d": own})) == "|submit"
    assert template.render(Context({"who": provider, "d": other})) == "|"
    assert template.render(Context({"who": actor(Role.POLICY), "d": own})) == "stats|"


def test_table_rows_for_documentation():
    rows = {row["action"]: row for row in permissions.table()}
    assert rows["recovery.create"]["roles"] == {"controller": "any", "admin": "any"}
    assert rows["dossier.submit"]["roles"]["provider"] == "own_provider"


@pytest.mark.parametrize("action", list(Action))
def test_scope_and_may_agree_for_every_action_and_role(two_dossiers, action):
    """The list a role sees (scope) is exactly the objects it may act on (may), for every row of the table."""
    own, other = two_dossiers
    actors = [
        actor(Role.PROVIDER, provider=own.provider),
        actor(Role.SME_CONTACT, company=own.company),
        actor(Role.PROVIDER),  # a provider user without its provider
        *(actor(role) for role in (Role.CASE_HANDLER, Role.CONTROLLER, Role.POLICY, Role.ADMIN, Role.SYSTEM)),
    ]
    for who in actors:
        scoped = set(scope_dossiers(who, Dossier.objects.all(), action))
        assert scoped == {d for d in (own, other) if may(who, action, d)}, (who.role, action)
        if scoped:
            assert may(who, action)
