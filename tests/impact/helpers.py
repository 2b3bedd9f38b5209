"""Shared set-up for the impact tests: the CyFun framework linked to a call, and valid report input."""

from cstraject.accounts.actors import Actor
from cstraject.accounts.models import Role
from cstraject.impact.themes import call_framework_set
from cstraject.reference.loader import load_frameworks

FUNCTIONS = ("GV", "ID", "PR", "DE", "RS", "RC")


def with_framework(call, version_code: str = "CYFUN-2025"):
    load_frameworks()
    return call_framework_set(call=call, version_code=version_code).version


def provider_actor(dossier, user_id=None):
    return Actor(label="p", role=Role.PROVIDER, provider_id=dossier.provider_id, user_id=user_id)


def sme_actor(dossier, user_id=None):
    return Actor(label="k", role=Role.SME_CONTACT, company_id=dossier.company_id, user_id=user_id)


def points(*specs):
    """specs: (theme, status, before, after)."""
    return [
        {
            "theme": theme,
            "description": f"Verbetering {theme}",
            "status": status,
            "maturity_before": b,
            "maturity_after": a,
        }
        for theme, status, b, a in specs
    ]


def maturity(before="2.0", after="3.0", **overrides):
    rows = []
    for code in FUNCTIONS:
        b, a = overrides.get(code, (before, after))
        rows.append({"function": code, "before": b, "after": a})
    return rows


def valid_report(**overrides):
    data = {
        "signatory": "An Peeters",
        "points": points(("PR.AA", "realised", "1", "3"), ("RC.RP", "partly", "2", "2.5")),
        "function_maturity": maturity(),
    }
    data.update(overrides)
    return data
