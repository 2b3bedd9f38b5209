"""cstraject screening run|indicators|queue|flags|stats: the red-flag screening."""

import sys

from django.utils.translation import gettext as _

from cstraject.accounts.cli import LifecycleCommand
from cstraject.accounts.permissions import Action, require
from cstraject.controls.screening.indicators import INDICATORS
from cstraject.controls.screening.registry import Category
from cstraject.controls.screening.run import screening_run
from cstraject.controls.selectors import dossier_flags, dossier_score, indicator_stats, risk_queue
from cstraject.dossiers.selectors import dossier_get


class ProgressBar:
    """A one-line progress bar on standard error (a terminal sees it redrawn; a log gets the last state)."""

    def __init__(self, stream, width: int = 30):
        self.stream, self.width = stream, width
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, done: int, total: int, label: str) -> None:
        filled = self.width * done // total
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {label}"
        if self.tty:
            self.stream.write(f"\r{line:<90}")
            if done == total:
                self.stream.write("\n")
        elif done == total or done % 10 == 0:
            self.stream.write(line + "\n")
        self.stream.flush()


def run_data(run) -> dict:
    return {
        "run": run.pk,
        "dossiers": run.dossier_count,
        "hits": run.hit_count,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
    }


class Command(LifecycleCommand):
    help = "Risicoscreening: rode vlaggen op alle dossiers, risicoscore, wachtrij voor de controleur."

    def add_actions(self, subparsers):
        sub = self.action(subparsers, "run", "screening uitvoeren op alle dossiers")
        sub.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
        self.action(subparsers, "indicators", "het register van indicatoren", actor=False)
        sub = self.action(subparsers, "queue", "dossiers volgens risicoscore (hoogste eerst)")
        sub.add_argument("--indicator", help="enkel dossiers met deze indicator (code)")
        sub.add_argument("--category", choices=Category.ORDER, help="enkel indicatoren van deze categorie")
        sub.add_argument("--provider", help="code van de dienstverlener")
        sub.add_argument("--limit", type=int, default=20, help="hoogstens zoveel dossiers (standaard 20)")
        sub = self.action(subparsers, "flags", "de rode vlaggen van één dossier, met uitleg")
        sub.add_argument("reference", help="dossierreferentie, bv. CS-2023-0007")
        self.action(subparsers, "stats", "trefkans per indicator tegenover de aselecte steekproef")

    def do_run(self, actor, *, quiet=False, **options):
        progress = None if quiet or options.get("json") else ProgressBar(sys.stderr)
        run = screening_run(actor=self.handler_actor(actor), progress=progress)
        data = run_data(run)
        return data, [
            (
                _("Screening %(run_pk)s: %(hit_count)s signalen op %(dossier_count)s dossiers.")
                % {"run_pk": run.pk, "hit_count": run.hit_count, "dossier_count": run.dossier_count}
            )
        ]

    def do_indicators(self, actor, **options):
        data = [i.as_data() for i in INDICATORS]
        lines = [f"{d['code']:<38} {d['category_label']:<34} gewicht {d['weight']:>4}  {d['title']}" for d in data]
        return data, lines

    def do_queue(self, actor, *, indicator=None, category=None, provider=None, limit=20, **options):
        rows = risk_queue(actor=actor, indicator=indicator, category=category, provider=provider)[:limit]
        data = [
            {
                "dossier": r.dossier.reference,
                "score": r.score,
                "hits": r.hit_count,
                "provider": r.dossier.provider.code,
                "company": r.dossier.company.name,
                "status": r.dossier.status,
            }
            for r in rows
        ]
        lines = [
            f"{d['dossier']:<14} score {d['score']:>6}  {d['hits']} signalen  {d['provider']:<6} {d['company']}"
            for d in data
        ]
        return data, lines or [_("Geen gemarkeerde dossiers (of nog geen screening).")]

    def do_flags(self, actor, *, reference, **options):
        require(actor, Action.SCREENING_VIEW)
        dossier = dossier_get(actor=actor, reference=reference)
        flags = dossier_flags(dossier=dossier)
        data = {
            "dossier": dossier.reference,
            "score": dossier_score(dossier=dossier),
            "flags": [
                {
                    "code": f.code,
                    "title": f.title,
                    "category": f.category,
                    "weight": f.weight,
                    "explanation": f.explanation,
                }
                for f in flags
            ],
        }
        lines = [f"{dossier.reference}: risicoscore {data['score']}"] + [
            f"  [{f.weight}] {f.title}: {f.explanation}" for f in flags
        ]
        return data, lines

    def do_stats(self, actor, **options):
        require(actor, Action.SCREENING_VIEW)
        stats, (random_n, random_found) = indicator_stats()
        data = {
            "indicators": [
                {
                    "code": s.code,
                    "category": s.category,
                    "hits": s.hits,
                    "controlled": s.controlled,
                    "found": s.found,
                    "hit_rate": s.hit_rate,
                }
                for s in stats
            ],
            "random_sample": {"controlled": random_n, "found": random_found},
        }
        base = f"{random_found}/{random_n}" if random_n else "nog geen aselecte controles"
        lines = [(_("Aselecte steekproef: %(base)s") % {"base": base})] + [
            f"{s.code:<38} {s.hits:>6} signalen, {s.found}/{s.controlled} gecontroleerd met bevinding" for s in stats
        ]
        return data, lines
