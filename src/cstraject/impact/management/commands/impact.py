"""cstraject impact themes|plan|report|show|followups-send: themes, final reports and follow-up surveys.

    cstraject impact themes                                   the framework versions and their themes
    cstraject impact plan CS-2023-0001 --as dienstverlener --theme PR.AA=8:BASIS --theme ID.AM=4
    cstraject impact report CS-2023-0001 --as dienstverlener --file eindverslag.json
    cstraject impact show CS-2023-0001 --as behandelaar
    cstraject impact followups-send --as behandelaar [--date 2025-06-30]

The JSON of `report`: {"signatory": "...", "summary": "...", "points": [{"theme": "PR.AA",
"description": "...", "status": "realised|partly|not", "maturity_before": "1", "maturity_after": "3"}],
"function_maturity": [{"function": "GV", "before": "2", "after": "3"}, ...]}.
"""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cstraject.accounts.cli import LifecycleCommand, parse_date
from cstraject.core.numbers import format_number
from cstraject.dossiers.selectors import dossier_get
from cstraject.impact.models import FinalReport, FrameworkVersion, PlannedTheme, Theme
from cstraject.impact.services import final_report_submit, follow_ups_send
from cstraject.impact.themes import planned_themes_set


def _theme_option(text: str) -> dict:
    """PR.AA=8 or PR.AA=8:BASIS."""
    code, _, rest = text.partition("=")
    if not rest:
        raise CommandError(
            f"--theme '{text}': schrijf THEMA=MENSDAGEN of THEMA=MENSDAGEN:OFFERTELIJN, bv. PR.AA=8:BASIS."
        )
    man_days, _, line = rest.partition(":")
    return {"theme": code.strip(), "man_days": man_days.strip(), "quote_line": line.strip()}


class Command(LifecycleCommand):
    help = (
        "Thema's, eindverslagen en opvolging. Thema's volgens CyberFundamentals / NIST CSF 2.0, "
        "gestructureerde eindverslagen en de opvolgingsbevragingen."
    )

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "themes", "de kaderversies en hun thema's", actor=False)
        sub.add_argument("--version", dest="version_code", metavar="VERSIE", help="alleen deze versie, bv. CYFUN-2025")
        sub = self.action(subparsers, "plan", "thema's van de offerte vastleggen (vervangt de vorige)")
        sub.add_argument("reference", metavar="DOSSIER", help="referentie van het dossier")
        sub.add_argument(
            "--theme", action="append", required=True, metavar="THEMA=MENSDAGEN[:OFFERTELIJN]", help="herhaalbaar"
        )
        sub = self.action(subparsers, "report", "gestructureerd eindverslag indienen en ondertekenen")
        sub.add_argument("reference", metavar="DOSSIER", help="referentie van het dossier")
        sub.add_argument(
            "--file",
            required=True,
            metavar="BESTAND",
            help="JSON-bestand met het eindverslag (zie cstraject help impact)",
        )
        sub = self.action(subparsers, "show", "thema's en eindverslag van een dossier")
        sub.add_argument("reference", metavar="DOSSIER", help="referentie van het dossier")
        sub = self.action(
            subparsers, "followups-send", "opvolgingsbevragingen versturen die 12 maanden na afronding vallen"
        )
        sub.add_argument("--date", dest="on_date", metavar="DATUM", help="peildatum (JJJJ-MM-DD), standaard vandaag")

    def do_themes(self, actor, *, version_code=None, **options):
        versions = FrameworkVersion.objects.all()
        if version_code:
            versions = versions.filter(code=version_code)
            if not versions.exists():
                raise CommandError(_("Kaderversie '%(version_code)s' bestaat niet.") % {"version_code": version_code})
        data, lines = [], []
        for version in versions:
            themes = list(Theme.objects.filter(version=version).values("code", "name_nl", "parent__code"))
            data.append({"version": version.code, "name": version.name, "themes": themes})
            lines.append(f"{version.code}: {version.name}")
            lines += [f"  {'  ' if t['parent__code'] else ''}{t['code']:<6} {t['name_nl']}" for t in themes]
        return data, lines

    def do_plan(self, actor, *, reference, theme, **options):
        dossier = dossier_get(actor=self.handler_actor(actor), reference=reference)
        rows = planned_themes_set(actor=actor, dossier=dossier, themes=[_theme_option(t) for t in theme])
        data = [{"theme": r.theme.code, "man_days": r.man_days, "main": r.is_main} for r in rows]
        lines = [
            (
                _("%(reference)s %(code)s %(man_days)s mensdagen%(value)s")
                % {
                    "reference": reference,
                    "code": r.theme.code,
                    "man_days": format_number(r.man_days),
                    "value": _(" (hoofdthema)") if r.is_main else "",
                }
            )
            for r in rows
        ]
        return data, lines

    def do_report(self, actor, *, reference, file, **options):
        dossier = dossier_get(actor=self.handler_actor(actor), reference=reference)
        try:
            spec = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"--file: {error}") from None
        if not isinstance(spec, dict):
            raise CommandError("--file: verwacht een JSON-object met signatory, points en function_maturity.")
        report = final_report_submit(
            actor=actor,
            dossier=dossier,
            signatory=spec.get("signatory", ""),
            points=spec.get("points") or [],
            function_maturity=spec.get("function_maturity") or [],
            improvements=spec.get("summary", ""),
        )
        return {"reference": reference, "points": report.points.count()}, [
            (
                _("%(reference)s: eindverslag ondertekend met %(count)s verbeterpunten; wacht op de kmo.")
                % {"reference": reference, "count": report.points.count()}
            )
        ]

    def do_show(self, actor, *, reference, **options):
        dossier = dossier_get(actor=self.handler_actor(actor), reference=reference)
        planned = list(
            PlannedTheme.objects.filter(dossier=dossier)
            .values("theme__code", "man_days", "is_main")
            .order_by("theme__code")
        )
        report = FinalReport.objects.filter(dossier=dossier).first()
        data = {"reference": reference, "themes": planned, "final_report": None}
        lines = [
            f"{reference}: thema's " + (", ".join(f"{p['theme__code']} {p['man_days']}" for p in planned) or "geen")
        ]
        if report is None:
            lines.append("  geen eindverslag")
            return data, lines
        points = list(report.points.values("theme__code", "status", "maturity_before", "maturity_after"))
        maturity = list(report.function_maturities.values("function__code", "before", "after"))
        data["final_report"] = {
            "structured": report.is_structured,
            "cosigned": report.is_cosigned,
            "satisfaction": report.satisfaction,
            "points": points,
            "function_maturity": maturity,
        }
        lines.append(
            _("  eindverslag %(value)s") % {"value": "medeondertekend" if report.is_cosigned else "wacht op de kmo"}
        )
        lines += [f"  {p['theme__code']} {p['status']} {p['maturity_before']} -> {p['maturity_after']}" for p in points]
        lines += [f"  {m['function__code']} {m['before']} -> {m['after']}" for m in maturity]
        return data, lines

    def do_followups_send(self, actor, *, on_date=None, **options):
        sent = follow_ups_send(actor=self.handler_actor(actor), today=parse_date(on_date))
        data = [{"reference": f.final_report.dossier.reference, "deadline": f.deadline} for f in sent]
        return data, [f"{len(sent)} opvolgingsbevragingen verstuurd."] + [
            f"  {row['reference']} tot {row['deadline']:%d-%m-%Y}" for row in data
        ]
