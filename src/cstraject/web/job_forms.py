"""Forms that start background jobs (cstraject.jobs): the register imports and the report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cstraject.reporting.report import FORMATS

from .forms import PeriodForm


class KboImportForm(forms.Form):
    file = forms.FileField(label=_("KBO-extract (zip)"), help_text=_("KboOpenData_<n>_<datum>_Full.zip of _Update.zip"))
    skip_invalid = forms.BooleanField(label=_("Foute rijen overslaan"), required=False)
    force = forms.BooleanField(label=_("Ook een extract dat al toegepast is opnieuw inlezen"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("Een zipbestand (.zip) zoals de FOD Economie het publiceert."))
        return upload


class AccountsImportForm(forms.Form):
    file = forms.FileField(label=_("Jaarrekeningen (CSV)"), help_text=_("Eén regel per onderneming en boekjaar"))
    skip_invalid = forms.BooleanField(label=_("Foute regels overslaan"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Een CSV-bestand (.csv)."))
        return upload


class ReportJobForm(PeriodForm):
    format = forms.ChoiceField(
        label=_("Formaat"),
        choices=[
            (f, label)
            for f, label in (("xlsx", _("Werkboek (Excel)")), ("docx", _("Word")), ("csv", "CSV"))
            if f in FORMATS
        ],
    )
