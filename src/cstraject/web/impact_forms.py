"""Forms for themes, the structured final report and the follow-up survey.

They are built per dossier (the themes come from the call's framework
version); the services check the rules and their errors, keyed like
`points[1].maturity_after`, are put back on the row the user filled in.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cstraject.impact.models import PointStatus

from .forms import VersionedForm

POINT_ROWS = 8
THEME_ROWS = 8
MAX_ROWS = 40
MATURITY_HELP = _("CyFun-schaal 1 (initieel) tot 5 (geoptimaliseerd), één decimaal toegelaten.")


def _theme_choices(categories):
    return [("", "—")] + [(t.code, f"{t.code} {t.name}") for t in categories]


def _maturity(label, required=False):
    return forms.CharField(
        label=label, required=required, max_length=5, widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4})
    )


class RowsForm(VersionedForm):
    """A form with numbered rows; blank rows are skipped, and service errors map back to the row the user used."""

    row_prefix = "row"
    row_fields: tuple[str, ...] = ()
    rows = 0

    def __init__(self, *args, rows: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # As many rows as asked (existing rows plus blank ones) or as the posted data uses, within MAX_ROWS.
        wanted = max(rows or 0, type(self).rows)
        pattern = re.compile(rf"^{self.row_prefix}_(\d+)_")
        for key in self.data or {}:
            match = pattern.match(key)
            if match:
                wanted = max(wanted, int(match.group(1)) + 1)
        self.rows = min(wanted, MAX_ROWS)

    def row_names(self, index):
        return {name: f"{self.row_prefix}_{index}_{name}" for name in self.row_fields}

    def filled_rows(self) -> list[tuple[int, dict]]:
        filled = []
        for index in range(self.rows):
            values = {name: self.cleaned_data.get(field) for name, field in self.row_names(index).items()}
            if any(str(v or "").strip() for v in values.values()):
                filled.append((index, values))
        return filled

    def table(self):
        return [[self[field] for field in self.row_names(index).values()] for index in range(self.rows)]


class PlannedThemesForm(RowsForm):
    row_prefix = "theme"
    row_fields = ("theme", "man_days", "quote_line", "description")
    rows = THEME_ROWS

    def __init__(self, *args, categories=(), quote_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(self.rows):
            names = self.row_names(index)
            self.fields[names["theme"]] = forms.ChoiceField(
                label=_("Thema"), choices=_theme_choices(categories), required=False
            )
            self.fields[names["man_days"]] = forms.CharField(label=_("Mensdagen"), required=False, max_length=8)
            self.fields[names["quote_line"]] = forms.ChoiceField(
                label=_("Offertelijn"), choices=[("", "—")] + [(c, c) for c in quote_lines], required=False
            )
            self.fields[names["description"]] = forms.CharField(
                label=_("Geplande verbetering"), required=False, max_length=300
            )


class StructuredReportForm(RowsForm):
    row_prefix = "point"
    row_fields = ("theme", "description", "status", "maturity_before", "maturity_after")
    rows = POINT_ROWS

    improvements = forms.CharField(
        label=_("Samenvatting"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    signatory = forms.CharField(label=_("Naam van de ondertekenaar (dienstverlener)"), max_length=150)
    sign = forms.BooleanField(
        label=_("Ik onderteken dit eindverslag namens de dienstverlener."),
        error_messages={"required": _("Vink aan dat u het eindverslag ondertekent.")},
    )

    def __init__(self, *args, categories=(), functions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.functions = list(functions)
        for index in range(self.rows):
            names = self.row_names(index)
            self.fields[names["theme"]] = forms.ChoiceField(
                label=_("Thema"), choices=_theme_choices(categories), required=False
            )
            self.fields[names["description"]] = forms.CharField(label=_("Verbeterpunt"), required=False, max_length=300)
            self.fields[names["status"]] = forms.ChoiceField(
                label=_("Resultaat"), choices=[("", "—"), *PointStatus.choices], required=False
            )
            self.fields[names["maturity_before"]] = _maturity(_("Maturiteit voor"))
            self.fields[names["maturity_after"]] = _maturity(_("Maturiteit na"))
        for function in self.functions:
            self.fields[f"maturity_{function.code}_before"] = _maturity(_("Voor"), required=True)
            self.fields[f"maturity_{function.code}_after"] = _maturity(_("Na"), required=True)

    def maturity_rows(self):
        return [
            (function, self[f"maturity_{function.code}_before"], self[f"maturity_{function.code}_after"])
            for function in self.functions
        ]

    def service_input(self):
        """(points, function_maturity, error aliases) for `final_report_submit`."""
        aliases = {}
        points = []
        for service_index, (form_index, values) in enumerate(self.filled_rows()):
            points.append(values)
            for name, field in self.row_names(form_index).items():
                aliases[f"points[{service_index}].{name}"] = field
        maturity = []
        for index, function in enumerate(self.functions):
            maturity.append(
                {
                    "function": function.code,
                    "before": self.cleaned_data.get(f"maturity_{function.code}_before"),
                    "after": self.cleaned_data.get(f"maturity_{function.code}_after"),
                }
            )
            aliases[f"function_maturity[{index}].before"] = f"maturity_{function.code}_before"
            aliases[f"function_maturity[{index}].after"] = f"maturity_{function.code}_after"
        aliases["points"] = self.row_names(0)["theme"]
        return points, maturity, aliases


YES_NO = [("ja", _("ja")), ("nee", _("nee"))]


class FollowUpForm(VersionedForm):
    comment = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.points = list(points)
        for point in self.points:
            self.fields[f"point_{point.pk}"] = forms.ChoiceField(
                label=f"{point.theme.code} – {point.description}",
                choices=YES_NO,
                widget=forms.RadioSelect,
                help_text=_("Is deze verbetering vandaag nog van kracht?"),
            )

    def point_fields(self):
        return [self[f"point_{point.pk}"] for point in self.points]
